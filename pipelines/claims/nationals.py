"""Nationals among the victims: a count of the dead, injured or missing of one nationality, or of
foreigners, is a part of the occurrence's count ("three Britons were among the dead", "26 foreign
nationals were killed", "the death toll of foreigners is 26"), stored as ``<attribute>.nationals``.

Words that speak of nationality themselves (nationals, citizens, foreigners, "foreign tourists")
make the part wherever they stand; a demonym alone ("1,000 Europeans", "Polish pilgrims") only
beside a larger figure of the same count, since alone it may be the whole toll of a bus of
pilgrims. The words are data (nationals.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipelines.claims.attributes import words_of
from pipelines.claims.catalog import read_word_lists
from pipelines.claims.figures import Draft

NATIONALS_DATA = Path(__file__).with_name("nationals.yaml")
FIELDS = ("nationality_nouns", "foreign_words", "demonyms")
NATIONALS = "nationals"
MODIFIER_DEPS = {"amod", "compound", "nmod"}


class NationalsError(ValueError):
    pass


@dataclass(frozen=True)
class NationalWords:
    nationality_nouns: frozenset[str]
    foreign_words: frozenset[str]
    demonyms: frozenset[str]

    def is_demonym(self, tok: Token) -> bool:
        words = words_of(tok)
        return tok.ent_type_ == "NORP" or bool(words & self.demonyms) or any(
            w.endswith("s") and w[:-1] in self.demonyms for w in words)


@lru_cache(maxsize=2)
def load_national_words(path: Path = NATIONALS_DATA) -> NationalWords:
    return NationalWords(**read_word_lists(path, FIELDS, NationalsError))


def _people_nouns(d: Draft) -> list[Token]:
    """The nouns saying whom the figure counts: its counted noun, and for a figure given as what a
    count noun is ("the death toll among foreign visitors is 31") whom that noun is of."""
    nouns = [d.reading.counted] if d.reading.counted is not None else []
    anchor = d.anchor
    if anchor.dep_ in {"attr", "pobj"}:
        verb = anchor.head if anchor.dep_ == "attr" else anchor.head.head
        for subject in (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}):
            nouns += [g for p in subject.children if p.dep_ == "prep" and p.lower_ in {"of", "among"}
                      for g in p.children if g.dep_ == "pobj"]
    return nouns


def nationality(d: Draft, words: NationalWords) -> str | None:
    """"explicit" when the figure's people are named by nationality or as foreigners, "demonym"
    when only a demonym names them, else None."""
    found = None
    for noun in _people_nouns(d):
        modifiers = [c for c in noun.children if c.dep_ in MODIFIER_DEPS]
        if words_of(noun) & words.nationality_nouns or any(words_of(m) & words.foreign_words for m in modifiers):
            return "explicit"
        if words.is_demonym(noun) or any(words.is_demonym(m) for m in modifiers):
            found = "demonym"
    return found


def _value(d: Draft) -> float:
    return d.q.value_to if d.q.value_to is not None else d.q.value


def settle_nationals(drafts: Sequence[Draft]) -> None:
    """Mark the counts of nationals as parts; a demonym's count only beside a larger whole count
    of the same attribute."""
    words = load_national_words()
    candidates = [d for d in drafts if d.attr.kind == "cumulative" and not d.attr.derived]
    kinds = {id(d): nationality(d, words) for d in candidates}
    wholes = [d for d in candidates if kinds[id(d)] is None and d.scope == d.attr.scope_default
              and not d.marked and d.place is None]
    for d in candidates:
        kind = kinds[id(d)]
        if kind is None or d.scope not in {d.attr.scope_default, "subset"}:
            continue
        if kind == "explicit" or any(w.attr.name == d.attr.name and _value(w) > _value(d) for w in wholes):
            d.scope, d.marked, d.place = "subset", True, NATIONALS
