"""Figures that are not an occurrence's own count though they count victims: nationals among them,
one figure for two states together, and counts over a period. Every sentence here is our own."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.claims.genres import GenresError, load_genres
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
    assert attributes("The quake killed 300 people. The death toll among foreign visitors is 31, from nine countries.") == {
        "death_toll": [300], "death_toll.nationals": [31]}


def test_a_count_of_nationals_is_a_part_even_alone():
    text = "At least 17 Thai nationals were confirmed dead after the quake, their embassy said."
    assert attributes(text, title="Thais among quake victims") == {"death_toll.nationals": [17]}
    assert attributes("Eleven foreigners were killed in the crush at the festival, officials said.") == {
        "death_toll.nationals": [11]}


def test_a_demonym_is_a_part_beside_a_larger_toll_and_the_toll_alone():
    assert attributes("The flood killed 30,000 people. Some 1,200 Germans were killed in the flood.") == {
        "death_toll": [30000], "death_toll.nationals": [1080]}
    # alone, the pilgrims of one bus are its toll
    assert attributes("A bus crash killed 12 Polish pilgrims on Sunday.") == {"death_toll": [12]}


def test_nationals_among_the_missing_are_a_part_of_the_missing():
    text = "The blast killed 40 people. Two Jordanian nationals, four Iraqis and one Turk were among the missing."
    found = attributes(text)
    assert found["death_toll"] == [40]
    assert "missing" not in found
    assert found["missing.nationals"] == [2]


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
    text = "The storm killed 40 people. In all, 2,300 people were recorded as dead or missing."
    assert attributes(text) == {"death_toll": [40], "death_toll.dead_or_missing": [2300]}
    text = "The storm killed 40 people. As many as 700 visitors were among the dead or missing."
    assert attributes(text) == {"death_toll": [40], "death_toll.dead_or_missing": [None]}


def test_two_joined_verbs_sharing_the_figure_are_a_count_of_neither():
    assert attributes("The quake killed or injured 300 people.") == {"injured.killed_or_injured": [300]}


def test_two_joined_states_each_with_its_own_figure_stay_two_counts():
    assert attributes("A car bomb killed 12 people on Monday and injured dozens more, police said.") == {
        "death_toll": [12], "injured": [24]}
    assert attributes("Twenty people were killed and 300 others were injured by the quake.") == {
        "death_toll": [20], "injured": [300]}
    text = "A gunman opened fire at the mosque, and four people were killed and dozens more wounded."
    assert attributes(text) == {"death_toll": [4], "injured": [24]}
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


# --- whose relatives, which count, whose guess -------------------------------------------------

def test_one_persons_relatives_are_no_count_of_the_occurrence():
    text = ("The collision killed 71 people. Years afterwards a widower who lost his mother and two children "
            "in the crash gave evidence.")
    assert attributes(text) == {"death_toll": [71], "death_toll.relatives": [2]}
    text = "The collision killed 71 people. Years afterwards a widower whose two children died in the crash gave evidence."
    assert attributes(text) == {"death_toll": [71], "death_toll.relatives": [2]}
    assert attributes("A father who lost his two children in the flood spoke on Monday.") == {
        "death_toll.relatives": [2]}


def test_a_measure_noun_said_to_be_a_figure_takes_the_count_it_refers_to():
    text = ("The operator first gave a death toll of 230. Local officials then counted again, and the final "
            "figure was 212 by noon, a spokesman said.")
    assert attributes(text, title="Train crash toll revised") == {"death_toll": [230, 212]}
    assert attributes("The quake killed 30 people. It was one of the worst in years.") == {"death_toll": [30]}


def test_the_count_a_measure_noun_is_of_decides_the_attribute():
    text = "The crush killed 98 people. Early casualty reports set the number of injured at 96."
    assert attributes(text) == {"death_toll": [98], "injured": [96]}


def test_a_larger_toll_feared_leaves_the_figure_a_count():
    text = "The jet came down near the runway. Officials confirmed at least 52 deaths, but a much higher toll is feared."
    assert attributes(text, title="Plane crash") == {"death_toll": [52]}
    assert attributes("The plane crashed. At least 37 people are feared dead.", title="Plane crash") == {
        "death_toll.projection": [37]}


def test_the_hospitalised_are_a_part_of_the_injured():
    text = "The plane crash killed 20 people, while 14 survivors are hospitalised in the capital."
    assert attributes(text, title="Plane crash") == {"death_toll": [20], "injured.hospital": [14]}


def test_the_figure_the_subject_is_among_is_the_whole():
    assert attributes("Two players were among the 120 injured in the crush at the stadium.") == {"injured": [120]}


# --- a race or match report --------------------------------------------------------------------

RACE = ("A mass crash in the final kilometre of the fifth stage brought down much of the peloton on "
        "Wednesday. Four riders went to hospital with injuries after the collision on the wet road, "
        "their teams said. The stage was won by the champion, who now leads the race.")


def test_riders_in_a_race_report_are_no_victims():
    assert attributes(RACE, title="Crash mars sprint finish of stage five") == {}


def test_the_victims_of_a_disaster_at_a_match_still_count():
    text = "A crush at the football stadium killed 40 fans after the cup match. The league said 120 were injured."
    assert attributes(text, title="Stadium crush kills 40") == {"death_toll": [40], "injured": [120]}


def test_drivers_in_a_road_crash_are_victims():
    text = "A bus crashed on the highway on Monday. The driver and two passengers were injured, police said."
    assert attributes(text, title="Bus crash") == {"injured": [2]}


def test_a_genre_without_its_lists_is_reported(tmp_path):
    bad = tmp_path / "genres.yaml"
    bad.write_text("sport:\n  cues: [race]\n", encoding="utf-8")
    with pytest.raises(GenresError, match="participants"):
        load_genres(bad)


def test_two_states_after_a_clause_on_the_figures_noun_are_a_count_of_neither():
    text = "The quake killed 300 people. The coast was hardest hit, with 2,400 people recorded as dead or missing."
    assert attributes(text) == {"death_toll": [300], "death_toll.dead_or_missing": [2400]}


def test_the_object_of_a_verb_joined_to_a_frame_is_that_verbs():
    text = "The cyclone killed 150 people. It left dozens missing and cut off tens of thousands from the roads."
    assert attributes(text) == {"death_toll": [150], "missing": [24]}
    assert attributes("The storm killed 20 people and injured 300.") == {"death_toll": [20], "injured": [300]}


def test_a_hedged_range_is_one_figure():
    text = "The storm's death toll stood between about 95 and 110 on Monday, officials said."
    found = attributes(text)
    assert list(found) == ["death_toll"] and len(found["death_toll"]) == 1
