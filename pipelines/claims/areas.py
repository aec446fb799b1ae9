"""The areas an occurrence struck, as an article names them: one area's figure is a part of the toll.

A cyclone that killed in Mozambique, Zimbabwe and Malawi, a quake that killed in Nepal, India and
China, a hurricane that killed in Florida and in North Carolina: reports give each area's count
beside the whole ("344 died in Zimbabwe", "Thailand's toll rose to 5,393", "Mozambique has reported
602 deaths", "In Bihar, 25 were killed"). An article's areas are the places it gives a running
count for; two areas are apart when the gazetteer (places.py) says neither lies in the other. When
a figure's place is apart from another area, the figure is that place's part, even where the place
is the article's main one; a figure said of several areas together ("in Mozambique, Zimbabwe and
Malawi"), of a place holding every area, of a region ("across southern Africa") or "in total" is the
whole. A place inside or beside the main one is a part when its figure is below one given for the
whole ("35 in Charlotte County" beside "60 in Florida"), and so is a place named by its kind only
("the county's toll").

Where the figure's place is written matters as much as the place: its own phrase ("died in
Malawi"), the count it is the value of ("the toll in Sri Lanka", "Thailand's toll", "the death toll
from the quake in Nepal"), a place or an authority that reports or holds it ("Lee County had 35
deaths", "Nepal police said"), a "where" clause, a place set before the whole sentence ("In Bihar,
25 were killed and 33 injured") or after coordinated clauses ("82 were killed and 26 missing in the
Maldives"), a place written as a label ("Sri Lanka: 1,000 dead"), or the area of the sentence just
before ("Thailand's toll rose to 5,393. A further 3,071 were listed as missing."). A name of
several places ("Lee County") is read as the one in a state or country the article names. The words
are data (places.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from pipelines.claims.attributes import VERB_POS, lemma
from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.entities import fold
from pipelines.claims.figures import Draft
from pipelines.claims.localities import another_figure_above, compound_name, place_key
from pipelines.claims.occasions import event_hint
from pipelines.claims.places import (
    CITY,
    COUNTRY,
    FIRST,
    NOT_PLACES,
    PLACES_DATA,
    REGION,
    SECOND,
    Gazetteer,
    Place,
    PlacesError,
    load_gazetteer,
    said_of_figure,
)
from pipelines.claims.reference import in_comparison
from pipelines.claims.spans import char_span, previous_sentences, text_of

# Prepositions that put a figure in a place: "died in Malawi", "across Florida" (one area's whole).
AREA_PREPOSITIONS = frozenset({"in", "at", "inside", "within", "across", "throughout"})
# Nouns a running count is the value of: "the toll in Sri Lanka", "Thailand's toll".
COUNT_NOUNS = frozenset({"toll", "number", "figure", "count", "tally", "total", "death", "casualty", "fatality"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class Area:
    key: str      # the place as figures' attributes name it ("sri-lanka", "lee-county")
    place: Place  # the gazetteer's reading of the name


def place_text(place: Place) -> str:
    """A place as a claim stores it (claims.area_place): level, country, code and parent."""
    return "/".join([str(place.level), place.country or "", place.code or "", place.parent or ""])


def place_from_text(text: str) -> Place:
    """The place ``place_text`` wrote; ``PlacesError`` for text it cannot have written."""
    fields = text.split("/")
    if len(fields) != 4 or not fields[0].lstrip("-").isdigit():
        raise PlacesError(f"not a stored place: {text!r}")
    level, country, code, parent = fields
    return Place(int(level), country or None, code or None, parent or None)


def apart(a: Place, b: Place) -> bool:
    """Neither place lies in the other, as far as the gazetteer can tell: two countries, two states,
    a county and a state it is not in, two towns. A town and a state of one country may be either."""
    if a == b or REGION in (a.level, b.level) or a.country is None or b.country is None:
        return False
    if a.country != b.country:
        return True
    if COUNTRY in (a.level, b.level):
        return False
    if a.level == b.level and a.level in (FIRST, SECOND, CITY):
        return True
    first, second = (a, b) if a.level < b.level else (b, a)
    if first.level == FIRST and second.level == SECOND and second.parent is not None:
        return second.parent != first.code
    return False


def within(inner: Place, outer: Place) -> bool:
    """The gazetteer puts ``inner`` in ``outer`` (a region holds every place)."""
    if outer.level == REGION or inner == outer:
        return True
    if outer.country is None or outer.level >= inner.level or inner.country != outer.country:
        return False
    return outer.level == COUNTRY or (outer.code is not None and inner.parent == outer.code)


def _entity(tok: Token) -> Span | None:
    return next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)


def _names(tok: Token, gazetteer: Gazetteer) -> Iterator[str]:
    """The names a place token may be written as: its entity, its compounds with an admin word
    ("Lee County", "Rieti"), the name after "of" ("the district of Sindhupalchuk")."""
    ent = _entity(tok)
    if ent is not None and ent.label_ in PLACE_LABELS:
        yield " ".join(t.text for t in ent if t.lower_ not in {"the", "a", "an"})
    if tok.lower_ in gazetteer.admin_words:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                yield from (compound_name(p) for p in prep.children if p.dep_ == "pobj" and p.pos_ == "PROPN")
    yield compound_name(tok)
    compounds = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if compounds and tok.lower_ in gazetteer.admin_words:
        yield " ".join(t.text for t in compounds)


def _anaphoric(tok: Token, gazetteer: Gazetteer) -> Area | None:
    """An area named only by its kind, pointing back to one named before: "the county's death
    toll", "in the country alone" (its level, no name)."""
    level = gazetteer.admin_words.get(lemma(tok))
    if level is None or tok.tag_ == "NNS" or any(c.dep_ == "compound" or c.lower_ == "of" for c in tok.children):
        return None
    if not any(c.dep_ in {"det", "poss"} and c.lower_ in {"the", "its", "this", "that"} for c in tok.children):
        return None
    return _antecedent(tok, level, gazetteer) or Area(lemma(tok), Place(level, None))


def _antecedent(tok: Token, level: int, gazetteer: Gazetteer) -> Area | None:
    """The place of the kind's level named last before it: the passage is about that place ("heavy
    rain flooded central Greece. The country's civil protection agency reported 31 dead")."""
    for ent in reversed([e for e in tok.doc.ents if e.end <= tok.i and e.label_ in PLACE_LABELS]):
        name = " ".join(t.text for t in ent if t.lower_ not in {"the", "a", "an"})
        place = gazetteer.best(name)
        if place is not None and place.level == level and fold(name) not in gazetteer.generic:
            return Area(place_key(name), place)
    return None


def _country_named(tok: Token, gazetteer: Gazetteer) -> bool:
    """A word the parser took for an adjective that is a country's or a state's name ("Nepal
    police"), not a nationality ("Chinese", an entity of its own)."""
    return tok.is_title and not tok.ent_type_ and any(p.level <= FIRST for p in gazetteer.lookup(tok.text))


def area_of(tok: Token, gazetteer: Gazetteer, countries: frozenset[str] = frozenset(),
            inside: Sequence[Place] = (), as_place: bool = False) -> Area | None:
    """The area a noun names, if it names one: a place the gazetteer knows, written as a place by
    the parser, or a country or a state whatever the parser took it for ("Malawi" read as a person);
    among places of one name, one lying in a place of ``inside`` first ("Lee County" in Florida),
    then one in ``countries``. ``as_place``: the way it is written makes it a place whatever the
    parser took it for (a name with a toll in brackets after it)."""
    if tok.pos_ not in {"PROPN", "NOUN"} and not (tok.pos_ == "ADJ" and _country_named(tok, gazetteer)):
        return None
    for name in _names(tok, gazetteer):
        found = gazetteer.lookup(name)
        if not found or fold(name) in gazetteer.generic:
            continue
        ent = _entity(tok)
        placed = as_place or ent is not None and ent.label_ in PLACE_LABELS
        if not placed and not any(p.level <= FIRST for p in found) and tok.lower_ not in gazetteer.admin_words:
            continue
        if ent is not None and ent.label_ in NOT_PLACES - {"PERSON", "ORG"} and not placed:
            continue  # "Chinese", "the Nepal Army Day"
        # a town lying in the country of its own name ("Mozambique") is not why the name is near
        near = ([p for p in found if any(within(p, o) and p != o and o not in found for o in inside)]
                or [p for p in found if p.country in countries] or list(found))
        best = gazetteer.best(name)
        place = best if best in near else min(near, key=lambda p: p.level)
        return Area(place_key(name), place)
    return _anaphoric(tok, gazetteer)


def _with_conjuncts(tok: Token) -> list[Token]:
    """A place and the places coordinated with it: "in Mozambique, Zimbabwe and Malawi"."""
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj" and child.pos_ in {"PROPN", "NOUN"}:
            out += _with_conjuncts(child)
    return out


def _objects(prep: Token) -> list[Token]:
    return [t for p in prep.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]


def _own_phrase(d: Draft) -> list[Token]:
    """Places in the figure's own prepositional phrases and its verb's ("59 died in Malawi",
    "another 26 were missing in the Maldives", "the toll kept rising in Zambia, with 40 dead")."""
    verb = _figure_verb(d.anchor)
    preps = [t for t in d.local if said_of_figure(t, d.anchor)]
    if verb is not None:
        predicates = [verb, *(x for x in verb.children if x.dep_ in {"xcomp", "acomp", "oprd"})]
        preps += [c for v in predicates for c in v.children if c.dep_ == "prep"]
    out: list[Token] = []
    for prep in preps:
        if prep.dep_ == "prep" and prep.lower_ in AREA_PREPOSITIONS and not another_figure_above(prep, d.anchor):
            out += [t for t in _objects(prep) if t not in out]
    return out


def _clause_head(verb: Token) -> Token:
    """The first of coordinated verbs, and the verb an auxiliary serves."""
    while verb.dep_ in {"aux", "auxpass"} or (verb.dep_ == "conj" and verb.head.pos_ in VERB_POS | {"ADJ"}):
        verb = verb.head
    return verb


def _figure_verb(anchor: Token) -> Token | None:
    """The verb a figure is said with; past a "with" phrase, the verb that phrase hangs from ("the
    toll rose in China, with 25 dead and 117 injured": rose)."""
    tok = anchor
    while True:
        verb = next((t for t in tok.ancestors if t.pos_ in VERB_POS), None) if tok is not anchor or \
            anchor.pos_ not in VERB_POS else anchor
        if verb is None:
            return None
        verb = verb.head if verb.dep_ in {"aux", "auxpass"} else verb
        top = _clause_head(verb)
        through = [t for t in [*_between(tok, top), top.head] if t.lower_ == "with" and t.dep_ == "prep"]
        if not through or through[-1].i == tok.i:
            return verb
        tok = through[-1]


def _between(anchor: Token, verb: Token) -> list[Token]:
    out = []
    for tok in anchor.ancestors:
        if tok.i == verb.i:
            break
        out.append(tok)
    return out


def _count_noun_places(noun: Token) -> list[Token]:
    """Places of the count a figure is the value of: "Thailand's toll", "the county's toll", "the
    toll in Sri Lanka", "the Nepal death toll", "the death toll from the quake in Nepal", "the
    number of people killed in Florida"."""
    out = [c for c in noun.children if c.dep_ in {"poss", "compound"} and c.pos_ in {"PROPN", "NOUN"}]
    for prep in (c for c in noun.children if c.dep_ == "prep"):
        if prep.lower_ in AREA_PREPOSITIONS:
            out += _objects(prep)
        elif prep.lower_ in {"from", "of"}:
            for pobj in (p for p in prep.children if p.dep_ == "pobj"):
                heads = [pobj, *(c for c in pobj.children if c.dep_ == "acl")]
                out += [t for h in heads for q in h.children if q.dep_ == "prep" and q.lower_ in AREA_PREPOSITIONS
                        for t in _objects(q)]
    return out


def _count_of(d: Draft) -> list[Token]:
    """The count a figure is the value of ("the toll rose to 5,393", "the toll of 42"). The
    occurrence that caused it names where it happened, not a part ("the quake in Myanmar killed
    1,644" beside "10 were killed in Bangkok")."""
    verb = _figure_verb(d.anchor)
    # "the county's toll of 42"
    nouns = [d.anchor.head.head] if d.anchor.dep_ == "pobj" and d.anchor.head.lower_ == "of" else []
    if verb is not None:
        nouns += [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
    if d.reading.counted is not None:
        nouns.append(d.reading.counted)
    return [n for n in nouns if lemma(n) in COUNT_NOUNS or n.lower_ in COUNT_NOUNS]


def _authority(noun: Token) -> list[Token]:
    """The place an authority speaks for: "Nepal police", "Sri Lanka's disaster centre", "the
    Thai government"; not the place in an organisation's own name ("the U.S. Geological Survey")."""
    if noun.pos_ == "PROPN":
        return [c for c in noun.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
    # "the country's civil protection agency": the place named by its kind (_anaphoric); a country's
    # name the parser takes for an adjective is still the country ("Nepal police")
    return [c for c in noun.children if c.dep_ in {"poss", "compound"} and c.pos_ == "PROPN"
            or c.dep_ == "poss" and c.pos_ == "NOUN"
            or c.dep_ == "amod" and c.pos_ == "ADJ" and c.is_title and not c.ent_type_]


def _holder(d: Draft, holder_verbs: frozenset[str]) -> list[Token]:
    """A place that reports or has the figure, or whose authority does: "Mozambique has reported
    602 deaths", "Lee County had 35 deaths", "Burma has said 61 people were killed", "Nepal
    police said 3,904 deaths were counted", "according to Sri Lanka's disaster centre"."""
    for tok in [d.anchor, *d.anchor.ancestors]:
        if tok.pos_ in VERB_POS and lemma(tok) in holder_verbs:
            subjects = [c for c in tok.children if c.dep_ == "nsubj" and c.pos_ in {"PROPN", "NOUN"}]
            if subjects:  # a passive one ("deaths were counted") leaves the holder to the verb above
                return subjects + [c for s in subjects for c in _authority(s)]
        # "reported 31 dead and 21 missing": a state joined to the first; not a clause with its own
        # subject, unless it is coordinated with the holder's own verb ("Nepal police said 3,904 were
        # counted and 7,180 people were injured": said by it too)
        joined = tok.dep_ == "conj" and (not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
                                         or lemma(tok.head) in holder_verbs)
        if not joined and tok.dep_ not in {"nummod", "dobj", "pobj", "prep", "nsubjpass", "nsubj", "ccomp", "attr",
                                           "amod", "appos"}:
            break
    return [c for t in d.sentence if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to"
            for o in t.nbor(1).children if o.dep_ == "pobj" for c in _authority(o)]


def _conjuncts(head: Token) -> Iterator[Token]:
    for c in head.children:
        if c.dep_ == "conj" and c.pos_ in VERB_POS | {"ADJ"}:
            yield c
            yield from _conjuncts(c)


def _shared_tail(d: Draft) -> list[Token]:
    """A place after coordinated clauses covers each of them: "82 were killed and another 26 were
    missing in the Maldives", "It confirms 126,473 dead and 93,943 missing in Indonesia"."""
    head = next((t for t in d.anchor.ancestors if t.pos_ in VERB_POS | {"ADJ"}), None)
    if head is None:
        return []
    preds = [p for c in _conjuncts(_clause_head(head)) if c.i > d.anchor.i
             for p in [c, *(x for x in c.children if x.dep_ in {"acomp", "xcomp"})]]
    return [t for p in preds for prep in p.children if prep.dep_ == "prep" and prep.lower_ in AREA_PREPOSITIONS
            and prep.i > d.anchor.i for t in _objects(prep)]


def _where_clause(d: Draft) -> list[Token]:
    """"... in Charlotte County, where the sheriff has confirmed 24 deaths"."""
    verb = _figure_verb(d.anchor)
    if verb is not None and verb.dep_ == "relcl" and any(c.lower_ == "where" for c in verb.children):
        return [verb.head]
    return []


def _fronted(d: Draft) -> list[Token]:
    """A place set before the whole sentence covers each of its clauses: "In Bihar, 25 people were
    killed and 33 have been injured"."""
    verb = _figure_verb(d.anchor)
    while verb is not None and verb.dep_ == "conj" and verb.head.pos_ in VERB_POS:
        verb = verb.head
    if verb is None:
        return []
    return [t for prep in verb.children if prep.dep_ == "prep" and prep.i < verb.i
            and prep.lower_ in AREA_PREPOSITIONS and prep.i == d.sentence.start for t in _objects(prep)]


def _bracketed(d: Draft) -> list[Token]:
    """A place whose figure follows it in brackets: "followed by Taroudant (452) and Chichaoua (191)"."""
    doc = d.anchor.doc
    head = text_of(doc)[:d.q.start].rstrip()
    bracket = char_span(doc, len(head) - 1, len(head)) if head.endswith(("(", "[")) else None
    if bracket is None or bracket.start < 1:
        return []
    before = doc[bracket.start - 1]
    return [before] if before.pos_ == "PROPN" else []


def _label(d: Draft) -> list[Token]:
    """A place written as the label of its figure: "Sri Lanka: 1,000 dead"."""
    sent = d.sentence
    colon = next((t for t in sent if t.text == ":"), None)
    if colon is None or colon.i > d.anchor.i or colon.i - sent.start > 4:
        return []
    return [t for t in sent[: colon.i - sent.start] if t.pos_ == "PROPN" and t.head.i >= colon.i - 1][-1:]


def figure_areas(d: Draft, gazetteer: Gazetteer, words: AreaWords, countries: frozenset[str],
                 inside: Sequence[Place] = ()) -> list[Area]:
    """The areas a figure is said of, by the first of its ways of being written that names one."""
    ways = (lambda: _own_phrase(d), lambda: [t for n in _count_of(d) for t in _count_noun_places(n)],
            lambda: _holder(d, words.holder_verbs), lambda: _where_clause(d), lambda: _fronted(d),
            lambda: _shared_tail(d), lambda: _label(d))
    for way in ways:
        areas: dict[str, Area] = {}
        for tok in way():
            area = area_of(tok, gazetteer, countries, inside)
            if area is not None:
                areas.setdefault(area.key, area)
        if areas:
            return list(areas.values())
    bracketed = [a for t in _bracketed(d) if (a := area_of(t, gazetteer, countries, inside, as_place=True))]
    return bracketed or _pointed_back(d, gazetteer, words, countries, inside)


def _pointed_back(d: Draft, gazetteer: Gazetteer, words: AreaWords, countries: frozenset[str],
                  inside: Sequence[Place]) -> list[Area]:
    """The place a word such as "there" in the figure's own phrase points back to: the nearest
    named before it in the sentence, else the last one of the sentence before ("Tibet's toll rose to
    20. Besides, 58 people there were injured"; "Manabi was worst hit as 200 deaths were reported
    from there"). "There were 23 deaths" points nowhere."""
    verb = _figure_verb(d.anchor)
    near = [*d.local, *(verb.subtree if verb is not None else ())]
    if not any(t.lower_ in words.pronouns and t.dep_ != "expl" for t in near):
        return []
    before = [t for t in d.sentence if t.i < d.anchor.i][::-1]
    for tokens in (before, [t for s in previous_sentences(d.sentence, 1) for t in s][::-1]):
        for tok in tokens:
            area = area_of(tok, gazetteer, countries, inside) if tok.pos_ == "PROPN" else None
            if area is not None and area.place.country is not None:
                return [area]
    return []


def says_union(d: Draft, union_words: Sequence[str]) -> bool:
    """The figure's words make it the whole: "in total", "in all", "in both countries", "across the
    three countries"."""
    text = " " + " ".join(t.lower_ for t in d.local) + " "
    return any(f" {w} " in text for w in union_words)


@dataclass(frozen=True)
class AreaWords:
    holder_verbs: frozenset[str]   # a place that "reports", "records" or "has" a figure holds it
    union_words: tuple[str, ...]   # "in total", "in both countries": the figure is the whole's
    pronouns: frozenset[str] = frozenset()  # "there": the place named just before


@lru_cache(maxsize=2)
def load_area_words(path: Path = PLACES_DATA) -> AreaWords:
    data = read_yaml(path, PlacesError) or {}
    areas = data.get("areas")
    if not isinstance(areas, dict) or not all(isinstance(areas.get(k), list) for k in ("holder_verbs", "union_words")):
        raise PlacesError(f"{path}: 'areas' needs the lists holder_verbs and union_words")
    return AreaWords(frozenset(str(w).lower() for w in areas["holder_verbs"]),
                     tuple(sorted((str(w).lower() for w in areas["union_words"]), key=len, reverse=True)),
                     frozenset(str(w).lower() for w in areas.get("place_pronouns") or ()))


def several_level(d: Draft, gazetteer: Gazetteer) -> int | None:
    """The level of the areas a figure's words name several of by their kind: "in the three
    countries" (0), "in six counties" (2), "across both states" (1); such a figure is the whole of
    them, and says the occurrence struck several areas of that level."""
    levels = [gazetteer.admin_words[lemma(t)] for t in d.local
              if t.tag_ == "NNS" and t.lower_ != lemma(t) and lemma(t) in gazetteer.admin_words]
    return min(levels, default=None)


def _main_places(ctx: ArticleContext, gazetteer: Gazetteer) -> list[Place]:
    names = [ctx.resolver.entities[m].name for m in ctx.main_places if m in ctx.resolver.entities]
    return [p for name in names if (p := gazetteer.best(name)) is not None]


def _value(d: Draft) -> float:
    return d.q.value_to if d.q.value_to is not None else d.q.value


def _read(drafts: Sequence[Draft], ctx: ArticleContext, gazetteer: Gazetteer,
          words: AreaWords) -> list[tuple[Draft, list[Area]]]:
    """Each running count with the areas it is said of. A name of several places ("Lee County")
    is read as the one lying in a country or state the article's other figures name."""
    countries = frozenset(p.country for p in _main_places(ctx, gazetteer) if p.country)
    counts = [d for d in drafts if d.attr.kind == "cumulative" and d.scope != "projection"]
    first = [a.place for d in counts for a in figure_areas(d, gazetteer, words, countries)
             if a.place.country is not None and a.place.level <= FIRST]
    return [(d, figure_areas(d, gazetteer, words, countries, first)) for d in counts]


def _is_part(area: Area, others: Sequence[Area], declared: Sequence[int]) -> bool:
    """One of several areas apart, or of the several the article names by their kind ("In Kenya, 60
    died" beside "95 in both countries"); an area named by its kind only is one of them at their level."""
    place = area.place
    if place.country is None:
        levels = [o.place.level for o in others if any(apart(o.place, x.place) for x in others)]
        return any(place.level >= lv for lv in [*levels, *declared])
    return any(o.key != area.key and apart(place, o.place) for o in others) or any(place.level >= lv for lv in declared)


def _smaller_part(d: Draft, area: Area, mains: Sequence[Place], read: Sequence[tuple[Draft, list[Area]]],
                  ctx: ArticleContext) -> bool:
    """A place inside or beside the main one whose figure is below one for the whole or for a place
    holding it ("35 in Charlotte County" beside "60 in Florida", "the county's toll rose to 54"
    beside "the toll nears 100")."""
    place = area.place
    if place.country is None:
        below = any(place.level > m.level for m in mains) or not mains
    else:
        below = any(apart(place, m) or (within(place, m) and place != m) for m in mains)
    if not below:
        return False
    for o, areas in read:
        if o is d or o.attr.name != d.attr.name or o.scope != o.attr.scope_default or _value(o) <= _value(d):
            continue
        if in_comparison(o.anchor) or event_hint(o.sentence, o.attr, ctx, o.tokens, o.anchor, o.scope).recalled:
            continue  # "the worst crash, in 1981, killed 800": another occurrence's count
        if not areas or any(a.key != area.key and (within(place, a.place) if place.country is not None
                                                   else a.place.level < place.level) for a in areas):
            return True
    return False


def carry_areas(read: Sequence[tuple[Draft, list[Area]]]) -> None:
    """In an article of several areas, the sentence right after one that gives an area's count goes
    on about that area when its own count is of another kind and names no place: "Thailand's toll
    rose to 5,393. A further 3,071 people were listed as missing." """
    for d, areas in read:
        if areas or d.marked or d.scope != d.attr.scope_default:
            continue
        before = previous_sentences(d.sentence, 1)
        if not before:
            continue
        prior = [o for o, _ in read if o.sentence.start == before[0].start]
        keys = {o.place for o in prior if o.scope == "subset"}
        if len(keys) == 1 and all(o.scope == "subset" and o.attr.name != d.attr.name for o in prior):
            d.scope, d.marked, d.place = "subset", True, keys.pop()


def settle_areas(drafts: Sequence[Draft], ctx: ArticleContext) -> None:
    """A running count said of one of several areas apart is that area's part ("344 died in
    Zimbabwe" beside "59 died in Malawi"), whether or not it is the article's main place; one
    said of several together, of a place holding them all or "in total" stays the whole. A count
    for a place below or beside the main one is a part beside a larger whole."""
    gazetteer, words = load_gazetteer(), load_area_words()
    read = _read(drafts, ctx, gazetteer, words)
    every = [a for a in {a.key: a for _, areas in read for a in areas if a.place.level != REGION}.values()]
    declared = [lv for d, _ in read if (lv := several_level(d, gazetteer)) is not None]
    mains = _main_places(ctx, gazetteer)
    for d, areas in read:
        if len(areas) == 1 and areas[0].place.country is not None and areas[0].place.level != REGION \
                and not says_union(d, words.union_words):
            d.area = (areas[0].key, place_text(areas[0].place))  # for the event's reports to compare
        if d.marked or d.scope != d.attr.scope_default or len(areas) != 1:
            continue
        if says_union(d, words.union_words) or several_level(d, gazetteer) is not None:
            continue
        area = areas[0]
        if area.place.level == REGION:
            continue
        if _is_part(area, [a for a in every if a.place.country is not None], declared) \
                or _smaller_part(d, area, mains, read, ctx):
            d.scope, d.marked, d.place = "subset", True, area.key
    if any(apart(a.place, b.place) for a in every for b in every):
        carry_areas(read)
