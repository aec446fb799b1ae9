"""Feed scheduling: failure weights, exponential back-off, pausing, adaptive intervals."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipelines.ingest.schedule import adapt_interval, decide, failure_weight
from pipelines.settings import Settings

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def settings(tmp_path: Path, **kw: object) -> Settings:
    values: dict = dict(backoff_base=60, backoff_max=3600, pause_threshold=9, pause_hours=6,
                        poll_min_interval=120, poll_max_interval=7200)
    return Settings(home=tmp_path, **{**values, **kw})


@pytest.mark.parametrize(
    ("status", "failure", "http", "weight"),
    [
        ("ok", None, 200, 0.0),
        ("not_modified", None, 304, 0.0),
        ("deferred", "host_backoff", None, 0.0),
        ("fetch_error", "timeout", None, 1.0),
        ("fetch_error", "network", None, 1.0),
        ("http_error", "http", 503, 1.0),
        ("http_error", "http", 429, 1.0),
        ("http_error", "http", 404, 3.0),
        ("http_error", "http", 410, 3.0),
        ("fetch_error", "blocked", None, 3.0),
        ("fetch_error", "too_large", 200, 3.0),
        ("refused", None, 200, 3.0),
        ("not_a_feed", None, 200, 3.0),
        ("bozo", None, 200, 3.0),
        ("robots", "robots", None, 2.0),
    ],
)
def test_failure_weights(status: str, failure: str | None, http: int | None, weight: float) -> None:
    assert failure_weight(status, failure, http) == weight


def run(tmp_path: Path, status: str, score: float, **kw: object) -> object:
    args: dict = dict(status=status, failure=None, http_status=None, retry_after=None, error="boom",
                      previous_score=score, previous_interval=600.0, recent_published=[], new_entries=0,
                      now=NOW, settings=settings(tmp_path))
    args.update(kw)
    return decide(**args)


def test_backoff_doubles_with_the_weighted_score_and_is_capped(tmp_path: Path) -> None:
    delays = []
    score = 0.0
    for _ in range(5):
        d = run(tmp_path, "fetch_error", score, failure="timeout")
        delays.append((d.next_poll_at - NOW).total_seconds())
        score = d.failure_score
    assert delays == [60, 120, 240, 480, 960]
    hard = run(tmp_path, "http_error", 0.0, http_status=404)
    assert hard.failure_score == 3 and (hard.next_poll_at - NOW).total_seconds() == 240  # 60 * 2**2
    capped = run(tmp_path, "fetch_error", 8.0, failure="timeout", settings=settings(tmp_path, pause_threshold=100))
    assert (capped.next_poll_at - NOW).total_seconds() == 3600


def test_retry_after_is_a_floor(tmp_path: Path) -> None:
    d = run(tmp_path, "http_error", 0.0, http_status=429, retry_after=900.0)
    assert (d.next_poll_at - NOW).total_seconds() == 900
    assert d.paused_until is None


def test_pause_at_threshold_with_reason(tmp_path: Path) -> None:
    d = run(tmp_path, "refused", 6.0, error="refused XML: EntitiesForbidden")
    assert d.failure_score == 9
    assert d.paused_until == NOW + timedelta(hours=6) == d.next_poll_at
    assert "EntitiesForbidden" in (d.paused_reason or "") and "9" in (d.paused_reason or "")
    assert run(tmp_path, "refused", 3.0).paused_until is None


def test_success_resets_score_and_unpauses(tmp_path: Path) -> None:
    d = run(tmp_path, "ok", 8.0, new_entries=1)
    assert d.failure_score == 0 and d.paused_until is None and d.paused_reason is None


def test_interval_follows_publication_rate(tmp_path: Path) -> None:
    s = settings(tmp_path)
    hourly = [NOW - timedelta(hours=h) for h in range(6)]
    assert adapt_interval(None, hourly, 1, s) == 1800  # half the typical gap
    daily = [NOW - timedelta(days=d) for d in range(6)]
    assert adapt_interval(None, daily, 0, s) == 7200  # capped at the maximum
    burst = [NOW - timedelta(seconds=30 * i) for i in range(6)]
    assert adapt_interval(None, burst, 3, s) == 120  # floored at the minimum


def test_interval_without_dates_speeds_up_on_news_and_slows_down_without(tmp_path: Path) -> None:
    s = settings(tmp_path)
    assert adapt_interval(600, [], 2, s) == 300
    assert adapt_interval(600, [], 0, s) == 900
    assert adapt_interval(7000, [], 0, s) == 7200
