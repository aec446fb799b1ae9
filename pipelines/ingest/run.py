"""The ingest stage: sync feeds from the feeds file, poll the feeds that are due, fetch and store
new pages, and log every feed's health."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import duckdb

from pipelines import db
from pipelines.ingest.feeds_config import FeedSource, load_feeds
from pipelines.ingest.fetch_articles import BeforeFetch, OnStored, fetch_pending
from pipelines.ingest.http import fetch, make_client
from pipelines.ingest.politeness import Politeness
from pipelines.ingest.poll import record_poll, sync_feeds
from pipelines.models import StageCounts
from pipelines.settings import Settings

log = logging.getLogger(__name__)


def run_ingest(settings: Settings, now: datetime | None = None, on_stored: OnStored | None = None,
               before_fetch: BeforeFetch | None = None) -> StageCounts:
    """One ingest run over every due feed in ``settings.feeds``; returns the counts for the task log.

    ``now`` is the run's clock (tests move it forward instead of sleeping); requests still take
    real time. ``on_stored`` hears of each article stored with new text, ``before_fetch`` of the
    number of pages about to be fetched (see ``fetch_pending``).
    """
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    feeds = load_feeds(settings.feeds)
    counts: dict[str, int | float] = {
        "feeds_polled": 0,
        "feeds_not_due": 0,
        "feeds_paused": 0,
        "feeds_deferred": 0,
        "not_modified": 0,
        "bozo": 0,
        "failed_feeds": 0,
        "entries_new": 0,
        "entries_revisited": 0,
        "articles_stored": 0,
        "articles_revised": 0,
        "silent_edits": 0,
        "copies_linked": 0,
        "pages_failed": 0,
        "pages_skipped": 0,
        "pages_deferred": 0,
        "operator_alerts_new": 0,
    }
    with db.session(settings.database) as con, make_client(settings) as client:
        sync_feeds(con, feeds)
        gate = Politeness(settings, blocked=_blocked_hosts(con, now))
        due = _due_feeds(con, feeds, now, counts)
        alerts_before = len(db.rows(con, "ingest/pending_operator_alerts"))

        # Network in worker threads, database writes here: the connection is never shared.
        with ThreadPoolExecutor(max_workers=max(settings.fetch_workers, 1), thread_name_prefix="ingest-poll") as pool:
            jobs = []
            for feed in due:
                state = db.rows(con, "ingest/get_feed", {"feed_name": feed.name})[0]
                jobs.append((feed, pool.submit(fetch, feed.url, settings, state["etag"], state["last_modified"],
                                               client, gate)))
            for feed, job in jobs:
                result = record_poll(con, feed, job.result(), settings, now)
                if result.status == "deferred":
                    counts["feeds_deferred"] += 1
                    continue
                counts["feeds_polled"] += 1
                counts["entries_new"] += result.entries_new
                counts["entries_revisited"] += result.entries_revisited
                counts["not_modified"] += result.status == "not_modified"
                counts["bozo"] += result.bozo
                if not result.success:
                    counts["failed_feeds"] += 1
                    log.warning("feed %s: %s (%s)", feed.name, result.status, result.error)
                if result.paused_reason:
                    log.error("feed %s paused: %s", feed.name, result.paused_reason)

        # Pending entries include earlier runs' failures with attempts left, not just this run's.
        pages = fetch_pending(con, settings, client=client, now=now, gate=gate, on_stored=on_stored,
                              before_fetch=before_fetch)
        counts["articles_stored"] = pages.stored
        counts["articles_revised"] = pages.revised
        counts["silent_edits"] = pages.silent_edits
        counts["copies_linked"] = pages.copies
        counts["pages_failed"] = pages.failed
        counts["pages_skipped"] = pages.skipped
        counts["pages_deferred"] = pages.deferred  # waiting for their origin's Retry-After, retried later
        _save_blocked_hosts(con, gate, now)
        counts["operator_alerts_new"] = len(db.rows(con, "ingest/pending_operator_alerts")) - alerts_before
        log_feed_health(con)
    counts["elapsed_s"] = round(time.perf_counter() - started, 3)
    stage = StageCounts(stage="ingest", counts=counts)
    log.info(stage.line())
    return stage


def _due_feeds(
    con: duckdb.DuckDBPyConnection, feeds: list[FeedSource], now: datetime, counts: dict[str, int | float]
) -> list[FeedSource]:
    states = {r["feed_name"]: r for r in db.rows(con, "ingest/feed_states")}
    due: list[FeedSource] = []
    for feed in feeds:
        state = states.get(feed.name, {})
        if state.get("paused_until") and state["paused_until"] > now:
            counts["feeds_paused"] += 1
        elif state.get("next_poll_at") and state["next_poll_at"] > now:
            counts["feeds_not_due"] += 1
        else:
            due.append(feed)
    return due


def _blocked_hosts(con: duckdb.DuckDBPyConnection, now: datetime) -> dict[str, tuple[datetime, str]]:
    return {r["origin"]: (r["blocked_until"], r["blocked_reason"]) for r in db.rows(con, "ingest/host_state_load", {"now": now})}


def _save_blocked_hosts(con: duckdb.DuckDBPyConnection, gate: Politeness, now: datetime) -> None:
    for origin, (until, reason) in gate.blocked.items():
        db.run(con, "ingest/host_state_upsert",
               {"origin": origin, "blocked_until": until, "blocked_reason": reason, "updated_at": now})


def log_feed_health(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Write one line per feed from ``v_feed_health`` to the log (the Airflow task log); return the rows."""
    rows = db.rows(con, "ingest/feed_health")
    for r in rows:
        ratio = r["not_modified_ratio"]
        log.info(
            "feed health: %s status=%s failures=%s score=%s entries_24h=%s not_modified=%s last_success=%s "
            "next_poll=%s%s%s%s%s%s",
            r["feed_name"], r["last_status"], r["consecutive_failures"], r["failure_score"],
            r["entries_last_24h"], "-" if ratio is None else f"{ratio:.0%}",
            r["last_success_at"].isoformat(timespec="seconds") if r["last_success_at"] else "never",
            r["next_poll_at"].isoformat(timespec="seconds") if r["next_poll_at"] else "now",
            f" PAUSED until {r['paused_until'].isoformat(timespec='minutes')}" if r["paused_until"] else "",
            f" error={r['last_error']!r}" if r["last_error"] else "",
            f" note={r['last_note']!r}" if r["last_note"] else "",
            f" pages_failed={r['pages_failed']} last_page_error={r['last_page_error']!r}" if r["pages_failed"] else "",
            f" {r['deferred']}" if r["deferred"] else "",
        )
    return rows
