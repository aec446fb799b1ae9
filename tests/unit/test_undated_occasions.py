"""Which occurrence an undated report of a one-day story (talks, a truce) belongs to: the one known
occurrence it clearly shares places with, never a guess between two; its recalls come before that
occurrence; a lead date that starts a span is not the occurrence; one figure repeated in an article
is one part of the occasion. Every sentence here is our own."""

from datetime import UTC, date, datetime, timedelta

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.events import EventIndex
from pipelines.models import ArticleInput, Claim, EventHint

CAT = load_catalog()
TALKS, TRUCE = "talks.duration_minutes", "ceasefire.duration_days"
OSLO = frozenset({"oslo", "norway", "chile", "peru"})


def hint(when: date | None, places: frozenset[str], **kw: object) -> EventHint:
    return EventHint("negotiation", when, sorted(places)[0], places=places, **kw)  # type: ignore[arg-type]


def file(index: EventIndex, h: EventHint, article_id: str):
    """Assign as claims are assigned: the event then knows the places its reports name."""
    event = index.assign(h, article_id)
    index.places.setdefault(event.event_id, set()).update(h.places)
    return event


def test_an_undated_report_joins_the_one_occasion_it_shares_places_with():
    index = EventIndex(CAT)
    oslo = file(index, hint(date(2024, 3, 4), OSLO), "a1")
    file(index, hint(date(2024, 3, 9), frozenset({"lima", "peru", "bolivia"})), "a2")
    undated = file(index, hint(None, frozenset({"oslo", "norway", "peru"})), "a3")
    assert undated == oslo


def test_an_undated_report_of_two_rounds_in_one_city_stays_apart():
    index = EventIndex(CAT)
    first = file(index, hint(date(2024, 3, 4), OSLO), "a1")
    second = file(index, hint(date(2024, 4, 2), OSLO), "a2")
    undated = file(index, hint(None, OSLO), "a3")
    assert undated not in (first, second)


def test_an_undated_report_sharing_one_country_only_stays_apart():
    index = EventIndex(CAT)
    oslo = file(index, hint(date(2024, 3, 4), OSLO), "a1")
    assert file(index, hint(None, frozenset({"peru", "ecuador"})), "a2") != oslo


def test_an_undated_part_joins_only_the_same_part():
    index = EventIndex(CAT)
    private = file(index, hint(date(2024, 3, 4), OSLO, session="one_on_one"), "a1")
    whole = file(index, hint(None, OSLO), "a2")
    assert whole != private
    assert file(index, hint(None, OSLO, session="one_on_one"), "a3") == private


def test_a_recalled_occurrence_shares_a_place_with_the_report():
    index = EventIndex(CAT)
    truce = file(index, hint(date(2024, 3, 4), OSLO), "a1")
    file(index, hint(date(2024, 5, 1), frozenset({"manila", "philippines"})), "a2")
    recalled = file(index, hint(None, frozenset({"oslo", "chile"}), recalled=True), "a3")
    assert recalled == truce


def claims_of(text: str, article_id: str, published: datetime | None) -> list[Claim]:
    return extract_claims(ArticleInput(article_id, text, published=published), CAT)


DEAL = ("Chile and Peru agreed in Oslo on Monday to a five-day truce in the border war, Norway's foreign "
        "ministry said.")
EXTENDED = ("Chile and Peru agreed in Oslo on Friday to extend the truce by three more days, Norway's foreign "
            "ministry said. The truce had held since Tuesday.")
UNDATED = ("The truce between Chile and Peru has been extended by three more days, Norway's foreign ministry "
           "said in Oslo. The initial five-day truce was due to end at midnight.")


def test_an_undated_articles_recall_is_of_an_occurrence_before_the_one_it_reports():
    index = EventIndex(CAT)
    deal = index.assign_claims(claims_of(DEAL, "a1", datetime(2024, 3, 4, 9, tzinfo=UTC)))
    later = index.assign_claims(claims_of(EXTENDED, "a2", datetime(2024, 3, 8, 9, tzinfo=UTC)))
    undated = {c.value_low: c for c in index.assign_claims(claims_of(UNDATED, "a3", None)) if c.attribute == TRUCE}
    extension = next(c for c in later if c.value_low == 3)
    assert undated[3].event_id == extension.event_id
    assert undated[5].event_id == deal[0].event_id


def test_a_lead_date_that_starts_a_span_is_not_the_occurrence():
    text = ("The truce between Chile and Peru was extended by three days, mediators said, raising hopes for the "
            "40 prisoners held since Tuesday.")
    found = [c for c in claims_of(text, "a1", datetime(2024, 3, 8, 9, tzinfo=UTC)) if c.attribute == TRUCE]
    assert [c.hint.occurrence_date for c in found if c.hint] == [date(2024, 3, 8)]


def test_a_figure_repeated_without_its_part_is_that_part():
    text = ("The truce between Chile and Peru has been extended for three more days, mediators said on Friday. "
            "What the three-day truce means for the prisoners.")
    found = [c for c in claims_of(text, "a1", datetime(2024, 3, 8, 9, tzinfo=UTC)) if c.attribute == TRUCE]
    assert found and {c.hint.session for c in found if c.hint} == {"extension"}


def test_a_repeated_length_that_names_its_part_elsewhere_is_no_longer_doubted():
    text = ("The two presidents met in Oslo on Monday. Their one-on-one meeting lasted about 50 minutes. "
            "Aides then joined them for a second session. The talks lasted 50 minutes, officials said.")
    found = [c for c in claims_of(text, "a1", datetime(2024, 3, 4, 18, tzinfo=UTC)) if c.attribute == TALKS]
    # one figure, kept once (the narrowest mention), as the one-on-one's and without doubt
    assert [(c.value_low, c.hint.session if c.hint else None) for c in found] == [(50, "one_on_one")]
    assert "occasion.part_unclear" not in found[0].confidence_reasons and found[0].confidence == 1.0


def test_a_participles_length_is_of_the_meeting_its_verb_holds_not_of_what_is_added():
    text = ("Summit talks in Oslo\nThe presidents of Chile and Peru had their first one-on-one summit in Oslo on "
            "Monday, spending 50 minutes plus a working lunch in a bilateral discussion.")
    found = [c for c in claims_of(text, "a1", datetime(2024, 3, 4, 18, tzinfo=UTC)) if c.attribute == TALKS]
    assert [c.hint.session for c in found if c.hint] == ["one_on_one"]


ROUND = ("The presidents of Chile and Peru met in Oslo on Monday. The first round of talks, with both foreign "
         "ministers, lasted almost two hours, officials said.")


def test_a_round_an_article_measures_next_to_the_whole_days_meeting_is_a_part_of_that_day():
    text = ROUND + " In all, their talks lasted less than four hours."
    found = {c.value_high: c.hint.session for c in claims_of(text, "a1", datetime(2024, 3, 4, 18, tzinfo=UTC))
             if c.attribute == TALKS and c.hint}
    # the first part of a summit's day is its one-on-one (sessions.yaml numbered_formats)
    assert found == {120: "one_on_one", 239: None}


def test_a_round_measured_alone_is_still_the_days_meeting():
    found = [c for c in claims_of(ROUND, "a1", datetime(2024, 3, 4, 18, tzinfo=UTC)) if c.attribute == TALKS]
    assert [(c.value_high, c.hint.session if c.hint else "-") for c in found] == [(120, None)]


def test_an_undated_disaster_report_joins_the_occurrence_it_shares_places_with_not_the_latest():
    index = EventIndex(CAT)
    chile = file(index, EventHint("earthquake", date(2024, 1, 8), "chile", places=frozenset({"chile", "santiago"})), "a1")
    file(index, EventHint("earthquake", date(2024, 6, 1), "peru", places=frozenset({"peru", "lima"})), "a2")
    undated = file(index, EventHint("earthquake", None, "santiago", places=frozenset({"santiago", "chile"})), "a3")
    assert undated == chile


def test_a_bombing_reported_as_a_blast_is_one_occurrence_but_a_blast_elsewhere_is_not():
    index = EventIndex(CAT)
    leeds = frozenset({"leeds", "united-kingdom"})
    bombing = file(index, EventHint("attack", date(2024, 3, 4), "united-kingdom", places=leeds), "a1")
    assert file(index, EventHint("fire", date(2024, 3, 5), "leeds", places=leeds), "a2") == bombing
    madrid = frozenset({"madrid", "spain"})
    assert file(index, EventHint("fire", date(2024, 3, 5), "spain", places=madrid), "a3") != bombing


def test_a_story_told_with_an_unknown_story_is_refused():
    import pytest

    from pipelines.claims.catalog import CatalogError, parse_catalog

    data = {"stories": {"attack": {"cues": ["bomb"], "also": ["blaze"]}}, "attributes": {}}
    with pytest.raises(CatalogError, match="unknown stories"):
        parse_catalog(data)


def test_a_report_dated_only_by_month_joins_that_months_occasion_it_shares_places_with():
    index = EventIndex(CAT)
    file(index, EventHint("negotiation", date(2024, 8, 1), "turkey", places=frozenset({"turkey", "ankara", "germany"})), "a1")
    swap = file(index, EventHint("negotiation", date(2024, 8, 24), "chile", places=OSLO), "a2")
    month = EventHint("negotiation", date(2024, 8, 1), "chile", places=frozenset({"chile", "peru"}), date_precision="month",
                      recalled=True, reference_date=date(2024, 9, 14))
    assert file(index, month, "a3") == swap


AGREED = ("Chile and Peru agreed in Oslo on Wednesday to a four-day truce in the border war, Norway's foreign "
          "ministry said.")
BEGUN = ("The four-day truce between Chile and Peru began in the border region on Friday, Norway's foreign "
         "ministry said in Oslo.")
ENDING = ("The four-day truce between Chile and Peru ends today, Norway's foreign ministry said in Oslo. Chile "
          "freed 12 captives on the same day.")


def test_a_truce_reported_on_the_day_it_is_agreed_begun_and_ended_is_one_occasion():
    index = EventIndex(CAT)
    wednesday = datetime(2024, 3, 6, 9, tzinfo=UTC)
    reports = [(AGREED, "a1", wednesday), (BEGUN, "a2", wednesday + timedelta(days=2)),
               (ENDING, "a3", wednesday + timedelta(days=5))]
    events = {c.event_id for text, article_id, published in reports
              for c in index.assign_claims(claims_of(text, article_id, published)) if c.attribute == TRUCE}
    assert len(events) == 1


def test_truces_of_other_lengths_declared_days_apart_stay_apart():
    index = EventIndex(CAT)
    first = index.assign_claims(claims_of(AGREED, "a1", datetime(2024, 3, 6, 9, tzinfo=UTC)))
    other = ("Peru declared a ten-day truce in the border war with Chile on Friday, Norway's foreign ministry "
             "said in Oslo.")
    second = index.assign_claims(claims_of(other, "a2", datetime(2024, 3, 8, 9, tzinfo=UTC)))
    [a], [b] = ([c.event_id for c in cs if c.attribute == TRUCE] for cs in (first, second))
    assert a != b


def test_a_truce_far_later_is_another_occasion():
    index = EventIndex(CAT)
    first = index.assign_claims(claims_of(AGREED, "a1", datetime(2024, 3, 6, 9, tzinfo=UTC)))
    later = index.assign_claims(claims_of(BEGUN, "a2", datetime(2024, 3, 20, 9, tzinfo=UTC)))
    [a], [b] = ([c.event_id for c in cs if c.attribute == TRUCE] for cs in (first, later))
    assert a != b
