"""Feeds and pages not contacted because their origin is backing off say so: the reason per feed in
v_feed_health and a count of deferred pages in the ingest line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ingest_pipeline import FeedServer, make_settings, query, rss, serve_standard

from pipelines.ingest.run import run_ingest


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


def test_feeds_and_pages_deferred_by_a_backing_off_origin_are_recorded(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    feed_server.files["/feed2.xml"] = ("application/rss+xml", rss(feed_server.base, [("second", "w2-1", None)]))
    feed_server.statuses["/articles/harbour-talks.html"] = (429, {"Retry-After": "600"})
    # one request at a time, so the 429 arrives before the next page is asked for
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"}, fetch_workers=1, host_concurrency=1)

    first = run_ingest(settings)
    assert first.counts["pages_deferred"] == 2  # the two pages after the 429, on the same origin
    assert "pages_deferred=2" in first.line()  # the ingest line says so

    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml", "other-wire": "/feed2.xml"},
                             fetch_workers=1, host_concurrency=1)
    second = run_ingest(settings).counts
    assert second["feeds_deferred"] == 2 and second["feeds_polled"] == 0
    assert [p for p, _ in feed_server.log].count("/feed2.xml") == 0  # not contacted

    health = dict(query(settings, "SELECT feed_name, deferred FROM v_feed_health"))
    for name in ("good-wire", "other-wire"):
        note = health[name]
        assert note.startswith("deferred: origin backing off until ") and note.endswith("(HTTP 429 Retry-After)"), note
