"""A local news site that releases the demo corpus over time, so the whole stream runs offline.

``/feed.xml`` is an RSS 2.0 feed of the articles released so far (with ETag and Last-Modified, so
pollers can make conditional requests), ``/articles/<slug>.html`` a full page per released article,
and everything not yet released answers 404, as an article that does not exist yet would.
"""

from __future__ import annotations

import hashlib
import logging
import math
import signal
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.demo.corpus import DemoArticle, load_corpus
from pipelines.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], float]
DEFAULT_START_RELEASED = 3  # the palace backgrounder plus the first two outlets: a conflict on the first poll

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("dc", _DC)
ET.register_namespace("atom", _ATOM)


class ReleaseSchedule:
    """How many articles are visible at a given time: ``start_released`` at first, then one more every
    ``release_seconds``. ``release_seconds <= 0`` releases everything at once."""

    def __init__(self, total: int, release_seconds: float, start_released: int, started_at: float) -> None:
        self.total = total
        self.release_seconds = release_seconds
        self.start_released = max(0, min(start_released, total))
        self.started_at = started_at

    def released(self, now: float) -> int:
        if self.release_seconds <= 0:
            return self.total
        steps = math.floor(max(0.0, now - self.started_at) / self.release_seconds)
        return min(self.total, self.start_released + steps)

    def released_at(self, count: int) -> float:
        """The time at which ``count`` articles became visible (the feed's Last-Modified)."""
        if self.release_seconds <= 0 or count <= self.start_released:
            return self.started_at
        return self.started_at + (count - self.start_released) * self.release_seconds


class DemoSite:
    """Renders the feed and pages for whatever the schedule has released at the current clock time."""

    def __init__(
        self,
        articles: Sequence[DemoArticle],
        schedule: ReleaseSchedule,
        base_url: str,
        clock: Clock = time.time,
    ) -> None:
        self.articles = sorted(articles, key=lambda a: a.release_order)
        self.schedule = schedule
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self._feeds: dict[int, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def released(self) -> list[DemoArticle]:
        return self.articles[: self.schedule.released(self.clock())]

    def url(self, article: DemoArticle) -> str:
        return article.url(self.base_url)

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/feed.xml"

    def feed(self) -> tuple[bytes, str, float]:
        """(RSS body, ETag, Last-Modified as epoch seconds) for the current release state."""
        count = self.schedule.released(self.clock())
        with self._lock:
            if count not in self._feeds:
                body = self._render_feed(self.articles[:count], self.schedule.released_at(count))
                # A strong validator derived from the bytes: equal ETag means an identical body.
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                self._feeds[count] = (body, etag)
            body, etag = self._feeds[count]
        return body, etag, self.schedule.released_at(count)

    def _render_feed(self, items: Sequence[DemoArticle], modified: float) -> bytes:
        rss = ET.Element("rss", {"version": "2.0"})
        channel = ET.SubElement(rss, "channel")
        ET.SubElement(channel, "title").text = "newswatch demo wire"
        ET.SubElement(channel, "link").text = self.base_url + "/"
        ET.SubElement(channel, "description").text = (
            "Articles from several invented outlets, released one by one for the newswatch demo."
        )
        ET.SubElement(channel, "language").text = "en"
        ET.SubElement(channel, "lastBuildDate").text = formatdate(modified, usegmt=True)
        ET.SubElement(channel, f"{{{_ATOM}}}link", {"href": self.feed_url, "rel": "self",
                                                     "type": "application/rss+xml"})
        for article in sorted(items, key=lambda a: a.published, reverse=True):
            item = ET.SubElement(channel, "item")
            ET.SubElement(item, "title").text = article.title
            ET.SubElement(item, "link").text = self.url(article)
            ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = self.url(article)
            ET.SubElement(item, "pubDate").text = format_datetime(article.published)
            ET.SubElement(item, f"{{{_DC}}}creator").text = article.author
            ET.SubElement(item, "source", {"url": self.feed_url}).text = article.publisher
            ET.SubElement(item, "description").text = article.paragraphs[0]
        return ET.tostring(rss, encoding="utf-8", xml_declaration=True)

    def article_page(self, slug: str) -> bytes | None:
        """The HTML page of a released article, or None (not found or not released yet)."""
        released = self.released()
        article = next((a for a in released if a.slug == slug), None)
        if article is None:
            return None
        related = [{"href": f"/articles/{a.slug}.html", "title": a.title} for a in released if a is not article][-5:]
        jsonld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "author": {"@type": "Person", "name": article.author},
            "publisher": {"@type": "Organization", "name": article.publisher},
            "mainEntityOfPage": self.url(article),
        }
        html = _TEMPLATES.get_template("article.html.j2").render(
            article=article, url=self.url(article), related=related, jsonld=jsonld
        )
        return html.encode("utf-8")

    def index_page(self) -> bytes:
        html = _TEMPLATES.get_template("index.html.j2").render(items=self.released(), total=len(self.articles))
        return html.encode("utf-8")


def _etag_matches(header: str, etag: str) -> bool:
    # If-None-Match uses weak comparison, so W/"x" matches "x".
    candidates = [c.strip() for c in header.split(",")]
    return any(c == "*" or c.removeprefix("W/") == etag for c in candidates)


class DemoRequestHandler(BaseHTTPRequestHandler):
    server: DemoFeedServer
    server_version = "newswatch-demo/0.1"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        site = self.server.site
        path = urlsplit(self.path).path
        if path == "/feed.xml":
            self._feed(site, with_body)
        elif path.startswith("/articles/") and path.endswith(".html"):
            page = site.article_page(path[len("/articles/"): -len(".html")])
            if page is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", with_body)
            else:
                self._send(HTTPStatus.OK, page, "text/html; charset=utf-8", with_body)
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, site.index_page(), "text/html; charset=utf-8", with_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", with_body)

    def _feed(self, site: DemoSite, with_body: bool) -> None:
        body, etag, modified = site.feed()
        last_modified = formatdate(modified, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "no-cache"}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:  # RFC 9110: If-Modified-Since is ignored when If-None-Match is present
            not_modified = _etag_matches(inm, etag)
        elif ims is not None:
            try:
                not_modified = math.floor(modified) <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(HTTPStatus.OK, body, "application/rss+xml; charset=utf-8", with_body, headers)

    def _send(
        self, status: HTTPStatus, body: bytes, content_type: str, with_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature of the base class)
        log.info("%s %s", self.address_string(), format % args)


class DemoFeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site_factory: Callable[[str], DemoSite]) -> None:
        super().__init__(address, DemoRequestHandler)
        host, port = self.server_address[:2]
        # Links must point somewhere a client can reach; a wildcard bind is reachable on loopback.
        link_host = "127.0.0.1" if host in ("0.0.0.0", "", "::") else str(host)
        self.site = site_factory(f"http://{link_host}:{port}")

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def feed_url(self) -> str:
        return self.site.feed_url


def build_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    release_seconds: float = 0.0,
    start_released: int | None = None,
    release_all: bool = False,
    clock: Clock = time.time,
    articles: Sequence[DemoArticle] | None = None,
) -> DemoFeedServer:
    """A bound, not yet serving, demo server. ``port=0`` picks a free port (see ``server.feed_url``).

    ``start_released`` defaults to everything when nothing is released over time, else to one article.
    """
    corpus = list(articles) if articles is not None else load_corpus()
    seconds = 0.0 if release_all else release_seconds
    if start_released is None:
        start_released = len(corpus) if seconds <= 0 else 1

    def site_factory(base_url: str) -> DemoSite:
        schedule = ReleaseSchedule(len(corpus), seconds, start_released, started_at=clock())
        return DemoSite(corpus, schedule, base_url, clock)

    return DemoFeedServer((host, port), site_factory)


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    release_seconds: float = 0.0,
    start_released: int | None = None,
    release_all: bool = False,
    clock: Clock = time.time,
    articles: Sequence[DemoArticle] | None = None,
) -> tuple[DemoFeedServer, threading.Thread]:
    """Start a demo server in a daemon thread. Stop it with ``server.shutdown(); server.server_close()``."""
    server = build_server(host, port, release_seconds=release_seconds, start_released=start_released,
                          release_all=release_all, clock=clock, articles=articles)
    thread = threading.Thread(target=server.serve_forever, name="demo-feed", daemon=True)
    thread.start()
    return server, thread


def serve(
    host: str,
    port: int,
    release_seconds: float,
    start_released: int = DEFAULT_START_RELEASED,
    *,
    release_all: bool = False,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the demo feed in the foreground until interrupted."""
    server = build_server(host, port, release_seconds=release_seconds, start_released=start_released,
                          release_all=release_all)
    site = server.site
    if release_all or release_seconds <= 0:
        plan = f"all {len(site.articles)} articles released"
    else:
        plan = (f"{site.schedule.start_released} of {len(site.articles)} articles released now, "
                f"one more every {release_seconds:g} s")
    announce(f"demo feed: {server.feed_url} ({plan})")

    def _terminate(signum: int, frame: Any) -> None:
        # serve_forever() runs in this thread, so shutdown() would deadlock; unwind instead.
        raise SystemExit(0)

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def run_demo_feed(settings: Settings) -> None:
    """Entry point of ``newswatch demo-feed``: blocks, serving on the configured host and port."""
    serve(settings.demo_host, settings.demo_port, settings.demo_release_seconds)
