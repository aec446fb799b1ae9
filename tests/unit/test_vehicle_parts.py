"""One vehicle of two: in a collision, one aircraft's (or train's) dead are a part of the toll,
unless everyone on the other got out; the people aboard both are the whole. Every sentence here is
our own."""

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.claims.vehicles import VehiclesError, load_vehicle_words
from pipelines.models import ArticleInput

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def attributes(text: str) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for c in extract_claims(ArticleInput("vehicles-test", text, published=PUBLISHED), load_catalog()):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


def test_one_aircraft_of_two_in_a_collision_is_a_part_and_the_sum_the_whole():
    text = ("A passenger jet and a military helicopter collided over the river on Monday. All 60 people "
            "aboard the jet and the three soldiers on the helicopter were killed. In total 63 people died.")
    found = attributes(text)
    assert found["death_toll"] == [63]
    assert found["death_toll.jet"] == [60]


def test_one_train_of_two_is_a_part():
    text = ("Two trains collided near the station on Monday. Ten passengers on the first train were "
            "killed, officials said.")
    assert attributes(text) == {"death_toll.train": [10]}


def test_the_people_aboard_both_aircraft_are_the_whole():
    text = ("Two cargo planes collided in mid-air on Monday, killing all 12 aboard both aircraft, "
            "officials said.")
    assert attributes(text) == {"death_toll": [12]}


def test_when_everyone_on_the_other_aircraft_got_out_one_aircraft_s_dead_are_the_toll():
    text = ("A small plane collided with an airliner on the runway on Monday. Four of the five crew "
            "members on the small plane died. All 200 people on the airliner escaped.")
    assert attributes(text) == {"death_toll": [4]}


def test_those_spared_may_still_be_hurt_so_one_aircraft_s_injured_stay_a_part():
    text = ("A small plane collided with an airliner on the runway on Monday. All 200 people on the "
            "airliner got out safely, but 14 people on the airliner were injured.")
    assert attributes(text) == {"injured.airliner": [14]}


def test_a_collision_with_no_second_vehicle_leaves_the_toll_whole():
    text = ("A cargo plane crashed near the airport on Monday after a collision with a flock of birds. "
            "All six crew members on the plane were killed.")
    assert attributes(text) == {"death_toll": [6]}


def test_the_base_of_out_of_is_not_a_count_of_the_dead():
    text = ("A cargo plane crashed near the airport on Monday. Five out of the six crew members on the "
            "plane were killed, officials said.")
    assert attributes(text) == {"death_toll": [5]}


def test_vehicle_words_must_be_lists(tmp_path):
    bad = tmp_path / "vehicles.yaml"
    bad.write_text("vehicles: plane\n")
    with pytest.raises(VehiclesError):
        load_vehicle_words(bad)


def test_each_aircraft_s_own_figure_is_its_part_when_both_are_named_in_one_sentence():
    text = ("A business jet collided with a cargo plane over the lake on Monday. All 9 people aboard the "
            "business jet and the three crew members of the cargo plane were killed.")
    found = attributes(text)
    assert "death_toll" not in found
    assert sorted(v for k, vals in found.items() for v in vals if k.startswith("death_toll.")) == [3, 9]


def test_a_phrase_after_the_last_conjunct_names_the_vehicle_of_all():
    text = ("Two aircraft collided in mid-air on Monday. Everyone died: 40 passengers and five crew members "
            "on the airliner, and two pilots on the cargo plane.")
    found = attributes(text)
    assert "death_toll" not in found


# --- on board and on the ground -----------------------------------------------------------------


def test_the_figure_s_own_phrase_decides_on_board_or_on_the_ground():
    text = ("A medical transport jet crashed in the city on Friday, killing the six passengers on board and "
            "one person on the ground in a car.")
    assert attributes(text) == {"death_toll.onboard": [6], "death_toll.ground": [1]}


def test_those_on_board_alone_are_the_toll_but_those_on_the_ground_alone_are_not():
    assert attributes("A medical jet crashed in the city on Friday, killing all six people on board.") == {
        "death_toll": [6]}
    text = "A small plane crashed onto a highway on Friday. One person who was inside a car was killed."
    assert attributes(text) == {"death_toll.ground": [1]}


def test_a_conjunct_shares_the_verb_that_vetoes_it():
    text = ("A plane caught fire on the runway on Tuesday. The airline said all 300 passengers and 12 crew "
            "on board were evacuated. Ten passengers and two crew members were hurt.")
    assert "death_toll" not in attributes(text)


def test_those_a_plane_crashed_with_on_board_are_occupants_not_dead():
    text = ("A plane crashed in the city on Friday with 99 people on board. At least 56 people were killed, "
            "officials said.")
    assert attributes(text) == {"death_toll": [56]}


def test_a_conjunct_the_parse_hangs_off_the_main_verb_shares_the_figure_before_it():
    # the small parser makes "person" a conjunct of "crashed" here, not of "people"
    text = ("A small jet crashed in South Tulsa, killing the four people on board and one person on the "
            "ground in a car.")
    assert attributes(text) == {"death_toll.onboard": [4], "death_toll.ground": [1]}


def test_a_conjunct_that_names_no_place_is_the_other_side_of_an_on_board_figure():
    text = "A small plane went down on Friday; four people aboard the plane and one person were killed, police said."
    assert attributes(text) == {"death_toll.onboard": [4], "death_toll.ground": [1]}


def test_crew_named_by_their_job_are_on_board_like_the_passengers():
    text = ("A small plane went down on Friday; six passengers aboard the plane and two pilots were killed. "
            "In all eight people died.")
    found = attributes(text)
    assert "death_toll.ground" not in found
    assert found["death_toll"] == [8]


def test_those_hurt_on_the_ground_are_a_part_where_some_aboard_survived():
    text = ("A passenger plane crashed into homes near the airport on Friday. Ninety people were killed and "
            "three passengers survived. Twelve people on the ground were injured.")
    assert attributes(text) == {"death_toll": [90], "injured.ground": [12]}


def test_those_hurt_on_the_ground_are_all_the_injured_where_no_one_aboard_survived():
    for text in ("A cargo plane crashed into homes on Friday, killing all four crew on board. Twelve people on "
                 "the ground were injured.",
                 "A cargo plane crashed into homes on Friday, killing all four crew; there were no survivors. "
                 "Twelve people on the ground were injured."):
        assert attributes(text) == {"death_toll": [4], "injured": [12]}


def test_a_toll_said_to_cover_one_side_only_is_that_side_s_even_alone():
    text = ("A passenger plane crashed into homes on Friday. Ninety people were killed and two survived, "
            "officials said on Saturday, giving what they called their final toll for those on the aircraft.")
    assert attributes(text) == {"death_toll.onboard": [90]}
    text = "A jet crashed into a market on Friday. The toll among those on the ground rose to 14, officials said."
    assert attributes(text) == {"death_toll.ground": [14]}
    # without such words, those on board alone are the toll; a toll for the crash covers it all
    assert attributes("A plane crashed on Friday. The death toll for the plane crash rose to 60.") == {
        "death_toll": [60]}
    assert attributes("A passenger plane crashed on Friday, killing all 90 people on board.") == {"death_toll": [90]}


def test_lives_ruined_or_changed_are_not_lives_lost():
    text = ("A bus carrying pupils crashed on the motorway on Monday, killing 12 people. Forty young lives were "
            "shattered, a parent said. Thirty lives were ruined by one careless driver.")
    assert attributes(text) == {"death_toll": [12]}
    assert attributes("A bus crashed on the motorway on Monday. The crash claimed 40 lives.") == {"death_toll": [40]}
