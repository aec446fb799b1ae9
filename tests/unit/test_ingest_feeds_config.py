from pathlib import Path

import pytest

from pipelines.ingest.feeds_config import FeedSource, load_feeds, parse_feeds
from pipelines.settings import PROJECT_ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_typed_feeds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
feeds:
  - name: wire-a
    url: https://news.example.org/rss.xml
    topics: [ceasefire, " prisoners "]
  - name: wire-b
    url: http://127.0.0.1:9000/feed.xml
""",
    )
    assert load_feeds(path) == [
        FeedSource("wire-a", "https://news.example.org/rss.xml", ("ceasefire", "prisoners")),
        FeedSource("wire-b", "http://127.0.0.1:9000/feed.xml", ()),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("feeds: [\n  - name: x", "not valid YAML"),
        ("- name: x\n  url: http://a.example/f\n", "'feeds' list"),
        ("feeds: {name: x}", "must be a list"),
        ("feeds:\n  - just-a-string\n", "must be a mapping"),
        ("feeds:\n  - name: x\n", "missing or empty 'url'"),
        ("feeds:\n  - url: http://a.example/f\n", "missing or empty 'name'"),
        ("feeds:\n  - name: x\n    url: ftp://a.example/f\n", "absolute http(s) URL"),
        ("feeds:\n  - name: x\n    url: /relative/feed.xml\n", "absolute http(s) URL"),
        ("feeds:\n  - name: x\n    ulr: http://a.example/f\n", "unknown key"),
        ("feeds:\n  - name: x\n    url: http://a.example/f\n    topics: {a: 1}\n", "'topics'"),
        (
            "feeds:\n  - name: x\n    url: http://a.example/f\n  - name: x\n    url: http://b.example/f\n",
            "duplicate feed name 'x'",
        ),
    ],
)
def test_malformed_file_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as err:
        load_feeds(path)
    assert str(path) in str(err.value)
    assert problem in str(err.value)


def test_missing_file_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read feeds file"):
        load_feeds(tmp_path / "nope.yaml")


def test_error_points_at_the_bad_entry() -> None:
    text = "feeds:\n  - name: ok\n    url: http://a.example/f\n  - name: bad\n"
    with pytest.raises(ValueError, match=r"feeds\[1\] \(bad\)"):
        parse_feeds(text)


def test_repo_feeds_file_points_at_demo_feed() -> None:
    feeds = load_feeds(PROJECT_ROOT / "feeds.yaml")
    assert [f.name for f in feeds] == ["demo-wire"]
    assert feeds[0].url == "http://127.0.0.1:8765/feed.xml"
