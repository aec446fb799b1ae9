"""Fetch the pages of pending feed entries, clean them and store them as articles."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import httpx
from trafilatura.utils import decode_file

from pipelines import db
from pipelines.clean import CleanPage, clean_html
from pipelines.ids import content_hash, stable_id
from pipelines.ingest.http import fetch
from pipelines.ingest.urls import canonical_url
from pipelines.settings import Settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MIN_TEXT_CHARS = 200
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass
class FetchCounts:
    stored: int = 0
    already_stored: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (entry_id, reason)


class PageRejected(Exception):
    """The page was fetched but cannot become an article; the message is the stored reason."""

    def __init__(self, reason: str, status: str = "failed") -> None:
        super().__init__(reason)
        self.status = status


def fetch_pending(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    client: httpx.Client | None = None,
    limit: int = 1000,
    now: datetime | None = None,
) -> FetchCounts:
    """Fetch, clean and store every pending entry (and failed ones with attempts left)."""
    counts = FetchCounts()
    pending = db.rows(con, "ingest/pending_entries", {"max_attempts": MAX_ATTEMPTS, "limit": limit})
    for entry in pending:
        try:
            article_id, was_new = _store_entry(con, entry, settings, client, now or datetime.now(UTC))
        except PageRejected as exc:
            _mark(con, entry["entry_id"], exc.status, str(exc), None)
            if exc.status == "skipped":
                counts.skipped += 1
            else:
                counts.failed += 1
                counts.failures.append((entry["entry_id"], str(exc)))
            log.info("entry %s %s: %s (%s)", entry["entry_id"], exc.status, exc, entry["link"])
            continue
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
            reason = f"{type(exc).__name__}: {exc}"
            _mark(con, entry["entry_id"], "failed", reason, None)
            counts.failed += 1
            counts.failures.append((entry["entry_id"], reason))
            log.warning("entry %s failed unexpectedly: %s (%s)", entry["entry_id"], reason, entry["link"])
            continue
        if was_new:
            counts.stored += 1
        else:
            counts.already_stored += 1
    return counts


def _store_entry(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, Any],
    settings: Settings,
    client: httpx.Client | None,
    now: datetime,
) -> tuple[str, bool]:
    """Fetch and store one entry's page; return (article_id, whether the article is new)."""
    known_id = stable_id(entry["canonical_url"] or canonical_url(entry["link"]))
    if db.rows(con, "ingest/article_exists", {"article_id": known_id}):
        # The same page already came in through another feed or entry: link, do not refetch.
        _mark(con, entry["entry_id"], "stored", None, known_id)
        return known_id, False

    response = fetch(entry["link"], settings, client=client)
    if response.error is not None:
        raise PageRejected(f"fetch: {response.error}")
    if not response.ok:
        raise PageRejected(f"fetch: unexpected HTTP {response.status}")
    if response.content_type not in _HTML_TYPES:
        raise PageRejected(f"not an HTML page: {response.content_type}")

    html = decode_file(response.body)
    page = clean_html(html, url=response.final_url)
    _check(page, settings)

    canonical = canonical_url(response.final_url)
    article_id = stable_id(canonical)
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
        "content_hash": content_hash(page.text),
        "raw_html_gz": gzip.compress(response.body),
        "fetched_at": now,
    }
    con.execute("BEGIN TRANSACTION")
    try:
        was_new = not db.rows(con, "ingest/article_exists", {"article_id": article_id})
        db.run(con, "ingest/upsert_article", row)
        _mark(con, entry["entry_id"], "stored", None, article_id)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return article_id, was_new


def _check(page: CleanPage, settings: Settings) -> None:
    if len(page.text) < MIN_TEXT_CHARS:
        raise PageRejected(f"clean text too short: {len(page.text)} < {MIN_TEXT_CHARS} characters")
    languages = settings.language_set
    if page.language and languages and page.language not in languages:
        # Not an error: the page is fine, just outside what the extractor handles. Not retried.
        raise PageRejected(f"language {page.language!r} not in {sorted(languages)}", status="skipped")


def _mark(
    con: duckdb.DuckDBPyConnection, entry_id: str, status: str, error: str | None, article_id: str | None
) -> None:
    db.run(
        con,
        "ingest/mark_entry",
        {"entry_id": entry_id, "status": status, "error": error, "article_id": article_id},
    )
