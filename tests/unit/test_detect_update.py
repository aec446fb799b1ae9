"""A group updated from its stored contradictions when reports join it (``updated_group``) equals
the group recomputed from all its reports, on generated groups built to reach every rule: same-day
conflicts inside and outside the window, reports without a time or without any date, one outlet's
runs in the chain, reports below the alert threshold, and fixed attributes."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.detect import Rules, contradictions_of_group, detect
from pipelines.detect_update import detect_updated, updated_group
from pipelines.models import Claim

CAT = load_catalog()
RULES = Rules()
T0 = datetime(2025, 3, 28, 6, tzinfo=UTC)


def _report(rng: random.Random, n: int, attribute: str, undated_share: float) -> Claim:
    kind = CAT.kind_of(attribute)
    roll = rng.random()
    if roll < undated_share:
        published, as_of = None, None  # no date at all: pairs with every other report
    else:
        day = T0 + timedelta(days=rng.randint(0, 3))
        # a publication day without a time (midnight), or a time within the day
        published = day.replace(hour=0) if rng.random() < 0.1 else day + timedelta(minutes=rng.randint(0, 16 * 60))
        as_of = published.date() if kind == "cumulative" and rng.random() < 0.9 else (
            date(2025, 3, 28) + timedelta(days=rng.randint(0, 3)) if kind == "cumulative" else None)
    low = float(rng.choice([20, 40, 60, 85, 90, 120, 179, 200]))
    return Claim(
        claim_id=f"c{n:03}", article_id=f"a{n:03}", attribute=attribute, kind=kind, unit=CAT.unit_of(attribute),
        value_low=low, value_high=low if rng.random() < 0.7 else low + 10, hedge="exact", value_text=f"{low:g}",
        scope="whole", as_of=as_of, quote="q", quote_start=0, quote_end=1, sentence="q", event_id="ev",
        published=published, confidence=0.4 if rng.random() < 0.1 else 0.9)


def _group(rng: random.Random, attribute: str, size: int, outlets: int,
           undated_share: float) -> tuple[list[Claim], dict[str, str]]:
    claims = [_report(rng, n, attribute, undated_share) for n in range(size)]
    return claims, {c.claim_id: f"outlet{rng.randrange(outlets)}" for c in claims}


def _recomputed(attribute: str, members: list[Claim], source: dict[str, str]) -> list:
    return contradictions_of_group("ev", attribute, CAT.kind_of(attribute), members, source, RULES)


@pytest.mark.parametrize("attribute", ["death_toll", "talks.duration_minutes"])
@pytest.mark.parametrize("seed", range(12))
def test_a_group_updated_from_its_stored_pairs_equals_the_group_recomputed(attribute, seed):
    rng = random.Random(seed)
    claims, source = _group(rng, attribute, rng.randint(5, 60), rng.choice([2, 3, 8]), undated_share=0.05)
    rng.shuffle(claims)  # earlier reports arrive late
    members: list[Claim] = []
    stored = _recomputed(attribute, members, source)
    updated = 0
    while len(members) < len(claims):
        new = claims[len(members):len(members) + rng.randint(1, 6)]
        members = members + new
        found = updated_group("ev", attribute, CAT.kind_of(attribute), members, {c.claim_id for c in new},
                              stored, source, RULES)
        want = _recomputed(attribute, members, source)
        if found is not None:
            updated += 1
            assert found == want
        stored = want
    assert updated, "most batches are updated, not recomputed"


def test_a_new_report_without_any_date_or_a_lost_report_needs_a_full_recompute():
    rng = random.Random(5)
    claims, source = _group(rng, "death_toll", 12, 4, undated_share=0.0)
    stored = _recomputed("death_toll", claims[:-1], source)
    undated = [c for c in claims[:-1]] + [Claim(**{**claims[-1].__dict__, "published": None, "as_of": None})]
    assert updated_group("ev", "death_toll", "cumulative", undated, {claims[-1].claim_id}, stored, source, RULES) is None
    assert stored, "the generated group has contradictions"
    lost = [c for c in claims[:-1] if c.claim_id not in {stored[0].claim_a, stored[0].claim_b}]
    assert updated_group("ev", "death_toll", "cumulative", lost, set(), stored, source, RULES) is None


def test_detect_updates_only_the_groups_it_is_given_stored_pairs_for():
    rng = random.Random(9)
    claims, source = _group(rng, "death_toll", 30, 3, undated_share=0.0)
    sources = {c.article_id: source[c.claim_id] for c in claims}
    old, new = claims[:25], claims[25:]
    stored = {("ev", "death_toll"): detect(old, CAT, sources, RULES)}
    assert detect_updated(claims, CAT, sources, RULES, stored=stored, new_ids={c.claim_id for c in new}) == \
        detect(claims, CAT, sources, RULES)
