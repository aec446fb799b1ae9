"""Claim confidence: reasons from how the attribute was decided, scope, attribution and position;
weights and cue words come from confidence.yaml. Sentences are our own."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.confidence import ConfidenceError, load_rules, parse_rules
from pipelines.claims.extract import extract_claims
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def claims_of(text: str, title: str | None = None) -> list[Claim]:
    return extract_claims(ArticleInput("conf-test", text, title=title, published=PUBLISHED), load_catalog())


def only(text: str, attribute: str, title: str | None = None) -> Claim:
    found = [c for c in claims_of(text, title) if c.attribute == attribute]
    assert len(found) == 1, found
    return found[0]


def test_a_figure_governed_by_a_catalog_verb_is_fully_trusted():
    c = only("The earthquake killed 112 people in the mountain villages, officials said.", "death_toll")
    assert c.confidence == 1.0
    assert c.confidence_reasons == ("attribute.frame",)


def test_a_counted_catalog_noun_decides_the_attribute():
    c = only("Officials counted 40 dead after the earthquake.", "death_toll")
    assert "attribute.noun" in c.confidence_reasons


def test_a_measure_noun_between_figure_and_verb_does_not_weaken_the_reading():
    c = only("A total of 40 people died in the earthquake on Monday.", "death_toll")
    assert c.confidence_reasons[0] == "attribute.frame"


@pytest.mark.parametrize("text, reason", [
    ("The earthquake struck on Monday. Forty people were reportedly killed in the collapse of a school.",
     "attribution.hedged"),
    ("The earthquake struck on Monday. Unconfirmed reports put the death toll at 300.", "attribution.unconfirmed"),
    ("The earthquake struck on Monday. A militia said it had killed 30 people, a claim that could not be "
     "independently verified.", "attribution.unconfirmed"),
])
def test_attribution_hedges_lower_confidence(text, reason):
    c = only(text, "death_toll")
    assert reason in c.confidence_reasons
    assert c.confidence < 0.7


def test_a_generic_tally_carried_over_from_the_figure_before_is_doubted():
    claims = claims_of("Forty people died in the floods, a report said. The count had stood at 24 on Monday.")
    referred = [c for c in claims if c.value_low == 24]
    assert referred and referred[0].confidence_reasons[0] == "attribute.referred"
    assert referred[0].confidence < min(c.confidence for c in claims if c.value_low == 40)


def test_a_per_side_count_without_each_is_an_assumed_scope():
    c = only("Russia and Ukraine agreed to swap 1,000 prisoners.", "prisoner_exchange.count_per_side")
    assert "scope.assumed" in c.confidence_reasons
    marked = only("Russia and Ukraine agreed to swap 1,000 prisoners from each side.", "prisoner_exchange.count_per_side")
    assert "scope.marked" in marked.confidence_reasons
    assert marked.confidence > c.confidence


def test_a_figure_on_the_headline_line_is_doubted_and_the_body_is_not():
    text = "Quake kills 40 in mountain towns\nThe earthquake struck on Monday and killed 42 people, officials said."
    claims = claims_of(text, title="Quake kills 40 in mountain towns")
    head = [c for c in claims if c.value_low == 40]
    body = [c for c in claims if c.value_low == 42]
    assert head and all("position.headline" in c.confidence_reasons for c in head)
    assert body and all("position.headline" not in c.confidence_reasons for c in body)


def test_confidence_is_the_product_of_the_reasons_weights():
    rules = load_rules()
    c = only("The earthquake struck on Monday. Forty people were reportedly killed in the collapse of a school.",
             "death_toll")
    expected = 1.0
    for reason in c.confidence_reasons:
        expected *= rules.weight(reason)
    assert c.confidence == pytest.approx(expected, abs=1e-3)
    assert 0.0 < c.confidence <= 1.0


def test_rules_file_errors_are_clear():
    with pytest.raises(ConfidenceError, match="weights"):
        parse_rules({"cues": {}})
    with pytest.raises(ConfidenceError, match="in \\(0, 1\\]"):
        parse_rules({"weights": {"attribute.cue": 1.5}})
    with pytest.raises(ConfidenceError, match="no weight"):
        parse_rules({"weights": {"attribute.cue": 0.8}, "cues": {"attribution.hedged": ["reportedly"]}})
    rules = parse_rules({"weights": {"attribution.hedged": 0.5}, "cues": {"attribution.hedged": ["Reportedly", "said to have"]}})
    assert rules.cues["attribution.hedged"].words == frozenset({"reportedly"})
    assert rules.cues["attribution.hedged"].phrases == ("said to have",)
    assert rules.weight("no.such.reason") == 1.0
