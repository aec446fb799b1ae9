"""Figures of another occurrence are not the event's: historical comparisons, figures inside a
comparison, and anniversary features are stored as ``<attribute>.history``. Every sentence here
is our own."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.claims.reference import ReferenceError, load_reference
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def claims_of(text: str, title: str | None = None, published: datetime | None = PUBLISHED) -> list[Claim]:
    return extract_claims(ArticleInput("history-test", text, title=title, published=published), load_catalog())


def by_attribute(text: str, title: str | None = None, published: datetime | None = PUBLISHED) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in claims_of(text, title, published):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


def test_a_past_disaster_named_with_its_year_is_history():
    found = by_attribute("The earthquake on Sunday killed at least 300 people in the valley, the deadliest "
                         "since 2018, when 189 died in the same region.")
    assert found["death_toll"] == [300]
    assert found["death_toll.history"] == [189]


def test_the_disaster_of_a_year_that_killed_is_history():
    found = by_attribute("The flood on Monday killed 40 people. It was the worst since the 1989 disaster "
                         "that killed 97.")
    assert found["death_toll"] == [40]
    assert found["death_toll.history"] == [97]


def test_a_figure_inside_a_comparison_is_of_the_occurrence_compared_with():
    found = by_attribute("The storm killed 20 people on Monday, fewer than the hurricane of 2021, which "
                         "killed 115.")
    assert found["death_toll"] == [20]
    assert found["death_toll.history"] == [115]


def test_the_year_may_be_named_in_the_sentence_before():
    found = by_attribute("The floods were the worst since the great storm of 1998 struck the coast. "
                         "That storm killed 4,000 people.")
    assert found.get("death_toll.history") == [4000]
    assert "death_toll" not in found


def test_last_weeks_disaster_is_this_one_not_history():
    found = by_attribute("The toll from last week's floods in the northern province rose to 109 on Tuesday.")
    assert found == {"death_toll": [109]}


def test_an_anniversary_feature_recounts_history_not_news():
    text = ("Monday marks the 50th anniversary of the collapse of the old river bridge. Half a century "
            "ago, the bridge gave way under the evening traffic. More than 60 people died and 120 were "
            "injured.")
    found = by_attribute(text, published=datetime(2024, 6, 3, 9, tzinfo=UTC))
    assert found == {"death_toll.history": [61], "injured.history": [120]}


def test_one_comparison_with_the_past_does_not_make_a_report_history():
    text = ("The wildfire has killed 42 people, officials said on Monday. It is the deadliest in the state "
            "since a fire a century ago.")
    assert by_attribute(text)["death_toll"] == [42]


def test_a_truce_recalled_in_a_disaster_report_is_not_a_running_count():
    # only running counts become history: a recalled truce keeps its attribute (and its own event)
    found = by_attribute("The earthquake struck on Friday, killing 144 people. A ceasefire agreed in 2022 "
                         "had lasted 30 days.")
    assert "ceasefire.duration_days.history" not in found


def test_the_reference_data_is_checked(tmp_path):
    bad = tmp_path / "reference.yaml"
    bad.write_text("retrospective_cues: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="reference.yaml"):
        load_reference(bad)


# --- rates, periods since a year, season reviews ------------------------------------------------

CRASH = "A bus crash killed 12 people on the motorway on Sunday."


@pytest.mark.parametrize("sentence", [
    "The city recorded 48 murders per 100,000 residents.",
    "Shootings killed 900 people in the state last year, or six for every 100,000 residents.",
])
def test_a_rate_and_its_base_are_statistics_not_tolls(sentence):
    found = by_attribute(f"{CRASH} {sentence}")
    assert found.pop("death_toll") == [12]
    assert list(found) == ["death_toll.statistic"]


def test_a_count_since_a_year_is_a_statistic_however_its_preposition_is_joined():
    found = by_attribute(f"{CRASH} Before Saturday and since 2011, there had only been one fatality on "
                         "this road.")
    assert found == {"death_toll": [12], "death_toll.statistic": [1]}


def test_a_toll_risen_since_a_day_stays_the_toll():
    assert by_attribute("The toll from the floods has risen to 300 since Monday.") == {"death_toll": [300]}


def test_a_season_review_recounts_past_storms():
    text = ("The hurricane season ends today. The season brought 15 named storms, six of them hurricanes. "
            "Hurricane Lena killed 40 people on the islands in September.")
    found = by_attribute(text, published=datetime(2024, 11, 30, 9, tzinfo=UTC))
    assert found == {"death_toll.history": [40]}


def test_a_storm_report_that_names_the_season_is_news():
    text = ("Hurricane Lena killed 40 people on the islands on Tuesday, the deadliest storm of the season "
            "so far. The hurricane season ends on November 30.")
    assert by_attribute(text)["death_toll"] == [40]


def test_page_furniture_does_not_crowd_out_the_lead():
    text = ("Share this\n\nPhoto: File\n\nBy Staff\n\nThe town marked the 30th anniversary of the bridge "
            "collapse on Monday. Relatives laid flowers by the river. The mayor spoke to the crowd in the "
            "square. Schoolchildren sang a hymn for the victims. Three decades ago, the collapse killed 61 "
            "people.")
    found = by_attribute(text, published=datetime(2024, 6, 3, 9, tzinfo=UTC))
    assert found == {"death_toll.history": [61]}


LEAD = ("Relatives laid flowers by the river. The mayor spoke to the crowd in the square. Schoolchildren sang "
        "a hymn. Church bells rang across the valley at noon. ")


def test_an_anniversary_in_the_lead_confirmed_further_down_is_history():
    text = (f"The town marked the anniversary of the great flood on Monday. {LEAD}"
            "It is 20 years since the river burst its banks, killing 80 people.")
    found = by_attribute(text, published=datetime(2024, 6, 3, 9, tzinfo=UTC))
    assert found == {"death_toll.history": [80]}


def test_a_look_back_found_only_further_down_does_not_make_news_history():
    text = (f"A flood killed 80 people in the valley on Monday. {LEAD}"
            "The town was last flooded 20 years ago.")
    assert by_attribute(text)["death_toll"] == [80]


def test_a_seasons_tally_is_a_statistic_and_its_time_covers_the_joined_clause():
    found = by_attribute(f"{CRASH} This season, 11 people died on the mountain and four are missing.")
    assert found == {"death_toll": [12], "death_toll.statistic": [11], "missing.statistic": [4]}


def test_a_year_put_before_joined_clauses_is_the_time_of_both():
    found = by_attribute(f"{CRASH} In 2009, 1,700 people died on the roads and 20,000 were injured.")
    assert found == {"death_toll": [12], "death_toll.statistic": [1700], "injured.statistic": [20000]}


def test_the_deadliest_storm_this_season_is_still_the_storms_toll():
    assert by_attribute("Hurricane Lena killed 40 people on Tuesday, the deadliest storm this season.") == {
        "death_toll": [40]}
