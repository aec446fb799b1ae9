from datetime import UTC, date, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.detect import classify_pair, detect, gap_between, severity
from pipelines.models import Claim

CAT = load_catalog()


def claim(cid, article, attribute, low, high, *, event="e1", as_of=None, published=None, kind=None, text=None):
    return Claim(
        claim_id=cid, article_id=article, attribute=attribute, kind=kind or CAT.kind_of(attribute),
        unit=CAT.unit_of(attribute), value_low=low, value_high=high, hedge="exact",
        value_text=text or str(low), scope="whole", as_of=as_of, quote="q", quote_start=0, quote_end=1,
        sentence="q", event_id=event, published=published,
    )


def test_fixed_attribute_non_overlap_is_conflict():
    a = claim("a", "art1", "prisoner_exchange.count_per_side", 500, 500)
    b = claim("b", "art2", "prisoner_exchange.count_per_side", 1000, 1000)
    found = detect([a, b], CAT)
    assert [(x.kind, x.claim_a, x.claim_b, x.gap) for x in found] == [("conflict", "a", "b", 500)]
    assert found[0].severity == "high"


def test_overlapping_intervals_agree_however_worded():
    a = claim("a", "art1", "talks.duration_minutes", 80, 90)
    b = claim("b", "art2", "talks.duration_minutes", 90, 110)
    assert detect([a, b], CAT) == []


def test_different_events_never_conflict():
    a = claim("a", "art1", "prisoner_exchange.count_per_side", 1000, 1000, event="may")
    b = claim("b", "art2", "prisoner_exchange.count_per_side", 1200, 1200, event="july")
    assert detect([a, b], CAT) == []


def test_same_article_never_conflicts_with_itself():
    a = claim("a", "art1", "talks.duration_minutes", 80, 90)
    b = claim("b", "art1", "talks.duration_minutes", 100, 119)
    assert detect([a, b], CAT) == []


def test_cumulative_later_higher_is_update_and_lower_is_revision():
    a = claim("a", "art1", "death_toll", 144, 144, as_of=date(2025, 3, 28))
    b = claim("b", "art2", "death_toll", 1700, 1700, as_of=date(2025, 3, 30))
    c = claim("c", "art3", "death_toll", 1600, 1600, as_of=date(2025, 4, 1))
    kinds = {(x.claim_a, x.claim_b): x.kind for x in detect([a, b, c], CAT)}
    assert kinds[("a", "b")] == "update"
    assert kinds[("b", "c")] == "revision"


def test_cumulative_figures_for_the_same_day_that_do_not_overlap_conflict():
    t0 = datetime(2025, 3, 29, 8, tzinfo=UTC)
    a = claim("a", "art1", "death_toll", 1000, 1000, as_of=date(2025, 3, 29), published=t0)
    b = claim("b", "art2", "death_toll", 700, 700, as_of=date(2025, 3, 29), published=t0.replace(hour=9))
    assert classify_pair(a, b, "cumulative")[0] == "conflict"
    c = claim("c", "art3", "death_toll", 1400, 1400, as_of=date(2025, 3, 29), published=t0.replace(hour=20))
    assert classify_pair(a, c, "cumulative")[0] == "conflict"
    d = claim("d", "art4", "death_toll", 990, 1100, as_of=date(2025, 3, 29), published=t0.replace(hour=21))
    assert classify_pair(a, d, "cumulative") is None


def test_fingerprint_follows_the_set_of_conflicting_values():
    a = claim("a", "art1", "prisoner_exchange.count_per_side", 500, 500)
    b = claim("b", "art2", "prisoner_exchange.count_per_side", 1000, 1000)
    first = {x.fingerprint for x in detect([a, b], CAT)}
    repeat = claim("c", "art3", "prisoner_exchange.count_per_side", 1000, 1000)
    assert {x.fingerprint for x in detect([a, b, repeat], CAT)} == first
    new_value = claim("d", "art4", "prisoner_exchange.count_per_side", 750, 750)
    assert {x.fingerprint for x in detect([a, b, new_value], CAT)} != first


def test_projection_and_subset_scopes_are_not_compared():
    a = claim("a", "art1", "death_toll", 100, 100, as_of=date(2025, 3, 29))
    b = claim("b", "art2", "death_toll.projection", 10000, None, as_of=date(2025, 3, 29))
    assert detect([a, b], CAT) == []


def test_syndicated_copies_do_not_contradict_each_other():
    a = claim("a", "art1", "talks.duration_minutes", 80, 90)
    b = claim("b", "copy", "talks.duration_minutes", 100, 119)
    assert detect([a, b], CAT, independent={"copy": "art1"}) == []


@pytest.mark.parametrize(("rel", "expected"), [(0.5, "high"), (0.15, "medium"), (0.01, "low")])
def test_severity_steps(rel, expected):
    assert severity(rel) == expected


def test_gap_with_open_bounds():
    a = claim("a", "x", "talks.duration_minutes", None, 59)
    b = claim("b", "y", "talks.duration_minutes", 95, 115)
    assert gap_between(a, b) == 36
    c = claim("c", "z", "talks.duration_minutes", 60, None)
    assert gap_between(a, c) == 1
