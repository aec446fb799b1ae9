"""Fetch the pages of pending feed entries, clean them and store them as articles.

Pages are fetched by worker threads (network only) and stored by the calling thread, in the
entries' publication order, so the DuckDB connection is never shared and the first outlet to
publish a syndicated story is its original. At most ``2 * fetch_workers`` fetched bodies wait in
memory at once.

Every page ends as exactly one of: a new article (version 1); a revision of a stored article (new
version, silent edits recorded, claims to be extracted again); a link to an article already stored
under the same canonical URL; a copy of one (same GUID in another feed, same text, or a
near-duplicate syndicated text) kept in ``article_copies``; or a failed/skipped entry with its
reason.
"""

from __future__ import annotations

import gzip
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import httpx

from pipelines import db
from pipelines.clean import CleanPage, clean_html
from pipelines.ids import content_hash, stable_id
from pipelines.ingest.content import decode_html, page_type_problem
from pipelines.ingest.http import FetchResult, fetch
from pipelines.ingest.politeness import Politeness
from pipelines.ingest.revisions import figure_changes
from pipelines.ingest.syndication import SyndicationIndex
from pipelines.ingest.urls import canonical_url
from pipelines.settings import Settings

log = logging.getLogger(__name__)

# Told of each article whose new text was just committed: (the connection, its article id).
OnStored = Callable[[duckdb.DuckDBPyConnection, str], None]

MAX_ATTEMPTS = 3
MIN_TEXT_CHARS = 200
MIN_GUID_CHARS = 8  # "1", "42": too short to be the globally unique id RSS asks for


@dataclass
class FetchCounts:
    stored: int = 0
    already_stored: int = 0
    revised: int = 0
    silent_edits: int = 0
    copies: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (entry_id, reason)


class PageRejected(Exception):
    """The page was fetched but cannot become an article; the message is the stored reason."""

    def __init__(self, reason: str, status: str = "failed", next_attempt_at: datetime | None = None,
                 count_attempt: bool = True) -> None:
        super().__init__(reason)
        self.status = status
        self.next_attempt_at = next_attempt_at
        self.count_attempt = count_attempt


def fetch_pending(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    client: httpx.Client | None = None,
    limit: int = 1000,
    now: datetime | None = None,
    gate: Politeness | None = None,
    on_stored: OnStored | None = None,
) -> FetchCounts:
    """Fetch, clean and store every pending entry (and failed ones with attempts left).
    ``on_stored(con, article_id)`` hears of each new or revised article once it is committed."""
    now = now or datetime.now(UTC)
    counts = FetchCounts()
    pending = db.rows(con, "ingest/pending_entries", {"max_attempts": MAX_ATTEMPTS, "limit": limit, "now": now})
    index = SyndicationIndex.load(con, settings.syndication_threshold, settings.syndication_window_days, now)

    to_fetch: list[dict[str, Any]] = []
    for entry in pending:
        if _already_known(con, entry, counts, now):
            continue
        to_fetch.append(entry)

    workers = max(settings.fetch_workers, 1)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-fetch") as pool:
        window: deque[tuple[dict[str, Any], Future[FetchResult]]] = deque()
        queue = deque(to_fetch)

        def submit() -> None:
            while queue and len(window) < 2 * workers:
                entry = queue.popleft()
                window.append((entry, pool.submit(fetch, entry["link"], settings, client=client, gate=gate)))

        submit()
        while window:
            entry, future = window.popleft()
            response = future.result()
            stored = _settle(con, entry, response, settings, now, index, counts)
            if stored is not None and on_stored is not None:
                on_stored(con, stored)
            del response  # the body can be megabytes; do not keep it while the next one arrives
            submit()
    return counts


def _already_known(con: duckdb.DuckDBPyConnection, entry: dict[str, Any], counts: FetchCounts, now: datetime) -> bool:
    """Link an entry to an article stored under its URL or GUID without fetching; True if done."""
    if entry["article_id"]:
        return False  # a re-fetch of a stored article the feed says was updated
    known_id = stable_id(entry["canonical_url"] or canonical_url(entry["link"]))
    if db.rows(con, "ingest/article_exists", {"article_id": known_id}):
        # The same page already came in through another feed or entry: link, do not refetch.
        _mark(con, entry["entry_id"], "stored", None, known_id)
        counts.already_stored += 1
        return True
    original = _guid_original(con, entry)
    if original:
        _link_copy(con, entry, original, "guid", None, None, entry["link"], None, now)
        counts.copies += 1
        return True
    return False


def _settle(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, Any],
    response: FetchResult,
    settings: Settings,
    now: datetime,
    index: SyndicationIndex,
    counts: FetchCounts,
) -> str | None:
    """Store or reject one fetched page and count it; the article's id when it stored new text (a
    new article or a revision), else None."""
    try:
        outcome = _store(con, entry, response, settings, now, index)
    except PageRejected as exc:
        _mark(con, entry["entry_id"], exc.status, str(exc), None, exc.next_attempt_at, exc.count_attempt)
        if exc.status == "skipped":
            counts.skipped += 1
        elif exc.status == "pending":
            counts.deferred += 1
        else:
            counts.failed += 1
            counts.failures.append((entry["entry_id"], str(exc)))
        log.info("entry %s %s: %s (%s)", entry["entry_id"], exc.status, exc, entry["link"])
        return None
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
        reason = f"{type(exc).__name__}: {exc}"
        _mark(con, entry["entry_id"], "failed", reason, None)
        counts.failed += 1
        counts.failures.append((entry["entry_id"], reason))
        log.warning("entry %s failed unexpectedly: %s (%s)", entry["entry_id"], reason, entry["link"])
        return None
    kind, edits, article_id = outcome
    if kind == "new":
        counts.stored += 1
    elif kind == "revised":
        counts.revised += 1
        counts.silent_edits += edits
    elif kind == "copy":
        counts.copies += 1
    else:
        counts.already_stored += 1
    return article_id if kind in {"new", "revised"} else None


def _store(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, Any],
    response: FetchResult,
    settings: Settings,
    now: datetime,
    index: SyndicationIndex,
) -> tuple[str, int, str]:
    """Store one fetched page; return (new | revised | same | copy, silent edits found, the article's id)."""
    _check_response(response, now)
    problem = page_type_problem(response.content_type, response.body)
    if problem:
        raise PageRejected(problem)
    decoded = decode_html(response.body, response.charset)
    page = clean_html(decoded.text, url=response.final_url)
    _check(page, settings)

    canonical = canonical_url(response.final_url)
    article_id = stable_id(canonical)
    text_hash = content_hash(page.text)
    row = {
        "article_id": article_id,
        "url": response.final_url,
        "canonical_url": canonical,
        "feed_name": entry["feed_name"],
        "publisher": page.sitename or entry["feed_name"],
        "title": page.title or entry["title"],
        "author": page.author,
        # The feed's date is what the outlet declares for the item; the page's is a guess by
        # htmldate and only a fallback.
        "published": entry["published"] or page.published,
        "language": page.language,
        "text": page.text,
        "content_hash": text_hash,
        "raw_html_gz": gzip.compress(response.body),
        "fetched_at": now,
        "encoding": decoded.encoding,
        "ingest_note": decoded.note,
    }
    con.execute("BEGIN TRANSACTION")
    try:
        stored = db.rows(con, "ingest/article_state", {"article_id": article_id})
        if stored:
            outcome = _revise(con, stored[0], row, now) if stored[0]["content_hash"] != text_hash else ("same", 0)
            _mark(con, entry["entry_id"], "stored", None, article_id)
        else:
            copy = _copy_of(con, entry, text_hash, page.text, index)
            if copy:
                original, method, score = copy
                _link_copy(con, entry, original, method, score, row, response.final_url, text_hash, now)
                outcome = ("copy", 0)
            else:
                db.run(con, "ingest/upsert_article", {k: v for k, v in row.items()})
                db.run(con, "ingest/insert_version", {
                    "article_id": article_id, "version": 1, "content_hash": text_hash,
                    "title": row["title"], "text": page.text, "fetched_at": now,
                })
                _mark(con, entry["entry_id"], "stored", None, article_id)
                outcome = ("new", 0)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    if outcome[0] == "new":
        index.add(article_id, page.text)
    return outcome[0], outcome[1], article_id


def _check_response(response: FetchResult, now: datetime) -> None:
    if response.failure == "host_backoff":
        # Not tried: the host asked everyone to wait. Stays pending, no attempt used.
        raise PageRejected(f"fetch: {response.error}", status="pending", count_attempt=False)
    if response.failure == "robots":
        raise PageRejected(f"fetch: {response.error}", status="skipped")
    if response.error is not None:
        later = now + timedelta(seconds=response.retry_after) if response.retry_after is not None else None
        raise PageRejected(f"fetch: {response.error}", next_attempt_at=later)
    if not response.ok:
        raise PageRejected(f"fetch: unexpected HTTP {response.status}")


def _copy_of(
    con: duckdb.DuckDBPyConnection, entry: dict[str, Any], text_hash: str, text: str, index: SyndicationIndex
) -> tuple[str, str, float | None] | None:
    """(original article id, method, similarity) when this new page copies a stored article."""
    original = _guid_original(con, entry)
    if original:
        return original, "guid", None
    same = db.rows(con, "ingest/article_by_hash", {"content_hash": text_hash})
    if same:
        return same[0]["article_id"], "content_hash", 1.0
    near = index.original_of(text)
    if near:
        return near[0], "near_duplicate", round(near[1], 4)
    return None


def _guid_original(con: duckdb.DuckDBPyConnection, entry: dict[str, Any]) -> str | None:
    guid = entry.get("guid")
    if not guid or len(guid) < MIN_GUID_CHARS or guid.isdigit():
        return None
    found = db.rows(con, "ingest/article_by_guid", {"guid": guid, "entry_id": entry["entry_id"]})
    return found[0]["article_id"] if found else None


def _link_copy(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, Any],
    original: str,
    method: str,
    score: float | None,
    row: dict[str, Any] | None,
    url: str,
    text_hash: str | None,
    now: datetime,
) -> None:
    db.run(con, "ingest/insert_copy", {
        "copy_id": stable_id(canonical_url(url)),
        "original_id": original,
        "url": url,
        "feed_name": entry["feed_name"],
        "publisher": row["publisher"] if row else entry["feed_name"],
        "title": row["title"] if row else entry["title"],
        "published": entry["published"],
        "method": method,
        "similarity": score,
        "content_hash": text_hash,
        "found_at": now,
    })
    _mark(con, entry["entry_id"], "duplicate", f"copy of article {original} ({method})", original)


def _revise(con: duckdb.DuckDBPyConnection, stored: dict[str, Any], row: dict[str, Any], now: datetime) -> tuple[str, int]:
    """Store a changed text as the next version and record figures that changed."""
    old_version = int(stored["version"])
    version = old_version + 1
    article_id = stored["article_id"]
    db.run(con, "ingest/insert_version", {
        "article_id": article_id, "version": version, "content_hash": row["content_hash"],
        "title": row["title"], "text": row["text"], "fetched_at": now,
    })
    db.run(con, "ingest/revise_article", {
        "article_id": article_id, "url": row["url"], "title": row["title"], "text": row["text"],
        "content_hash": row["content_hash"], "raw_html_gz": row["raw_html_gz"], "fetched_at": now,
        "version": version, "encoding": row["encoding"], "ingest_note": row["ingest_note"],
    })
    changes = figure_changes(stored["text"], row["text"])
    for change in changes:
        edit_id = stable_id(article_id, old_version, version, change.old_sentence, change.new_sentence)
        db.run(con, "ingest/insert_silent_edit", {
            "edit_id": edit_id, "article_id": article_id, "from_version": old_version, "to_version": version,
            "old_sentence": change.old_sentence, "new_sentence": change.new_sentence,
            "old_figures": list(change.old_figures), "new_figures": list(change.new_figures), "detected_at": now,
        })
        db.run(con, "ingest/insert_operator_alert", {
            "alert_id": edit_id,
            "kind": "silent_edit",
            "subject": f"newswatch: silent edit in {row['publisher']}: {row['title']}",
            "body": (
                f"{row['url']} changed a figure between version {old_version} and {version} without notice.\n\n"
                f"Before: {change.old_sentence}\nAfter:  {change.new_sentence}\n"
            ),
            "created_at": now,
        })
    log.info("article %s revised to version %d (%d silent edits)", article_id, version, len(changes))
    return "revised", len(changes)


def _check(page: CleanPage, settings: Settings) -> None:
    if len(page.text) < MIN_TEXT_CHARS:
        raise PageRejected(f"clean text too short: {len(page.text)} < {MIN_TEXT_CHARS} characters")
    languages = settings.language_set
    if page.language and languages and page.language not in languages:
        # Not an error: the page is fine, just outside what the extractor handles. Not retried.
        raise PageRejected(f"language {page.language!r} not in {sorted(languages)}", status="skipped")


def _mark(
    con: duckdb.DuckDBPyConnection,
    entry_id: str,
    status: str,
    error: str | None,
    article_id: str | None,
    next_attempt_at: datetime | None = None,
    count_attempt: bool = True,
) -> None:
    db.run(
        con,
        "ingest/mark_entry",
        {"entry_id": entry_id, "status": status, "error": error, "article_id": article_id,
         "next_attempt_at": next_attempt_at, "count_attempt": count_attempt},
    )
