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


class ScanIndex(EventIndex):
    """The index as it was: every known event is a candidate, checked one by one."""

    def candidates(self, hint: EventHint, span=None) -> list:
        return [e for e in self.events if self.matches(e, hint) or self._within_span(e, hint, span)]


def _replay(hints: list[tuple[EventHint, str]]) -> None:
    filed, scanned = EventIndex(CAT), ScanIndex(CAT)
    for hint, article_id in hints:
        assert filed.candidates(hint) == scanned.candidates(hint), hint
        assert filed.assign(hint, article_id) == scanned.assign(hint, article_id), hint
    assert filed.events == scanned.events


def test_the_filed_index_assigns_the_dev_sets_as_a_full_scan_does():
    from pipelines.analyze import stream_order
    from pipelines.claims.entities import Resolver
    from pipelines.claims.extract import extract_claims
    from pipelines.evaluation.gate import DEV, _merge

    articles = stream_order(_merge(sorted(p for p in DEV.iterdir() if (p / "gold.json").is_file()))[0])
    resolver = Resolver()
    hints = [(c.hint, a.article_id) for a in articles for c in extract_claims(a, CAT, resolver) if c.hint]
    assert len(hints) > 100
    _replay(hints)


def test_the_filed_index_assigns_a_generated_stream_as_a_full_scan_does():
    import random
    from datetime import timedelta

    rng = random.Random(11)
    stories = sorted(CAT.stories)
    places = ["turkey", "ukraine", "myanmar", "thailand", "nepal", "mandalay", "kerr-county", None]
    hints = []
    for n in range(1500):
        when = date(2025, 1, 1) + timedelta(days=rng.randint(0, 400)) if rng.random() < 0.9 else None
        hints.append((EventHint(
            story_type=rng.choice(stories), occurrence_date=when, location=rng.choice(places),
            round_ordinal=rng.choice([None, None, None, 1, 2, 3]), recalled=rng.random() < 0.1,
            reference_date=when, date_precision=rng.choice(["day"] * 6 + ["monthday", "month", "year"]),
            places=frozenset(rng.sample([p for p in places if p], 2))), f"a{n}"))
    _replay(hints)


def test_forgetting_unstored_events_leaves_the_index_as_before():
    index = EventIndex(CAT)
    kept = index.assign(EventHint("earthquake", date(2025, 3, 28), "myanmar"), "a1")
    index.new.clear()  # stored
    lost = index.assign(EventHint("flood", date(2025, 7, 4), "united-states"), "a2")
    index.forget_new()
    assert index.events == [kept] and index.new == []
    assert index.candidates(EventHint("flood", date(2025, 7, 5), "united-states")) == []
    again = index.assign(EventHint("flood", date(2025, 7, 4), "united-states"), "a2")
    assert again == lost and index.new == [again]


def test_a_stored_event_names_its_own_place_and_an_event_of_this_run_only_what_its_reports_name():
    from pipelines.events import Event

    flood = Event("stored-flood", "flood", "flood, Myanmar", date(2025, 3, 28), "myanmar")
    index = EventIndex(CAT, [flood])
    # a storm in the same country three days on: one occurrence with the stored flood
    assert index.assign(EventHint("storm", date(2025, 3, 31), "myanmar"), "a1") == flood
    fresh = EventIndex(CAT)
    new_flood = fresh.assign(EventHint("flood", date(2025, 3, 28), "myanmar"), "a2")
    assert fresh.assign(EventHint("storm", date(2025, 3, 31), "myanmar"), "a3") != new_flood


def test_an_undated_disaster_report_joins_the_occurrence_whose_places_it_names():
    index = EventIndex(CAT)
    karachi = index.assign(EventHint("air_crash", date(2020, 5, 22), "karachi",
                                     places=frozenset({"karachi", "lahore"})), "a1")
    tokyo = index.assign(EventHint("air_crash", date(2024, 1, 2), "tokyo", places=frozenset({"tokyo"})), "a2")
    undated = index.assign(EventHint("air_crash", None, "lahore", places=frozenset({"karachi", "lahore"})), "a3")
    assert undated.event_id == karachi.event_id
    # a report naming no place of either joins the latest occurrence, as before
    assert index.assign(EventHint("air_crash", None, "nowhere"), "a4").event_id == tokyo.event_id


def test_a_day_of_an_unknown_year_joins_the_undated_occurrence_that_other_pages_report():
    # two undated pages on one blast; the second names its day without a year ("after the August 4
    # blast"): that figure and the page's undated ones are of the first page's occurrence
    index = EventIndex(CAT)
    beirut = frozenset({"beirut"})
    first = index.assign(EventHint("fire", None, "lebanon", places=beirut), "page-1")
    day = index.assign(EventHint("fire", date(1900, 8, 4), "lebanon", places=beirut, date_precision="monthday"),
                       "page-2")
    rest = index.assign(EventHint("fire", None, "lebanon", places=beirut), "page-2")
    assert first.event_id == day.event_id == rest.event_id
    assert day.occurrence_date is None  # the year is unknown: the event keeps no date


def test_a_day_of_an_unknown_year_still_joins_the_known_occurrence_of_that_day():
    index = EventIndex(CAT)
    known = index.assign(EventHint("fire", date(2020, 8, 4), "lebanon", places=frozenset({"beirut"})), "dated")
    other = index.assign(EventHint("fire", date(2020, 8, 20), "lebanon", places=frozenset({"beirut"})), "later")
    day = index.assign(EventHint("fire", date(1900, 8, 4), "lebanon", places=frozenset({"beirut"}),
                                 date_precision="monthday"), "undated-page")
    assert day.event_id == known.event_id != other.event_id
