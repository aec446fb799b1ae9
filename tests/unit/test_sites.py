"""One site of several: in an attack at more than one place, one site's dead and injured are a part
of the toll; a figure said of all the sites, or of an attack at one place, is the whole. Every
sentence here is our own."""

import pytest
from test_parts_scope import attributes  # the same extraction, read the same way

from pipelines.claims.sites import SitesError, load_site_words


def test_each_site_of_two_bombings_is_a_part_and_the_sum_the_whole():
    text = ("Bombs went off in the check-in area of the city airport on Monday morning, killing at least nine "
            "people and wounding another 60. Soon after, a second explosion hit a subway station near the "
            "parliament, which left an estimated 15 dead and more than 90 people injured. In all, 25 people "
            "were killed in the attacks and 300 wounded.")
    found = attributes(text)
    assert found["death_toll.airport"] == [9]
    assert found["injured.airport"] == [60]
    assert found["death_toll.station"] == [14]
    assert found["injured.station"] == [91]
    assert found["death_toll"] == [25]
    assert found["injured"] == [300]


def test_figures_for_two_named_sites_tell_several_sites():
    text = ("Two bombers struck the city on Tuesday. Omar Khan blew himself up in the attack at Lakeside airport "
            "that killed 11 people while Sami Khan struck at Hillview metro, where 20 people died, prosecutors said.")
    assert attributes(text) == {"death_toll.airport": [11], "death_toll.metro": [20]}


def test_one_mosque_of_two_is_a_part_and_both_the_whole():
    text = ("A gunman opened fire at the central mosque, where more than 41 people died, before driving to a "
            "second mosque. The attacks on the two mosques killed 50 people.")
    assert attributes(text) == {"death_toll.mosque": [42], "death_toll": [50]}


def test_a_site_named_in_the_attack_noun_is_the_figures_site():
    text = "A second bomb exploded an hour after the first. About 20 people died in the subway attack, the mayor said."
    assert attributes(text) == {"death_toll.subway": [18]}


def test_an_attack_at_one_site_is_the_whole():
    text = "A suicide bomber struck at the concert hall on Monday night, killing 22 people and injuring 59."
    assert attributes(text) == {"death_toll": [22], "injured": [59]}


def test_a_fire_at_two_buildings_is_no_attack():
    text = "A fire swept through two buildings on Monday. The blaze at the hotel killed 12 people, officials said."
    assert attributes(text) == {"death_toll": [12]}


def test_a_malformed_word_list_is_a_clear_error(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text("stories: [attack]\nsites: airport\n", encoding="utf-8")
    with pytest.raises(SitesError, match="needs word lists"):
        load_site_words(path)
