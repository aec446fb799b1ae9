"""The demo feed server on 127.0.0.1: valid RSS, release over time, conditional GET, clean article pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import feedparser
import httpx
import pytest
import trafilatura

from pipelines.demo.corpus import load_corpus
from pipelines.demo.server import DemoFeedServer, ReleaseSchedule, make_server


class FakeClock:
    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def running() -> Iterator[list[DemoFeedServer]]:
    servers: list[DemoFeedServer] = []
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def _start(running: list[DemoFeedServer], **kwargs) -> DemoFeedServer:
    server, _thread = make_server("127.0.0.1", 0, **kwargs)
    running.append(server)
    return server


def test_feed_is_valid_rss_with_every_article(running):
    server = _start(running, release_all=True)
    corpus = load_corpus()
    response = httpx.get(server.feed_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert len(parsed.entries) == len(corpus)
    by_link = {a.url(server.base_url): a for a in corpus}
    for entry in parsed.entries:
        article = by_link[entry.link]
        assert entry.title == article.title
        assert entry.id == entry.link
        assert parsedate_to_datetime(entry.published) == article.published
        assert entry.author == article.author
        assert entry.summary == article.paragraphs[0]


def test_articles_are_released_over_time(running):
    clock = FakeClock()
    server = _start(running, release_seconds=30, start_released=2, clock=clock)
    corpus = load_corpus()

    def visible() -> int:
        return len(feedparser.parse(httpx.get(server.feed_url).content).entries)

    third = corpus[2].url(server.base_url)
    assert visible() == 2
    assert httpx.get(corpus[1].url(server.base_url)).status_code == 200
    assert httpx.get(third).status_code == 404
    clock.now += 29
    assert visible() == 2
    clock.now += 1
    assert visible() == 3
    assert httpx.get(third).status_code == 200
    clock.now += 30 * 100
    assert visible() == len(corpus)


def test_feed_answers_304_until_something_new_is_released(running):
    clock = FakeClock()
    server = _start(running, release_seconds=60, start_released=1, clock=clock)
    first = httpx.get(server.feed_url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    again = httpx.get(server.feed_url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    by_date = httpx.get(server.feed_url, headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304

    clock.now += 60
    changed = httpx.get(server.feed_url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert len(feedparser.parse(changed.content).entries) == 2
    assert parsedate_to_datetime(changed.headers["last-modified"]) > parsedate_to_datetime(modified)
    assert httpx.get(server.feed_url, headers={"If-Modified-Since": modified}).status_code == 200


def test_article_page_survives_trafilatura_intact(running):
    server = _start(running, release_all=True)
    for article in load_corpus():
        html = httpx.get(article.url(server.base_url)).text
        extracted = json.loads(trafilatura.extract(html, output_format="json", with_metadata=True))
        assert extracted["text"] == article.text  # no title, byline, nav or footer mixed in
        assert extracted["title"] == article.title
        assert extracted["date"] == article.published.date().isoformat()
        assert extracted["author"] == article.author
        assert extracted["source-hostname"] == article.publisher


def test_article_page_metadata_and_escaping(running):
    article = load_corpus()[0]
    tricky = type(article)(
        slug="tricky", publisher="Ledger & Co", author="A <b>Writer</b>", published=article.published,
        title="Talks <end> & begin", paragraphs=("First <script>alert(1)</script> paragraph.", "Second."),
        release_order=1,
    )
    server = _start(running, release_all=True, articles=[tricky])
    html = httpx.get(tricky.url(server.base_url)).text
    assert '<meta property="og:site_name" content="Ledger &amp; Co">' in html
    assert '<meta name="author" content="A &lt;b&gt;Writer&lt;/b&gt;">' in html
    assert f'<meta property="article:published_time" content="{article.published.isoformat()}">' in html
    assert "<script>alert(1)</script>" not in html
    parsed = feedparser.parse(httpx.get(server.feed_url).content)
    assert parsed.bozo == 0 and parsed.entries[0].title == "Talks <end> & begin"


def test_unknown_paths_and_head(running):
    server = _start(running, release_all=True)
    assert httpx.get(f"{server.base_url}/articles/no-such-article.html").status_code == 404
    assert httpx.get(f"{server.base_url}/etc/passwd").status_code == 404
    head = httpx.head(server.feed_url)
    assert head.status_code == 200 and head.content == b"" and "etag" in head.headers
    index = httpx.get(server.base_url + "/")
    assert index.status_code == 200 and "/feed.xml" in index.text


def test_release_schedule():
    schedule = ReleaseSchedule(total=5, release_seconds=10, start_released=2, started_at=100.0)
    assert [schedule.released(t) for t in (50.0, 100.0, 109.9, 110.0, 125.0, 1000.0)] == [2, 2, 2, 3, 4, 5]
    assert schedule.released_at(2) == 100.0 and schedule.released_at(4) == 120.0
    assert ReleaseSchedule(5, 0, 0, 100.0).released(100.0) == 5
    assert ReleaseSchedule(5, 10, 9, 100.0).released(100.0) == 5
