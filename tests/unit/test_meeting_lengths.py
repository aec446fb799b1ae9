"""How long a meeting lasted, told apart from the lengths beside it: the one it was scheduled for,
the one it would have had, what remained after a moment, and the span of a whole summit or swap.
Sentences written for these tests."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.events import EventIndex
from pipelines.models import ArticleInput

CAT = load_catalog()
PUBLISHED = datetime(2024, 3, 8, 18, 0, tzinfo=UTC)
LENGTH = "talks.duration_minutes"


def lengths(text: str) -> set[float]:
    """The lengths read, each by its upper bound (its lower one when open above)."""
    claims = extract_claims(ArticleInput("t", text, title="Leaders meet for talks", published=PUBLISHED), CAT)
    return {c.value_high if c.value_high is not None else c.value_low for c in claims if c.attribute == LENGTH}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the plan on the noun the length describes, then what happened
        ("Their scheduled 40-minute meeting ended up lasting almost three hours.", {180}),
        ("The planned two-hour session was cut short.", set()),
        # the length it would have had
        ("The talks ran for over three hours instead of 45 minutes.", {181}),
        ("The envoys spoke for two hours rather than the planned hour.", {120}),
        ("According to the schedule, the meeting should have lasted one hour only.", set()),
        # what remained after a moment is not the whole
        ("The ministers went on talking: the meeting continued for an hour after the aides left.", set()),
        ("The meeting continued for an hour, an aide said.", {60}),
    ],
)
def test_a_meetings_length_is_not_its_plan_or_what_it_would_have_lasted(text, expected):
    assert lengths(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The premier arrived for the start of the three-day summit in the capital.",
        "The government completed a two-day exchange of prisoners with the rebels.",
        "The delegations held a day of talks on the island before flying home.",
        "Five weeks of talks produced a draft of the accord.",
    ],
)
def test_a_span_of_days_is_no_sessions_length(text):
    assert lengths(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The two leaders chatted for two hours and 18 minutes.", {138}),
        ("The video conference between the leaders lasted nearly four hours.", {240}),
        ("The press conference lasted 40 minutes.", set()),
        # "the first sitting president" names no first session of the meeting
        ("He became the first sitting president to visit. The meeting lasted 45 minutes.", {45}),
    ],
)
def test_what_lasted_is_a_meeting_of_the_parties(text, expected):
    assert lengths(text) == expected


def test_a_magnitude_with_a_hedge_is_no_toll():
    text = "An earthquake with a magnitude of more than 7 killed at least nine people on Wednesday."
    claims = extract_claims(ArticleInput("q", text, title="Quake kills nine", published=PUBLISHED), CAT)
    assert {(c.attribute, c.value_low) for c in claims} == {("death_toll", 9)}


def _events(*articles: ArticleInput) -> list[set[str]]:
    """The events each article's claims are assigned to, in stream order."""
    index = EventIndex(CAT)
    return [{c.event_id for c in index.assign_claims(extract_claims(a, CAT))} for a in articles]


def test_an_undated_report_naming_its_day_joins_the_occurrence_of_that_day():
    def talks(aid: str, lead: str, length: str, published: datetime | None) -> ArticleInput:
        return ArticleInput(aid, f"The presidents of the United States and China held talks {lead}. The talks at "
                            f"the White House lasted {length}, officials said.", title="Leaders hold talks",
                            published=published)
    earlier = talks("day-a", "by video on Monday", "three and a half hours", datetime(2021, 11, 16, 3, tzinfo=UTC))
    later = talks("day-b", "in Busan on Thursday", "100 minutes", datetime(2025, 10, 30, 9, tzinfo=UTC))
    undated = talks("day-c", "by video on Tuesday (Nov 16)", "nearly four hours", None)
    first, second, third = _events(earlier, later, undated)
    assert third == first != second


def test_an_undated_report_of_a_truce_joins_the_truce_of_its_length():
    ordered = ArticleInput("truce-a", "Moscow ordered a 36-hour ceasefire in Ukraine for the Orthodox Christmas holiday, "
                           "the Kremlin said.", title="Truce ordered", published=datetime(2023, 1, 5, 15, tzinfo=UTC))
    proposed = ArticleInput("truce-b", "Kyiv backed a proposal for a 30-day ceasefire with Russia after talks in Jeddah, "
                            "officials in Moscow and Kyiv said.", title="Truce proposed",
                            published=datetime(2025, 3, 11, 20, tzinfo=UTC))
    undated = ArticleInput("truce-c", "Moscow ordered a 36-hour ceasefire across Ukraine, and Kyiv rejected it, officials "
                           "in Moscow and Kyiv said.", title="Truce ordered", published=None)
    first, second, third = _events(ordered, proposed, undated)
    assert third == first != second
