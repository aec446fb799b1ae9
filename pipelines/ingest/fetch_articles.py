"""Fetch the pages of pending feed entries, clean them and store them as articles.

Pages are fetched by worker threads (network only) and stored by the calling thread, in the
entries' publication order, so the DuckDB connection is never shared and the first outlet to
publish a syndicated story is its original. At most ``3 * fetch_workers`` fetched bodies wait in
memory at once.

Pages are stored in groups (the ones fetched by the time the first is due, at most
``fetch_workers``): one query per lookup and one statement per table for the whole group, in one
transaction, instead of a handful of statements and a commit per page (which cost more CPU than
cleaning the page). The decisions are the ones storing page by page makes: each page is judged
after the earlier ones, and a page that meets one of its own group's pages (same URL, text or
GUID) or an article already stored (a re-fetch: same text or a revision) is stored on its own,
after what the group decided before it. If the group's transaction fails, its pages are stored one
by one, so one bad page still fails alone.

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
from functools import partial
from typing import Any

import duckdb
import httpx
import pandas as pd

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

# Told of the articles whose new text was just committed, in page order: (the connection, their ids).
OnStored = Callable[[duckdb.DuckDBPyConnection, list[str]], None]
# Told, once, how many pages are about to be fetched (none: not called).
BeforeFetch = Callable[[int], None]

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

    def add(self, other: FetchCounts) -> None:
        for name in ("stored", "already_stored", "revised", "silent_edits", "copies", "failed", "skipped", "deferred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures += other.failures


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
    before_fetch: BeforeFetch | None = None,
) -> FetchCounts:
    """Fetch, clean and store every pending entry (and failed ones with attempts left).
    ``on_stored(con, article_ids)`` hears of new or revised articles once they are committed;
    ``before_fetch(pages)`` of how many pages are to be fetched, before the first request."""
    now = now or datetime.now(UTC)
    counts = FetchCounts()
    pending = db.rows(con, "ingest/pending_entries", {"max_attempts": MAX_ATTEMPTS, "limit": limit, "now": now})
    index = SyndicationIndex.load(con, settings.syndication_threshold, settings.syndication_window_days, now)

    known = _Lookups.of_entries(con, pending)
    to_fetch: list[dict[str, Any]] = []
    for entry in pending:
        if _already_known(con, entry, counts, now, known):
            continue
        to_fetch.append(entry)

    if to_fetch and before_fetch is not None:
        before_fetch(len(to_fetch))
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
            # the first page due, and those after it that have arrived meanwhile
            group = [(window[0][0], window.popleft()[1].result())]
            while window and len(group) < workers and window[0][1].done():
                entry, future = window.popleft()
                group.append((entry, future.result()))
            submit()  # the fetchers go on while this group is stored
            _settle_group(con, group, settings, now, index, counts, on_stored)
            del group  # the bodies can be megabytes; do not keep them while the next ones arrive
    return counts


class _Lookups:
    """What the stored tables say of a group's pages, read with one query per kind: which article
    ids are stored, the stored article with each text hash, and the entries stored under each
    GUID. Valid until something is written for one of those keys (see ``_Touched``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ids: list[str], hashes: list[str], guids: list[str]) -> None:
        self.stored = {r["article_id"] for r in db.rows(con, "ingest/stored_ids", {"ids": ids})} if ids else set()
        self.by_hash = ({r["content_hash"]: r["article_id"] for r in db.rows(con, "ingest/first_by_hashes",
                                                                               {"hashes": hashes})}
                        if hashes else {})
        self.by_guid: dict[str, list[tuple[str, str]]] = {}
        self.touched = _Touched()
        for r in db.rows(con, "ingest/guid_candidates", {"guids": guids}) if guids else []:
            self.by_guid.setdefault(r["guid"], []).append((r["entry_id"], r["article_id"]))

    @classmethod
    def of_entries(cls, con: duckdb.DuckDBPyConnection, entries: list[dict[str, Any]]) -> _Lookups:
        ids = [_known_id(e) for e in entries if not e["article_id"]]
        return cls(con, ids, [], [g for e in entries if (g := _usable_guid(e))])

    def guid_original(self, entry: dict[str, Any]) -> str | None:
        """As ``_guid_original``: the article of the earliest other entry stored under this GUID."""
        guid = _usable_guid(entry)
        if guid is None:
            return None
        return next((article for entry_id, article in self.by_guid.get(guid, []) if entry_id != entry["entry_id"]),
                    None)


@dataclass
class _Touched:
    """Keys that this run wrote since the lookups were read: a page meeting one is judged by fresh
    queries, which see those writes."""

    ids: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    guids: set[str] = field(default_factory=set)

    def meets(self, entry: dict[str, Any], article_id: str | None = None, text_hash: str | None = None) -> bool:
        return (article_id in self.ids or text_hash in self.hashes
                or (_usable_guid(entry) or "") in self.guids)

    def add(self, entry: dict[str, Any], article_id: str | None = None, text_hash: str | None = None) -> None:
        if article_id:
            self.ids.add(article_id)
        if text_hash:
            self.hashes.add(text_hash)
        if guid := _usable_guid(entry):
            self.guids.add(guid)


def _known_id(entry: dict[str, Any]) -> str:
    return stable_id(entry["canonical_url"] or canonical_url(entry["link"]))


def _usable_guid(entry: dict[str, Any]) -> str | None:
    guid = entry.get("guid")
    if not guid or len(guid) < MIN_GUID_CHARS or guid.isdigit():
        return None
    return str(guid)


def _already_known(con: duckdb.DuckDBPyConnection, entry: dict[str, Any], counts: FetchCounts, now: datetime,
                   known: _Lookups) -> bool:
    """Link an entry to an article stored under its URL or GUID without fetching; True if done.
    ``known`` holds the lookups of every pending entry; an entry whose GUID an earlier one was just
    linked under asks the tables again."""
    if entry["article_id"]:
        return False  # a re-fetch of a stored article the feed says was updated
    known_id = _known_id(entry)
    if known_id in known.stored:  # no article is stored while entries are linked, so this holds
        # The same page already came in through another feed or entry: link, do not refetch.
        _mark(con, entry["entry_id"], "stored", None, known_id)
        counts.already_stored += 1
        known.touched.add(entry)
        return True
    original = _guid_original(con, entry) if known.touched.meets(entry) else known.guid_original(entry)
    if original:
        _link_copy(con, entry, _copy_row(entry, original, "guid", None, None, entry["link"], None, now))
        counts.copies += 1
        known.touched.add(entry)
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
    row: dict[str, Any] | None = None,
) -> str | None:
    """Store or reject one fetched page and count it; the article's id when it stored new text (a
    new article or a revision), else None."""
    try:
        outcome = _store(con, entry, response, settings, now, index, row)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
        level, message, args = _reject(entry, exc, partial(_mark, con), counts)
        log.log(level, message, *args)
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


def _prepare(entry: dict[str, Any], response: FetchResult, settings: Settings, now: datetime) -> dict[str, Any]:
    """The ``articles`` row of one fetched page (no database); raises ``PageRejected``."""
    _check_response(response, now)
    problem = page_type_problem(response.content_type, response.body)
    if problem:
        raise PageRejected(problem)
    decoded = decode_html(response.body, response.charset)
    page = clean_html(decoded.text, url=response.final_url)
    _check(page, settings)

    canonical = canonical_url(response.final_url)
    return {
        "article_id": stable_id(canonical),
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
        "content_hash": content_hash(page.text),
        "raw_html_gz": gzip.compress(response.body),
        "fetched_at": now,
        "encoding": decoded.encoding,
        "ingest_note": decoded.note,
    }


def _store(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, Any],
    response: FetchResult,
    settings: Settings,
    now: datetime,
    index: SyndicationIndex,
    row: dict[str, Any] | None = None,
) -> tuple[str, int, str]:
    """Store one fetched page (``row``: its ``_prepare``d row, when already made) in a transaction
    of its own; return (new | revised | same | copy, silent edits found, the article's id)."""
    row = row or _prepare(entry, response, settings, now)
    article_id, text_hash = row["article_id"], row["content_hash"]
    con.execute("BEGIN TRANSACTION")
    try:
        stored = db.rows(con, "ingest/article_state", {"article_id": article_id})
        if stored:
            outcome = _revise(con, stored[0], row, now) if stored[0]["content_hash"] != text_hash else ("same", 0)
            _mark(con, entry["entry_id"], "stored", None, article_id)
        else:
            copy = _copy_of(con, entry, text_hash, row["text"], index)
            if copy:
                original, method, score = copy
                _link_copy(con, entry, _copy_row(entry, original, method, score, row, row["url"], text_hash, now))
                outcome = ("copy", 0)
            else:
                db.run(con, "ingest/upsert_article", {k: v for k, v in row.items()})
                db.run(con, "ingest/insert_version", {
                    "article_id": article_id, "version": 1, "content_hash": text_hash,
                    "title": row["title"], "text": row["text"], "fetched_at": now,
                })
                _mark(con, entry["entry_id"], "stored", None, article_id)
                outcome = ("new", 0)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    if outcome[0] == "new":
        index.add(article_id, row["text"])
    return outcome[0], outcome[1], article_id


NEW_ARTICLE_COLUMNS = ["article_id", "url", "canonical_url", "feed_name", "publisher", "title", "author", "published",
                       "language", "text", "content_hash", "raw_html_gz", "fetched_at", "encoding", "ingest_note"]
COPY_COLUMNS = ["copy_id", "original_id", "url", "feed_name", "publisher", "title", "published", "method",
                "similarity", "content_hash", "found_at"]
MARK_COLUMNS = ["entry_id", "status", "error", "article_id", "next_attempt_at", "count_attempt"]
GROUP_STATEMENTS = ["ingest/insert_articles_batch", "ingest/insert_versions_batch", "ingest/insert_copies_batch",
                    "ingest/mark_entries_batch"]


@dataclass
class _GroupWrites:
    """Pages of a group decided but not written yet: their rows for one statement per table."""

    pages: list[tuple[dict[str, Any], FetchResult]] = field(default_factory=list)  # to store one by one on failure
    articles: list[dict[str, Any]] = field(default_factory=list)
    copies: list[dict[str, Any]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    counts: FetchCounts = field(default_factory=FetchCounts)
    logs: list[tuple[int, str, tuple[Any, ...]]] = field(default_factory=list)

    def mark(self, entry_id: str, status: str, error: str | None, article_id: str | None,
             next_attempt_at: datetime | None = None, count_attempt: bool = True) -> None:
        self.marks.append({"entry_id": entry_id, "status": status, "error": error, "article_id": article_id,
                           "next_attempt_at": next_attempt_at, "count_attempt": count_attempt})

    def frames(self) -> dict[str, pd.DataFrame]:
        def frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
            data = pd.DataFrame.from_records([[r[c] for c in columns] for r in rows], columns=columns)
            data["position"] = range(len(data))
            return data

        return {"batch_new_articles": frame(self.articles, NEW_ARTICLE_COLUMNS),
                "batch_copies": frame(self.copies, COPY_COLUMNS),
                "batch_entry_marks": frame(self.marks, MARK_COLUMNS)}


def _settle_group(
    con: duckdb.DuckDBPyConnection,
    group: list[tuple[dict[str, Any], FetchResult]],
    settings: Settings,
    now: datetime,
    index: SyndicationIndex,
    counts: FetchCounts,
    on_stored: OnStored | None,
) -> None:
    """Store or reject a group of fetched pages, in order, as storing them one by one would (see
    the module's docstring), and tell ``on_stored`` of the new texts once they are committed."""
    prepared: list[tuple[dict[str, Any], FetchResult, dict[str, Any] | Exception]] = []
    for entry, response in group:
        try:
            prepared.append((entry, response, _prepare(entry, response, settings, now)))
        except Exception as exc:  # noqa: BLE001 - judged below, as _settle judges it
            prepared.append((entry, response, exc))
    rows = [row for _, _, row in prepared if isinstance(row, dict)]
    known = _Lookups(con, [r["article_id"] for r in rows], [r["content_hash"] for r in rows],
                     [g for e, _, row in prepared if isinstance(row, dict) and (g := _usable_guid(e))])
    writes = _GroupWrites()

    def flush() -> None:
        nonlocal writes
        _write_group(con, writes, settings, now, index, counts, on_stored)
        writes = _GroupWrites()

    for entry, response, row in prepared:
        if isinstance(row, Exception):
            writes.pages.append((entry, response))
            writes.logs.append(_reject(entry, row, writes.mark, writes.counts))  # logged once written
            continue
        article_id, text_hash = row["article_id"], row["content_hash"]
        if article_id in known.stored or known.touched.meets(entry, article_id, text_hash):
            # a re-fetch, or a page meeting one this group wrote: on its own, after the ones before it
            flush()
            stored = _settle(con, entry, response, settings, now, index, counts, row)
            if stored is not None and on_stored is not None:
                on_stored(con, [stored])
        else:
            writes.pages.append((entry, response))
            copy = _group_copy_of(entry, row, known, index)
            if copy:
                original, method, score = copy
                writes.copies.append(_copy_row(entry, original, method, score, row, row["url"], text_hash, now))
                writes.mark(entry["entry_id"], "duplicate", _copy_note(writes.copies[-1]), original)
                writes.counts.copies += 1
            else:
                writes.articles.append(row)
                writes.mark(entry["entry_id"], "stored", None, article_id)
                writes.counts.stored += 1
                index.add(article_id, row["text"])  # later pages of the group are compared with it
        known.touched.add(entry, article_id, text_hash)
    flush()


def _group_copy_of(entry: dict[str, Any], row: dict[str, Any], known: _Lookups,
                   index: SyndicationIndex) -> tuple[str, str, float | None] | None:
    """As ``_copy_of``, from the group's lookups."""
    original = known.guid_original(entry)
    if original:
        return original, "guid", None
    same = known.by_hash.get(row["content_hash"])
    if same:
        return same, "content_hash", 1.0
    near = index.original_of(row["text"])
    if near:
        return near[0], "near_duplicate", round(near[1], 4)
    return None


def _reject(entry: dict[str, Any], exc: Exception, mark: Callable[..., None],
            counts: FetchCounts) -> tuple[int, str, tuple[Any, ...]]:
    """Mark and count a page that cannot be stored; returns its log line (level, message, args).
    A ``PageRejected`` carries its status and reason; anything else is a failure nobody expected."""
    if isinstance(exc, PageRejected):
        mark(entry["entry_id"], exc.status, str(exc), None, exc.next_attempt_at, exc.count_attempt)
        if exc.status == "skipped":
            counts.skipped += 1
        elif exc.status == "pending":
            counts.deferred += 1
        else:
            counts.failed += 1
            counts.failures.append((entry["entry_id"], str(exc)))
        return logging.INFO, "entry %s %s: %s (%s)", (entry["entry_id"], exc.status, exc, entry["link"])
    reason = f"{type(exc).__name__}: {exc}"
    mark(entry["entry_id"], "failed", reason, None)
    counts.failed += 1
    counts.failures.append((entry["entry_id"], reason))
    return logging.WARNING, "entry %s failed unexpectedly: %s (%s)", (entry["entry_id"], reason, entry["link"])


def _write_group(
    con: duckdb.DuckDBPyConnection,
    writes: _GroupWrites,
    settings: Settings,
    now: datetime,
    index: SyndicationIndex,
    counts: FetchCounts,
    on_stored: OnStored | None,
) -> None:
    """Write what the group decided in one transaction; if that fails, store its pages one by one."""
    if not writes.pages:
        return
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            with db.registered(con, writes.frames()):
                for name in GROUP_STATEMENTS:
                    db.run(con, name)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    except Exception:  # noqa: BLE001 - retried page by page, where a bad page fails alone
        log.warning("storing a group of %d page(s) in one transaction failed; storing them one by one", len(writes.pages), exc_info=True)
        for row in writes.articles:
            index.forget(row["article_id"])
        stored_ids = [s for entry, response in writes.pages
                      if (s := _settle(con, entry, response, settings, now, index, counts)) is not None]
    else:
        log.debug("stored a group of %d page(s) in one transaction", len(writes.pages))
        for level, message, args in writes.logs:
            log.log(level, message, *args)
        counts.add(writes.counts)
        stored_ids = [row["article_id"] for row in writes.articles]
    if stored_ids and on_stored is not None:
        on_stored(con, stored_ids)


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
    guid = _usable_guid(entry)
    if guid is None:
        return None
    found = db.rows(con, "ingest/article_by_guid", {"guid": guid, "entry_id": entry["entry_id"]})
    return found[0]["article_id"] if found else None


def _copy_row(
    entry: dict[str, Any],
    original: str,
    method: str,
    score: float | None,
    row: dict[str, Any] | None,
    url: str,
    text_hash: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
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
    }


def _copy_note(copy: dict[str, Any]) -> str:
    """What an entry linked as a copy says about it (its ``fetch_error``)."""
    return f"copy of article {copy['original_id']} ({copy['method']})"


def _link_copy(con: duckdb.DuckDBPyConnection, entry: dict[str, Any], copy: dict[str, Any]) -> None:
    """Store a ``_copy_row`` and mark its entry as that copy."""
    db.run(con, "ingest/insert_copy", copy)
    _mark(con, entry["entry_id"], "duplicate", _copy_note(copy), copy["original_id"])


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
