from datetime import date, datetime

import pytest

from pipelines.claims.dates import dateline, resolve
from pipelines.claims.entities import Resolver, translit_key


@pytest.mark.parametrize(
    ("a", "b"),
    [("Medinsky", "Medinski"), ("Medinsky", "Medinskiy"), ("Umerov", "Umierov"), ("Zelensky", "Zelenskyy"),
     ("Kyiv", "Kiev"), ("Türkiye", "Turkey"), ("Dolmabahçe Palace", "Dolmabahce Palace")],
)
def test_spellings_meet_on_one_entity(a, b):
    r = Resolver()
    assert r.resolve(a).entity_id == r.resolve(b).entity_id


def test_unlisted_names_fold_transliterations_and_surnames():
    r = Resolver()
    full = r.resolve("Oleksandr Bevz")
    assert r.resolve("Bevz").entity_id == full.entity_id
    assert translit_key("Kostyukovskiy") == translit_key("Kostyukovsky")
    assert r.resolve("Someone Else").entity_id != full.entity_id


PUB = datetime(2025, 5, 17, 9, 0)  # a Saturday


@pytest.mark.parametrize(
    ("span", "expected", "precision"),
    [
        ("Friday", date(2025, 5, 16), "day"),
        ("on Friday", date(2025, 5, 16), "day"),
        ("May 16, 2025", date(2025, 5, 16), "day"),
        ("16 May", date(2025, 5, 16), "day"),
        ("yesterday", date(2025, 5, 16), "day"),
        ("last month", date(2025, 4, 1), "month"),
        ("in May", date(2025, 5, 1), "month"),
        ("Wednesday (July 23)", date(2024, 7, 23), "day"),  # explicit date wins; a past July from May 2025
    ],
)
def test_date_spans_resolve_relative_to_publication(span, expected, precision):
    got = resolve(span, PUB)
    assert got is not None and (got.day, got.precision) == (expected, precision)


@pytest.mark.parametrize("span", ["the past 24 hours", "three years", "decades", ""])
def test_durations_are_not_dates(span):
    assert resolve(span, PUB) is None


def test_weekday_without_publication_date_is_unknown():
    assert resolve("Friday", None) is None


def test_datelines():
    assert dateline("ISTANBUL, May 16 (Wire) - Delegations met", PUB).day == date(2025, 5, 16)
    assert dateline("date 2025-07-24 Delegations met", None).day == date(2025, 7, 24)
    assert dateline("Delegations met on Friday", PUB) is None


def test_a_weekday_with_a_day_of_the_month_picks_the_year_it_falls_in():
    # an undated article dated by its occurrence (Tuesday 28 February 2023): the days after that
    # base are this year's, since "Sunday, March 5" fell on a Sunday in 2023, not in 2022
    base = date(2023, 2, 28)
    assert resolve("Sunday, March 5", base) is not None
    assert resolve("Sunday, March 5", base).day == date(2023, 3, 5)  # type: ignore[union-attr]
    assert resolve("Thursday evening, March 2", base).day == date(2023, 3, 2)  # type: ignore[union-attr]
    # without a weekday, or with one that fits the preferred year, nothing changes
    assert resolve("March 5", base).day == date(2022, 3, 5)  # type: ignore[union-attr]
    assert resolve("Friday, May 16", date(2025, 5, 20)).day == date(2025, 5, 16)  # type: ignore[union-attr]
