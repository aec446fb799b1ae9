"""Poll one feed: conditional GET, parse with feedparser, record new entries and the feed's health."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import feedparser
import httpx

from pipelines import db
from pipelines.ids import stable_id
from pipelines.ingest.feeds_config import FeedSource
from pipelines.ingest.http import FetchResult, fetch
from pipelines.ingest.urls import canonical_url
from pipelines.settings import Settings

# feedparser flags these as bozo although the entries it parsed are sound: a charset that differs
# from the declared one, or a feed served with an HTML/text content type.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass
class PollResult:
    feed_name: str
    status: str  # ok | not_modified | bozo | http_error | fetch_error
    http_status: int | None = None
    bozo: bool = False
    bozo_reason: str | None = None
    entries_seen: int = 0
    entries_new: int = 0
    new_entry_ids: list[str] = field(default_factory=list)
    error: str | None = None
    elapsed_ms: float = 0.0

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
) -> PollResult:
    """Poll ``feed`` once and store what was learnt; never raises for a bad feed or network error."""
    now = now or datetime.now(UTC)
    stored = db.rows(con, "ingest/get_feed", {"feed_name": feed.name})
    etag = stored[0]["etag"] if stored else None
    last_modified = stored[0]["last_modified"] if stored else None

    response = fetch(feed.url, settings, etag=etag, last_modified=last_modified, client=client)
    result, entries = interpret(feed.name, response)

    con.execute("BEGIN TRANSACTION")
    try:
        for entry in entries:
            inserted = db.run(
                con,
                "ingest/insert_entry",
                {
                    "entry_id": entry.entry_id,
                    "feed_name": feed.name,
                    "guid": entry.guid,
                    "link": entry.link,
                    "canonical_url": entry.canonical_url,
                    "title": entry.title,
                    "published": entry.published,
                    "first_seen_at": now,
                },
            ).fetchall()
            if inserted:
                result.new_entry_ids.append(entry.entry_id)
        result.entries_new = len(result.new_entry_ids)
        _record(con, feed.name, result, response, etag, last_modified, now)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result


def interpret(feed_name: str, response: FetchResult) -> tuple[PollResult, list[FeedEntry]]:
    """Turn a fetch into a poll outcome and the feed's entries (pure: no database)."""
    result = PollResult(feed_name, "ok", http_status=response.status, elapsed_ms=response.elapsed_ms)
    if response.not_modified:
        result.status = "not_modified"
        return result, []
    if response.error is not None:
        result.status = "http_error" if response.status is not None else "fetch_error"
        result.error = response.error
        return result, []

    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-type": response.headers.get("content-type", ""),
            # Lets feedparser resolve relative links against where the feed really came from.
            "content-location": response.final_url,
        },
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

    entries = _entries(feed_name, parsed.get("entries", []))
    result.entries_seen = len(entries)
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
                published=_entry_time(raw),
            ),
        )
    return list(entries.values())


def _entry_time(raw: Any) -> datetime | None:
    # feedparser gives UTC struct_time values; timegm keeps them in UTC.
    for key in ("published_parsed", "updated_parsed"):
        value = raw.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _record(
    con: duckdb.DuckDBPyConnection,
    feed_name: str,
    result: PollResult,
    response: FetchResult,
    old_etag: str | None,
    old_last_modified: str | None,
    now: datetime,
) -> None:
    if result.status == "ok":
        # A 200 replaces the validators, including clearing ones the server stopped sending.
        etag, last_modified = response.etag, response.last_modified
    elif result.status == "not_modified":
        etag, last_modified = response.etag or old_etag, response.last_modified or old_last_modified
    else:
        # Never keep validators from a response we could not use, or the next poll would get a 304
        # for a document we never read.
        etag, last_modified = old_etag, old_last_modified
    db.run(
        con,
        "ingest/record_poll",
        {
            "poll_id": stable_id(feed_name, now.isoformat()),
            "feed_name": feed_name,
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
    db.run(
        con,
        "ingest/update_feed_after_poll",
        {
            "feed_name": feed_name,
            "etag": etag,
            "last_modified": last_modified,
            "status": result.status,
            "http_status": result.http_status,
            "error": result.error,
            "polled_at": now,
            "success": result.success,
            "not_modified": 1 if result.status == "not_modified" else 0,
        },
    )
