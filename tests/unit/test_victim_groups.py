"""Figures that are not an occurrence's own count though they count victims: nationals among them,
one figure for two states together, and counts over a period. Every sentence here is our own."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.claims.nationals import NationalsError, load_national_words
from pipelines.models import ArticleInput

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def attributes(text: str, title: str | None = None) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for c in extract_claims(ArticleInput("groups-test", text, title=title, published=PUBLISHED), load_catalog()):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


# --- nationals among the victims ---------------------------------------------------------------

def test_nationals_among_the_dead_are_a_part():
    assert attributes("The earthquake killed 300 people. Three Britons were among the dead.") == {
        "death_toll": [300], "death_toll.nationals": [3]}
    assert attributes("The crush killed 154 people. The death toll of foreigners is 26 from 14 countries.") == {
        "death_toll": [154], "death_toll.nationals": [26]}


def test_a_count_of_nationals_is_a_part_even_alone():
    text = "At least 24 Chinese nationals have been confirmed dead in the earthquake, the embassy said."
    assert attributes(text, title="Chinese among quake victims") == {"death_toll.nationals": [24]}
    assert attributes("Nineteen foreigners were killed in the stampede at the festival.") == {
        "death_toll.nationals": [19]}


def test_a_demonym_is_a_part_beside_a_larger_toll_and_the_toll_alone():
    assert attributes("The flood killed 30,000 people. Over a thousand Europeans were killed in the flood.") == {
        "death_toll": [30000], "death_toll.nationals": [1001]}
    # alone, the pilgrims of one bus are its toll
    assert attributes("A bus crash killed 12 Polish pilgrims on Sunday.") == {"death_toll": [12]}


def test_nationals_among_the_missing_are_a_part_of_the_missing():
    text = "The blast killed 40 people. Three Lebanese nationals, two Syrians and one Egyptian were among the missing."
    found = attributes(text)
    assert found["death_toll"] == [40]
    assert "missing" not in found
    assert found["missing.nationals"] == [3]


def test_anyone_among_the_victims_is_a_share():
    assert attributes("The earthquake killed 300 people. Two children were among the victims.") == {
        "death_toll": [300], "death_toll.share": [2]}


def test_a_nationals_file_without_its_lists_is_reported(tmp_path):
    bad = tmp_path / "nationals.yaml"
    bad.write_text("nationality_nouns: [national]\n", encoding="utf-8")
    with pytest.raises(NationalsError, match="foreign_words"):
        load_national_words(bad)


# --- one figure for two states -----------------------------------------------------------------

def test_two_states_with_an_adverb_between_them_are_a_count_of_neither():
    text = "The quake killed 20 people. In all, 300 people were killed or seriously injured."
    assert attributes(text) == {"death_toll": [20], "death_toll.killed_or_injured": [300]}


def test_two_states_after_as_or_among_are_a_count_of_neither():
    text = "The storm killed 40 people. A total of 2,300 people were listed as dead or missing."
    assert attributes(text) == {"death_toll": [40], "death_toll.dead_or_missing": [2300]}
    text = "The storm killed 40 people. Up to 900 tourists were among the dead or missing."
    assert "death_toll" not in {a for a, v in attributes(text).items() if 900 in v or None in v}


def test_two_joined_verbs_sharing_the_figure_are_a_count_of_neither():
    assert attributes("The quake killed or injured 300 people.") == {"injured.killed_or_injured": [300]}


def test_two_joined_states_each_with_its_own_figure_stay_two_counts():
    assert attributes("A car bomb killed 12 people on Monday and injured dozens more, police said.") == {
        "death_toll": [12], "injured": [24]}
    assert attributes("Twenty people were killed and 300 others were injured by the quake.") == {
        "death_toll": [20], "injured": [300]}
    text = "A gunman opened fire at the mosque, and six people were killed and dozens more injured."
    assert attributes(text)["death_toll"] == [6]
    assert attributes("The quake killed 20 people and injured many others.") == {"death_toll": [20]}


# --- counts over a period ----------------------------------------------------------------------

ROAD = "A bus crash killed 12 people on the motorway on Sunday."


@pytest.mark.parametrize("sentence", [
    "Road crashes kill 1,700 people each year in Britain.",
    "About 1,700 people die on the roads a year.",
    "The annual death toll on the roads is 1,700.",
    "In 2009, 1,700 people died on the roads.",
    "Every day, 50 people are killed on the roads.",
])
def test_a_count_over_a_period_is_a_statistic_not_the_toll(sentence):
    found = attributes(f"{ROAD} {sentence}")
    assert found.pop("death_toll") == [12]
    assert list(found) == ["death_toll.statistic"]


@pytest.mark.parametrize("sentence", [
    "A bus crash killed 12 people a day after the new road opened.",
    "A bus crash killed 12 people, the worst in a year.",
])
def test_a_period_that_only_dates_the_figure_is_no_rate(sentence):
    assert attributes(sentence) == {"death_toll": [12]}
