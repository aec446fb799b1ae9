"""The eval scorer, rule by rule, on small hand-made cases (all texts written for these tests)."""

from __future__ import annotations

import json

import pytest

from pipelines.evaluation import VOCABULARY, format_report, score, summary_line

NO_PAIRS = {"conflicts": [], "updates": [], "ambiguous": []}


def g(id_, article, attribute, low, high, event="ev1", quote="", as_of=None):
    return {"id": id_, "article": article, "event": event, "attribute": attribute,
            "value_low": low, "value_high": high, "quote": quote, "as_of": as_of}


def p(id_, article, attribute, low, high, event="E1", quote=""):
    return {"id": id_, "article": article, "event": event, "attribute": attribute,
            "value_low": low, "value_high": high, "as_of": None, "quote": quote}


def preds(claims, contradictions=()):
    return {"claims": list(claims), "contradictions": list(contradictions)}


def claims_of(gold, predictions):
    return score(preds(predictions), gold, NO_PAIRS)["claims"]


def test_vocabulary_has_the_contract_attributes():
    assert "death_toll.onboard" in VOCABULARY and "death_toll.ground" in VOCABULARY
    assert "death_toll" in VOCABULARY and "prisoner_exchange.count_per_side" in VOCABULARY
    assert len(VOCABULARY) == len(set(VOCABULARY)) == 12


@pytest.mark.parametrize(
    ("gold_iv", "pred_iv", "matched"),
    [
        ((100, 119), (118, 125), True),    # overlap, midpoint 121.5 within 119 + 11.9
        ((100, 119), (120, 140), False),   # no overlap
        ((1000, 1000), (1090, 1090), False),  # within 10 % but the intervals do not overlap
        ((1000, 1000), (900, 1200), True),  # midpoint 1050 inside [900, 1100]
        ((1000, 1000), (0, 3000), False),   # overlaps, but midpoint 1500 is far off
        ((None, 59), (None, 50), True),     # finite bound is the representative value
        ((None, 59), (50, None), True),
        ((None, 59), (70, None), False),
        ((3, 3), (2, 5), True),             # widening is at least 1: [2, 4] holds 3.5
        ((30, 30), (25, 45), False),        # 10 % of 30 is 3: 35 is outside [27, 33]
        ((30, 30), (None, None), False),    # no representative value
        ((None, None), (10, 10), True),     # an unbounded gold interval holds everything
    ],
)
def test_claim_matching_rule(gold_iv, pred_iv, matched):
    c = claims_of([g("g1", "a1", "injured", *gold_iv)], [p("p1", "a1", "injured", *pred_iv)])
    assert c["tp"] == int(matched)
    assert c["fp"] == int(not matched) and c["fn"] == int(not matched)


def test_article_and_attribute_must_be_equal():
    gold = [g("g1", "a1", "injured", 10, 10)]
    c = claims_of(gold, [p("p1", "a2", "injured", 10, 10), p("p2", "a1", "missing", 10, 10)])
    assert (c["tp"], c["fp"], c["fn"]) == (0, 2, 1)
    assert c["precision"] == 0.0 and c["recall"] == 0.0


def test_duplicates_are_removed_per_article_attribute_interval():
    gold = [g("g1", "a1", "injured", 10, 10)]
    c = claims_of(gold, [p("p1", "a1", "injured", 10, 10), p("p2", "a1", "injured", 10, 10),
                         p("p3", "a1", "injured", 10.0, 10.0)])
    assert c["duplicates_removed"] == 2
    assert (c["tp"], c["fp"], c["precision"]) == (1, 0, 1.0)
    # A different interval is a different prediction, and an unmatched one is a false positive.
    c = claims_of(gold, [p("p1", "a1", "injured", 10, 10), p("p2", "a1", "injured", 9, 11)])
    assert (c["tp"], c["fp"], c["duplicates_removed"]) == (1, 1, 0)
    assert c["precision"] == 0.5


def test_matching_is_one_to_one_and_maximal():
    gold = [g("g1", "a1", "talks.duration_minutes", 100, 100),
            g("g2", "a1", "talks.duration_minutes", 103, 103)]
    # p1 is closest to g1 but also fits g2; p2 fits only g1: the maximum matching uses both.
    c = claims_of(gold, [p("p1", "a1", "talks.duration_minutes", 95, 105),
                         p("p2", "a1", "talks.duration_minutes", 100, 100)])
    assert c["tp"] == 2 and c["fp"] == 0 and c["fn"] == 0
    assert sorted((m["gold"], m["prediction"]) for m in c["matches"]) == [("g1", "p2"), ("g2", "p1")]
    # One prediction cannot match two gold claims.
    c = claims_of(gold, [p("p1", "a1", "talks.duration_minutes", 95, 105)])
    assert (c["tp"], c["fn"]) == (1, 1)


def test_precision_ignores_attributes_outside_the_vocabulary():
    gold = [g("g1", "a1", "injured", 10, 10)]
    c = claims_of(gold, [p("p1", "a1", "injured", 10, 10), p("p2", "a1", "death_toll.harbour", 3, 3),
                         p("p3", "a1", "rainfall_mm", 40, 40)])
    assert (c["tp"], c["fp"], c["predicted"], c["out_of_vocabulary_predictions"]) == (1, 0, 1, 2)
    assert c["precision"] == 1.0


# A flood article: a national toll and, in the same paragraph, a city's share (a trap).
FLOOD_TEXT = ("Rescuers said between 38 and 45 people had died across the province by Sunday; "
              "40 of them in the river town of Lindau, the mayor told reporters.")
NATIONAL = g("g1", "f1", "death_toll", 38, 45, quote="between 38 and 45 people had died across the province")
CITY_TRAP = g("g2", "f1", "death_toll.lindau", 40, 40, quote="40 of them in the river town of Lindau")
FLOOD_ARTICLES = [{"id": "f1", "url": "https://x.example/f", "publisher": "X", "published": None,
                   "title": "Flood", "text": FLOOD_TEXT}]


def test_traps_are_not_counted_for_recall():
    c = claims_of([NATIONAL, CITY_TRAP], [p("p1", "f1", "death_toll", 38, 45, quote=NATIONAL["quote"])])
    assert (c["gold"], c["trap_gold"], c["tp"], c["recall"], c["precision"]) == (1, 1, 1, 1.0, 1.0)
    # A prediction under the trap's own (non-vocabulary) name is simply ignored.
    c = claims_of([NATIONAL, CITY_TRAP], [p("p1", "f1", "death_toll.lindau", 40, 40, quote=CITY_TRAP["quote"])])
    assert (c["tp"], c["fp"], c["fn"], c["trap_hits"]) == (0, 0, 1, 0)


def test_city_toll_extracted_as_death_toll_is_a_false_positive_even_if_the_value_fits():
    # [40, 40] would match the national [38, 45] on value alone; its quote is the city's sentence.
    city_as_national = p("p1", "f1", "death_toll", 40, 40, quote="40 of them in the river town of Lindau")
    for articles in (None, FLOOD_ARTICLES):
        m = score(preds([city_as_national]), [NATIONAL, CITY_TRAP], NO_PAIRS, articles)["claims"]
        assert (m["tp"], m["fp"], m["fn"], m["trap_hits"]) == (0, 1, 1, 1)
        assert m["false_positives"][0]["trap"]["id"] == "g2"


def test_trap_quote_overlap_uses_article_offsets_when_articles_are_given():
    # This quote overlaps the trap's span in the text without either quote containing the other.
    partial = p("p1", "f1", "death_toll", 40, 40, quote="them in the river town of Lindau, the mayor told")
    without = score(preds([partial]), [NATIONAL, CITY_TRAP], NO_PAIRS)["claims"]
    with_text = score(preds([partial]), [NATIONAL, CITY_TRAP], NO_PAIRS, FLOOD_ARTICLES)["claims"]
    assert (without["tp"], without["trap_hits"]) == (1, 0)
    assert (with_text["tp"], with_text["fp"], with_text["trap_hits"]) == (0, 1, 1)


def test_prediction_quoting_both_figures_may_still_match_the_vocabulary_claim():
    whole_sentence = p("p1", "f1", "death_toll", 40, 40, quote=FLOOD_TEXT)
    m = score(preds([whole_sentence]), [NATIONAL, CITY_TRAP], NO_PAIRS, FLOOD_ARTICLES)["claims"]
    assert (m["tp"], m["trap_hits"]) == (1, 0)


def test_without_a_quote_the_value_alone_decides():
    m = claims_of([NATIONAL, CITY_TRAP], [p("p1", "f1", "death_toll", 40, 40, quote="")])
    assert (m["tp"], m["trap_hits"]) == (1, 0)
    # Unmatched and fitting the trap: reported as a trap hit.
    m = claims_of([CITY_TRAP], [p("p1", "f1", "death_toll", 40, 40, quote="")])
    assert (m["fp"], m["trap_hits"]) == (1, 1)


def test_events_pairwise_f1():
    gold = [g("g1", "a1", "injured", 1, 1, event="talks-may"), g("g2", "a2", "injured", 2, 2, event="talks-may"),
            g("g3", "a3", "injured", 3, 3, event="talks-july"), g("g4", "a4", "injured", 4, 4, event="talks-july")]
    predictions = [p("p1", "a1", "injured", 1, 1, event="x"), p("p2", "a2", "injured", 2, 2, event="x"),
                   p("p3", "a3", "injured", 3, 3, event="x"), p("p4", "a4", "injured", 4, 4, event="y")]
    e = score(preds(predictions), gold, NO_PAIRS)["events"]
    # (1,2) right; (1,3) and (2,3) wrongly joined; (3,4) wrongly split; (1,4), (2,4) rightly apart.
    assert (e["pairs"], e["tp"], e["fp"], e["fn"]) == (6, 1, 2, 1)
    assert e["f1"] == pytest.approx(0.4)
    # Labels only matter by equality; null predicted events are never "the same".
    predictions = [dict(x, event=None) for x in predictions]
    e = score(preds(predictions), gold, NO_PAIRS)["events"]
    assert (e["tp"], e["fp"], e["fn"], e["f1"]) == (0, 0, 2, 0.0)


def test_events_only_use_matched_claims():
    gold = [g("g1", "a1", "injured", 1, 1, event="A"), g("g2", "a2", "injured", 2, 2, event="A"),
            g("g3", "a3", "injured", 3, 3, event="A")]
    # g3 is not matched (wrong value), so only the pair (g1, g2) is scored.
    predictions = [p("p1", "a1", "injured", 1, 1, event="k"), p("p2", "a2", "injured", 2, 2, event="k"),
                   p("p3", "a3", "injured", 30, 30, event="z")]
    e = score(preds(predictions), gold, NO_PAIRS)["events"]
    assert (e["pairs"], e["tp"], e["f1"]) == (1, 1, 1.0)


# Gold claims for conflicts: articles s1..s5, written for this test; pairs in the seed file's format.
CONFLICT_GOLD = [
    g("g1", "s1", "prisoner_exchange.count_per_side", 500, 500, event="may"),
    g("g2", "s2", "prisoner_exchange.count_per_side", 1000, 1000, event="may"),
    g("g3", "s3", "talks.duration_minutes", 80, 90, event="may"),
    g("g4", "s4", "talks.duration_minutes", 90, 110, event="may"),
    g("g5", "s5", "prisoner_exchange.count_per_side", 1200, 1200, event="july"),
    g("g6", "s4", "prisoner_exchange.count_per_side", 1000, 1000, event="may"),
]
CONFLICT_PAIRS = {
    "description": "free text is ignored",
    "conflicts": [
        {"a": "g1", "b": "g2", "strength": "strong", "why": "500 vs 1,000 per side"},
        {"a": "g1", "b": "g6", "strength": "strong", "why": "500 vs 1,000 per side"},
        {"a": "g3", "b": "g4", "strength": "marginal", "why": "the intervals touch"},
    ],
    "updates": [{"a": "g2", "b": "g5", "why": "a later round"}],
}


def conflict_preds(pairs_of_claims, kind="conflict"):
    claims = [p(f"p{x['id'][1:]}", x["article"], x["attribute"], x["value_low"], x["value_high"])
              for x in CONFLICT_GOLD]
    contradictions = [{"a": a, "b": b, "kind": kind, "severity": "high"} for a, b in pairs_of_claims]
    return preds(claims, contradictions)


def test_conflicts_scored_per_article_pair_and_attribute():
    predicted = conflict_preds([
        ("p2", "p1"),   # strong (order of a/b does not matter)
        ("p1", "p2"),   # the same key again: counted once
        ("p3", "p4"),   # marginal: neutral
        ("p2", "p5"),   # gold update: a false positive and a false alarm
        ("p2", "p6"),   # not in gold at all: a false positive
    ])
    m = score(predicted, CONFLICT_GOLD, CONFLICT_PAIRS)
    x = m["conflicts"]
    assert (x["tp"], x["fp"], x["fn"], x["neutral"], x["predicted"]) == (1, 2, 1, 1, 4)
    assert x["precision"] == pytest.approx(1 / 3) and x["recall"] == 0.5
    assert m["false_alarms"] == 1
    assert x["missed"] == [{"articles": ["s1", "s4"], "attribute": "prisoner_exchange.count_per_side"}]


def test_only_conflict_kind_counts_and_unknown_ids_are_reported():
    m = score(conflict_preds([("p2", "p5")], kind="update"), CONFLICT_GOLD, CONFLICT_PAIRS)
    assert (m["conflicts"]["predicted"], m["false_alarms"]) == (0, 0)
    bad = conflict_preds([("p1", "nope")])
    m = score(bad, CONFLICT_GOLD, CONFLICT_PAIRS)
    assert m["conflicts"]["unknown_claim_refs"] == 1 and m["conflicts"]["predicted"] == 0


def test_all_strong_conflicts_found():
    m = score(conflict_preds([("p1", "p2"), ("p1", "p6")]), CONFLICT_GOLD, CONFLICT_PAIRS)
    assert (m["conflicts"]["precision"], m["conflicts"]["recall"], m["false_alarms"]) == (1.0, 1.0, 0)


def test_pairs_referring_to_missing_gold_claims_are_an_error():
    with pytest.raises(ValueError, match="g99"):
        score(preds([]), CONFLICT_GOLD, {"conflicts": [{"a": "g1", "b": "g99", "strength": "strong"}]})


def test_nothing_predicted():
    m = score(preds([]), CONFLICT_GOLD, CONFLICT_PAIRS)
    assert (m["claims"]["precision"], m["claims"]["recall"], m["claims"]["f1"]) == (0.0, 0.0, 0.0)
    assert (m["conflicts"]["precision"], m["conflicts"]["recall"]) == (0.0, 0.0)
    assert m["events"]["f1"] == 0.0  # gold has same-event pairs and none was recovered


def test_empty_gold():
    m = score(preds([]), [], {"conflicts": []})
    assert (m["claims"]["precision"], m["claims"]["recall"], m["claims"]["f1"]) == (1.0, 1.0, 1.0)
    assert (m["conflicts"]["precision"], m["conflicts"]["recall"]) == (1.0, 1.0)
    m = score(preds([p("p1", "a1", "injured", 5, 5)]), [], {"conflicts": []})
    assert (m["claims"]["precision"], m["claims"]["recall"], m["claims"]["fp"]) == (0.0, 1.0, 1)


def test_perfect_predictions_and_summary_line():
    predicted = conflict_preds([("p1", "p2"), ("p1", "p6")])
    predicted["claims"] = [dict(c, event=f"E-{gold['event']}") for c, gold in zip(predicted["claims"],
                                                                                  CONFLICT_GOLD, strict=True)]
    m = score(predicted, CONFLICT_GOLD, CONFLICT_PAIRS)
    assert summary_line(m) == "claims P=1.00 R=1.00 F1=1.00 | events F1=1.00 | conflicts P=1.00 R=1.00 | false alarms 0"
    json.dumps(m)  # the --json output must serialise


def test_summary_line_format():
    m = {"claims": {"precision": 0.9412, "recall": 0.9, "f1": 0.9202}, "events": {"f1": 0.968},
         "conflicts": {"precision": 1.0, "recall": 0.75}, "false_alarms": 0}
    assert summary_line(m) == "claims P=0.94 R=0.90 F1=0.92 | events F1=0.97 | conflicts P=1.00 R=0.75 | false alarms 0"


def test_report_lists_misses_and_false_positives_with_quotes():
    gold = [NATIONAL, CITY_TRAP, g("g3", "f1", "injured", 12, 12, quote="a dozen were hurt")]
    predicted = preds([p("p1", "f1", "death_toll", 40, 40, quote="40 of them in the river town of Lindau"),
                       p("p2", "f1", "injured", 12, 12, quote="a dozen were hurt")])
    report = format_report(score(predicted, gold, CONFLICT_PAIRS | {"conflicts": [], "updates": []}))
    lines = report.splitlines()
    assert lines[-1].startswith("claims P=0.50 R=0.50 F1=0.50 | events F1=")
    assert 'g1 f1 death_toll [38, 45] "between 38 and 45 people had died across the province"' in report
    assert "p1 f1 death_toll [40, 40]" in report and "matches trap g2 death_toll.lindau" in report
    assert any(line.strip().startswith("injured") and "P=1.00 R=1.00" in line for line in lines)


def test_spurious_claims_are_counted_per_ten_pages_on_unrelated_news():
    articles = [{"id": f"n{i}", "text": "A match report with no casualty figures."} for i in range(5)]
    predictions = [p("p1", "n1", "death_toll", 3, 3), p("p2", "n2", "injured", 24, 24),
                   p("p3", "n2", "match.goals", 2, 2)]
    result = score(preds(predictions), [], NO_PAIRS, articles)
    assert result["claims"]["spurious_per_10_pages"] == 4.0  # 2 vocabulary claims in 5 pages
    assert score(preds(predictions), [], NO_PAIRS)["claims"]["spurious_per_10_pages"] is None
    matched = score(preds([p("p1", "a1", "death_toll", 3, 3)]), [g("g1", "a1", "death_toll", 3, 3)], NO_PAIRS,
                    [{"id": "a1", "text": "x"}])
    assert matched["claims"]["spurious_per_10_pages"] == 0.0
