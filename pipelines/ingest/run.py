"""The ingest stage: sync feeds from the feeds file, poll each feed, fetch and store new pages."""

from __future__ import annotations

import logging
import time

from pipelines import db
from pipelines.ingest.feeds_config import load_feeds
from pipelines.ingest.fetch_articles import fetch_pending
from pipelines.ingest.http import make_client
from pipelines.ingest.poll import poll_feed, sync_feeds
from pipelines.models import StageCounts
from pipelines.settings import Settings

log = logging.getLogger(__name__)


def run_ingest(settings: Settings) -> StageCounts:
    """One ingest run over every feed in ``settings.feeds``; returns the counts for the task log."""
    started = time.perf_counter()
    feeds = load_feeds(settings.feeds)
    counts: dict[str, int | float] = {
        "feeds_polled": 0,
        "not_modified": 0,
        "bozo": 0,
        "failed_feeds": 0,
        "entries_new": 0,
        "articles_stored": 0,
        "pages_failed": 0,
    }
    with db.session(settings.database) as con, make_client(settings) as client:
        sync_feeds(con, feeds)
        for feed in feeds:
            result = poll_feed(con, feed, settings, client=client)
            counts["feeds_polled"] += 1
            counts["entries_new"] += result.entries_new
            if result.status == "not_modified":
                counts["not_modified"] += 1
            if result.bozo:
                counts["bozo"] += 1
            if not result.success:
                counts["failed_feeds"] += 1
                log.warning("feed %s: %s (%s)", feed.name, result.status, result.error)
        # Pending entries include earlier runs' failures with attempts left, not just this run's.
        pages = fetch_pending(con, settings, client=client)
        counts["articles_stored"] = pages.stored
        counts["pages_failed"] = pages.failed
    counts["elapsed_s"] = round(time.perf_counter() - started, 3)
    stage = StageCounts(stage="ingest", counts=counts)
    log.info(stage.line())
    return stage
