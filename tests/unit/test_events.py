from datetime import date

from pipelines.claims.catalog import load_catalog
from pipelines.events import EventIndex
from pipelines.models import EventHint

CAT = load_catalog()


def test_rounds_of_talks_on_different_days_are_different_events():
    index = EventIndex(CAT)
    may = index.assign(EventHint("negotiation", date(2025, 5, 16), "turkey"), "a1")
    may_again = index.assign(EventHint("negotiation", date(2025, 5, 16), "ukraine"), "a2")
    july = index.assign(EventHint("negotiation", date(2025, 7, 23), "turkey"), "a3")
    assert may.event_id == may_again.event_id
    assert july.event_id != may.event_id


def test_disaster_reported_over_days_is_one_event_but_another_place_is_not():
    index = EventIndex(CAT)
    day1 = index.assign(EventHint("earthquake", date(2025, 3, 28), "myanmar"), "a1")
    day4 = index.assign(EventHint("earthquake", date(2025, 3, 31), "myanmar"), "a2")
    elsewhere = index.assign(EventHint("earthquake", date(2025, 3, 30), "afghanistan"), "a3")
    assert day1.event_id == day4.event_id
    assert elsewhere.event_id != day1.event_id


def test_recalled_occurrence_goes_to_the_latest_earlier_event():
    index = EventIndex(CAT)
    may = index.assign(EventHint("negotiation", date(2025, 5, 16), "turkey"), "a1")
    index.assign(EventHint("negotiation", date(2025, 7, 23), "turkey"), "a2")
    recalled = index.assign(
        EventHint("negotiation", None, "turkey", recalled=True, reference_date=date(2025, 7, 23)), "a3"
    )
    assert recalled.event_id == may.event_id


def test_undated_report_joins_the_open_disaster_event():
    index = EventIndex(CAT)
    quake = index.assign(EventHint("earthquake", date(2025, 3, 28), "myanmar"), "a1")
    undated = index.assign(EventHint("earthquake", None, "myanmar"), "a2")
    assert undated.event_id == quake.event_id


def test_event_ids_are_stable_across_runs():
    hint = EventHint("negotiation", date(2025, 5, 16), "turkey")
    assert EventIndex(CAT).assign(hint, "a").event_id == EventIndex(CAT).assign(hint, "b").event_id
