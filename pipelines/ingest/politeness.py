"""Per-origin politeness for one ingest run: concurrency, minimum delay, robots.txt, Retry-After.

An origin is scheme://host:port (``http.origin_of``), the unit robots.txt (RFC 9309) and servers'
rate limits apply to. One ``Politeness`` object is shared by the run's worker threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.robotparser import RobotFileParser

import httpx

from pipelines.ingest.http import fetch, origin_of
from pipelines.settings import Settings

_MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more would starve the feed; we cap and log it


class Politeness:
    def __init__(self, settings: Settings, blocked: dict[str, tuple[datetime, str]] | None = None) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_at: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}  # parser, or the reason everything is refused
        self._robots_locks: dict[str, threading.Lock] = {}
        # origin -> (until, reason): loaded from host_state, extended by Retry-After during the run.
        self.blocked: dict[str, tuple[datetime, str]] = dict(blocked or {})

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the origin's concurrent slots, starting no sooner than its minimum delay."""
        origin = origin_of(url)
        with self._lock:
            sem = self._slots.setdefault(origin, threading.BoundedSemaphore(max(self.settings.host_concurrency, 1)))
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_at.get(origin, now))
                # Reserve the start time before sleeping, so concurrent callers queue up behind it.
                self._next_at[origin] = start + self._delay.get(origin, self.settings.host_min_delay)
            if start > now:
                time.sleep(start - now)
            yield

    def backoff_reason(self, url: str, now: datetime | None = None) -> str | None:
        """Why the origin must not be contacted now (a Retry-After still running), or None."""
        origin = origin_of(url)
        with self._lock:
            found = self.blocked.get(origin)
        if found and found[0] > (now or datetime.now(UTC)):
            return f"origin backing off until {found[0].isoformat(timespec='seconds')} ({found[1]})"
        return None

    def back_off(self, url: str, seconds: float, reason: str) -> None:
        until = datetime.now(UTC) + timedelta(seconds=seconds)
        with self._lock:
            current = self.blocked.get(origin_of(url))
            if current is None or current[0] < until:
                self.blocked[origin_of(url)] = (until, reason)

    def robots_refusal(self, url: str, client: httpx.Client) -> str | None:
        """None if robots.txt lets our user agent fetch ``url``; otherwise the reason."""
        origin = origin_of(url)
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt fetch per origin per run, even with several workers
            rules = self._robots.get(origin)
            if rules is None:
                rules = self._load_robots(origin, client)
                self._robots[origin] = rules
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.settings.user_agent, url):
            return "robots.txt disallows this URL for our user agent"
        return None

    def _load_robots(self, origin: str, client: httpx.Client) -> RobotFileParser | str:
        result = fetch(origin + "/robots.txt", self.settings, client=client, gate=self, robots=False)
        parser = RobotFileParser()
        if result.ok:
            parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
            delay = parser.crawl_delay(self.settings.user_agent)
            if delay is not None:
                with self._lock:
                    self._delay[origin] = max(self.settings.host_min_delay, min(float(delay), _MAX_CRAWL_DELAY))
            return parser
        if result.status is not None and 400 <= result.status < 500 and result.status != 429:
            # RFC 9309 2.3.1.3: robots.txt "unavailable" (4xx) means no restrictions.
            parser.parse([])
            return parser
        # RFC 9309 2.3.1.4: unreachable (5xx, 429, network) means assume complete disallow.
        return f"robots.txt unreachable, assuming disallow (RFC 9309): {result.error}"
