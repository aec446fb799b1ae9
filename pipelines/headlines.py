"""Event labels that read like a headline: "Russia–Ukraine talks, Istanbul, 16 May 2025",
"Earthquake, Hatay, 6 Feb 2023", "Talks, 16 May 2025".

A label is built from what the event's reports name, never from one sentence: the places each
report assigned to the event mentions (``article_entities``, a place in its title counting extra),
counted per report. What a place is, which country it lies in, whose capital it is and which town
a building stands in come from the one gazetteer (``pipelines.claims.places``), which also scopes
the tolls. Each part is left out when it is not known with confidence:

venue
    Where the occurrence took place: a place below country level (a city, a province; a building
    counts for its town) that at least half of the reports name and that leads every other such
    place clearly. A story without sides whose country stands out far more than any town in it is
    placed by its country ("Storm, Jamaica, ..."). Only mentions read as a place count (extraction
    leaves out "Ariana" in "an Ariana Grande concert" and "the Camp Fire", see
    ``places.reads_as_place``).
parties
    For a story with sides (catalog ``parties: true``: talks, truces, exchanges), the two or three
    countries the reports name far more than any other, each about as prominent as the first, in
    alphabetical order, a capital's mentions counting for its country ("Moscow said"). The country
    of the venue is the host, no party; a city in a party's country (its capital, which often
    stands for the party: "Moscow said") is not taken for the venue.

Pure functions over query rows; ``extract_store`` reads the rows and writes ``events.label``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from babel.dates import format_date

from pipelines.claims.catalog import Catalog
from pipelines.claims.entities import fold
from pipelines.claims.places import Gazetteer, load_gazetteer

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
# A third party ("Russia–Ukraine–US talks") is named only when about as prominent as the second:
# a mediator ("the UAE-brokered swap") is named less, and then the sides are the two before it,
# or unclear.
THIRD_PARTY_SHARE = 0.85
MAX_PARTIES = 3
# What follows a country's stem in the adjective for its people ("Ukrainian", "Turkish"), which the
# parser sometimes tags as a place.
DEMONYM_ENDINGS = ("ian", "an", "n", "ese", "ish", "i", "ic")
# A venue is named at least this often in all the event's reports.
MIN_VENUE_MENTIONS = 2
# A town the gazetteer does not know is the place of a story without sides unless the country the
# reports name most is far more prominent: then the country is (and always when the gazetteer
# puts the town in another country).
TOWN_SHARE_OF_COUNTRY = 0.4
# A capital stands for its country's government ("Moscow said") unless the reports name it at
# least this share as often as the country: then it is the place where things happen (Helsinki).
CAPITAL_AS_PLACE_SHARE = 0.5
POSSESSIVE = re.compile(r"(?:'s|\u2019s|')$")  # "South Korea's" as the parser took it
ARTICLE = re.compile(r"^(?:the|The)\s+")  # "the Villa La Grange" as the parser took it
PARTY_DASH = "\u2013"  # en dash, as headlines join the sides: Russia–Ukraine


@dataclass(frozen=True)
class Place:
    """One place the event's reports name: in how many of them, how often in all, and what the
    gazetteer knows of it."""

    key: str  # a country's code; a town's folded name (a building's: its town's)
    name: str
    reports: int
    mentions: int
    countries: frozenset[str] = frozenset()  # the country it lies in (a country: itself)
    is_country: bool = False
    capital: bool = False  # a country's capital: its mentions count for the country too
    city_state: bool = False  # a country that is its own capital (Singapore): a town as well
    level: int | None = None  # the gazetteer's administrative level, when it knows the place

    @property
    def is_town(self) -> bool:
        return not self.is_country or self.city_state


@dataclass
class _Tally:
    name: str
    countries: frozenset[str]
    is_country: bool
    capital: bool
    reports: set[str]
    mentions: int = 0
    city_state: bool = False
    direct: bool = True  # named so by a report, not the gazetteer's name for a building's town
    level: int | None = None


@lru_cache(maxsize=4096)
def is_demonym(name: str) -> bool:
    """"Ukrainian", "Russian", "Turkish": a country's stem and an ending for its people, not a place."""
    from pipelines.claims.context import country_keys

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
    key = fold(name)
    return bool(key) and f" {key} " in f" {fold(title)} "


def _place_of(name: str, entity_id: str, gazetteer: Gazetteer) -> tuple[str, _Tally]:
    """The key and gazetteer facts of one named place: a country by its code, a building as its town."""
    spellings = [name, entity_id.replace("-", " ")]
    code = next((c for s in spellings if (c := gazetteer.country(s))), None)
    if code is not None:
        city_state = any(gazetteer.capital_of(s) == code for s in spellings)
        return code, _Tally(gazetteer.country_name(code), frozenset({code}), True, False, set(), 0, city_state)
    seat = next((t for s in spellings if (t := gazetteer.seat(s))), None)
    name = seat or name
    known = next((s for s in [name, *spellings[1:]] if gazetteer.lookup(s)), name)
    capital = gazetteer.capital_of(known) is not None
    best = gazetteer.best(known)
    # "Gaza" and "the Gaza Strip" are one place: keyed by the gazetteer's code when it knows it
    key = best.code if best and best.code else fold(name)
    return key, _Tally(name, frozenset({best.country} if best and best.country else ()), False, capital, set(),
                       direct=seat is None, level=best.level if best else None)


def places_of(rows: Iterable[Mapping[str, Any]], gazetteer: Gazetteer | None = None) -> tuple[int, list[Place]]:
    """(number of reports, the places they name) from one event's rows: ``article_id``, ``title``
    and, per place the article mentions, ``entity_id``, ``name``, ``mentions`` (NULL entity_id
    for an article naming no place). A capital's mentions count for its country too."""
    gazetteer = gazetteer or load_gazetteer()
    reports: set[str] = set()
    found: dict[str, _Tally] = {}
    for r in rows:
        article = str(r["article_id"])
        reports.add(article)
        name = ARTICLE.sub("", POSSESSIVE.sub("", str(r.get("name") or "").strip()))
        if not r.get("entity_id") or is_demonym(name):
            continue
        key, facts = _place_of(name or str(r["entity_id"]), str(r["entity_id"]), gazetteer)
        weight = int(r.get("mentions") or 1) + (TITLE_WEIGHT if _named_in(str(r.get("title") or ""), name) else 0)
        counted = [(key, facts)]
        if facts.capital and (nation := gazetteer.capital_of(facts.name) or next(iter(facts.countries), None)):
            counted.append((nation, _Tally(gazetteer.country_name(nation), frozenset({nation}), True, False, set(),
                                           direct=False)))
        for k, f in counted:
            tally = found.setdefault(k, f)
            if f.direct and not tally.direct:  # "Istanbul" as the reports write it
                tally.name, tally.direct = f.name, True
            tally.reports.add(article)
            tally.mentions += weight
    return len(reports), [Place(k, t.name, len(t.reports), t.mentions, t.countries, t.is_country, t.capital,
                                t.city_state, t.level) for k, t in found.items()]


def _around(lead: Place, other: Place) -> bool:
    """``other`` is likely the region ``lead`` lies in: a larger unit of the same country, named by
    no more reports ("Odisha" beside "Balasore"), which does not compete with it."""
    return (lead.level is not None and other.level is not None and other.level < lead.level
            and bool(lead.countries) and other.countries == lead.countries and other.reports <= lead.reports)


def _beats(lead: Place, other: Place) -> bool:
    return lead.mentions >= VENUE_TIE_LEAD * other.mentions or (
        lead.reports > other.reports and lead.mentions >= other.mentions)


def _clear_leader(candidates: Sequence[Place], reports: int) -> Place | None:
    """The place the reports name most, when enough of them name it and it is clearly ahead of
    every other that enough of them name (but the region it lies in): mentioned far more often,
    or at least as often by more reports."""
    enough = [p for p in candidates
              if p.reports >= max(1.0, MIN_REPORT_SHARE * reports) and p.mentions >= MIN_VENUE_MENTIONS]
    for lead in sorted(enough, key=lambda p: (-p.mentions, -p.reports, p.key)):
        if all(_beats(lead, o) for o in enough if o is not lead and not _around(lead, o)):
            return lead
    return None


def _parties(countries: Sequence[Place], reports: int) -> list[Place]:
    named = sorted(countries, key=lambda c: (-c.mentions, c.key))
    for k in range(2, MAX_PARTIES + 1):  # two sides, or three as prominent with the rest far behind
        top, rest = named[:k], named[k:]
        if len(top) < k:
            break
        if any(c.reports < max(1.0, MIN_REPORT_SHARE * reports) or c.mentions < MIN_PARTY_MENTIONS
               or c.mentions < PARTY_SHARE * top[0].mentions for c in top):
            break
        if k == 3 and top[2].mentions < THIRD_PARTY_SHARE * top[1].mentions:
            break
        if not rest or top[-1].mentions >= PARTY_LEAD * rest[0].mentions:
            return sorted(top, key=lambda c: c.name.casefold())
    return []


def _places_not_actors(towns: Sequence[Place], countries: Sequence[Place]) -> list[Place]:
    """The towns that can be where talks happen: a capital named far less than its country
    stands for the country ("Moscow said") and is no venue or host."""
    mentions = {c.key: c.mentions for c in countries}
    return [t for t in towns if not t.capital or t.city_state
            or t.mentions >= CAPITAL_AS_PLACE_SHARE * max((mentions.get(k, 0) for k in t.countries), default=0)]


def _sides(countries: Sequence[Place], towns: Sequence[Place], reports: int) -> list[Place]:
    """The parties: never the host (the country of the town the reports name most), unless that
    town is a capital and no sides stand out without its country: then it stands for a party."""
    host = _clear_leader(towns, reports)
    if host is not None:
        parties = _parties([c for c in countries if c.key not in host.countries], reports)
        if parties or not host.capital or host.city_state:
            return parties
    return _parties(countries, reports)


def _place_without_sides(towns: Sequence[Place], countries: Sequence[Place], reports: int) -> Place | None:
    town, nation = _clear_leader(towns, reports), _clear_leader(countries, reports)
    if town is None or nation is None:
        return town or nation
    if nation.key in town.countries:
        return town
    if town.countries:  # a town of another country: where a flight came from, a capital reacting
        return nation
    return town if town.mentions >= TOWN_SHARE_OF_COUNTRY * nation.mentions else nation


def headline(story_label: str, day: date | None, reports: int = 0, places: Sequence[Place] = (),
             with_parties: bool = False) -> str:
    """The label: "[Parties ]story, venue, date", each part only when known with confidence."""
    countries = [p for p in places if p.is_country]
    towns = [p for p in places if p.is_town]
    story = story_label.replace("_", " ")
    if with_parties:
        towns = _places_not_actors(towns, countries)
        parties = _sides(countries, towns, reports)
        sides = {p.key for p in parties}
        # a town in a party's country (its capital, standing for the party) is no venue
        venue = _clear_leader([t for t in towns if not t.countries & sides], reports)
        if parties:
            story = PARTY_DASH.join(p.name for p in parties) + " " + story
    else:
        venue = _place_without_sides(towns, countries, reports)
    when = format_date(day, "d MMM y", locale="en") if day else ""
    return ", ".join(x for x in (story[:1].upper() + story[1:], venue.name if venue else "", when) if x)


def story_names(catalog: Catalog) -> Callable[[str], tuple[str, bool]]:
    """``story_type`` -> (the story's display name, whether it has parties), from the catalog."""
    def story(story_type: str) -> tuple[str, bool]:
        s = catalog.stories.get(story_type)
        return (s.label or story_type, s.parties) if s else (story_type, False)

    return story


def report_rows(event_id: str, story_type: str, occurrence_date: date | None, article_id: str,
                title: str | None, places: Iterable[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """One report's rows as ``sql/claims/event_places`` gives them, for events held in memory
    (``newswatch analyze``): ``places`` are (entity id, name, mentions)."""
    base = {"event_id": event_id, "story_type": story_type, "occurrence_date": occurrence_date,
            "article_id": article_id, "title": title}
    return [base] + [{**base, "entity_id": e, "name": n, "mentions": m} for e, n, m in places]


def event_labels(rows: Iterable[Mapping[str, Any]], story_label: Callable[[str], tuple[str, bool]],
                 gazetteer: Gazetteer | None = None) -> dict[str, str]:
    """Event id -> headline label, from ``sql/claims/event_places`` rows (ordered by event).
    ``story_label(story_type)`` gives the story's display name and whether it has parties."""
    gazetteer = gazetteer or load_gazetteer()
    by_event: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        by_event[str(r["event_id"])].append(r)
    labels = {}
    for event_id, event_rows in by_event.items():
        first = event_rows[0]
        label, sides = story_label(str(first["story_type"]))
        reports, places = places_of(event_rows, gazetteer)
        labels[event_id] = headline(label, first["occurrence_date"], reports, places, sides)
    return labels
