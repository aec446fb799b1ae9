"""The feeds file: ``feeds: [{name, url, topics: [...]}]`` -> typed ``FeedSource`` objects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml


@dataclass(frozen=True)
class FeedSource:
    name: str
    url: str
    topic_keywords: tuple[str, ...] = ()


def load_feeds(path: Path | str) -> list[FeedSource]:
    """Read and validate the feeds file; raise ``ValueError`` naming the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read feeds file: {exc}") from exc
    return parse_feeds(text, source=str(path))


def parse_feeds(text: str, source: str = "<feeds>") -> list[FeedSource]:
    """Validate the YAML text of a feeds file; ``source`` names it in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or "feeds" not in data:
        raise ValueError(f"{source}: expected a mapping with a 'feeds' list at the top level")
    items = data["feeds"]
    if not isinstance(items, list):
        raise ValueError(f"{source}: 'feeds' must be a list, got {type(items).__name__}")

    feeds: list[FeedSource] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"{source}: feeds[{index}]"
        feed = _parse_item(item, where)
        if feed.name in seen:
            raise ValueError(f"{where}: duplicate feed name {feed.name!r}")
        seen.add(feed.name)
        feeds.append(feed)
    return feeds


def _parse_item(item: Any, where: str) -> FeedSource:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: each feed must be a mapping with name and url")
    unknown = set(item) - {"name", "url", "topics"}
    if unknown:
        # A typo such as "ulr" would otherwise silently drop the value.
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: name, url, topics")

    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: missing or empty 'name'")
    name = name.strip()
    where = f"{where} ({name})"

    url = item.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"{where}: missing or empty 'url'")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{where}: url must be an absolute http(s) URL, got {url!r}")

    topics = item.get("topics") or []
    if isinstance(topics, str):
        topics = [topics]
    if not isinstance(topics, list) or not all(isinstance(t, str | int | float) for t in topics):
        raise ValueError(f"{where}: 'topics' must be a list of strings")
    keywords = tuple(str(t).strip() for t in topics if str(t).strip())
    return FeedSource(name=name, url=url, topic_keywords=keywords)
