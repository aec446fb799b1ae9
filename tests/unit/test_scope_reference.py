"""Scope and reference on real-reporting failure classes: parts read as the whole, other and
historical occurrences, numbers that count nothing of the vocabulary, durations of something
else, and stories the catalog must recognise first. Every sentence here is our own."""

from datetime import UTC, datetime

from pipelines.claims.catalog import load_catalog
from pipelines.claims.context import build_context
from pipelines.claims.extract import extract_claims
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def claims_of(text: str, title: str | None = None) -> list[Claim]:
    return extract_claims(ArticleInput("scope-test", text, title=title, published=PUBLISHED), load_catalog())


def values(text: str, attribute: str, title: str | None = None) -> list[float | None]:
    return [c.value_low for c in claims_of(text, title) if c.attribute == attribute]


# --- stories the catalog must know before any figure is read --------------------------------------


def test_a_match_report_with_no_story_cue_gives_no_claims():
    text = ("The champion lost the opening set 6-7 (5-7) and then won 6-4, 7-6 to claim her third title. "
            "She dropped only two games in the final set, which lasted 38 minutes.")
    assert claims_of(text, title="Champion claims third title") == []


def test_an_obituary_age_is_no_toll():
    text = "The actor, who starred in four musicals on the stage, died on Sunday at 88, his family said."
    assert values(text, "death_toll") == []


def test_an_attack_is_a_story_with_a_toll_and_injured():
    text = ("A gunman opened fire at a railway ticket hall on Monday, killing 12 people and wounding 30 "
            "others, police said.")
    ctx = build_context(ArticleInput("a", text, published=PUBLISHED), load_catalog())
    assert ctx.story == "attack" or "attack" in ctx.stories
    assert values(text, "death_toll") == [12]
    assert values(text, "injured") == [30]


def test_a_storm_named_by_its_title_word_is_a_storm_story():
    text = "Typhoon Mireya has killed at least 310 people, the Philippine government said on Thursday."
    ctx = build_context(ArticleInput("s", text, published=PUBLISHED), load_catalog())
    assert ctx.story == "storm"
    assert values(text, "death_toll") == [310]


def test_a_cue_inside_an_ordinary_name_still_says_nothing():
    text = "The Fire Island Ferries company raised its prices by 12 per cent, its owners said on Monday."
    assert claims_of(text) == []


# --- durations of something else, and lengths stated indirectly ------------------------------------


def test_a_pronoun_subject_takes_what_lasted_from_the_sentence_before():
    text = "The two presidents opened their summit in the palace on Monday, alone with interpreters. It lasted 38 minutes."
    found = [c for c in claims_of(text) if c.attribute == "talks.duration_minutes"]
    assert [c.value_low for c in found] == [38]
    assert "attribute.referred" in found[0].confidence_reasons


def test_a_pronoun_in_a_new_paragraph_does_not_reach_back():
    text = "The two presidents opened their summit in the palace on Monday.\n\nIt lasted 38 minutes, one aide joked of the lunch."
    assert values(text, "talks.duration_minutes") == []


def test_a_length_phrase_on_the_talks_noun_is_the_talks_length():
    text = "The envoys held talks for nearly three hours at a hotel on Monday, diplomats said."
    assert values(text, "talks.duration_minutes") == [162]


def test_a_scheduled_or_prepared_length_is_a_plan_not_a_length():
    text = ("The summit opened on Monday. Their first session was scheduled to run 75 minutes. "
            "The delegation had prepared for at least four hours of talks.")
    assert values(text, "talks.duration_minutes") == []


def test_a_speech_is_not_the_talks():
    text = "Before the talks began, the president spoke for two hours at a rally in the city."
    assert values(text, "talks.duration_minutes") == []


# --- parts read as the whole ------------------------------------------------------------------------


def test_the_injured_still_in_hospital_or_in_critical_care_are_a_part():
    text = ("The bombing on Monday killed 22 people and injured 59. Of the injured, 24 are still being "
            "treated in hospital, including 12 in critical care.")
    claims = {c.attribute: c.value_low for c in claims_of(text)}
    assert claims["injured"] == 59
    assert claims["injured.hospital"] == 24
    assert claims["injured.critical"] == 12


def test_still_missing_is_the_missing_not_a_part():
    assert values("The earthquake struck on Monday. More than 1,000 people remain missing, officials said.",
                  "missing") == [1001]


def test_a_clause_hanging_from_the_injured_does_not_make_them_a_part():
    text = ("The fire broke out on Tuesday. Some 255 injured people have been treated since the morning, "
            "of whom 40 remain in hospital.")
    found = values(text, "injured")
    assert len(found) == 1 and 225 <= (found[0] or 0) <= 255
    assert values(text, "injured.hospital") == []


def test_including_introduces_a_share_of_the_figure_before():
    text = "The floods hit the country on Monday. At least 120 people died, including 30 children."
    assert values(text, "death_toll") == [120]
    assert values(text, "death_toll.share") == [30]
