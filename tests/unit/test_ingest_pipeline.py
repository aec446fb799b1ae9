"""The ingest stage end to end: a real feed server on 127.0.0.1 and a real DuckDB file."""

import gzip
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipelines import db
from pipelines.ingest.run import run_ingest
from pipelines.settings import Settings

STORIES = {
    "harbour-talks": (
        "Harbour talks end after two hours",
        [
            "Delegations from the two coastal provinces met for roughly two hours on Monday in a "
            "conference hall beside the ferry terminal, according to officials from both sides.",
            "The provinces agreed to release 45 detained fishermen each before the end of the month, "
            "a spokesperson for the mediators told reporters outside the hall after the meeting.",
            "No date was set for a further meeting, and both delegations left without taking "
            "questions about the disputed fishing grounds that started the quarrel last spring.",
        ],
    ),
    "bridge-closure": (
        "Old bridge closes for inspection",
        [
            "The city council closed the old stone bridge to traffic on Tuesday after engineers found "
            "cracks in two of its five arches during a routine survey last week.",
            "Buses that normally cross the river there will take a detour of about four kilometres, "
            "the transport office said, adding that the closure could last until the autumn.",
            "Shop owners near the bridge said they feared losing customers and asked the council to "
            "publish the engineers' report so that residents could see how serious the damage is.",
        ],
    ),
    "market-fire": (
        "Fire at covered market contained",
        [
            "Firefighters contained a blaze at the covered market on Thursday evening after about three "
            "hours, the regional fire service said, and nobody was hurt in the incident.",
            "Twelve stalls on the eastern side of the hall were destroyed, according to the market's "
            "manager, who said traders would be offered space in the car park from next week.",
            "Investigators have not yet said what caused the fire, which started shortly after the last "
            "customers had left and sent a column of smoke over the old town for most of the night.",
        ],
    ),
}


def article_html(slug: str, site: str | None = "Coastal Ledger", date_meta: str | None = None) -> bytes:
    title, paragraphs = STORIES[slug]
    head = f"<title>{title}</title>"
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    if date_meta:
        head += f'<meta property="article:published_time" content="{date_meta}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="en"><head>{head}</head><body><nav>Home | Region</nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>All rights reserved.</footer></body></html>"
    )
    return html.encode("utf-8")


def rss(base: str, items: list[tuple[str, str | None, str | None]]) -> bytes:
    """items: (slug, guid, pubDate)."""
    parts = []
    for slug, guid, pub in items:
        parts.append(
            "<item>"
            f"<title>{slug}</title><link>{base}/articles/{slug}.html</link>"
            + (f"<guid isPermaLink='false'>{guid}</guid>" if guid else "")
            + (f"<pubDate>{pub}</pubDate>" if pub else "")
            + "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Test wire</title><link>{base}/</link><description>made up</description>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode("utf-8")


class FeedServer:
    """Serves files from ``self.files`` (path -> (content type, body)), with ETag and 304 support."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.statuses: dict[str, tuple[int, dict[str, str]]] = {}  # path -> (error status, headers)
        self.delays: dict[str, float] = {}  # path -> seconds to wait before answering
        self.log: list[tuple[str, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                time.sleep(outer.delays.get(self.path, 0.0))
                if self.path in outer.statuses:
                    status, headers = outer.statuses[self.path]
                    outer.log.append((self.path, status))
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                found = outer.files.get(self.path)
                if found is None:
                    outer.log.append((self.path, 404))
                    self.send_error(404)
                    return
                ctype, body = found
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    outer.log.append((self.path, 304))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                outer.log.append((self.path, 200))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


def make_settings(tmp_path: Path, server: FeedServer, feeds: dict[str, str], **overrides: Any) -> Settings:
    lines = ["feeds:"]
    for name, path in feeds.items():
        lines += [f"  - name: {name}", f"    url: {server.base}{path}"]
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # No politeness delay and no waiting between polls: these tests run the stage back to back.
    # Scheduling has its own tests, which move the run's clock instead.
    values: dict[str, Any] = {"host_min_delay": 0, "poll_min_interval": 0, "poll_max_interval": 0, "backoff_base": 0}
    return Settings(home=tmp_path, feeds=feeds_file, allowed_hosts="127.0.0.1", **{**values, **overrides})


def query(settings: Settings, sql_text: str, params: list[Any] | None = None) -> list[tuple]:
    # Test-only inspection of the result; the code under test loads its SQL from sql/.
    with db.session(settings.database, read_only=True) as con:
        return con.execute(sql_text, params or []).fetchall()


def serve_standard(server: FeedServer) -> None:
    server.files["/feed.xml"] = (
        "application/rss+xml",
        rss(
            server.base,
            [
                ("harbour-talks", "wire-0001", "Mon, 02 Mar 2026 09:30:00 GMT"),
                ("bridge-closure", "wire-0002", "Tue, 03 Mar 2026 14:05:00 +0100"),
                ("vanished-story", "wire-0003", "Wed, 04 Mar 2026 07:00:00 GMT"),
            ],
        ),
    )
    server.files["/articles/harbour-talks.html"] = ("text/html; charset=utf-8", article_html("harbour-talks"))
    server.files["/articles/bridge-closure.html"] = ("text/html", article_html("bridge-closure", site=None))
    # "vanished-story" is not served: the server answers 404.
    server.files["/broken.xml"] = ("application/rss+xml", b"<?xml version='1.0'?><rss><channel><item><title>x</ti")


def test_ingest_stores_articles_and_is_idempotent(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml", "broken-wire": "/broken.xml"})

    first = run_ingest(settings).counts
    assert first["feeds_polled"] == 2
    assert first["entries_new"] == 3
    assert first["articles_stored"] == 2
    assert first["pages_failed"] == 1
    assert first["bozo"] == 1 and first["failed_feeds"] == 1
    assert first["not_modified"] == 0

    articles = query(
        settings,
        "SELECT url, canonical_url, feed_name, publisher, title, published, language, text, content_hash, "
        "raw_html_gz FROM articles ORDER BY published",
    )
    assert len(articles) == 2
    url, canonical, feed_name, publisher, title, published, language, text, chash, raw = articles[0]
    assert url == canonical == f"{feed_server.base}/articles/harbour-talks.html"
    assert feed_name == "good-wire"
    assert publisher == "Coastal Ledger"
    assert title == "Harbour talks end after two hours"
    assert published == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # from the feed's pubDate
    assert language == "en"
    for paragraph in STORIES["harbour-talks"][1]:
        assert paragraph in text
    assert len(chash) == 64
    assert gzip.decompress(raw) == article_html("harbour-talks")
    # No og:site_name on the second page: the feed name stands in as publisher.
    assert articles[1][3] == "good-wire"
    assert articles[1][5] == datetime(2026, 3, 3, 13, 5, tzinfo=UTC)

    entries = dict(query(settings, "SELECT guid, fetch_status FROM feed_entries"))
    assert entries == {"wire-0001": "stored", "wire-0002": "stored", "wire-0003": "failed"}
    (reason,) = query(settings, "SELECT fetch_error FROM feed_entries WHERE guid = 'wire-0003'")[0]
    assert "HTTP 404" in reason

    broken = query(settings, "SELECT last_status, consecutive_failures, last_error FROM feeds WHERE feed_name = 'broken-wire'")
    assert broken[0][0] == "bozo" and broken[0][1] == 1 and broken[0][2]
    polls = query(settings, "SELECT feed_name, status, bozo, bozo_reason, entries_seen FROM feed_polls ORDER BY feed_name")
    assert polls[0][:3] == ("broken-wire", "bozo", True)
    assert polls[0][3] and polls[0][4] == 0
    assert polls[1][:3] == ("good-wire", "ok", False) and polls[1][4] == 3

    second = run_ingest(settings).counts
    assert second["not_modified"] == 1  # the good feed answered 304 to our ETag
    assert second["entries_new"] == 0
    assert second["articles_stored"] == 0
    assert ("/feed.xml", 304) in feed_server.log
    assert query(settings, "SELECT count(*) FROM articles") == [(2,)]
    assert query(settings, "SELECT count(*) FROM feed_entries") == [(3,)]
    good = query(settings, "SELECT polls, not_modified_polls, consecutive_failures, last_status FROM feeds WHERE feed_name = 'good-wire'")
    assert good == [(2, 1, 0, "not_modified")]
    assert query(settings, "SELECT consecutive_failures FROM feeds WHERE feed_name = 'broken-wire'") == [(2,)]
    # Pages already stored are not fetched again.
    assert [p for p, _ in feed_server.log].count("/articles/harbour-talks.html") == 1


def test_failed_pages_are_retried_up_to_three_attempts(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    failed_per_run = [run_ingest(settings).counts["pages_failed"] for _ in range(4)]
    assert failed_per_run == [1, 1, 1, 0]
    assert query(settings, "SELECT fetch_attempts, fetch_status FROM feed_entries WHERE guid = 'wire-0003'") == [
        (3, "failed")
    ]
    assert [p for p, _ in feed_server.log].count("/articles/vanished-story.html") == 3


def test_a_failed_page_that_comes_back_is_stored(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    assert run_ingest(settings).counts["pages_failed"] == 1
    feed_server.files["/articles/vanished-story.html"] = ("text/html", article_html("market-fire"))
    counts = run_ingest(settings).counts
    assert counts["articles_stored"] == 1 and counts["pages_failed"] == 0
    assert query(settings, "SELECT fetch_status, fetch_attempts FROM feed_entries WHERE guid = 'wire-0003'") == [
        ("stored", 2)
    ]


def test_short_pages_and_entries_without_guid(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.files["/feed.xml"] = (
        "application/rss+xml",
        rss(feed_server.base, [("harbour-talks", None, None), ("stub", None, None)]),
    )
    feed_server.files["/articles/harbour-talks.html"] = (
        "text/html",
        article_html("harbour-talks", date_meta="2026-03-05T06:00:00+00:00"),
    )
    feed_server.files["/articles/stub.html"] = (
        "text/html",
        b"<html><body><article><p>Developing story, more soon.</p></article></body></html>",
    )
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    counts = run_ingest(settings).counts
    assert counts["articles_stored"] == 1 and counts["pages_failed"] == 1
    # Without a GUID the link is the key; without a pubDate the page's own date is used.
    rows = query(settings, "SELECT guid, link, fetch_status, fetch_error FROM feed_entries ORDER BY link")
    assert [r[0] for r in rows] == [None, None]
    assert rows[1][1].endswith("/stub.html") and rows[1][2] == "failed" and "too short" in rows[1][3]
    assert query(settings, "SELECT published FROM articles") == [(datetime(2026, 3, 5, 6, 0, tzinfo=UTC),)]


def test_same_page_in_two_feeds_is_one_article(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    feed_server.files["/other.xml"] = (
        "application/rss+xml",
        rss(feed_server.base, [("harbour-talks", "other-77", "Mon, 02 Mar 2026 10:00:00 GMT")]),
    )
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml", "other-wire": "/other.xml"})
    counts = run_ingest(settings).counts
    assert counts["entries_new"] == 4 and counts["articles_stored"] == 2
    assert query(settings, "SELECT count(DISTINCT article_id), count(*) FROM feed_entries WHERE fetch_status = 'stored'") == [
        (2, 3)
    ]


def test_unreachable_feed_is_recorded(tmp_path: Path, feed_server: FeedServer) -> None:
    settings = make_settings(tmp_path, feed_server, {"gone": "/nothing.xml"})
    counts = run_ingest(settings).counts
    assert counts["failed_feeds"] == 1 and counts["entries_new"] == 0
    assert query(settings, "SELECT last_status, last_http_status, last_error FROM feeds") == [
        ("http_error", 404, "HTTP 404")
    ]


# --- Scheduling, pausing, revisions --------------------------------------------------------------

REVISED_FEED_ITEM = (
    "<item><title>harbour</title><link>{base}/articles/harbour-talks.html</link>"
    "<guid isPermaLink='false'>wire-0001</guid><pubDate>Mon, 02 Mar 2026 09:30:00 GMT</pubDate>"
    "<atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>{updated}</atom:updated></item>"
)


def feed_with_updated(base: str, updated: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>w</title><link>{base}/</link><description>d</description>"
        + REVISED_FEED_ITEM.format(base=base, updated=updated)
        + "</channel></rss>"
    ).encode()


def test_updated_entry_is_refetched_and_a_changed_figure_is_a_silent_edit(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.files["/feed.xml"] = ("application/rss+xml", feed_with_updated(feed_server.base, "2026-03-02T09:30:00Z"))
    feed_server.files["/articles/harbour-talks.html"] = ("text/html", article_html("harbour-talks"))
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    assert run_ingest(settings).counts["articles_stored"] == 1
    with db.session(settings.database) as con:  # the extractor has run on version 1
        con.execute("UPDATE articles SET processed_at = now()")

    # Same item, newer <updated>, and the page now says 52 fishermen instead of 45.
    feed_server.files["/feed.xml"] = ("application/rss+xml", feed_with_updated(feed_server.base, "2026-03-02T15:00:00Z"))
    html = article_html("harbour-talks").replace(b"release 45 detained", b"release 52 detained")
    feed_server.files["/articles/harbour-talks.html"] = ("text/html", html)
    counts = run_ingest(settings).counts
    assert counts["entries_revisited"] == 1 and counts["articles_revised"] == 1 and counts["silent_edits"] == 1
    assert counts["articles_stored"] == 0

    (article,) = query(settings, "SELECT version, processed_at, text FROM articles")
    assert article[0] == 2 and article[1] is None and "release 52 detained" in article[2]
    versions = query(settings, "SELECT version, text LIKE '%release 45%' FROM article_versions ORDER BY version")
    assert versions == [(1, True), (2, False)]
    (edit,) = query(settings, "SELECT from_version, to_version, old_figures, new_figures, old_sentence FROM silent_edits")
    assert edit[:4] == (1, 2, ["45"], ["52"]) and "45 detained" in edit[4]
    assert query(settings, "SELECT count(*) FROM operator_alerts WHERE kind = 'silent_edit'") == [(1,)]

    # Feed unchanged now: nothing is refetched or revised again.
    again = run_ingest(settings).counts
    assert again["entries_revisited"] == 0 and again["articles_revised"] == 0


def test_a_feed_is_not_polled_before_it_is_due(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"}, poll_min_interval=600, poll_max_interval=3600)
    t0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert run_ingest(settings, now=t0).counts["feeds_polled"] == 1
    soon = run_ingest(settings, now=t0 + timedelta(seconds=60)).counts
    assert soon["feeds_polled"] == 0 and soon["feeds_not_due"] == 1
    (interval,) = query(settings, "SELECT poll_interval_s FROM feeds")[0]
    later = run_ingest(settings, now=t0 + timedelta(seconds=interval + 1)).counts
    assert later["feeds_polled"] == 1 and later["not_modified"] == 1


def test_a_feed_that_keeps_failing_hard_is_paused_with_an_operator_alert(tmp_path: Path, feed_server: FeedServer) -> None:
    settings = make_settings(tmp_path, feed_server, {"gone": "/nothing.xml"}, pause_threshold=9, pause_hours=12)
    t0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    for hour in range(3):  # 404 weighs 3: paused on the third failure
        run_ingest(settings, now=t0 + timedelta(hours=hour))
    (row,) = query(settings, "SELECT failure_score, paused_until, paused_reason, consecutive_failures FROM v_feed_health")
    assert row[0] == 9 and row[1] == t0 + timedelta(hours=2 + 12) and "HTTP 404" in row[2] and row[3] == 3
    (alert,) = query(settings, "SELECT kind, subject, body, sent_at FROM operator_alerts")
    assert alert[0] == "feed_paused" and "gone" in alert[1] and "HTTP 404" in alert[2] and alert[3] is None
    skipped = run_ingest(settings, now=t0 + timedelta(hours=5)).counts
    assert skipped["feeds_paused"] == 1 and skipped["feeds_polled"] == 0
    assert sum(1 for p, _ in feed_server.log if p == "/nothing.xml") == 3

    # After the pause the feed is tried again; once it works, the pause and the score are cleared.
    serve_standard(feed_server)
    feed_server.files["/nothing.xml"] = feed_server.files["/feed.xml"]
    back = run_ingest(settings, now=t0 + timedelta(hours=15)).counts
    assert back["feeds_polled"] == 1 and back["failed_feeds"] == 0
    assert query(settings, "SELECT failure_score, paused_until, last_status FROM feeds") == [(0.0, None, "ok")]

    from pipelines.ingest import operator_alerts
    with db.session(settings.database) as con:
        (pending,) = operator_alerts.pending(con)
        operator_alerts.mark_sent(con, pending["alert_id"])
        assert operator_alerts.pending(con) == []


def test_a_page_answering_429_waits_for_retry_after(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    feed_server.statuses["/articles/vanished-story.html"] = (429, {"Retry-After": "600"})
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    t0 = datetime.now(UTC)
    run_ingest(settings, now=t0)
    (row,) = query(settings, "SELECT fetch_status, fetch_error, next_attempt_at FROM feed_entries WHERE guid = 'wire-0003'")
    assert row[0] == "failed" and "HTTP 429 (Retry-After 600 s)" in row[1]
    assert row[2] == t0 + timedelta(seconds=600)
    assert query(settings, "SELECT count(*) FROM host_state WHERE blocked_until > ?", [t0]) == [(1,)]
    run_ingest(settings, now=t0 + timedelta(minutes=1))
    assert [p for p, _ in feed_server.log].count("/articles/vanished-story.html") == 1  # held back
    # Once the wait is over, the page is tried again.
    del feed_server.statuses["/articles/vanished-story.html"]
    feed_server.files["/articles/vanished-story.html"] = ("text/html", article_html("market-fire"))
    later = run_ingest(settings, now=t0 + timedelta(minutes=11)).counts
    assert later["articles_stored"] == 1


def test_feed_health_view_has_the_operator_columns(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml", "broken-wire": "/broken.xml"})
    run_ingest(settings)
    with db.session(settings.database, read_only=True) as con:
        cur = con.execute("SELECT * FROM v_feed_health ORDER BY feed_name")
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for col in ("feed_name", "url", "last_status", "last_error", "consecutive_failures", "last_success_at",
                "entries_last_24h", "not_modified_ratio", "paused_until", "pages_failed", "last_page_error"):
        assert col in cols
    broken, good = rows
    assert broken["last_status"] == "bozo" and broken["last_success_at"] is None and broken["consecutive_failures"] == 1
    assert good["entries_last_24h"] == 3 and good["not_modified_ratio"] == 0.0 and good["pages_failed"] == 1
    assert "HTTP 404" in good["last_page_error"]


def test_each_article_stored_with_new_text_is_announced_once_committed(tmp_path: Path, feed_server: FeedServer) -> None:
    # what lets extraction start on an article while the rest are still being fetched
    feed_server.files["/feed.xml"] = ("application/rss+xml", feed_with_updated(feed_server.base, "2026-03-02T09:30:00Z"))
    feed_server.files["/articles/harbour-talks.html"] = ("text/html", article_html("harbour-talks"))
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    heard: list[tuple[str, str]] = []

    def on_stored(con: Any, article_ids: list[str]) -> None:
        for article_id in article_ids:
            (text,) = con.execute("SELECT text FROM articles WHERE article_id = ?", [article_id]).fetchone()
            heard.append((article_id, text))

    run_ingest(settings, on_stored=on_stored)
    ((article_id,),) = query(settings, "SELECT article_id FROM articles")
    assert [a for a, _ in heard] == [article_id] and "release 45 detained" in heard[0][1]

    feed_server.files["/feed.xml"] = ("application/rss+xml", feed_with_updated(feed_server.base, "2026-03-02T15:00:00Z"))
    html = article_html("harbour-talks").replace(b"release 45 detained", b"release 52 detained")
    feed_server.files["/articles/harbour-talks.html"] = ("text/html", html)
    run_ingest(settings, on_stored=on_stored)
    assert [a for a, _ in heard] == [article_id] * 2 and "release 52 detained" in heard[1][1], "the revision too"

    run_ingest(settings, on_stored=on_stored)  # nothing new: nothing announced
    assert len(heard) == 2


def test_ingest_tells_how_many_pages_it_is_about_to_fetch(tmp_path: Path, feed_server: FeedServer) -> None:
    # what lets the extraction workers load the model while the first pages are still being fetched
    serve_standard(feed_server)  # three new entries: two pages stored, one 404
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    told: list[int] = []
    run_ingest(settings, before_fetch=told.append)
    assert told == [3]
    feed_server.files["/articles/vanished-story.html"] = ("text/html", article_html("harbour-talks", site="Other"))
    run_ingest(settings, before_fetch=told.append)
    assert told == [3, 1], "the page that failed is tried again"
    run_ingest(settings, before_fetch=told.append)
    assert told == [3, 1], "nothing to fetch: nothing told"


def test_pages_that_are_not_stored_are_not_announced(tmp_path: Path, feed_server: FeedServer) -> None:
    serve_standard(feed_server)  # two pages stored, one 404
    settings = make_settings(tmp_path, feed_server, {"good-wire": "/feed.xml"})
    heard: list[str] = []
    run_ingest(settings, on_stored=lambda con, article_ids: heard.extend(article_ids))
    assert sorted(heard) == sorted(r[0] for r in query(settings, "SELECT article_id FROM articles"))
    assert len(heard) == 2


def serve_copies(server: FeedServer) -> None:
    """Pages that meet each other within one run: the same text under two URLs, a syndicated copy
    with a credit line, one GUID in two feeds, one URL in two feeds, a 404 and a short page."""
    def day(n: int) -> str:
        return f"Mon, {n:02d} Mar 2026 09:00:00 GMT"

    server.files["/feed.xml"] = ("application/rss+xml", rss(server.base, [
        ("harbour-talks", "wire-0001", day(2)), ("harbour-copy", "wire-0002", day(3)),
        ("harbour-credit", "wire-0003", day(4)), ("bridge-closure", "wire-0004", day(5)),
        ("vanished-story", "wire-0005", day(6)), ("market-short", "wire-0006", day(7)),
    ]))
    server.files["/feed2.xml"] = ("application/rss+xml", rss(server.base, [
        ("market-fire", "wire-0004", day(8)),  # the bridge's GUID: a copy of it
        ("harbour-talks", "other-0001", day(9)),  # the harbour page again, from another feed
    ]))
    harbour = article_html("harbour-talks")
    credited = harbour.replace(b"</article>", b"<p>Reporting by the regional wire desk for this edition.</p></article>")
    for slug, body in [("harbour-talks", harbour), ("harbour-copy", harbour), ("harbour-credit", credited),
                       ("bridge-closure", article_html("bridge-closure")), ("market-fire", article_html("market-fire")),
                       ("market-short", b"<html lang='en'><body><article><p>Too short.</p></article></body></html>")]:
        server.files[f"/articles/{slug}.html"] = ("text/html", body)


def stored_state(settings: Settings) -> dict[str, list[tuple]]:
    return {
        "articles": query(settings, "SELECT article_id, canonical_url, title, publisher, content_hash, version "
                                    "FROM articles ORDER BY article_id"),
        "versions": query(settings, "SELECT article_id, version, content_hash FROM article_versions ORDER BY ALL"),
        "copies": query(settings, "SELECT copy_id, original_id, url, method, similarity, content_hash "
                                  "FROM article_copies ORDER BY copy_id"),
        "entries": query(settings, "SELECT entry_id, fetch_status, fetch_error, fetch_attempts, article_id "
                                   "FROM feed_entries ORDER BY entry_id"),
    }


@pytest.mark.parametrize("group_write_fails", [False, True])
def test_pages_stored_in_groups_end_as_stored_one_by_one(tmp_path: Path, feed_server: FeedServer,
                                                          group_write_fails: bool, monkeypatch: Any,
                                                          caplog: Any) -> None:
    import logging
    import re

    from pipelines.ingest import fetch_articles

    caplog.set_level(logging.DEBUG, logger="pipelines.ingest.fetch_articles")
    serve_copies(feed_server)
    feeds = {"good-wire": "/feed.xml", "other-wire": "/feed2.xml"}
    runs: dict[str, tuple[dict[str, Any], dict[str, list[tuple]], list[list[str]]]] = {}
    for name, workers in [("one by one", 1), ("in groups", 8)]:
        home = tmp_path / name.replace(" ", "-")
        home.mkdir()
        settings = make_settings(home, feed_server, feeds, fetch_workers=workers, host_concurrency=workers)
        if workers > 1:
            # the first page comes late, so the others have arrived by then and form its group
            feed_server.delays["/articles/harbour-talks.html"] = 1.5
            if group_write_fails:
                monkeypatch.setattr(fetch_articles, "GROUP_STATEMENTS",
                                    [*fetch_articles.GROUP_STATEMENTS, "ingest/no_such_statement"])
        heard: list[list[str]] = []
        counts = run_ingest(settings, on_stored=lambda con, ids, heard=heard: heard.append(ids)).counts
        runs[name] = ({k: v for k, v in counts.items() if k != "elapsed_s"}, stored_state(settings), heard)

    (one_counts, one_state, one_heard), (counts, state, heard) = runs["one by one"], runs["in groups"]
    assert state == one_state and counts == one_counts
    assert [i for ids in heard for i in ids] == [i for ids in one_heard for i in ids]
    assert (counts["articles_stored"], counts["copies_linked"], counts["pages_failed"]) == (2, 3, 2)
    methods = sorted(m for _, _, _, m, _, _ in state["copies"])
    assert methods == ["content_hash", "guid", "near_duplicate"]
    assert max(len(ids) for ids in one_heard) == 1
    # the late first page made a group: after it, four pages (copy, new, 404, short) went together
    pattern = r"storing a group of (\d+) page" if group_write_fails else r"stored a group of (\d+) page"
    assert max(int(n) for n in re.findall(pattern, caplog.text)) >= 4
