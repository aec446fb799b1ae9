"""Poll one feed: conditional GET, refuse dangerous or wrong bodies, parse with feedparser, record
new entries, the feed's health and its next poll time.

The network part (``fetch``) and the database part (``record_poll``) are separate so that a run
can fetch several feeds at once from worker threads and write from one thread.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import feedparser
import httpx
import pandas as pd

from pipelines import db
from pipelines.ids import stable_id
from pipelines.ingest.content import feed_type_problem, xml_danger
from pipelines.ingest.feeds_config import FeedSource
from pipelines.ingest.http import FetchResult, fetch
from pipelines.ingest.politeness import Politeness
from pipelines.ingest.schedule import Decision, decide
from pipelines.ingest.urls import canonical_url
from pipelines.settings import Settings

# feedparser flags these as bozo although the entries it parsed are sound: a charset that differs
# from the declared one, or a feed served with an HTML/text content type.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass
class PollResult:
    feed_name: str
    # ok | not_modified | bozo | refused | not_a_feed | robots | http_error | fetch_error | deferred
    status: str
    http_status: int | None = None
    bozo: bool = False
    bozo_reason: str | None = None
    entries_seen: int = 0
    entries_new: int = 0
    entries_revisited: int = 0
    new_entry_ids: list[str] = field(default_factory=list)
    error: str | None = None
    note: str | None = None
    failure: str | None = None
    retry_after: float | None = None
    elapsed_ms: float = 0.0
    paused_reason: str | None = None  # set when this poll paused the feed

    @property
    def success(self) -> bool:
        return self.status in ("ok", "not_modified")


@dataclass(frozen=True)
class FeedEntry:
    entry_id: str
    guid: str | None
    link: str | None
    canonical_url: str | None
    title: str | None
    published: datetime | None
    updated: datetime | None = None


def sync_feeds(con: duckdb.DuckDBPyConnection, feeds: list[FeedSource]) -> None:
    """Insert or update the ``feeds`` rows from the feeds file."""
    for feed in feeds:
        db.run(
            con,
            "ingest/upsert_feed",
            {"feed_name": feed.name, "url": feed.url, "topic_keywords": list(feed.topic_keywords)},
        )


def poll_feed(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSource,
    settings: Settings,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    gate: Politeness | None = None,
) -> PollResult:
    """Poll ``feed`` once and store what was learnt; never raises for a bad feed or network error."""
    stored = db.rows(con, "ingest/get_feed", {"feed_name": feed.name})
    etag = stored[0]["etag"] if stored else None
    last_modified = stored[0]["last_modified"] if stored else None
    response = fetch(feed.url, settings, etag=etag, last_modified=last_modified, client=client, gate=gate)
    return record_poll(con, feed, response, settings, now or datetime.now(UTC))


def record_poll(
    con: duckdb.DuckDBPyConnection, feed: FeedSource, response: FetchResult, settings: Settings, now: datetime
) -> PollResult:
    """Interpret a fetched feed and store its entries, its poll and its new schedule."""
    stored = db.rows(con, "ingest/get_feed", {"feed_name": feed.name})
    state = stored[0] if stored else {}
    result, entries = interpret(feed.name, response)

    con.execute("BEGIN TRANSACTION")
    try:
        if entries:
            # one statement each for the whole feed: inserting the new entries, then refreshing
            # the known ones the feed says were updated (an entry just inserted is not 'stored')
            frame = pd.DataFrame.from_records(
                [(e.entry_id, feed.name, e.guid, e.link, e.canonical_url, e.title, e.published, e.updated, now, i)
                 for i, e in enumerate(entries)],
                columns=["entry_id", "feed_name", "guid", "link", "canonical_url", "title", "published", "updated",
                         "first_seen_at", "position"])
            with db.registered(con, {"batch_feed_entries": frame}):
                new = {r[0] for r in db.run(con, "ingest/insert_entries_batch").fetchall()}
                result.new_entry_ids = [e.entry_id for e in entries if e.entry_id in new]
                if any(e.updated is not None and e.entry_id not in new for e in entries):
                    result.entries_revisited += len(db.run(con, "ingest/refresh_entries_batch").fetchall())
        result.entries_new = len(result.new_entry_ids)
        _record(con, feed, result, response, state, settings, now)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result


def interpret(feed_name: str, response: FetchResult) -> tuple[PollResult, list[FeedEntry]]:
    """Turn a fetch into a poll outcome and the feed's entries (pure: no database)."""
    result = PollResult(
        feed_name, "ok", http_status=response.status, elapsed_ms=response.elapsed_ms,
        failure=response.failure, retry_after=response.retry_after,
    )
    if response.not_modified:
        result.status = "not_modified"
        return result, []
    if response.error is not None:
        result.status = {"host_backoff": "deferred", "robots": "robots"}.get(
            response.failure or "", "http_error" if response.failure == "http" else "fetch_error"
        )
        result.error = response.error
        return result, []

    problem = feed_type_problem(response.content_type, response.body)
    if problem:
        result.status, result.error = "not_a_feed", problem
        return result, []
    danger = xml_danger(response.body)
    if danger:
        # Never handed to feedparser: its expat parser would expand the entities.
        result.status, result.error = "refused", danger
        return result, []

    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-type": response.headers.get("content-type", ""),
            # Lets feedparser resolve relative links against where the feed really came from.
            "content-location": response.final_url,
        },
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        result.bozo = True
        result.bozo_reason = f"{type(exc).__name__}: {exc}" if exc else "unknown"
        if not isinstance(exc, _HARMLESS_BOZO):
            # A broken document is recorded and skipped: the loose parser's guesses could invent or
            # drop entries, and the next poll will fetch it again anyway.
            result.status = "bozo"
            result.error = result.bozo_reason
            return result, []
        result.note = f"parsed despite {result.bozo_reason}"

    entries = _entries(feed_name, parsed.get("entries", []))
    if not entries and not parsed.get("version"):
        result.status, result.error = "not_a_feed", "not a recognised RSS/Atom document"
        return result, []
    result.entries_seen = len(entries)
    if not entries:
        result.note = "empty feed: no entries"
    return result, entries


def _entries(feed_name: str, raw_entries: list[Any]) -> list[FeedEntry]:
    entries: dict[str, FeedEntry] = {}
    for raw in raw_entries:
        guid = _text(raw.get("id"))
        link = _text(raw.get("link"))
        key = guid or link
        if not key:
            continue
        entry_id = stable_id(feed_name, key)
        entries.setdefault(
            entry_id,
            FeedEntry(
                entry_id=entry_id,
                guid=guid,
                link=link,
                canonical_url=canonical_url(link) if link else None,
                title=_text(raw.get("title")),
                published=_entry_time(raw, ("published_parsed", "updated_parsed")),
                updated=_entry_time(raw, ("updated_parsed",)),
            ),
        )
    return list(entries.values())


def _entry_time(raw: Any, keys: tuple[str, ...]) -> datetime | None:
    # feedparser gives UTC struct_time values; timegm keeps them in UTC.
    for key in keys:
        # dict.get, not raw.get: feedparser's own get silently maps updated_parsed to published_parsed.
        value = dict.get(raw, key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                return None  # a date feedparser parsed but that no clock can hold
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _record(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSource,
    result: PollResult,
    response: FetchResult,
    state: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> None:
    """Write one poll: its row, then (unless the origin deferred it) the feed's new state and
    schedule, and an operator alert when the feed is paused."""
    _record_poll_row(con, feed, result, now)
    if result.status == "deferred":
        # not a poll of the feed: the origin asked everyone to wait; say so, change nothing else
        db.run(con, "ingest/record_deferral", {"feed_name": feed.name, "note": f"deferred: {result.error}",
                                               "deferred_at": now})
        return
    decision = _schedule(con, feed, result, state, settings, now)
    _update_feed(con, feed, result, _validators(result, response, state), decision, now)
    if decision.paused_until is not None:
        result.paused_reason = decision.paused_reason
        _alert_paused(con, feed, decision.paused_until, decision.paused_reason, state, now)


def _validators(result: PollResult, response: FetchResult, state: dict[str, Any]) -> tuple[Any, Any]:
    """The (etag, last_modified) to send next time."""
    old_etag, old_last_modified = state.get("etag"), state.get("last_modified")
    if result.status == "ok":
        # A 200 replaces the validators, including clearing ones the server stopped sending.
        return response.etag, response.last_modified
    if result.status == "not_modified":
        return response.etag or old_etag, response.last_modified or old_last_modified
    # Never keep validators from a response we could not use, or the next poll would get a 304
    # for a document we never read.
    return old_etag, old_last_modified


def _record_poll_row(con: duckdb.DuckDBPyConnection, feed: FeedSource, result: PollResult, now: datetime) -> None:
    db.run(
        con,
        "ingest/record_poll",
        {
            "poll_id": stable_id(feed.name, now.isoformat()),
            "feed_name": feed.name,
            "polled_at": now,
            "status": result.status,
            "http_status": result.http_status,
            "bozo": result.bozo,
            "bozo_reason": result.bozo_reason,
            "entries_seen": result.entries_seen,
            "entries_new": result.entries_new,
            "error": result.error,
            "elapsed_ms": result.elapsed_ms,
        },
    )


def _schedule(con: duckdb.DuckDBPyConnection, feed: FeedSource, result: PollResult, state: dict[str, Any],
              settings: Settings, now: datetime) -> Decision:
    """When to poll the feed next (and whether to pause it), from this poll and its history."""
    recent = [r["published"] for r in db.rows(con, "ingest/recent_published", {"feed_name": feed.name})]
    return decide(
        status=result.status,
        failure=result.failure,
        http_status=result.http_status,
        retry_after=result.retry_after,
        error=result.error,
        previous_score=float(state.get("failure_score") or 0.0),
        previous_interval=state.get("poll_interval_s"),
        recent_published=recent,
        new_entries=result.entries_new,
        now=now,
        settings=settings,
    )


def _update_feed(con: duckdb.DuckDBPyConnection, feed: FeedSource, result: PollResult,
                 validators: tuple[Any, Any], decision: Decision, now: datetime) -> None:
    etag, last_modified = validators
    db.run(
        con,
        "ingest/update_feed_after_poll",
        {
            "feed_name": feed.name,
            "etag": etag,
            "last_modified": last_modified,
            "status": result.status,
            "http_status": result.http_status,
            "error": result.error,
            "note": result.note,
            "polled_at": now,
            "success": result.success,
            "not_modified": 1 if result.status == "not_modified" else 0,
            "failure_score": decision.failure_score,
            "poll_interval_s": decision.poll_interval_s,
            "next_poll_at": decision.next_poll_at,
            "paused_until": decision.paused_until,
            "paused_reason": decision.paused_reason,
        },
    )


def _alert_paused(con: duckdb.DuckDBPyConnection, feed: FeedSource, until: datetime, reason: str | None,
                  state: dict[str, Any], now: datetime) -> None:
    db.run(
        con,
        "ingest/insert_operator_alert",
        {
            "alert_id": stable_id("feed_paused", feed.name, until.isoformat()),
            "kind": "feed_paused",
            "subject": f"newswatch: feed {feed.name} paused until {until:%Y-%m-%d %H:%M} UTC",
            "body": (
                f"The feed {feed.name} ({feed.url}) keeps failing and will not be polled until "
                f"{until.isoformat(timespec='minutes')}.\n\nReason: {reason}\n"
                f"Consecutive failures: {int(state.get('consecutive_failures') or 0) + 1}\n\n"
                "Check the URL in the feeds file; see v_feed_health for every feed."
            ),
            "created_at": now,
        },
    )
