"""When to poll a feed next: weighted failures, exponential back-off, pausing, adaptive interval. Pure.

Failures are weighed by how likely they are to fix themselves. A timeout or a 503 usually passes
(weight 1); a 404, a refused XML document or an HTML page where the feed should be needs a person
(weight 3). The score is the sum since the last success, so the back-off grows faster for hard
failures, and a feed whose score reaches ``pause_threshold`` is paused and reported to operators.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from pipelines.settings import Settings

TRANSIENT, HARD = 1.0, 3.0
_HARD_FAILURES = {"blocked", "redirects", "too_large", "encoding"}
# Statuses a poll can end with. success: the feed answered usefully; deferred: not contacted.
SUCCESS = {"ok", "not_modified"}
DEFERRED = {"deferred"}


def failure_weight(status: str, failure: str | None, http_status: int | None) -> float:
    """0 for success or a poll we chose not to make; 1 for transient failures; 2-3 for hard ones."""
    if status in SUCCESS or status in DEFERRED:
        return 0.0
    if status in ("refused", "not_a_feed", "bozo"):
        return HARD
    if status == "robots":
        return 2.0  # the site asked us not to: not transient, but it may be lifted
    if http_status is not None:
        if http_status in (408, 425, 429) or http_status >= 500:
            return TRANSIENT
        return HARD  # 4xx: gone, forbidden, wrong URL
    return HARD if failure in _HARD_FAILURES else TRANSIENT


@dataclass(frozen=True)
class Decision:
    next_poll_at: datetime
    poll_interval_s: float
    failure_score: float
    paused_until: datetime | None = None
    paused_reason: str | None = None


def adapt_interval(
    current: float | None, recent_published: list[datetime], new_entries: int, settings: Settings
) -> float:
    """Poll about twice per typical gap between the feed's items; without dates, speed up when
    there was news and slow down when there was none."""
    low, high = settings.poll_min_interval, max(settings.poll_max_interval, settings.poll_min_interval)
    stamps = sorted(recent_published)
    gaps = [(b - a).total_seconds() for a, b in zip(stamps, stamps[1:], strict=False) if b > a]
    if len(gaps) >= 2:
        wanted = statistics.median(gaps) / 2
    else:
        base = current if current is not None else low
        wanted = base / 2 if new_entries else base * 1.5
    return min(max(wanted, low), high)


def decide(
    *,
    status: str,
    failure: str | None,
    http_status: int | None,
    retry_after: float | None,
    error: str | None,
    previous_score: float,
    previous_interval: float | None,
    recent_published: list[datetime],
    new_entries: int,
    now: datetime,
    settings: Settings,
    deferred_until: datetime | None = None,
) -> Decision:
    """The feed's schedule after a poll that ended with ``status``."""
    interval = previous_interval if previous_interval is not None else settings.poll_min_interval
    if status in DEFERRED:
        return Decision(deferred_until or now + timedelta(seconds=interval), interval, previous_score)
    if status in SUCCESS:
        interval = adapt_interval(previous_interval, recent_published, new_entries, settings)
        return Decision(now + timedelta(seconds=interval), interval, 0.0)

    score = previous_score + failure_weight(status, failure, http_status)
    if score >= settings.pause_threshold:
        until = now + timedelta(hours=settings.pause_hours)
        reason = f"failure score {score:g} reached {settings.pause_threshold:g}; last: {status}: {error}"
        return Decision(until, interval, score, paused_until=until, paused_reason=reason)
    delay = min(settings.backoff_max, settings.backoff_base * 2 ** max(score - 1.0, 0.0))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return Decision(now + timedelta(seconds=delay), interval, score)
