"""The ingest stage against a hostile web: every bad case next to one healthy feed, on 127.0.0.1.

Four origins (one server each, so per-host politeness and Retry-After are exercised as on the real
web): a healthy site, a hostile site serving every bad feed and page, a site answering 429 with
Retry-After and one answering 503. Each run must finish, store the healthy articles, store a
syndicated story once with its copies linked, record every bad case with its reason, and keep
memory bounded. All article text below was written for this test.
"""

from __future__ import annotations

import resource
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pipelines import db
from pipelines.clean import clean_html
from pipelines.ingest.run import run_ingest
from pipelines.ingest.syndication import originals
from pipelines.settings import Settings

Handler = Callable[[BaseHTTPRequestHandler], None]

WIRE_STORY = [
    "Rescue teams reached the flooded valley villages on Saturday morning after the river burst its "
    "banks overnight, the provincial emergency office said in a statement issued at dawn.",
    "At least 14 people were taken to hospital with minor injuries and about 300 residents spent the "
    "night in a school gymnasium that the municipality opened as a shelter.",
    "The regional weather service said more rain was expected until Monday and asked drivers to avoid "
    "the valley road, which was closed in two places by mud and fallen trees.",
    "Officials said the water level had started to fall by midday but warned that the embankments "
    "south of the bridge remained under close watch by engineers throughout the weekend.",
]
HEALTHY = {
    "council-budget": [
        "The town council approved its budget for next year on Wednesday by nine votes to four, after a "
        "debate that lasted most of the afternoon and ran well past the planned closing time.",
        "Spending on road repairs rises by a fifth, while the library will open on Sunday mornings for "
        "the first time, a change residents had asked for in a petition signed last winter.",
        "The opposition said the plan relied on optimistic forecasts for tourist tax revenue and voted "
        "against it, promising to raise the matter again when the accounts are published.",
    ],
    "ferry-timetable": [
        "The island ferry company will add two evening crossings from the first of June, it said on "
        "Friday, answering complaints from commuters who work late shifts on the mainland.",
        "The new sailings leave the harbour at half past eight and ten o'clock and will run until the "
        "end of September, when the company will decide whether to keep them over the winter.",
        "Fares stay unchanged, the company said, although the price of a season ticket for cars rises "
        "slightly because of higher fuel costs over the last year.",
    ],
}
CHARSET_STORY = [
    "The café on the corner of the market square reopened on Tuesday after a renovation that took "
    "most of the spring and cost its owners more than they had planned at the start.",
    "Regulars said the new terrace and the longer opening hours were welcome, and the owners said "
    "they hoped to hire two more staff before the summer season begins in earnest.",
    "The building dates from the last century and the façade had to be restored under the rules for "
    "the protected old town, which added several weeks to the work according to the owners.",
]


def page(title: str, paragraphs: list[str], site: str, extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}"></head><body><nav>{site} | News | Weather</nav>'
        f"<article><h1>{title}</h1>{body}{extra}</article><footer>{site} contact page</footer></body></html>"
    )


def rss(items: list[dict[str, str]], title: str = "feed") -> bytes:
    parts = []
    for item in items:
        parts.append(
            "<item>"
            + "".join(f"<{k}>{v}</{k}>" for k, v in item.items())
            + "</item>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.org/</link><description>test</description>{''.join(parts)}</channel></rss>"
    ).encode()


class Server:
    """A real HTTP server on 127.0.0.1 (ephemeral port) with one handler per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                route = outer.routes.get(self.path.split("?")[0])
                if route is None:
                    send(self, 404, b"not found", "text/plain")
                else:
                    try:
                        route(self)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up, as it should for drips and giants

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def static(body: bytes | str, ctype: str = "text/html; charset=utf-8", status: int = 200,
           headers: dict[str, str] | None = None) -> Handler:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda h: send(h, status, data, ctype, headers)


def redirect(location: str) -> Handler:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return route


def drip(h: BaseHTTPRequestHandler) -> None:
    """Headers at once, then one byte every 0.2 s for up to a minute: never a read timeout."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")
    h.end_headers()
    for _ in range(300):
        h.wfile.write(b"<")
        h.wfile.flush()
        time.sleep(0.2)


def giant(h: BaseHTTPRequestHandler) -> None:
    """A 20 MB page, generated while sending (no Content-Length), so the server itself stays small."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")
    h.end_headers()
    chunk = b"<p>" + b"filler text " * 5000 + b"</p>"
    sent = 0
    while sent < 20_000_000:
        h.wfile.write(chunk)
        sent += len(chunk)


def gzip_bomb(size: int = 256 << 20) -> bytes:
    """``size`` bytes of zeros gzip-compressed to about a thousandth of that."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([*(z.compress(block) for _ in range(size >> 20)), z.flush()])


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)


@pytest.fixture(scope="module")
def web() -> Iterator[dict[str, Server]]:
    servers = {name: Server() for name in ("good", "hostile", "busy", "down", "mirror", "portal")}
    good, bad, busy, down, mirror, portal = (servers[n] for n in ("good", "hostile", "busy", "down", "mirror", "portal"))

    # The healthy site: two articles, a robots.txt that keeps us out of /private/, and the original
    # of the wire story.
    good.routes["/robots.txt"] = static("User-agent: *\nDisallow: /private/\n", "text/plain")
    good.routes["/feed.xml"] = static(rss([
        {"title": "Budget", "link": f"{good.base}/news/council-budget.html", "guid": "good-0001",
         "pubDate": "Mon, 02 Mar 2026 09:00:00 GMT"},
        {"title": "Ferry", "link": f"{good.base}/news/ferry-timetable.html?utm_source=rss", "guid": "good-0002",
         "pubDate": "Mon, 02 Mar 2026 11:00:00 GMT"},
        {"title": "Members only", "link": f"{good.base}/private/members.html", "guid": "good-0003",
         "pubDate": "Mon, 02 Mar 2026 12:00:00 GMT"},
    ]), "application/rss+xml")
    for slug, paragraphs in HEALTHY.items():
        good.routes[f"/news/{slug}.html"] = static(page(slug.replace("-", " ").title(), paragraphs, "Valley Times"))
    good.routes["/private/members.html"] = static(page("Members", HEALTHY["council-budget"], "Valley Times"))

    # One wire story on three sites, each with its own page chrome; one adds a credit line.
    story = "Flooded valley villages reached by rescuers"
    for server, site, path, extra in (
        (good, "Valley Times", "/wire/flood.html", ""),
        (mirror, "Plains Courier", "/national/flood-rescue.html", "<p>Reporting by the regional wire desk.</p>"),
        (portal, "Daily Portal", "/story/88231.html", ""),
    ):
        server.routes[path] = static(page(story, WIRE_STORY, site, extra))
        server.routes["/rss.xml"] = static(rss([
            {"title": story, "link": f"{server.base}{path}", "guid": f"{site}-flood",
             "pubDate": "Sat, 07 Mar 2026 0{}:00:00 GMT".format({"Valley Times": 8, "Plains Courier": 9, "Daily Portal": 9}[site])},
        ]), "application/rss+xml")

    # The same wire GUID in two feeds, pointing at different copies of one page.
    mirror.routes["/dup.xml"] = static(rss([{"title": "Ferry", "guid": "urn:wire:ferry-2026-0301",
                                             "link": f"{mirror.base}/copy/ferry.html"}]), "application/rss+xml")
    portal.routes["/dup.xml"] = static(rss([{"title": "Ferry", "guid": "urn:wire:ferry-2026-0301",
                                             "link": f"{portal.base}/copy/ferry-timetable.html"}]), "application/rss+xml")
    for server in (mirror, portal):
        server.routes["/copy/ferry.html"] = static(page("Ferry", HEALTHY["ferry-timetable"], "Copy"))
        server.routes["/copy/ferry-timetable.html"] = static(page("Ferry", HEALTHY["ferry-timetable"], "Copy"))

    # The hostile site: every bad feed and every bad page.
    bad.routes["/malformed.xml"] = static(b"<?xml version='1.0'?><rss><channel><item><title>x</ti", "application/rss+xml")
    bad.routes["/laughs.xml"] = static(BILLION_LAUGHS, "application/rss+xml")
    bomb = gzip_bomb()
    bad.routes["/gzip-bomb.xml"] = static(bomb, "application/rss+xml", headers={"Content-Encoding": "gzip"})
    bad.routes["/gzip-bomb.html"] = static(bomb, "text/html", headers={"Content-Encoding": "gzip"})
    bad.routes["/drip.xml"] = drip
    bad.routes["/drip.html"] = drip
    bad.routes["/giant.html"] = giant
    bad.routes["/loop.xml"] = redirect("/loop.xml")
    bad.routes["/to-metadata.xml"] = redirect("http://169.254.169.254/latest/meta-data/")
    bad.routes["/to-private.html"] = redirect("http://10.0.0.5/admin")
    bad.routes["/binary.xml"] = static(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8, "application/octet-stream")
    bad.routes["/binary.html"] = static(b"%PDF-1.7\n\0\0\0" + bytes(range(256)) * 8, "text/html")
    bad.routes["/page-as-feed.xml"] = static(page("Home", HEALTHY["council-budget"], "Hostile"), "text/html")
    bad.routes["/empty.xml"] = static(rss([]), "application/rss+xml")
    charset_page = page("Cafe reopens", CHARSET_STORY, "Old Town News").encode("cp1252")
    bad.routes["/cafe.html"] = static(charset_page, "text/html; charset=utf-8")  # declared wrong
    bad.routes["/latin-feed.xml"] = static(
        rss([{"title": "Café", "link": f"{bad.base}/cafe.html", "guid": "hostile-cafe"}]).replace(
            b' encoding="UTF-8"', b"").decode().encode("cp1252"),
        "application/rss+xml; charset=utf-8",
    )
    bad.routes["/pages.xml"] = static(rss([
        {"title": t, "link": f"{bad.base}{p}", "guid": f"hostile-{t}"}
        for t, p in (("giant", "/giant.html"), ("drip", "/drip.html"), ("bomb", "/gzip-bomb.html"),
                     ("binary", "/binary.html"), ("private", "/to-private.html"))
    ]), "application/rss+xml")

    busy.routes["/feed.xml"] = static(b"slow down", "text/plain", status=429, headers={"Retry-After": "120"})
    down.routes["/feed.xml"] = static(b"maintenance", "text/plain", status=503)

    yield servers
    for server in servers.values():
        server.close()


FEEDS = {
    "healthy": ("good", "/feed.xml"),
    "wire-valley": ("good", "/rss.xml"),
    "wire-plains": ("mirror", "/rss.xml"),
    "wire-portal": ("portal", "/rss.xml"),
    "dup-guid-a": ("mirror", "/dup.xml"),
    "dup-guid-b": ("portal", "/dup.xml"),
    "malformed": ("hostile", "/malformed.xml"),
    "entity-bomb": ("hostile", "/laughs.xml"),
    "gzip-bomb": ("hostile", "/gzip-bomb.xml"),
    "slow-drip": ("hostile", "/drip.xml"),
    "redirect-loop": ("hostile", "/loop.xml"),
    "redirect-metadata": ("hostile", "/to-metadata.xml"),
    "binary": ("hostile", "/binary.xml"),
    "html-as-feed": ("hostile", "/page-as-feed.xml"),
    "empty": ("hostile", "/empty.xml"),
    "wrong-charset": ("hostile", "/latin-feed.xml"),
    "bad-pages": ("hostile", "/pages.xml"),
    "rate-limited": ("busy", "/feed.xml"),
    "unavailable": ("down", "/feed.xml"),
}

# (feed, status, words the stored reason must contain)
BAD_FEEDS = [
    ("malformed", "bozo", "SAXParseException"),
    ("entity-bomb", "refused", "EntitiesForbidden"),
    ("gzip-bomb", "fetch_error", "body too large"),
    ("slow-drip", "fetch_error", "total time cap"),
    ("redirect-loop", "fetch_error", "more than 5 redirects"),
    ("redirect-metadata", "fetch_error", "blocked"),
    ("binary", "not_a_feed", "binary body"),
    ("html-as-feed", "not_a_feed", "HTML page"),
    ("rate-limited", "http_error", "HTTP 429 (Retry-After 120 s)"),
    ("unavailable", "http_error", "HTTP 503"),
]
BAD_PAGES = [
    ("/giant.html", "body too large"),
    ("/drip.html", "total time cap"),
    ("/gzip-bomb.html", "body too large"),
    ("/binary.html", "binary body"),
    ("/to-private.html", "blocked"),
]
# What the run may hold in memory by design: 2 x fetch_workers bodies of max_body_bytes waiting to
# be stored, plus one page being decoded and cleaned (a few copies of at most max_body_bytes).
# Handling the 20 MB page or the 256 MB gzip bomb without the caps would blow well past it.
MAX_BODY = 2_000_000
WORKERS = 4
RSS_GROWTH_BOUND = (2 * WORKERS + 6) * MAX_BODY + 50_000_000


@pytest.fixture(scope="module")
def settings(web: dict[str, Server], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("hostile")
    lines = ["feeds:"]
    for name, (server, path) in FEEDS.items():
        lines += [f"  - name: {name}", f"    url: {web[server].base}{path}"]
    (home / "feeds.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Settings(
        home=home, feeds=home / "feeds.yaml", allowed_hosts="127.0.0.1", host_min_delay=0.0,
        http_timeout=2.0, connect_timeout=2.0, fetch_total_timeout=2.5, max_body_bytes=MAX_BODY,
        fetch_workers=WORKERS, host_concurrency=2, pause_threshold=6.0,
    )


def kb_maxrss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


@pytest.fixture(scope="module")
def runs(settings: Settings) -> list[dict[str, Any]]:
    # Warm up what a run loads anyway (parsers, trafilatura, DuckDB), so the bound measures the run.
    clean_html(page("warm", HEALTHY["council-budget"], "Warm"))
    with db.session(settings.home / "warm.duckdb"):
        pass
    before = kb_maxrss()
    start = datetime.now(UTC)
    out = []
    for step in range(3):  # half a day apart: every feed not paused is due again, pauses (24 h) last
        counts = run_ingest(settings, now=start + timedelta(hours=12 * step)).counts
        out.append({"counts": counts, "rss_growth": kb_maxrss() - before})
    return out


def query(settings: Settings, text: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    # Test-only inspection; the code under test loads its SQL from sql/.
    with db.session(settings.database, read_only=True) as con:
        return con.execute(text, params or []).fetchall()


def test_every_run_finishes_and_memory_stays_bounded(runs: list[dict[str, Any]]) -> None:
    assert [r["counts"]["feeds_polled"] for r in runs][0] == len(FEEDS)
    for r in runs:
        assert r["rss_growth"] < RSS_GROWTH_BOUND, r


def test_healthy_feed_is_stored(settings: Settings, runs: list[dict[str, Any]], web: dict[str, Server]) -> None:
    rows = query(settings, "SELECT canonical_url, text FROM articles WHERE feed_name = 'healthy' ORDER BY published")
    assert [url for url, _ in rows] == [
        f"{web['good'].base}/news/council-budget.html",
        f"{web['good'].base}/news/ferry-timetable.html",  # tracking parameter gone
    ]
    assert HEALTHY["council-budget"][1] in rows[0][1]
    assert query(settings, "SELECT last_status, consecutive_failures FROM v_feed_health WHERE feed_name = 'healthy'") == [
        ("ok", 0)
    ]
    (skipped,) = query(settings, "SELECT fetch_status, fetch_error FROM feed_entries WHERE guid LIKE '%good-0003'")
    assert skipped[0] == "skipped" and "robots.txt" in skipped[1]


def test_syndicated_story_is_stored_once_with_copies_linked(settings: Settings, runs: list[dict[str, Any]]) -> None:
    originals_found = query(settings, "SELECT article_id, publisher FROM articles WHERE text LIKE ?",
                            ["%" + WIRE_STORY[1][:60] + "%"])
    assert len(originals_found) == 1
    original_id, publisher = originals_found[0]
    assert publisher == "Valley Times"  # published first
    copies = query(settings, "SELECT feed_name, method, similarity FROM article_copies WHERE original_id = ? ORDER BY feed_name",
                   [original_id])
    assert [c[0] for c in copies] == ["wire-plains", "wire-portal"]
    assert all(c[1] in ("near_duplicate", "content_hash") and c[2] >= settings.syndication_threshold for c in copies)
    with db.session(settings.database, read_only=True) as con:
        mapping = originals(con)
    assert sum(1 for v in mapping.values() if v == original_id) == 2


def test_duplicate_guid_across_feeds_is_one_article(settings: Settings, runs: list[dict[str, Any]]) -> None:
    rows = query(settings, "SELECT feed_name, fetch_status, article_id FROM feed_entries WHERE guid = ? ORDER BY feed_name",
                 ["urn:wire:ferry-2026-0301"])
    assert [r[0] for r in rows] == ["dup-guid-a", "dup-guid-b"]
    assert len({r[2] for r in rows}) == 1
    # The ferry text was already stored from the healthy feed: both copies point at that article.
    assert {r[1] for r in rows} == {"duplicate"}
    assert query(settings, "SELECT count(*) FROM articles WHERE text LIKE ?", ["%" + HEALTHY["ferry-timetable"][0][:50] + "%"]) == [(1,)]


@pytest.mark.parametrize(("feed", "status", "reason"), BAD_FEEDS)
def test_bad_feed_is_recorded_with_reason(settings: Settings, runs: list[dict[str, Any]], feed: str, status: str, reason: str) -> None:
    rows = query(settings, "SELECT last_status, last_error, consecutive_failures, failure_score FROM v_feed_health WHERE feed_name = ?", [feed])
    assert rows, feed
    last_status, last_error, failures, score = rows[0]
    assert last_status == status
    assert reason in last_error
    assert failures >= 1 and score > 0


def test_hard_failing_feeds_are_paused_with_an_operator_alert(settings: Settings, runs: list[dict[str, Any]]) -> None:
    paused = dict(query(settings, "SELECT feed_name, paused_reason FROM v_feed_health WHERE paused_until IS NOT NULL"))
    # Weight 3 per hard failure, threshold 6: paused after the second run, not polled in the third.
    assert {"entity-bomb", "html-as-feed", "binary", "malformed"} <= set(paused)
    assert "rate-limited" not in paused and "healthy" not in paused
    assert runs[2]["counts"]["feeds_paused"] >= 4
    alerts = query(settings, "SELECT subject, body FROM operator_alerts WHERE kind = 'feed_paused'")
    assert any("entity-bomb" in s and "EntitiesForbidden" in b for s, b in alerts)


def test_retry_after_is_honoured(settings: Settings, runs: list[dict[str, Any]]) -> None:
    (row,) = query(settings, "SELECT last_polled_at, next_poll_at FROM feeds WHERE feed_name = 'rate-limited'")
    assert (row[1] - row[0]).total_seconds() >= 120
    hosts = query(settings, "SELECT blocked_reason FROM host_state")
    assert any("429" in r for (r,) in hosts)


def test_quiet_cases_are_noted(settings: Settings, runs: list[dict[str, Any]]) -> None:
    notes = dict(query(settings, "SELECT feed_name, last_note FROM v_feed_health WHERE feed_name IN ('empty', 'wrong-charset')"))
    assert notes["empty"] == "empty feed: no entries"
    assert "CharacterEncodingOverride" in notes["wrong-charset"]
    (cafe,) = query(settings, "SELECT text, encoding, ingest_note FROM articles WHERE feed_name = 'wrong-charset'")
    assert "café" in cafe[0] and "façade" in cafe[0]
    assert cafe[1] in ("cp1252", "windows-1252", "iso8859-1", "latin-1", "iso-8859-1", "cp1250")
    assert "declared charset utf-8" in cafe[2]


@pytest.mark.parametrize(("path", "reason"), BAD_PAGES)
def test_bad_page_is_recorded_with_reason(settings: Settings, runs: list[dict[str, Any]], path: str, reason: str) -> None:
    rows = query(settings, "SELECT fetch_status, fetch_error FROM feed_entries WHERE link LIKE ?", ["%" + path])
    assert rows and rows[0][0] == "failed"
    assert reason in rows[0][1]


def test_reruns_store_nothing_twice(settings: Settings, runs: list[dict[str, Any]]) -> None:
    assert runs[0]["counts"]["articles_stored"] == 4  # budget, ferry, wire original, café
    assert [r["counts"]["articles_stored"] for r in runs[1:]] == [0, 0]
    assert query(settings, "SELECT count(*) FROM articles") == [(4,)]
    assert query(settings, "SELECT count(*), count(DISTINCT article_id) FROM article_versions") == [(4, 4)]
