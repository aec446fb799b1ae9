"""Figures joined by "and": "killing six passengers on board and one person on the ground".

Two readings around coordination that the parse alone does not give:

- the small parser often hangs the second conjunct off the sentence's main verb instead of the
  first conjunct ("a jet crashed in the city, killing six passengers ... and one person ...": "person"
  a conjunct of "crashed"); such a figure, right after another figure's phrase and "and", shares
  that figure's reading;
- in a toll split by place (on board, on the ground), a conjunct that names no place is the other
  place of the split: "six people aboard the plane and one person were killed" (the one was not on
  board). Only nouns that say nothing of where their people were take the other side (vehicles.yaml
  ``unplaced_nouns``), so "60 passengers aboard and two pilots" stays as it is.
"""

from __future__ import annotations

from spacy.tokens import Token

from pipelines.claims.attributes import VERB_POS, Reading, counted_noun, said_of, words_of
from pipelines.claims.catalog import Attribute
from pipelines.claims.figures import Draft, figure_phrase
from pipelines.claims.vehicles import load_vehicle_words

COORDINATORS = {"and", "or"}


def conjunct_reading(root: Token, drafts: list[Draft]) -> Reading | None:
    """The reading of the figure just before, for a figure whose noun the parse made a conjunct of a
    verb although it follows that figure's phrase and "and" ("..., killing six passengers on board
    and one person on the ground")."""
    noun = counted_noun(root).noun
    if noun is None or noun.dep_ != "conj" or noun.head.pos_ not in VERB_POS or not drafts:
        return None
    previous = drafts[-1]
    if previous.q.dimension != "count":
        return None
    left = noun.left_edge.i
    if left == 0 or root.doc[left - 1].lower_ not in COORDINATORS:
        return None
    first = previous.reading.counted or previous.anchor
    if first.right_edge.i != left - 2 or first.i > root.i:
        return None  # the "and" must close the previous figure's phrase
    attr = previous.attr
    if not words_of(noun) & (attr.counted | attr.counted_weak) or attr.exclude & said_of(root, noun):
        return None
    return Reading(previous.reading.attribute, previous.reading.score / 2, noun, previous.reading.governor,
                   basis="conjunct")


def _siblings(noun: Token) -> list[Token]:
    """The nouns coordinated with this one: its head conjunct and the conjuncts of either."""
    head = noun.head if noun.dep_ == "conj" and noun.head.pos_ in {"NOUN", "PROPN", "PRON"} else noun
    out = [head, *[c for c in head.children if c.dep_ == "conj"]]
    return [t for t in out if t.i != noun.i]


def _variant_of(tokens: list[Token], attr: Attribute) -> str | None:
    named = attr.variants_named({w for t in tokens for w in words_of(t)})
    return named[0] if named else None


def other_side_variant(attr: Attribute, counted: Token | None) -> str | None:
    """The other variant of a two-way split, for a figure counting an unplaced noun ("one person")
    coordinated with a figure of one side ("six people aboard the plane")."""
    if counted is None or len(attr.variants) != 2 or not words_of(counted) & load_vehicle_words().unplaced_nouns:
        return None
    found = set()
    for sibling in _siblings(counted):
        number = next((c for c in sibling.children if c.dep_ == "nummod"), None)
        if number is None:
            continue  # only another figure's phrase tells the split
        variant = _variant_of(figure_phrase(number, sibling), attr)
        if variant is not None:
            found.add(variant)
    if len(found) != 1:
        return None
    return next(name for name, _ in attr.variants if name not in found)
