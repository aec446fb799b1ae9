"""Parts read as the whole: one aircraft's occupants, one place's toll, bodies recovered so far, a
share introduced by "included". Every sentence here is our own."""

from datetime import UTC, datetime

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def claims_of(text: str, title: str | None = None) -> list[Claim]:
    return extract_claims(ArticleInput("parts-test", text, title=title, published=PUBLISHED), load_catalog())


def attributes(text: str, title: str | None = None) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for c in claims_of(text, title):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


def test_an_onboard_figure_that_is_the_whole_toll_is_the_toll():
    text = ("14:05 - Ministry: 96 dead, one rescued\nThe aviation ministry now says 96 of the 97 people on "
            "board the airliner have died after it overran the runway on Tuesday.")
    assert attributes(text) == {"death_toll": [96]}


def test_an_onboard_figure_beside_a_larger_toll_stays_a_split():
    text = ("The airliner came down on a school on Tuesday, killing 150 people. All 131 people on board "
            "the airliner died.")
    found = attributes(text)
    assert found.get("death_toll") == [150]
    assert found.get("death_toll.onboard") == [131]


# --- places: a gazetteer with administrative levels ---------------------------------------------


def test_the_gazetteer_knows_levels_and_containment():
    from pipelines.claims.places import relation

    assert relation("Rieti", ["Italy"]) == "part"             # a province in the country
    assert relation("Bangkok", ["Myanmar"]) == "part"         # a city outside it
    assert relation("Kerr County", ["Texas"]) == "part"       # a county in the state
    assert relation("Haiti", ["Jamaica"]) == "part"           # another country of a storm's path
    assert relation("Italy", ["Italy"]) == "whole"
    assert relation("United States", ["Texas"]) == "whole"    # the country containing the state
    assert relation("Caribbean", ["Jamaica"]) == "whole"      # a region larger than the country
    assert relation("Nowhereville", ["Italy"]) is None        # unknown: left to the article's figures
    assert relation("Nowhereville", ["Italy"], word_level=3) == "part"  # "the town of Nowhereville"


def test_a_province_toll_in_a_national_disaster_is_a_part():
    text = ("The earthquake struck central Italy on Wednesday night. Officials said 190 deaths occurred "
            "in the Rieti province.")
    found = attributes(text)
    assert "death_toll" not in found
    assert list(found.values()) == [[190]]


def test_a_city_in_another_country_is_a_part():
    text = ("The earthquake in Myanmar on Friday killed 1,644 people. Thai officials said 10 people had "
            "been killed in Bangkok.")
    found = attributes(text)
    assert found["death_toll"] == [1644]
    assert found["death_toll.bangkok"] == [10]


def test_a_camp_named_by_its_admin_word_is_a_part_of_a_state_flood():
    found = attributes("Floods in Texas killed 50 people on Friday, and 27 girls were missing from Camp Alder.")
    assert found["death_toll"] == [50]
    assert found["missing.camp-alder"] == [27]


def test_the_country_itself_is_the_whole():
    assert attributes("The typhoon killed 300 people in the Philippines on Friday.") == {"death_toll": [300]}


def test_elsewhere_is_a_part_but_and_other_towns_is_not():
    assert attributes("The typhoon also killed about 170 people elsewhere in the country on Friday.") == {
        "death_toll.elsewhere": [153]}
    text = "The floods on Sunday killed 3,100 people in Derna and other towns of the coast, the minister said."
    assert attributes(text) == {"death_toll": [3100]}


def test_the_toll_in_a_town_beside_a_larger_toll_is_a_part():
    text = ("The quake killed 278 people in central Italy on Wednesday, while the toll in Pescomora "
            "remained at 49.")
    found = attributes(text)
    assert found["death_toll"] == [278]
    assert 49 not in found.get("death_toll", [])


def test_a_place_in_a_clause_about_the_crash_does_not_scope_the_toll():
    text = ("Over 200 people have died and around 900 were injured as two trains derailed at a station in "
            "Balasore district of Odisha on Friday.")
    found = attributes(text)
    assert found["death_toll"] == [201]
    assert found.get("injured") and 810 <= (found["injured"][0] or 0) <= 900


def test_the_occurrence_named_after_a_place_is_not_a_place_part():
    text = "The death toll in the Balasore train accident has risen to 233, officials said on Saturday."
    assert attributes(text) == {"death_toll": [233]}


def test_a_performer_named_in_the_figures_phrase_is_no_place_part():
    # the parser takes the name for an organisation; read as a place, the headline's 30 was a part
    text = ("Two dead, 30 wounded after bombing at Bruce Springsteen concert in Leeds\n\nA bomb went off at a "
            "concert in Leeds on Monday. The blast injured 120 people, police said.")
    assert attributes(text) == {"death_toll": [2], "injured": [30, 120]}


def test_a_broken_places_file_is_reported_by_name(tmp_path):
    import pytest

    from pipelines.claims.places import PlacesError, load_gazetteer

    bad = tmp_path / "places.yaml"
    bad.write_text("admin_words: {county: [not, a, level]}\n", encoding="utf-8")
    with pytest.raises(PlacesError, match="places.yaml"):
        load_gazetteer(bad)


# --- not a count of the attribute ----------------------------------------------------------------


def test_people_who_lost_their_homes_are_no_toll():
    text = "The typhoon struck on Friday. Aid groups are feeding more than two million people who lost their homes."
    assert attributes(text) == {}


def test_victims_waiting_for_aid_are_alive():
    text = "The cyclone struck on Friday. About 1.5 million victims of the storm are waiting for food and water."
    assert "death_toll" not in attributes(text)


def test_victims_in_hospital_are_injured_not_dead():
    text = ("The bombing on Monday killed 19 people. Forty-two bombing victims remained in six hospitals on "
            "Sunday, health officials said.")
    assert attributes(text) == {"death_toll": [19], "injured.hospital": [42]}


def test_victims_taken_to_hospital_or_needing_treatment_are_the_injured():
    assert attributes("The bombing killed 19 and left another 140 needing treatment.") == {
        "death_toll": [19], "injured": [140]}
    text = "The bombing killed 19 people on Monday. The ambulance service said it had taken 61 victims to seven hospitals."
    assert attributes(text) == {"death_toll": [19], "injured": [61]}


def test_people_still_in_hospital_beside_a_toll_are_a_part_of_the_injured():
    text = ("Police said the shooting claimed 45 lives as more than 20 people are still in the hospital being "
            "treated for their wounds.")
    assert attributes(text) == {"death_toll": [45], "injured.hospital": [21]}


def test_deaths_in_hospital_or_at_home_are_still_deaths():
    text = "The bombing killed 19 people on Monday. Two more people died in hospital on Tuesday."
    assert attributes(text) == {"death_toll": [19, 2]}
    assert attributes("The flood killed 19 people on Monday. Another 200 people died in their homes.") == {
        "death_toll": [19, 200]}


def test_the_accused_are_no_victims():
    text = "A gunman killed 50 people at two mosques. One man, John Doe, 28, has been charged with murder."
    assert attributes(text) == {"death_toll": [50]}
    assert attributes("Two men, John Doe and Omar Khan, were killed in the attack.") == {"death_toll": [2]}


def test_people_accounted_for_are_not_missing():
    text = ("The tower collapsed on Thursday. Officials said 80 people were accounted for and 140 people "
            "remained unaccounted for.")
    assert attributes(text).get("missing") == [140]


# --- shares, changes, guesses, denials, and counts of something else ------------------------------


def test_what_the_victims_included_is_a_share():
    text = ("The airliner crashed in the mountains on Tuesday, killing all 120 people on board. The victims "
            "included two pilots, a film crew and 14 students from a school in the valley.")
    found = attributes(text)
    assert found["death_toll"] == [120]
    assert found["death_toll.share"] == [14]


def test_more_bodies_found_as_the_toll_rises_are_a_change():
    text = "The quake struck on Friday. The death toll rose on Sunday as six more bodies were recovered."
    assert attributes(text) == {"death_toll.increase": [6]}


def test_dozens_more_injured_is_a_count_not_a_change():
    text = "A car bomb killed 12 people on Monday and injured dozens more, police said."
    found = attributes(text)
    assert found["death_toll"] == [12]
    assert found.get("injured")


def test_a_rise_by_a_number_is_a_change_and_the_number_reached_is_the_toll():
    text = "The storm struck on Friday. The number of people confirmed killed jumped by 900 to 4,100."
    found = attributes(text)
    assert found.get("death_toll") == [4100]
    assert 900 not in found.get("death_toll", [])


def test_an_estimate_and_what_a_toll_can_reach_are_guesses():
    text = ("The floods struck on Sunday. Officials have confirmed 2,300 deaths, fewer than the 8,000 "
            "estimated by the city council. It can reach 12,000 deaths, the mayor said.")
    found = attributes(text)
    assert found["death_toll"] == [2300]
    assert found.get("death_toll.projection") == [12000]


def test_a_figure_said_to_be_wrong_is_dropped():
    found = attributes("The derailment happened on Friday. The death toll is 261 and not 275, the minister said.")
    assert found == {"death_toll": [261]}


def test_responders_and_their_teams_are_not_victims():
    text = ("The wildfire has killed 31 people, officials said on Monday. As 3,000 firefighters cut lines in "
            "the hills, eight search teams went through the burnt homes looking for remains.")
    assert attributes(text) == {"death_toll": [31]}


def test_the_occupants_of_a_vessel_are_not_the_missing():
    text = ("Five people have died and hundreds remain unaccounted for after a ferry with more than 300 "
            "passengers sank off the coast on Wednesday.")
    assert 301 not in attributes(text).get("missing", [])


def test_a_figure_with_its_own_noun_restates_no_figure_before_it():
    text = "The hotel collapsed in the quake on Monday. We have recovered three bodies, one worker said."
    assert 1 not in [v for vs in attributes(text).values() for v in vs]


def test_a_broken_parts_file_is_reported_by_name(tmp_path):
    import pytest

    from pipelines.claims.parts import PartsError, load_parts

    bad = tmp_path / "parts.yaml"
    bad.write_text("share_heads: [include]\n", encoding="utf-8")
    with pytest.raises(PartsError, match="parts.yaml"):
        load_parts(bad)


def test_a_figure_inside_a_denied_claim_is_no_count():
    text = "The earthquake killed 300 people on Monday. Police said claims that hundreds were still missing were incorrect."
    assert attributes(text) == {"death_toll": [300]}
    text = "The earthquake killed 300 people on Monday. Police denied reports that 40 people were missing."
    assert attributes(text) == {"death_toll": [300]}
    text = "The earthquake killed 300 people on Monday. Police said reports that 40 people were missing were confirmed."
    assert attributes(text) == {"death_toll": [300], "missing": [40]}


def test_one_figure_for_two_states_is_a_count_of_neither():
    assert attributes("The blast left 300 people dead or injured.") == {"death_toll.dead_or_injured": [300]}
    text = ("Typhoon Rai struck the islands on Monday, killing at least 3,000 people. The number of people dead or "
            "missing after the strongest typhoon in a decade struck the islands climbed towards 5,000 on Saturday.")
    assert attributes(text) == {"death_toll": [3000], "death_toll.dead_or_missing": [5000]}


def test_two_states_each_with_its_figure_stay_two_counts():
    assert attributes("The quake left 20 dead and 45 injured.") == {"death_toll": [20], "injured": [45]}
    assert attributes("The flood left 20 people dead and 40 missing.") == {"death_toll": [20], "missing": [40]}
    assert attributes("The storm killed 300 people. The number of dead rose to 300 and 40 were missing.") == {
        "death_toll": [300], "missing": [40]}


def test_two_states_each_with_its_figure_after_with_or_a_verb_stay_two_counts():
    # the parse hangs the second state from the first: the first state's own figure tells two counts
    opening = "A strong earthquake struck northern Peru on Monday. "
    for sentence in ("The fire tore through the market on Monday with 40 dead and 70 injured.",
                     "Officials said the toll stood at 40 dead and 70 injured.",
                     "Rescuers worked through the night with at least 40 people dead and 70 injured."):
        found = attributes(opening + sentence)
        assert found.get("injured") == [70], sentence
        assert [k for k in found if k.startswith("injured.")] == [], sentence
    assert attributes(opening + "The toll kept rising in the north, with 25 dead and 117 injured.") == {
        "death_toll": [25], "injured": [117]}
    # one figure for the two states stays a count of neither
    assert attributes(opening + "The quake left 300 people dead or injured.") == {"death_toll.dead_or_injured": [300]}


def test_those_once_missing_and_now_found_dead_are_a_change_not_the_missing():
    text = "The tower fire killed 30 people. Two people previously reported as missing have now been confirmed dead."
    assert attributes(text) == {"death_toll": [30], "missing.former": [2]}
    assert attributes("The tower fire killed 30 people and 12 were previously reported missing.") == {
        "death_toll": [30], "missing": [12]}


def test_one_group_of_people_beside_a_larger_toll_is_that_groups_part():
    text = "The floods killed 4,000 people. The poisoned water has led to the deaths of 55 children, a UN report says."
    assert attributes(text) == {"death_toll": [4000], "death_toll.children": [55]}
    text = "A bomb killed 22 people at the concert and injured 59. Over a dozen children were taken to hospital."
    assert attributes(text) == {"death_toll": [22], "injured": [59], "injured.children": [13]}


def test_one_group_of_people_alone_is_the_toll():
    assert attributes("A school bus crashed on Monday, killing 20 children.") == {"death_toll": [20]}
    assert attributes("The quake killed 300 people, including 60 children.") == {
        "death_toll": [300], "death_toll.share": [60]}


def test_a_figure_in_the_occurrence_named_like_a_place_is_the_whole():
    text = ("The wildfire's toll rose to 42 on Monday, officials said. Twenty-three people have died so far in "
            "the destructive Camp Fire, the sheriff said on Sunday.")
    assert 23 in attributes(text).get("death_toll", [])


# --- bodies counted as they are handled: the dead found so far, not the toll ---------------------


def test_bodies_recovered_so_far_are_a_part_not_the_toll():
    text = ("The airliner crashed on landing on Sunday. At least 85 bodies have been recovered so far from the "
            "wreckage, fire officials said.")
    assert attributes(text) == {"death_toll.recovered": [85]}


def test_the_bodies_of_people_pulled_out_are_a_part():
    text = ("The tower block collapsed on Monday night. The bodies of at least 31 people had been recovered from "
            "the rubble by Tuesday evening.")
    assert attributes(text) == {"death_toll.recovered": [31]}


def test_dead_recovered_by_one_crew_are_a_part():
    text = "The hotel collapsed in the quake on Monday. We have already recovered four dead, one rescuer said."
    assert attributes(text) == {"death_toll.recovered": [4]}


def test_identified_victims_are_a_part_beside_the_toll():
    text = ("The train derailed on Friday, killing 212 people. Police said 40 victims had been formally identified "
            "by Sunday.")
    found = attributes(text)
    assert found["death_toll"] == [212]
    assert found["death_toll.identified"] == [40]


def test_bodies_kept_somewhere_are_a_part_whatever_their_verb():
    text = "The ship sank on Friday, killing 160 people. Another 70 bodies were kept at the port's mortuary."
    found = attributes(text)
    assert found["death_toll"] == [160]
    assert 70 not in found["death_toll"]


def test_people_found_dead_are_still_deaths():
    text = "The floods struck the valley on Sunday. Police said 14 people were found dead in their cars."
    assert attributes(text) == {"death_toll": [14]}


def test_all_but_a_share_of_the_people_on_board_is_the_rest():
    text = ("The jet crashed into a hostel on Thursday. All but one of the 180 people aboard the jet were killed, "
            "and the rest of the dead were on the ground.")
    assert 179 in [v for vs in attributes(text).values() for v in vs]
    assert attributes("The ferry capsized on Monday. All but three of the 95 passengers drowned.") == {
        "death_toll": [92]}


def test_a_parts_file_without_handling_verbs_is_reported(tmp_path):
    import pytest
    import yaml

    from pipelines.claims.parts import PARTS_DATA, PartsError, load_parts

    data = yaml.safe_load(PARTS_DATA.read_text(encoding="utf-8"))
    data["handling_verbs"] = ["recover"]
    bad = tmp_path / "parts.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PartsError, match="handling_verbs"):
        load_parts(bad)


# --- what the sentence says of the figure, read in text order ------------------------------------


def test_a_state_after_the_figure_says_what_it_counts_when_the_parse_hangs_it_elsewhere():
    found = attributes("The ferry sank on Wednesday. A broadcaster reported 212 people were still missing.")
    assert found == {"missing": [212]}
    assert attributes("The ferry sank on Wednesday. Eleven people have been confirmed as injured.") == {"injured": [11]}


def test_an_aside_between_dashes_is_skipped_to_reach_the_state():
    text = ("The ferry capsized on Wednesday. By Thursday, 120 passengers had been rescued, with nine confirmed dead "
            "and 180—mostly pupils of one school—still missing and feared dead.")
    found = attributes(text)
    assert found["death_toll"] == [9]
    assert found["missing"] == [180]


def test_a_verb_doing_something_after_the_figure_is_no_state_of_it():
    text = ("The two presidents met in Vienna on Monday. The two leaders held a private meeting for three hours "
            "after a swap of detained journalists.")
    assert not [a for a in attributes(text) if a.startswith("prisoner_exchange")]


def test_a_count_that_rose_from_one_figure_to_another_gives_both():
    text = "The wildfire broke out on Monday. The list of people unaccounted for rose sharply from 120 to 310 on Friday."
    assert attributes(text) == {"missing": [120, 310]}
    text = ("The building collapsed on Thursday. The death toll had increased from one to three overnight after "
            "rescuers found two more victims.")
    assert attributes(text)["death_toll"] == [1, 3]


def test_a_total_of_people_rescued_is_no_toll():
    text = ("The ferry sank on Wednesday, killing four people. The ministry said that a total of 151 passengers "
            "and crew members were known to have been rescued, given the known deaths.")
    assert attributes(text) == {"death_toll": [4]}


def test_a_revision_of_the_sentences_own_uncounted_figure_takes_no_earlier_attribute():
    text = ("The ferry sank on Wednesday. Twelve people have been confirmed as injured. It was first reported that "
            "a total of 350 people had been rescued, but this has now been revised down to 150.")
    assert attributes(text) == {"injured": [12]}


def test_a_headline_over_a_blank_line_is_a_sentence_of_its_own():
    # parsed with the dateline below it, the headline's figure counted "LIMA" and was lost
    text = "Death toll from the floods tops 340\n\nLIMA (Wire) — The death toll from the floods has risen to 352."
    assert sorted(attributes(text)["death_toll"]) == [341, 352]  # type: ignore[type-var]


def test_a_day_written_after_the_figure_is_when_not_what_it_counts():
    text = "An earthquake struck the coast on Saturday. The death toll from the quake rose to 233 Sunday, officials said."
    assert attributes(text) == {"death_toll": [233]}
    assert attributes("The talks in Geneva lasted 3 hours on Monday.") == {"talks.duration_minutes": [180]}


def test_the_count_a_forecast_rise_starts_from_is_the_count_so_far():
    text = "A fire destroyed the tower on Wednesday. Police said the death toll was expected to increase from 58."
    assert attributes(text) == {"death_toll": [58]}
    text = "A fire destroyed the tower on Wednesday. Police said the death toll was expected to rise to 100."
    assert attributes(text) == {"death_toll.projection": [100]}


def test_the_subject_of_a_clause_of_its_own_takes_no_state_from_the_verb_above():
    text = "A bomb exploded at the arena on Monday. The blast injured 60 people outside the hall as thousands gathered."
    assert attributes(text) == {"injured": [60]}


def test_one_set_against_another_is_one_of_a_group_not_a_count():
    text = ("Gunmen attacked the station on Monday, killing 12 people. Police have not named the two gunmen. "
            "One was shot dead, another got away.")
    assert attributes(text) == {"death_toll": [12]}
    assert attributes("The bus crashed on Monday. One died and another 20 were injured.") == {
        "death_toll": [1], "injured": [20]}


def test_the_buried_are_the_dead_handled_so_far_and_a_group_beside_them_is_a_part():
    text = ("Floods swept through the city on Sunday. More than a thousand have now been buried in common graves. "
            "Polluted water has led to the deaths of 55 children, a report said.")
    found = attributes(text)
    assert "death_toll" not in found
    assert found["death_toll.buried"] == [1001]
    assert found["death_toll.children"] == [55]


def test_a_guess_above_a_relative_clause_does_not_govern_its_fact():
    text = ("A bomb went off at the stadium on Saturday night. Officials estimate clinics have treated at least 130 "
            "people injured after a woman set off a bomb that killed 19 people at the stadium.")
    found = attributes(text)
    assert found["death_toll"] == [19]
    assert found["injured.projection"] == [130]
    # a modal of its own still makes a guess: "a storm that could kill 100"
    assert attributes("Forecasters said the storm that could kill 100 people was nearing the coast.") == {
        "death_toll.projection": [100]}


def test_those_in_care_after_a_larger_injured_figure_are_its_share():
    text = "The jet caught fire on landing on Tuesday. Officials said 23 travellers were hurt, and six were taken to hospital."
    assert attributes(text) == {"injured": [23], "injured.hospital": [6]}
    # alone, those taken to hospital are the injured the report gives
    assert attributes("The jet caught fire on landing on Tuesday. Officials said 17 passengers were taken to hospital.") == {
        "injured": [17]}
