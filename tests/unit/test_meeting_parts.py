"""Parts of one meeting (the one-on-one, a numbered session, the whole summit) and a truce's
extension are occasions of their own; a length that names no part, in an article describing
several, is doubted. Every sentence here is our own."""

from datetime import UTC, date, datetime

import pytest

from pipelines.claims import sessions
from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.events import EventIndex
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)
TALKS, TRUCE = "talks.duration_minutes", "ceasefire.duration_days"


def claims_of(text: str, article_id: str = "parts-test") -> list[Claim]:
    return extract_claims(ArticleInput(article_id, text, published=PUBLISHED), load_catalog())


def talks(text: str) -> list[Claim]:
    return [c for c in claims_of(text) if c.attribute == TALKS]


SUMMIT = ("The two presidents met at a lakeside villa on Monday. Their one-on-one meeting lasted 40 minutes. "
          "The second session, with aides, ran for about an hour. The summit lasted less than three hours in all.")


def test_each_part_of_a_summit_is_read_with_its_own_part():
    parts = {c.value_low: c.hint.session for c in talks(SUMMIT) if c.hint is not None}
    assert parts == {40: "one_on_one", 54: "part:2", None: None}


def test_parts_of_one_summit_are_separate_events_and_the_whole_is_the_same_as_ever():
    index = EventIndex(load_catalog())
    assigned = index.assign_claims(talks(SUMMIT))
    assert len({c.event_id for c in assigned}) == 3
    whole = next(c for c in assigned if c.hint is not None and c.hint.session is None)
    other = index.assign_claims(talks("The presidents' summit at the lakeside villa on Monday lasted about two hours."))
    assert other[0].event_id == whole.event_id


def test_a_pointing_subject_takes_the_part_of_the_sentence_before():
    text = ("The summit on Monday opened with a private meeting of the two presidents. "
            "It lasted 50 minutes, aides said.")
    assert [c.hint.session for c in talks(text) if c.hint] == ["one_on_one"]


def test_a_length_naming_no_part_among_several_is_too_doubtful_to_alert():
    text = SUMMIT + " The talks lasted two hours, officials said."
    unclear = next(c for c in talks(text) if c.value_low == 120)
    assert "occasion.part_unclear" in unclear.confidence_reasons and unclear.confidence < 0.5


def test_a_length_in_an_article_about_one_meeting_is_not_doubted():
    found = talks("The summit talks in the lakeside villa on Monday lasted two hours, officials said.")
    assert [c.confidence for c in found] == [1.0]


def test_rounds_of_talks_stay_days_of_their_own_not_parts():
    found = talks("The third round of talks in the palace on Monday lasted about 40 minutes.")
    assert [c.hint.session for c in found if c.hint] == [None]


def test_a_private_camp_does_not_make_an_article_about_parts():
    text = ("The summit talks on Monday lasted two hours. Delegates later visited a private school "
            "built for the children of diplomats.")
    assert "occasion.part_unclear" not in talks(text)[0].confidence_reasons


def test_an_expected_length_then_what_happened_is_a_length():
    text = ("At the summit the two sides had said they expected to meet for five hours but ended up "
            "spending less than four hours together.")
    assert [(c.value_low, c.value_high) for c in talks(text)] == [(None, 239)]


def test_a_light_verbs_object_is_what_lasted():
    assert [c.value_low for c in talks("At the summit the presidents held a private meeting for three hours.")] == [180]


def test_a_part_of_the_talks_that_lasted_longer_than_scheduled():
    text = ("The summit talks began at noon.\n\nThis part of the talks was initially scheduled to take "
            "one hour and 20 minutes, but it lasted almost three hours.")
    assert [(c.value_low, c.value_high) for c in talks(text)] == [(162, 180)]


def test_a_truce_extension_is_its_own_occasion_and_the_extended_truce_the_earlier_one():
    found = [c for c in claims_of("Israel and Hamas agreed on Monday to extend the four-day truce in Gaza by "
                                  "two more days.") if c.attribute == TRUCE]
    by_value = {c.value_low: c.hint for c in found if c.hint}
    assert by_value[2].session == "extension" and not by_value[2].recalled
    assert by_value[4].recalled and by_value[4].occurrence_date is None


def test_an_initial_truce_is_the_earlier_agreement():
    found = [c for c in claims_of("Under the initial three-day truce agreed on Monday, aid lorries entered the "
                                  "strip.") if c.attribute == TRUCE]
    assert [c.hint.recalled for c in found if c.hint] == [True]


def test_parts_of_a_summit_are_events_of_its_day():
    index = EventIndex(load_catalog())
    index.assign_claims(talks(SUMMIT))
    assert {e.session for e in index.new} == {"one_on_one", "part:2", None}
    assert all(e.occurrence_date == date(2024, 3, 4) for e in index.new)


def test_the_sessions_words_file_is_checked(tmp_path):
    bad = tmp_path / "sessions.yaml"
    bad.write_text("formats: {one_on_one: [private]}\n", encoding="utf-8")
    with pytest.raises(sessions.SessionDataError):
        sessions.load_words(bad)


def test_murdered_is_a_toll_verb_and_the_wounded_stay_injured():
    found = {c.attribute: c.value_low for c in claims_of(
        "After the bombing at the stadium on Monday, police said the attacker murdered 14 people and wounded 80.")}
    assert found.get("death_toll") == 14 and found.get("injured") == 80


def test_leaders_speaking_together_is_a_meeting_but_one_speaker_is_not():
    opening = "The summit opened in a lakeside villa on Monday. "
    assert [c.value_low for c in talks(opening + "The two presidents spoke privately for two hours and 5 minutes.")] == [125]
    assert [c.value_low for c in talks(opening + "The host spoke with his guest for an hour.")] == [60]
    assert talks(opening + "The host spoke for 40 minutes before the cameras.") == []


def test_a_meeting_verb_far_above_its_length_still_holds_it():
    text = ("The summit opened in a lakeside villa on Monday. The leaders talked one on one behind closed "
            "doors for three-plus hours.")
    [found] = talks(text)
    assert (found.value_low, found.value_high) == (180, None) and found.hint is not None
    assert found.hint.session == "one_on_one"


def test_a_participle_of_a_part_gives_its_length_that_part_and_one_on_one_counts_no_one():
    text = ("The summit opened in a lakeside villa on Monday. After one-on-one exchanges lasting about 50 "
            "minutes, the leaders were joined by their ministers.")
    found = claims_of(text)
    assert [(c.attribute, c.value_low) for c in found] == [(TALKS, 45)]
    assert found[0].hint is not None and found[0].hint.session == "one_on_one"


def test_a_summits_first_session_is_its_one_on_one_whichever_way_a_report_names_it():
    first = claims_of("The two presidents opened their summit at a lakeside villa on Monday. The first session, with only their "
                      "foreign ministers, lasted 90 minutes. The second session ran for about an hour.", "a1")
    other = claims_of("The two presidents opened their summit at a lakeside villa on Monday. Their one-on-one meeting lasted "
                      "about two hours.", "a2")
    sessions_of = {c.value_low: c.hint.session for c in first if c.hint is not None}
    assert sessions_of == {90: "one_on_one", 54: "part:2"}
    index = EventIndex(load_catalog())
    [ninety, _], [two_hours] = index.assign_claims(first), index.assign_claims(other)
    assert ninety.event_id == two_hours.event_id  # so 90 minutes and about two hours can disagree
