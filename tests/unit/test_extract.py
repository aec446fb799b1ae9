"""The claims engine on sentences written for these tests: each one pins a mechanism (scope,
projection, subset, recall, dates, sources), not a seed sentence."""

from datetime import UTC, date, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.events import EventIndex
from pipelines.models import ArticleInput

CAT = load_catalog()
FRIDAY_EVENING = datetime(2025, 5, 16, 19, 0, tzinfo=UTC)


def claims_of(text: str, title: str = "Delegations meet for peace talks", published=FRIDAY_EVENING):
    return extract_claims(ArticleInput("t", text, title=title, published=published), CAT)


def by_attr(claims):
    return {(c.attribute, c.value_low, c.value_high) for c in claims}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Negotiators agreed that each side would free 750 detainees.", ("prisoner_exchange.count_per_side", 750, 750)),
        ("The deal provides for a 640-for-640 swap of captured servicemen.", ("prisoner_exchange.count_per_side", 640, 640)),
        ("Officials said 900 prisoners would go home in total under the swap.", ("prisoner_exchange.total", 900, 900)),
        ("The envoys met for roughly two and a half hours in the palace.", ("talks.duration_minutes", 135, 165)),
        ("Moscow offered a truce of 72 hours around the holiday.", ("ceasefire.duration_days", 3, 3)),
        ("Kyiv said it would receive the remains of 2,100 fallen servicemen.", ("bodies_returned.count", 2100, 2100)),
        ("The two delegations held hour-long talks at the palace.", ("talks.duration_minutes", 60, 60)),
        ("The session was over in under two hours, a mediator said.", ("talks.duration_minutes", None, 119)),
        ("After three hours of negotiations, the envoys left without a deal.", ("talks.duration_minutes", 180, 180)),
    ],
)
def test_negotiation_figures(text, expected):
    assert expected in by_attr(claims_of(text))


@pytest.mark.parametrize(
    ("text", "truce_days"),
    [
        ("Cracks in the ruins forced a 15-hour halt to the search for survivors.", None),
        ("The storm brought a 12-hour pause in production at the port.", None),
        ("The two armies agreed a 72-hour halt to the fighting.", 3),
        ("A three-day pause in hostilities began on Friday.", 3),
    ],
)
def test_a_pause_of_something_other_than_fighting_is_no_truce(text, truce_days):
    found = {c.value_low for c in claims_of(text) if c.attribute == "ceasefire.duration_days"}
    assert found == ({truce_days} if truce_days else set())


def test_total_and_per_side_in_one_sentence():
    got = by_attr(claims_of("The exchange covers 1,400 captives, 700 from each side, the mediator said."))
    assert ("prisoner_exchange.total", 1400, 1400) in got
    assert ("prisoner_exchange.count_per_side", 700, 700) in got


@pytest.mark.parametrize(
    "text",
    [
        "The ministers talked about an exchange in a hall that seats 300 people.",  # seats are no prisoners
        "The 42-year-old negotiator arrived on Thursday with 12 aides.",             # age, a delegation
        "Talks are expected to resume in two weeks, a diplomat said.",               # time until, not a length
        "It was the first such meeting in more than three years.",                  # time since
    ],
)
def test_distractors_are_not_claims(text):
    assert claims_of(text) == []


QUAKE = "Earthquake kills hundreds in the north"


def test_projection_and_subset_are_told_apart_from_the_toll():
    text = (
        "The earthquake has killed at least 1,350 people across the country, the civil defence agency said. "
        "In the city of Harbin alone, 400 bodies were recovered. "
        "A model run by seismologists suggested deaths could exceed 10,000."
    )
    got = {c.attribute: c for c in claims_of(text, title=QUAKE, published=datetime(2025, 2, 3, 9, tzinfo=UTC))}
    assert got["death_toll"].value_low == 1350 and got["death_toll"].value_high is None
    assert not any(a.startswith("death_toll") and a not in {"death_toll"} and got[a].value_low == 1350 for a in got)
    projections = [c for c in got.values() if c.scope == "projection"]
    assert projections and projections[0].value_low >= 10000
    assert any(c.scope == "subset" and c.value_low == 400 for c in got.values())


def test_rescued_and_discharged_people_are_not_casualties():
    text = ("The ferry sank on Tuesday. Twelve people died and 40 were rescued. "
            "Of the 55 injured, 30 have been discharged from hospital.")
    got = claims_of(text, title="Ferry sinks off the coast", published=datetime(2025, 4, 2, 8, tzinfo=UTC))
    values = {(c.attribute, c.value_low) for c in got}
    assert ("death_toll", 12) in values
    assert all(v != 40 for _, v in values)
    assert ("injured", 30) not in values


def test_weekday_resolves_against_publication_and_recall_goes_to_the_earlier_round():
    may = claims_of("Delegations met in Istanbul on Friday and agreed to swap 1,000 prisoners each.")
    assert may[0].hint.occurrence_date == date(2025, 5, 16)
    june = claims_of(
        "On Monday the delegations agreed that each side would release 1,200 more prisoners. "
        "Last month's round produced a swap of 1,000 prisoners each, officials recalled.",
        published=datetime(2025, 6, 3, 8, tzinfo=UTC),
    )
    index = EventIndex(CAT)
    may_event = index.assign_claims(may)[0].event_id
    assigned = {c.value_low: c for c in index.assign_claims(june)}
    assert assigned[1200].hint.occurrence_date == date(2025, 6, 2)
    assert assigned[1200].event_id != may_event
    assert assigned[1000].event_id == may_event


def test_running_count_dated_later_is_an_update_of_one_event():
    day1 = claims_of("The earthquake that struck on Monday has killed 140 people, officials said.",
                     title=QUAKE, published=datetime(2025, 2, 3, 20, tzinfo=UTC))
    day3 = claims_of("The death toll from Monday's earthquake rose to 910 on Wednesday, officials said.",
                     title=QUAKE, published=datetime(2025, 2, 5, 20, tzinfo=UTC))
    index = EventIndex(CAT)
    a = index.assign_claims(day1)[0]
    b = index.assign_claims(day3)[0]
    assert a.event_id == b.event_id
    assert (a.as_of, b.as_of) == (date(2025, 2, 3), date(2025, 2, 5))


def test_source_of_a_figure_is_the_speaker_across_spellings():
    got = claims_of("Medinskiy told reporters that the sides would exchange 1,000 prisoners of war each.")
    assert got[0].source_entity == "vladimir-medinsky"
    got = claims_of("According to Rustem Umierov, the talks lasted just over an hour.")
    assert got[0].source_entity == "rustem-umerov"


def test_quote_offsets_point_into_the_text():
    text = "Preamble sentence without figures. The session lasted about 50 minutes, a diplomat said."
    claim = claims_of(text)[0]
    assert text[claim.quote_start:claim.quote_end] == claim.quote
    assert claim.hedge == "about" and claim.value_text.startswith("about 50")


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "1 2 3 4 5 6 7 8 9 " * 400, "<p>5 people</p>" * 50, "x" * 250_000],
    ids=["empty", "blank", "number-list", "markup", "huge"],
)
def test_degenerate_text_gives_no_error(text):
    claims = claims_of(text, title=None, published=None)
    assert all(text[c.quote_start:c.quote_end] == c.quote for c in claims)



def test_a_tally_named_by_a_generic_noun_or_pronoun_takes_the_previous_figures_attribute():
    text = ("The death toll from the collapse rose to 184 on Wednesday evening, officials said. "
            "The count had stood at 124 that morning.\n"
            "Separately, the city said the number of buses had risen to 300.")
    got = claims_of(text, title="Nightclub roof collapse toll rises", published=datetime(2025, 4, 10, 9, tzinfo=UTC))
    values = {(c.attribute, c.value_low) for c in got}
    assert ("death_toll", 184) in values
    assert ("death_toll", 124) in values
    assert all(v != 300 for _, v in values)  # a new paragraph about something else inherits nothing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The latest casualty reports put the number of injured at 151.", ("injured", 151)),
        ("Casualty lists put the number of wounded at 151.", ("injured", 151)),
        ("Hospital officials put the number of dead at 151.", ("death_toll", 151)),
        ("Health officials raised the death toll to 151.", ("death_toll", 151)),
    ],
)
def test_a_verbs_object_names_what_its_figure_counts_before_its_subject_does(text, expected):
    got = {(c.attribute, c.value_low) for c in claims_of(text, title=QUAKE, published=datetime(2025, 2, 3, 9, tzinfo=UTC))}
    assert got == {expected}
