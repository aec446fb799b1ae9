from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.detect import Rules, cumulative_verdict, detect, figure, gap_between, severity
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


T0 = datetime(2025, 3, 29, 8, tzinfo=UTC)
DAY = date(2025, 3, 29)


def kinds_of(found):
    return {(x.claim_a, x.claim_b): x.kind for x in found}


def test_cumulative_later_day_higher_is_update_and_lower_is_revision():
    a = claim("a", "art1", "death_toll", 144, 144, as_of=date(2025, 3, 28))
    b = claim("b", "art2", "death_toll", 1700, 1700, as_of=date(2025, 3, 30))
    c = claim("c", "art3", "death_toll", 1600, 1600, as_of=date(2025, 4, 1))
    assert kinds_of(detect([a, b, c], CAT)) == {("a", "b"): "update", ("b", "c"): "revision"}


def test_a_toll_rising_through_one_day_is_a_chain_of_updates():
    tolls = [28, 85, 122, 179]
    reports = [claim(f"t{i}", f"art{i}", "death_toll", n, n, as_of=DAY, published=T0 + timedelta(hours=i))
               for i, n in enumerate(tolls)]
    found = detect(reports, CAT)
    # each report against the latest earlier one: three links, not six pairs, none a conflict
    assert kinds_of(found) == {("t0", "t1"): "update", ("t1", "t2"): "update", ("t2", "t3"): "update"}
    assert found[0].reason.startswith("rose from ")


def test_a_long_timeline_has_about_one_link_per_report():
    reports = [claim(f"r{i:03}", f"art{i}", "death_toll", 10 * i + 10, 10 * i + 10,
                     as_of=date(2025, 3, 1) + timedelta(days=i // 4), published=T0 + timedelta(hours=6 * i))
               for i in range(200)]
    assert len(detect(reports, CAT)) == 199


def test_a_lower_figure_for_the_same_day_within_the_window_conflicts():
    a = claim("a", "art1", "death_toll", 1000, 1000, as_of=DAY, published=T0)
    b = claim("b", "art2", "death_toll", 700, 700, as_of=DAY, published=T0 + timedelta(hours=5, minutes=59))
    assert cumulative_verdict(a, b, Rules()) == "conflict"
    found = detect([a, b], CAT)
    assert [x.kind for x in found] == ["conflict"]
    assert found[0].reason == "1,000 people vs 700 people, both for 29 March 2025 and published 6 hours apart"


def test_the_same_lower_figure_outside_the_window_or_another_day_is_a_revision():
    a = claim("a", "art1", "death_toll", 1000, 1000, as_of=DAY, published=T0)
    later = claim("b", "art2", "death_toll", 700, 700, as_of=DAY, published=T0 + timedelta(hours=7))
    next_day = claim("c", "art3", "death_toll", 700, 700, as_of=DAY + timedelta(days=1),
                     published=T0 + timedelta(hours=2))
    assert cumulative_verdict(a, later, Rules()) == "revision"
    assert cumulative_verdict(a, next_day, Rules()) == "revision"
    assert cumulative_verdict(a, later, Rules(conflict_window=timedelta(hours=8))) == "conflict"


def test_figures_published_at_the_same_moment_conflict_whichever_is_higher():
    a = claim("a", "art1", "death_toll", 100, 100, as_of=DAY, published=T0)
    b = claim("b", "art2", "death_toll", 150, 150, as_of=DAY, published=T0)
    assert [x.kind for x in detect([a, b], CAT)] == ["conflict"]


def test_every_disagreeing_pair_at_one_time_is_kept():
    a = claim("a", "art1", "death_toll", 300, 300, as_of=DAY, published=T0)
    b = claim("b", "art2", "death_toll", 300, 300, as_of=DAY, published=T0 + timedelta(hours=1))
    c = claim("c", "art3", "death_toll", 200, 200, as_of=DAY, published=T0 + timedelta(hours=2))
    assert kinds_of(detect([a, b, c], CAT)) == {("a", "c"): "conflict", ("b", "c"): "conflict"}


def test_times_in_different_zones_are_compared_in_utc():
    a = claim("a", "art1", "death_toll", 265, 265, as_of=DAY,
              published=datetime(2025, 3, 29, 11, 20, tzinfo=timezone(timedelta(hours=1))))
    b = claim("b", "art2", "death_toll", 200, 200, as_of=DAY,
              published=datetime(2025, 3, 29, 15, 10, tzinfo=timezone(timedelta(hours=5, minutes=30))))
    assert cumulative_verdict(a, b, Rules()) == "conflict"  # 10:20 and 09:40 UTC


def test_a_report_without_any_date_is_unordered_and_never_a_conflict():
    dated = claim("a", "art1", "death_toll", 1700, 1700, as_of=DAY, published=T0)
    undated = claim("b", "art2", "death_toll", 2400, None)
    found = detect([dated, undated], CAT)
    assert [(x.kind, x.claim_a, x.claim_b) for x in found] == [("unordered", "a", "b")]
    assert "which came first is unknown" in found[0].reason


def test_same_day_without_a_publication_time_is_unordered_but_other_days_are_ordered():
    a = claim("a", "art1", "death_toll", 1700, 1700, as_of=DAY, published=T0)
    same_day = claim("b", "art2", "death_toll", 1200, 1200, as_of=DAY)
    next_day = claim("c", "art3", "death_toll", 2000, 2000, as_of=DAY + timedelta(days=1))
    kinds = kinds_of(detect([a, same_day, next_day], CAT))
    assert kinds[("a", "b")] == "unordered"
    assert kinds[("b", "c")] == "update"
    assert "conflict" not in kinds.values()


def test_a_missing_as_of_orders_by_publication():
    a = claim("a", "art1", "death_toll", 1000, 1000, published=T0)
    b = claim("b", "art2", "death_toll", 700, 700, published=T0 + timedelta(hours=2))
    c = claim("c", "art3", "death_toll", 900, 900, published=T0 + timedelta(days=2))
    assert kinds_of(detect([a, b, c], CAT)) == {("a", "b"): "conflict", ("b", "c"): "update"}


def test_one_outlet_never_conflicts_with_itself():
    a = claim("a", "art1", "death_toll", 1000, 1000, as_of=DAY, published=T0)
    b = claim("b", "art2", "death_toll", 700, 700, as_of=DAY, published=T0 + timedelta(hours=1))
    sources = {"art1": "northern wire", "art2": "northern wire"}
    assert detect([a, b], CAT, sources) == []
    fixed_a = claim("c", "art1", "talks.duration_minutes", 80, 90)
    fixed_b = claim("d", "art2", "talks.duration_minutes", 100, 119)
    assert detect([fixed_a, fixed_b], CAT, sources) == []


def test_the_chain_skips_the_reports_own_source():
    a = claim("a", "art1", "death_toll", 100, 100, as_of=DAY, published=T0)
    b = claim("b", "art2", "death_toll", 150, 150, as_of=DAY, published=T0 + timedelta(hours=8))
    c = claim("c", "art3", "death_toll", 200, 200, as_of=DAY, published=T0 + timedelta(hours=9))
    # c copies b: it is linked to a, the latest earlier report of another source
    assert kinds_of(detect([a, b, c], CAT, {"art3": "art2"})) == {("a", "b"): "update", ("a", "c"): "update"}


def test_fixed_reason_reads_like_a_sentence():
    a = claim("a", "art1", "talks.duration_minutes", 81, 90)
    b = claim("b", "art2", "talks.duration_minutes", 102, 119)
    assert detect([a, b], CAT)[0].reason == "81–90 minutes vs 102–119 minutes"
    assert figure(claim("c", "x", "death_toll", 5300, None)) == "at least 5,300 people"
    assert figure(claim("d", "x", "talks.duration_minutes", None, 59)) == "at most 59 minutes"


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
    assert detect([a, b], CAT, {"copy": "art1"}) == []


@pytest.mark.parametrize(("rel", "expected"), [(0.5, "high"), (0.15, "medium"), (0.01, "low")])
def test_severity_steps(rel, expected):
    assert severity(rel) == expected


def test_gap_with_open_bounds():
    a = claim("a", "x", "talks.duration_minutes", None, 59)
    b = claim("b", "y", "talks.duration_minutes", 95, 115)
    assert gap_between(a, b) == 36
    c = claim("c", "z", "talks.duration_minutes", 60, None)
    assert gap_between(a, c) == 1


def test_analyze_treats_an_outlet_and_its_syndicated_copies_as_one_source():
    from pipelines.analyze import article_sources
    from pipelines.models import ArticleInput

    wire = " ".join(f"Rescuers searched collapsed building number {i} through the night." for i in range(12))
    articles = [
        ArticleInput("w", wire, publisher="Harbour Wire"),
        ArticleInput("copy", wire + " Reposted with permission.", publisher="Valley Times"),
        ArticleInput("own", "A different story entirely, written by our own reporter about the floods.",
                     publisher="Valley Times"),
    ]
    sources = article_sources(articles, syndication_threshold=0.85)
    assert sources["copy"] == sources["w"] == "harbour wire"
    assert sources["own"] == "valley times"


def test_a_publication_day_without_a_time_cannot_order_two_reports_of_that_day():
    # pages that give only a date arrive as midnight: which of the two came first is unknown
    day_only = datetime(2025, 3, 29, tzinfo=UTC)
    a = claim("a", "art1", "death_toll", 1000, 1000, as_of=DAY, published=day_only)
    b = claim("b", "art2", "death_toll", 700, 700, as_of=DAY, published=day_only)
    c = claim("c", "art3", "death_toll", 1200, 1200, as_of=DAY + timedelta(days=1), published=day_only + timedelta(days=1))
    assert kinds_of(detect([a, b, c], CAT)) == {("a", "b"): "unordered", ("b", "c"): "update"}


def test_a_conflict_with_an_uncertain_side_is_stored_as_unconfirmed_and_keeps_the_alert_key():
    from dataclasses import replace

    a = claim("a", "art1", "prisoner_exchange.count_per_side", 500, 500)
    b = claim("b", "art2", "prisoner_exchange.count_per_side", 1000, 1000)
    c = replace(claim("c", "art3", "prisoner_exchange.count_per_side", 750, 750), confidence=0.3)
    found = {(x.claim_a, x.claim_b): x for x in detect([a, b, c], CAT, rules=Rules(min_confidence=0.5))}
    assert {k: x.kind for k, x in found.items()} == {("a", "b"): "conflict", ("a", "c"): "unconfirmed",
                                                    ("b", "c"): "unconfirmed"}
    # the uncertain 750 does not change what the alert is about
    assert found[("a", "b")].fingerprint == detect([a, b], CAT)[0].fingerprint
    assert "uncertain" in found[("a", "c")].reason
    assert {x.kind for x in detect([a, b, c], CAT, rules=Rules(min_confidence=0.2))} == {"conflict"}
