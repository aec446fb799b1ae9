"""Scope of a figure: per side, total, a subset (one city), a projection, or a running total.

Markers are catalog data; this module only looks for them in the tokens that speak about the
figure (see attributes.clause_tokens), so another figure's "each" is never taken for ours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from pipelines.claims.attributes import VERB_POS, lemma
from pipelines.claims.catalog import Catalog

MODAL_PROJECTION = {"could", "may", "might"}


def _text(tokens: Sequence[Token]) -> str:
    return " " + " ".join(t.lower_ for t in tokens) + " "


def has_marker(tokens: Sequence[Token], markers: Sequence[str]) -> str | None:
    text = _text(tokens)
    lemmas = {(t.lemma_ or t.text).lower() for t in tokens}
    for marker in sorted(markers, key=len, reverse=True):
        if " " in marker:
            if f" {marker} " in text:
                return marker
        elif marker in lemmas or f" {marker} " in text:
            return marker
    return None


RISE_VERBS = {"rise", "increase", "climb", "grow", "go", "jump"}


COMPARATIVES = {"higher", "greater", "larger", "bigger", "more", "worse"}


def fears_another(verb: Token, anchor: Token) -> bool:
    """The guess is of another, larger count than the figure: "at least 37 fatalities, but a far
    higher toll is feared" (the parse may make both its subjects); the figure is the count so far."""
    return any(c.dep_ in {"nsubj", "nsubjpass"} and anchor not in c.subtree
               and any(m.dep_ == "amod" and (m.tag_ == "JJR" or m.lower_ in COMPARATIVES) for m in c.children)
               for c in verb.children)


def projection_marker(tokens: Sequence[Token], anchor: Token, catalog: Catalog) -> str | None:
    """A forecast, not a count: a modal on the governing verb ("could exceed"), or a projection
    word governing the figure ("a model projects", "expected to rise"). The point a forecast
    change starts from is the count so far: "the toll is expected to rise from 58"."""
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "from" and lemma(anchor.head.head) in RISE_VERBS:
        return None
    # a relative clause tells a fact of its noun that a guess above it does not govern: "officials
    # estimate clinics treated 130 hurt by a bomb that killed 19" (a modal above still does)
    relative = False
    for tok in [anchor, *anchor.ancestors]:
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in MODAL_PROJECTION:
                return child.lower_
        if not relative and tok.pos_ == "VERB" and lemma(tok) in {"expect", "project", "forecast", "predict", "estimate", "fear"}:
            if (tok.lower_ != "estimated" or tok.dep_ not in {"amod"}) and not fears_another(tok, anchor):
                return tok.lower_
        if tok.dep_ == "conj":
            break  # "were expected to meet for five hours but ended up spending three": what happened
        # "a 35% probability that deaths would run to 10,000" is the guess's own clause
        relative = relative or (tok.dep_ == "relcl" and tok.pos_ in VERB_POS
                                and lemma(tok.head) not in catalog.scope_markers.get("projection", ()))
    marker = has_marker(tokens, [m for m in catalog.scope_markers.get("projection", ()) if m not in MODAL_PROJECTION])
    if marker in {"model", "projection", "forecast", "scenario", "probability", "chance"}:
        return marker
    return None


WHOLE_PREPOSITIONS = {"across", "throughout", "nationwide", "countrywide"}
PLACE_PREPOSITIONS = {"in", "at", "from", "inside", "within", "on"}


def place_of(tokens: Sequence[Token], main_places: set[str], place_id: dict[int, str]) -> str | None:
    """A place named in the figure's own words, other than where the whole occurrence is ("in
    Mandalay"). "Across Texas" and "throughout the region" speak of the whole, not a part."""
    for tok in tokens:
        pid = place_id.get(tok.i)
        if pid is None or pid in main_places:
            continue
        prep = tok.head if tok.dep_ in {"pobj", "compound", "poss"} else None
        while prep is not None and prep.dep_ not in {"prep", "ROOT"} and prep.head.i != prep.i:
            prep = prep.head
        if prep is not None and prep.lower_ in WHOLE_PREPOSITIONS:
            continue
        if prep is not None and prep.lower_ in PLACE_PREPOSITIONS:
            return pid
    return None


def says_alone(tokens: Sequence[Token]) -> bool:
    """"In Mandalay alone", "its members alone had recovered": explicitly a part."""
    return any(t.lower_ == "alone" for t in tokens)


def part_named(tokens: Sequence[Token], parts: Sequence[tuple[str, frozenset[str]]]) -> str | None:
    """The named part of the count the figure's own words give ("still in hospital": hospital)."""
    words = {w for t in tokens for w in (t.lower_, (t.lemma_ or t.text).lower())}
    return next((name for name, cues in parts if words & cues), None)


# Tokens before a figure that may still introduce it: "including at least 30", "of those, 12".
SHARE_REACH = 4


def share_lead(anchor_start: int, sentence_start: int, doc: Doc, catalog: Catalog) -> str | None:
    """A share phrase right before the figure ("including 30 children", "Of those, 12 were
    children"): the figure is part of one given before it."""
    lead = [t.lower_ for t in doc[max(anchor_start - SHARE_REACH, sentence_start):anchor_start]
            if not t.is_punct]
    text = " " + " ".join(lead) + " "
    for marker in catalog.scope_markers.get("share", ()):
        at = text.rfind(f" {marker} ")
        if at >= 0:
            return marker
    return None


_PAIRED_RE = re.compile(r"\bfor\b")


def per_side(tokens: Sequence[Token], catalog: Catalog, anchor: Token | None = None) -> str | None:
    """A per-side marker among the figure's clause words. With ``anchor``, not one inside a clause
    that describes another noun: in "traded 200 prisoners in a swap announced by both sides" the
    sides announced it; in "200 prisoners freed from each side" the clause is the prisoners'."""
    if anchor is not None:
        own = {anchor.i, anchor.head.i}
        other = {t.i for c in tokens if c.dep_ in {"acl", "relcl"} and c.head.i not in own for t in c.subtree}
        tokens = [t for t in tokens if t.i not in other]
    return has_marker(tokens, catalog.scope_markers.get("per_side", ()))


def total(tokens: Sequence[Token], catalog: Catalog) -> str | None:
    return has_marker(tokens, catalog.scope_markers.get("total", ()))


def superlative_since(tok: Token) -> bool:
    """"the largest exchange since the Cold War", "the first swap since 2022": a comparison with
    the past, not a count kept since then."""
    if tok.lower_ != "since":
        return False
    head = tok.head
    return any(c.tag_ in {"JJS", "RBS"} or c.lower_ in {"first", "only"} for c in [head, *head.children]
               if c.dep_ in {"amod", "advmod", "ROOT", "pobj", "attr", "nsubj", "dobj"} or c is head)


def running(tokens: Sequence[Token], catalog: Catalog) -> str | None:
    return has_marker([t for t in tokens if not superlative_since(t)], catalog.scope_markers.get("running_total", ()))
