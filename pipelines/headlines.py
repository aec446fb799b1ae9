"""Event labels that read like a headline: "Russia–Ukraine talks, Istanbul, 16 May 2025",
"Earthquake, Hatay, 6 Feb 2023", "Talks, 16 May 2025".

A label is built from what the event's reports name, never from one sentence: the places each
report assigned to the event mentions (``article_entities``, a place in its title counting extra),
counted per report. Each part is left out when it is not known with confidence:

venue
    Where the occurrence took place: a place below country level (a city, a province; a building
    counts for its city through the gazetteer's ``within``) that at least half of the reports name
    and that leads every other such place clearly. A story without sides whose country stands out
    far more than any town in it is placed by its country ("Storm, Jamaica, ...").
parties
    For a story with sides (catalog ``parties: true``: talks, truces, exchanges), the two (or three)
    countries the reports name far more than any other, each about as prominent as the first, in
    alphabetical order, a capital's mentions counting for its country ("Moscow said"). A host
    country named less is no party; a city in a party's country (its
    capital, which often stands for the party: "Moscow said") is not taken for the venue.

Pure functions over query rows; ``extract_store`` reads the rows and writes ``events.label``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date

GAZETTEER = Path(__file__).resolve().parent / "claims" / "entities.yaml"

# A venue or a party is named by at least this share of the event's reports.
MIN_REPORT_SHARE = 0.5
# A venue named by as many reports as the runner-up must be mentioned this many times as often.
VENUE_TIE_LEAD = 1.5
# A place in a report's title counts as this many mentions (as for an article's main place,
# pipelines.claims.context.places_of).
TITLE_WEIGHT = 3
# Parties: each mentioned at least this share as often as the most mentioned one, at least
# MIN_PARTY_MENTIONS times in all, and PARTY_LEAD times as often as the next country.
PARTY_SHARE = 0.5
MIN_PARTY_MENTIONS = 3
PARTY_LEAD = 2.0
MAX_PARTIES = 2  # a third country as prominent is as likely the host or a mediator: no parties then
# What follows a country's stem in the adjective for its people ("Ukrainian", "Turkish"), which the
# parser sometimes tags as a place.
DEMONYM_ENDINGS = ("ian", "an", "n", "ese", "ish", "i", "ic")
# A town is the place of a story without sides unless its country is far more prominent (and the
# gazetteer does not say the town lies in it): then the country is.
TOWN_SHARE_OF_COUNTRY = 0.5
POSSESSIVE = re.compile(r"(?:'s|\u2019s|')$")  # "South Korea's" as the parser took it
PARTY_DASH = "\u2013"  # en dash, as headlines join the sides: Russia–Ukraine


@dataclass(frozen=True)
class Place:
    """One place the event's reports name: in how many of them, how often in all."""

    entity_id: str
    name: str
    reports: int
    mentions: int


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, Any]:
    return yaml.safe_load(GAZETTEER.read_text(encoding="utf-8")) or {}


def within() -> dict[str, str]:
    """Place -> the place it lies in (a palace in its city, a city in its country)."""
    return {str(k): str(v) for k, v in (_gazetteer().get("within") or {}).items()}


def capitals() -> dict[str, str]:
    """Capital -> its country: reports name a party by its capital ("Moscow said", "Kyiv's delegation")."""
    return {str(k): str(v) for k, v in (_gazetteer().get("capitals") or {}).items()}


def _gazetteer_name(entity_id: str) -> str:
    """A place's name when no report named it as such (only its palace): the gazetteer's."""
    aliases = (_gazetteer().get("places") or {}).get(entity_id)
    return str(aliases[0]) if aliases else entity_id.replace("-", " ").title()


@lru_cache(maxsize=1)
def _country_initials() -> frozenset[str]:
    """"uae", "us", "uk": the initials a multi-word country goes by."""
    from pipelines.claims.context import country_keys

    return frozenset("".join(w[0] for w in k.split()) for k in country_keys() if len(k.split()) > 1)


def is_country(entity_id: str) -> bool:
    from pipelines.claims.context import country_keys

    return entity_id.replace("-", " ") in country_keys() or entity_id.replace("-", "") in _country_initials()


def _venue_level(entity_id: str, contains: Mapping[str, str], country: Callable[[str], bool]) -> str:
    """The place a venue is named at: a building rolls up to its city, never up to a country."""
    seen = {entity_id}
    while (up := contains.get(entity_id)) and not country(up) and up not in seen:
        entity_id = up
        seen.add(up)
    return entity_id


@lru_cache(maxsize=4096)
def is_demonym(name: str) -> bool:
    """"Ukrainian", "Russian", "Turkish": a country's stem and an ending for its people, not a place."""
    from pipelines.claims.context import country_keys
    from pipelines.claims.entities import fold

    word = fold(name)
    if not word or " " in word:
        return False
    for country in country_keys():
        if " " in country or country == word:
            continue
        stem = next((i for i, (a, b) in enumerate(zip(word, country, strict=False)) if a != b),
                    min(len(word), len(country)))
        if stem >= max(4, len(country) - 2) and word[stem:] in DEMONYM_ENDINGS:
            return True
    return False


def _named_in(title: str, name: str) -> bool:
    from pipelines.claims.entities import fold

    key = fold(name)
    return bool(key) and f" {key} " in f" {fold(title)} "


def places_of(rows: Iterable[Mapping[str, Any]], contains: Mapping[str, str],
              country: Callable[[str], bool] = is_country) -> tuple[int, list[Place]]:
    """(number of reports, the places they name) from one event's rows: ``article_id``, ``title``
    and, per place the article mentions, ``entity_id``, ``name``, ``mentions`` (NULL entity_id
    for an article naming no place)."""
    reports: set[str] = set()
    naming: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for r in rows:
        reports.add(str(r["article_id"]))
        if not r.get("entity_id") or is_demonym(str(r.get("name") or "")):
            continue
        raw = str(r["entity_id"])
        place = _venue_level(raw, contains, country)
        naming[place].add(str(r["article_id"]))
        mentions[place] += int(r.get("mentions") or 1)
        if _named_in(str(r.get("title") or ""), str(r.get("name") or "")):
            mentions[place] += TITLE_WEIGHT
        if place == raw and r.get("name"):
            names[place] = POSSESSIVE.sub("", str(r["name"]).strip())
    found = [Place(p, names.get(p) or _gazetteer_name(p), len(naming[p]), mentions[p]) for p in naming]
    return len(reports), found


def _clear_leader(candidates: Sequence[Place], reports: int) -> Place | None:
    """The place most reports name, when enough of them name it and it is clearly ahead."""
    ranked = sorted(candidates, key=lambda p: (-p.reports, -p.mentions, p.entity_id))
    if not ranked or ranked[0].reports < max(1.0, MIN_REPORT_SHARE * reports):
        return None
    lead = ranked[0]
    if len(ranked) > 1 and ranked[1].reports == lead.reports and lead.mentions < VENUE_TIE_LEAD * ranked[1].mentions:
        return None
    return lead


def _with_capitals(countries: Sequence[Place], towns: Sequence[Place], capital_of: Mapping[str, str]) -> list[Place]:
    """The countries with their capitals' mentions counted in (the capital standing for the party)."""
    found = {c.entity_id: c for c in countries}
    for town in towns:
        if (nation := capital_of.get(town.entity_id)) is None:
            continue
        had = found.get(nation, Place(nation, _gazetteer_name(nation), 0, 0))
        found[nation] = replace(had, reports=max(had.reports, town.reports), mentions=had.mentions + town.mentions)
    return list(found.values())


def _parties(countries: Sequence[Place], reports: int) -> list[Place]:
    named = sorted(countries, key=lambda c: (-c.mentions, c.entity_id))
    for k in range(2, MAX_PARTIES + 1):  # two sides, unless a third is as prominent
        top, rest = named[:k], named[k:]
        if len(top) < k:
            break
        if any(c.reports < max(1.0, MIN_REPORT_SHARE * reports) or c.mentions < MIN_PARTY_MENTIONS
               or c.mentions < PARTY_SHARE * top[0].mentions for c in top):
            break
        if not rest or top[-1].mentions >= PARTY_LEAD * rest[0].mentions:
            return sorted(top, key=lambda c: c.name)
    return []


def _lies_in(place: str, region: str, contains: Mapping[str, str]) -> bool:
    seen = {place}
    while (place := contains.get(place, "")) and place not in seen:
        if place == region:
            return True
        seen.add(place)
    return False


def _place_without_sides(towns: Sequence[Place], countries: Sequence[Place], reports: int,
                         contains: Mapping[str, str]) -> Place | None:
    town, nation = _clear_leader(towns, reports), _clear_leader(countries, reports)
    if town is None or nation is None:
        return town or nation
    return town if _lies_in(town.entity_id, nation.entity_id, contains) or town.mentions >= TOWN_SHARE_OF_COUNTRY * nation.mentions else nation


def headline(story_label: str, day: date | None, reports: int = 0, places: Sequence[Place] = (),
             with_parties: bool = False, contains: Mapping[str, str] | None = None,
             country: Callable[[str], bool] = is_country, capital_of: Mapping[str, str] | None = None) -> str:
    """The label: "[Parties ]story, venue, date", each part only when known with confidence."""
    contains = within() if contains is None else contains
    capital_of = capitals() if capital_of is None else capital_of
    countries = [p for p in places if country(p.entity_id)]
    towns = [p for p in places if not country(p.entity_id)]
    story = story_label.replace("_", " ")
    if with_parties:
        countries = _with_capitals(countries, towns, capital_of)
        parties = _parties(countries, reports)
        if not parties and (town := _clear_leader(towns, reports)):
            # the host: the country of the place most reports name is no party of its own talks
            parties = _parties([c for c in countries if not _lies_in(town.entity_id, c.entity_id, contains)], reports)
        # a party's capital is mostly the party itself ("Moscow said"), so it is no venue
        venue = _clear_leader([t for t in towns if not any(_lies_in(t.entity_id, p.entity_id, contains)
                                                          for p in parties)], reports)
        if parties:
            story = PARTY_DASH.join(p.name for p in parties) + " " + story
    else:
        venue = _place_without_sides(towns, countries, reports, contains)
    when = format_date(day, "d MMM y", locale="en") if day else ""
    return ", ".join(x for x in (story[:1].upper() + story[1:], venue.name if venue else "", when) if x)


def event_labels(rows: Iterable[Mapping[str, Any]], story_label: Callable[[str], tuple[str, bool]]) -> dict[str, str]:
    """Event id -> headline label, from ``sql/claims/event_places`` rows (ordered by event).
    ``story_label(story_type)`` gives the story's display name and whether it has parties."""
    by_event: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        by_event[str(r["event_id"])].append(r)
    contains, capital_of = within(), capitals()
    labels = {}
    for event_id, event_rows in by_event.items():
        first = event_rows[0]
        label, sides = story_label(str(first["story_type"]))
        reports, places = places_of(event_rows, contains)
        labels[event_id] = headline(label, first["occurrence_date"], reports, places, sides, contains,
                                    capital_of=capital_of)
    return labels
