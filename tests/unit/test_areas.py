"""An occurrence that struck several areas apart: each area's figure is a part of the toll, whether
the area is the article's main place or not, and a figure said of all of them is the whole. Every
sentence here is our own."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.areas import apart, load_area_words
from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.claims.places import PlacesError, load_gazetteer
from pipelines.models import ArticleInput

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def attributes(text: str, title: str | None = None) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for c in extract_claims(ArticleInput("areas-test", text, title=title, published=PUBLISHED), load_catalog()):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


def place(name: str):
    found = load_gazetteer().best(name)
    assert found is not None, name
    return found


def test_two_countries_two_states_and_a_county_in_another_state_are_apart():
    assert apart(place("Zambia"), place("Malawi"))
    assert apart(place("Bihar"), place("West Bengal"))
    assert apart(place("Nepal"), place("Bihar"))
    assert not apart(place("India"), place("Bihar"))  # one lies in the other
    assert not apart(place("India"), place("Kanpur"))
    assert not apart(place("Asia"), place("Nepal"))  # a region holds its countries


def test_each_countrys_figure_is_a_part_beside_the_whole():
    text = ("Cyclone Tarin has killed 410 people in southern Africa. In Zambia, 210 people died and 90 were "
            "injured. At least 150 were killed in Malawi, and Angola reported 50 deaths.")
    found = attributes(text)
    assert found["death_toll"] == [410]
    assert found["death_toll.zambia"] == [210]
    assert found["injured.zambia"] == [90]  # the place set before the sentence covers both clauses
    assert found["death_toll.malawi"] == [150]
    assert found["death_toll.angola"] == [50]  # the country that reports the figure holds it


def test_the_main_places_figure_is_a_part_when_another_area_has_one():
    found = attributes("The earthquake struck Peru on Sunday. Some 300 people died in Peru, and 20 were killed in Ecuador.")
    assert "death_toll" not in found
    assert found["death_toll.ecuador"] == [20]
    assert len(found["death_toll.peru"]) == 1


def test_a_figure_for_the_only_area_is_the_whole():
    assert attributes("The earthquake killed 300 people in Peru on Sunday.") == {"death_toll": [300]}


def test_a_figure_for_several_areas_together_is_the_whole():
    found = attributes("The death toll from the storm in Cuba and Jamaica rose to 60 on Friday. Jamaica's toll stood at 14.")
    assert found["death_toll"] == [60]
    assert found["death_toll.jamaica"] == [14]  # the count the figure is the value of names the place


def test_areas_named_by_their_kind_make_each_one_a_part():
    text = ("The floods have killed 95 people in both countries. Heavy rain fell on Kenya and Uganda for a week. "
            "In Kenya, 60 people died.")
    found = attributes(text)
    assert found["death_toll"] == [95]
    assert found["death_toll.kenya"] == [60]


def test_a_state_a_county_in_it_and_another_state():
    text = ("Hurricane Dara killed 60 people in Florida on Thursday, officials said. Charlotte County had 35 deaths. "
            "Four people died in South Carolina.")
    found = attributes(text)
    assert found["death_toll.florida"] == [60]  # the storm killed in South Carolina too
    assert found["death_toll.charlotte-county"] == [35]
    assert found["death_toll.south-carolina"] == [4]


def test_a_country_the_parser_takes_for_a_person_is_still_an_area():
    # the small parser reads some country names as people or organisations; the gazetteer knows them
    found = attributes("The cyclone struck Malawi and Zambia on Monday. The death toll keeps rising in Zambia, with 40 dead "
                       "so far. Twelve people were missing in Malawi.")
    assert found["death_toll.zambia"] == [40]  # past the "with" phrase, the verb's place
    assert found["missing.malawi"] == [12]


def test_the_area_words_are_data(tmp_path):
    words = load_area_words()
    assert "report" in words.holder_verbs and "in total" in words.union_words
    bad = tmp_path / "places.yaml"
    bad.write_text("areas:\n  holder_verbs: [report]\n", encoding="utf-8")
    with pytest.raises(PlacesError, match="union_words"):
        load_area_words(bad)


def test_a_county_name_of_several_states_is_read_in_the_state_the_article_names():
    text = ("Hurricane Dara killed 60 people in Florida on Thursday, officials said. Charlotte County had 35 deaths. "
            "Lee County reported 12 deaths.")
    found = attributes(text)
    assert found["death_toll"] == [60]  # no other area apart: Florida's count is the whole
    assert found["death_toll.charlotte-county"] == [35]  # a county in it, below the whole
    assert found["death_toll.lee-county"] == [12]


def test_a_place_named_by_its_kind_or_in_a_where_clause_is_a_part_below_the_whole():
    text = ("Floods hit Florida on Monday. The storm has killed 100 people in Florida, officials said. "
            "The county's death toll climbed to 54. In Lee County, where the sheriff confirmed 24 deaths, "
            "roads were closed.")
    found = attributes(text)
    assert found["death_toll"] == [100]
    assert found["death_toll.county"] == [54]
    assert found["death_toll.lee-county"] == [24]


def test_the_country_named_by_its_kind_is_the_one_the_passage_is_about():
    text = ("Storm Daniel has killed at least 40 people in Greece, Turkey and Bulgaria since Monday. In Turkey, seven "
            "people died in Istanbul and Kirklareli. Heavy rain also flooded villages across central Greece on "
            "Wednesday. The country's civil protection agency reported 31 dead and 21 missing.")
    found = attributes(text)
    assert found["death_toll"] == [40]
    assert found["death_toll.turkey"] == [7]
    assert found["death_toll.greece"] == [31] and found["missing.greece"] == [21]
    # an article about one country: its agency's figures are the whole
    assert attributes("Heavy floods hit Greece on Monday. The country's civil protection agency reported 31 dead "
                      "and 21 missing.") == {"death_toll": [31], "missing": [21]}


def test_a_place_after_coordinated_clauses_covers_each_of_them():
    text = ("The earthquake struck Indonesia on Sunday. At least 82 people were killed and another 26 were missing in "
            "the Maldives. It confirms 126,473 dead and 93,943 missing in Indonesia.")
    found = attributes(text)
    assert found["death_toll.maldives"] == [82] and found["missing.maldives"] == [26]
    assert found["death_toll.indonesia"] == [126473]
    assert "death_toll" not in found and "missing" not in found


def test_the_next_sentence_goes_on_about_the_area_of_the_one_before():
    text = ("The tsunami and the earthquake killed people in six countries. India's death toll reached 9,000 on "
            "Friday. Thailand's toll rose to 5,000. A further 3,000 people were listed as missing.")
    found = attributes(text)
    assert found["death_toll.thailand"] == [5000]
    assert found["missing.thailand"] == [3000]
    assert "missing" not in found


def test_the_place_an_authority_or_a_reporting_country_speaks_for():
    text = ("The cyclone struck Mozambique and Malawi. Mozambique raised the death toll to 293 on Friday. "
            "According to Malawi's disaster agency, 59 people have died.")
    found = attributes(text)
    assert found["death_toll.mozambique"] == [293]
    assert found["death_toll.malawi"] == [59]


def test_a_larger_count_of_another_occurrence_makes_no_part():
    text = ("At least 288 people were killed when a passenger train derailed in the state of Odisha, officials said. "
            "The country's worst rail disaster happened in 1981, when a train fell into a river, killing 800 people.")
    found = attributes(text)
    assert found["death_toll"] == [288]


def test_there_points_back_to_the_place_named_before():
    found = attributes("The earthquake killed 300 people in Nepal and 20 in Tibet on Saturday. Besides, 58 people "
                       "there have been injured, officials said.")
    assert found["injured.tibet"] == [58]  # the last place of the sentence before
    found = attributes("The quake killed 300 people in Peru and 40 in Ecuador. Guayas Province was the worst hit "
                       "region as at least 30 deaths were reported from there.")
    assert found["death_toll.guayas-province"] == [30]  # the nearest place before it in its sentence
    # "there were" points nowhere: the count is the whole's
    assert attributes("The hurricane struck Florida. There were 23 confirmed deaths after it struck on Sunday.") == {
        "death_toll": [23]}


def test_a_figure_in_brackets_after_a_name_is_that_places():
    found = attributes("The earthquake killed 2,000 people in Morocco on Friday. Deaths by province: Al Haouz "
                       "(1,200 dead), Taroudant (450 dead).")
    assert found["death_toll"] == [2000]
    assert found["death_toll.al-haouz"] == [1200] and found["death_toll.taroudant"] == [450]


def test_a_bracket_glued_to_a_name_is_a_token_of_its_own():
    from pipelines.claims.nlp import parse

    assert [t.text for t in parse("followed by Taroudant(452), south of Marrakech")][:6] == [
        "followed", "by", "Taroudant", "(", "452", ")"]


def test_a_country_the_parser_reads_as_an_adjective_still_speaks_through_its_authority():
    # "Nepal police" (Nepal parsed as an adjective); a passive "were counted" leaves the holder to
    # "said", and the coordinated clause is said by it too
    found = attributes("The earthquake struck on Saturday. Nepal police said 3,000 deaths were counted and 7,000 "
                       "people were injured, while 40 died in India.")
    assert found["death_toll.nepal"] == [3000] and found["injured.nepal"] == [7000]
    assert found["death_toll.india"] == [40]
    # a nationality is no country
    assert "death_toll.china" not in attributes("The earthquake struck on Saturday. Chinese police said 3,000 deaths "
                                                "were counted, while 40 died in India.")
