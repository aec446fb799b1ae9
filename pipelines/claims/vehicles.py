"""One vehicle of two: in a collision, the dead or injured of one aircraft, train or ship are a
part of the occurrence's count ("all 69 aboard the Tupolev" beside "the two crew of the Boeing"),
unless the article says everyone on the other vehicle got out, when one vehicle's dead are all of
them ("five of the six crew of the coast guard plane died; all 379 on the airliner escaped").
The words are data (vehicles.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from pipelines.claims.attributes import VERB_POS, words_of
from pipelines.claims.catalog import read_word_lists
from pipelines.claims.figures import Draft, figure_phrase

VEHICLES_DATA = Path(__file__).with_name("vehicles.yaml")
FIELDS = ("vehicles", "collision_words", "pair_words", "whole_words", "spared_words", "spared_phrasal",
          "spared_attributes", "unplaced_nouns", "ground_words", "survivor_words", "ground_attributes",
          "tally_nouns", "coverage_preps", "people_pronouns")
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
NONE_WORDS = {"no", "none", "zero"}
OBJECT_DEPS = {"dobj", "oprd", "attr"}
CLAUSE_DEPS = {"relcl", "advcl", "ccomp", "conj"}
MODIFIER_DEPS = {"poss", "compound", "amod", "nmod", "det", "punct"}


class VehiclesError(ValueError):
    pass


@dataclass(frozen=True)
class VehicleWords:
    vehicles: frozenset[str]
    collision_words: frozenset[str]
    pair_words: frozenset[str]
    whole_words: frozenset[str]
    spared_words: frozenset[str]
    spared_phrasal: frozenset[str]
    spared_attributes: frozenset[str]
    unplaced_nouns: frozenset[str]
    ground_words: frozenset[str]
    survivor_words: frozenset[str]
    ground_attributes: frozenset[str]
    tally_nouns: frozenset[str]
    coverage_preps: frozenset[str]
    people_pronouns: frozenset[str]


@lru_cache(maxsize=2)
def load_vehicle_words(path: Path = VEHICLES_DATA) -> VehicleWords:
    return VehicleWords(**read_word_lists(path, FIELDS, VehiclesError))


def _is_vehicle(tok: Token, words: VehicleWords) -> bool:
    return tok.pos_ in {"NOUN", "PROPN"} and bool(words_of(tok) & words.vehicles)


def _counted_as_pair(tok: Token, words: VehicleWords) -> bool:
    return any(c.dep_ in {"det", "nummod", "predet", "quantmod"} and c.lower_ in words.pair_words
               for c in tok.children)


def _met(word: Token, words: VehicleWords) -> int:
    """Vehicle nouns that meet in a collision word's phrase: its subjects and complements, not its
    modifiers ("the plane's collision with birds" is one vehicle); "a collision with a plane" names
    the other vehicle of the story's own."""
    heads = _subjects(word) if word.pos_ in VERB_POS else []
    heads += [c for c in word.children if c.dep_ not in MODIFIER_DEPS and c not in heads]
    met = sum(_is_vehicle(t, words) for h in heads for t in h.subtree)
    partner = word.pos_ not in VERB_POS and any(
        c.dep_ == "prep" and c.lower_ == "with" and any(_is_vehicle(t, words) for t in c.subtree)
        for c in word.children)
    return met + int(partner)


def tells_collision(doc: Doc, words: VehicleWords) -> bool:
    """The article tells of two vehicles meeting: a collision word between two vehicle nouns, or a
    vehicle noun counted as a pair ("both aircraft caught fire", "the two trains")."""
    for tok in doc:
        if _is_vehicle(tok, words) and _counted_as_pair(tok, words):
            return True
        if words_of(tok) & words.collision_words and _met(tok, words) >= 2:
            return True
    return False


def _subjects(verb: Token) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not found and verb.dep_ == "conj" and verb.head.i != verb.i:
        return _subjects(verb.head)  # "all 379 ... slid down the chutes and survived"
    return found


def others_spared(doc: Doc, words: VehicleWords) -> bool:
    """Someone says that all the people of a vehicle got out: "all 379 occupants got out safely"."""
    for tok in doc:
        spared = bool(words_of(tok) & words.spared_words) or (
            tok.lemma_.lower() in words.spared_phrasal and any(c.lower_ == "out" for c in tok.children))
        if not spared:
            continue
        verb = tok if tok.pos_ in VERB_POS else tok.head
        if any(t.lower_ == "all" for s in _subjects(verb) for t in s.subtree):
            return True
    return False


def _own(d: Draft) -> list[Token]:
    """The figure's words less the clauses and other conjuncts hanging from them; a conjunct that
    holds the figure itself stays ("the Tupolev and the two crew of the Boeing": two is the
    conjunct's own)."""
    local = d.local or [d.anchor]
    mine = {d.anchor.i} | ({d.reading.counted.i} if d.reading.counted is not None else set())
    cut = {t.i for c in local if c.dep_ in CLAUSE_DEPS and not mine & {x.i for x in c.subtree}
           for t in c.subtree}
    return [t for t in local if t.i not in cut]


def _conjunct_vehicle(noun: Token | None, words: VehicleWords) -> Token | None:
    """ "60 passengers and nine crew on the airliner": a phrase after the last conjunct is said of all."""
    if noun is None:
        return None
    for conj in (c for c in noun.children if c.dep_ == "conj"):
        for prep in (c for c in conj.children if c.dep_ == "prep"):
            found = next((t for t in prep.subtree if _is_vehicle(t, words)), None)
            if found is not None:
                return found
    return None


def one_vehicle(d: Draft, words: VehicleWords) -> str | None:
    """The vehicle the figure's own words name, unless they name the vehicles together."""
    own = _own(d)
    if any(t.lower_ in words.whole_words and t.i != d.anchor.i for t in own):
        return None
    named = next((t for t in own if _is_vehicle(t, words)), None) or _conjunct_vehicle(d.reading.counted, words)
    return None if named is None else named.lemma_.lower()


def survivors_counted(doc: Doc, words: VehicleWords) -> bool:
    """The article counts people who survived: "two passengers survived", "29 survivors" (not "no
    survivors", nor "we cannot confirm any survivors")."""
    for tok in doc:
        if not words_of(tok) & words.survivor_words:
            continue
        holders = [tok] if tok.pos_ in {"NOUN", "PROPN"} else _subjects(tok)
        numbers = [t for h in holders for t in [h, *h.children] if t.like_num or t.pos_ == "NUM"]
        if any(n.lower_ not in NONE_WORDS for n in numbers):
            return True
    return False


def settle_ground_injured(drafts: list[Draft], doc: Doc, words: VehicleWords) -> None:
    """Those hurt on the ground are a part of the injured where some aboard survived the crash."""
    on_ground = [d for d in drafts if d.attr.name in words.ground_attributes and d.scope == d.attr.scope_default
                 and any(words_of(t) & words.ground_words for t in figure_phrase(d.anchor, d.reading.counted))]
    if not on_ground or not survivors_counted(doc, words):
        return
    for d in on_ground:
        d.scope, d.marked, d.place = "subset", True, "ground"


def covered_side(d: Draft, words: VehicleWords) -> str | None:
    """The side of a split toll the figure's sentence says its count covers: "their final toll for
    those on the aircraft" (the variant's suffix: "onboard")."""
    covered = d.attr.counted | d.attr.counted_weak | words.people_pronouns
    for tok in d.sentence:
        if not (tok.pos_ == "NOUN" and words_of(tok) & words.tally_nouns):
            continue
        # the phrase hangs from the noun, or from the verb whose object it is ("what they called
        # their final toll for those on board")
        holders = [tok, tok.head] if tok.dep_ in OBJECT_DEPS and tok.head.pos_ in VERB_POS else [tok]
        for prep in (c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in words.coverage_preps):
            people = [c for c in prep.children if c.dep_ == "pobj" and words_of(c) & covered]
            if not people:
                continue  # "the toll for the plane crash" covers the crash, not one side of it
            said = {w for t in prep.subtree for w in words_of(t)}
            found = d.attr.variants_named(said)
            if len(found) == 1:
                return found[0].removeprefix(f"{d.attr.name}.")
    return None


def settle_covered_sides(drafts: list[Draft], words: VehicleWords) -> None:
    for d in drafts:
        if d.attr.variants and d.scope == d.attr.scope_default:
            side = covered_side(d, words)
            if side is not None:
                d.scope, d.marked, d.place = "subset", True, side


def settle_vehicles(drafts: list[Draft], doc: Doc) -> None:
    """Mark one vehicle's figures as parts in an article that tells a collision, and those hurt on
    the ground as a part where some aboard survived."""
    words = load_vehicle_words()
    settle_ground_injured(drafts, doc, words)
    settle_covered_sides(drafts, words)
    candidates = [(d, one_vehicle(d, words)) for d in drafts
                  if d.attr.kind == "cumulative" and not d.attr.derived and d.scope == d.attr.scope_default]
    candidates = [(d, v) for d, v in candidates if v is not None]
    if not candidates or not tells_collision(doc, words):
        return
    spared = others_spared(doc, words)
    for d, vehicle in candidates:
        if spared and d.attr.name in words.spared_attributes:
            continue
        d.scope, d.marked, d.place = "subset", True, vehicle
