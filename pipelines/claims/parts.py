"""Parts of a running count, and numbers that count something else, decided after every figure of
an article has been read.

A death toll, injured or missing figure may be a share of one given before ("The victims included
16 students"), a change ("four more bodies", "rose by 1,200"), a guess ("the 10,000 estimated by
local authorities", "it can reach 20,000"), a figure said to be wrong ("275 and not 288"), a
place's part (places.py), or no count of victims at all (4,000 firefighters, ten search teams, a
ferry with 400 passengers). Parts keep a suffixed attribute (``death_toll.share``,
``death_toll.increase``); non-counts are dropped. The words are data (parts.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipelines.claims.attributes import VERB_POS, container, lemma, words_of
from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.figures import Draft
from pipelines.claims.places import settle_places
from pipelines.claims.sites import settle_sites
from pipelines.claims.spans import char_span
from pipelines.claims.vehicles import settle_vehicles

PARTS_DATA = Path(__file__).with_name("parts.yaml")
DEATH_TOLL = "death_toll"
FIELDS = ("share_heads", "increment_after", "increment_modifiers", "change_verbs", "change_nouns",
          "estimate_words", "reach_verbs", "reach_modals", "negations", "responders", "groups", "occupancy_heads",
          "remains_nouns", "aboard")


class PartsError(ValueError):
    pass


@dataclass(frozen=True)
class PartWords:
    words: dict[str, frozenset[str]]
    handling: tuple[tuple[str, frozenset[str]], ...] = ()  # (part name, verbs that handle bodies)

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.words[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@lru_cache(maxsize=2)
def load_parts(path: Path = PARTS_DATA) -> PartWords:
    data = read_yaml(path, PartsError) or {}
    missing = [f for f in FIELDS if not isinstance(data.get(f), list)]
    handling = data.get("handling_verbs")
    if not isinstance(handling, dict) or not all(isinstance(v, list) for v in handling.values()):
        missing.append("handling_verbs (part name: [verbs])")
        handling = {}
    if missing:
        raise PartsError(f"{path}: needs word lists {missing}")
    return PartWords({f: frozenset(str(w).lower() for w in data[f]) for f in FIELDS},
                     tuple((str(name), frozenset(str(w).lower() for w in verbs)) for name, verbs in handling.items()))


def _figure(d: Draft) -> Token:
    return d.reading.counted or d.anchor


def included(d: Draft, words: PartWords) -> bool:
    """The figure is listed as what something included: a share of a figure given before."""
    tok = _figure(d)
    while tok.dep_ in {"conj", "appos"} and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in {"dobj", "pobj", "attr"} and bool(words_of(tok.head) & words.share_heads)


def increment(d: Draft, words: PartWords) -> bool:
    """A change of the count, not the count. "Four more" and "a further 12" are a change only in a
    sentence that tells the count changing ("the toll rose as four more bodies were found"); in
    "killing 12 and injuring dozens more" they are another count."""
    doc, anchor = d.anchor.doc, d.anchor
    span = char_span(doc, d.q.num_start, d.q.num_end)
    if span is None:
        return False
    if span.start > 0 and doc[span.start - 1].lower_ == "to":
        return False  # "jumped by 1,200 to 5,209": the count it reached
    changing = any(words_of(t) & words.change_verbs and t.pos_ in VERB_POS for t in d.sentence)
    after = doc[span.end] if span.end < len(doc) else None
    if changing and after is not None and after.lower_ in words.increment_after and (
            after.i + 1 >= len(doc) or doc[after.i + 1].lower_ != "than"):
        return True
    noun = d.reading.counted
    if changing and noun is not None and any(
            c.dep_ == "amod" and words_of(c) & words.increment_modifiers for c in noun.children):
        return True
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "by" and words_of(anchor.head.head) & words.change_verbs:
        return True
    head = noun if noun is not None else anchor.head
    return head is not None and bool(words_of(head) & words.change_nouns)


def estimated(d: Draft, words: PartWords) -> bool:
    """A guess: an estimate hangs from the figure, is its verb's subject, or a modal of possibility
    governs a verb of reaching ("it can reach 20,000")."""
    anchor = d.anchor
    if any(c.dep_ == "acl" and words_of(c) & words.estimate_words for c in anchor.children):
        return True
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in VERB_POS), None)
    if verb is None:
        return False
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and words_of(child) & words.estimate_words:
            return True
    return bool(words_of(verb) & words.reach_verbs) and any(
        c.dep_ == "aux" and c.lower_ in words.reach_modals for c in verb.children)


def negated(d: Draft, words: PartWords) -> bool:
    """"275 and not 288": the figure is denied."""
    doc = d.anchor.doc
    span = char_span(doc, d.q.start, d.q.end)
    if span is None:
        return False
    before = next((t for t in reversed(doc[max(span.start - 2, 0):span.start]) if not t.is_punct), None)
    return (before is not None and before.lower_ in words.negations) or any(
        c.dep_ == "neg" for c in d.anchor.children)


def not_victims(d: Draft, words: PartWords) -> bool:
    """Responders and groups of them, and the occupants of a vehicle, are not a count of victims."""
    noun = d.reading.counted
    if noun is not None and words_of(noun) & words.groups:
        return True
    if noun is not None and words_of(noun) & words.responders and d.reading.basis in {"cue", "cue_far"}:
        return True
    tok = _figure(d)
    if tok.dep_ == "dobj" and words_of(tok.head) & words.occupancy_heads:
        return True  # "a bus carrying 40 pilgrims"
    # "a ferry with more than 400 passengers (on board) sank": the first preposition above the figure;
    # "the plane crashed with 99 people on board": those aboard, whatever "with" hangs from
    prep = next((t for t in tok.ancestors if t.dep_ == "prep"), None)
    aboard = any(words_of(t) & words.aboard for t in tok.subtree)
    return prep is not None and bool(words_of(prep) & words.occupancy_heads) and (
        prep.head.pos_ in {"NOUN", "PROPN"} or aboard)


# Dependencies that keep a word inside the noun phrase of the figure on the way up to its verb.
PHRASE_DEPS = {"nummod", "quantmod", "compound", "amod", "nmod", "pobj", "prep", "conj", "appos", "det"}


def figure_verb(anchor: Token) -> Token | None:
    """The verb whose subject or object the figure's noun phrase is ("the bodies of 40 people were
    pulled out": pulled); through "be" to its complement ("187 are yet to be identified")."""
    tok = anchor
    while tok.dep_ in PHRASE_DEPS and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ not in {"nsubj", "nsubjpass", "dobj", "oprd", "attr"} or tok.head.pos_ not in VERB_POS:
        return None
    verb = tok.head
    if lemma(verb) == "be":
        return next((c for c in verb.children if c.dep_ in {"xcomp", "acomp"} and c.pos_ in VERB_POS), verb)
    return verb


def handled_remains(d: Draft, words: PartWords) -> str | None:
    """Bodies counted as they are recovered, identified or handed over: the dead found so far."""
    verb = figure_verb(d.anchor)
    if verb is not None:
        for name, verbs in words.handling:
            if words_of(verb) & verbs:
                return name
    tok = _figure(d)
    holder = container(tok)
    return "bodies" if any(words_of(t) & words.remains_nouns for t in (tok, holder) if t is not None) else None


def settle_parts(drafts: Sequence[Draft], ctx: ArticleContext) -> list[Draft]:
    """Decide the parts and drop what counts no victims; figures of other attributes pass through."""
    words = load_parts()
    kept: list[Draft] = []
    for d in drafts:
        if d.attr.kind != "cumulative" or d.attr.derived:
            kept.append(d)
            continue
        if negated(d, words) or not_victims(d, words):
            continue
        if d.scope == d.attr.scope_default:
            if estimated(d, words):
                d.scope, d.marked = "projection", True
            elif increment(d, words):
                d.scope, d.marked, d.place = "subset", True, "increase"
            elif included(d, words):
                d.scope, d.marked, d.place = "subset", True, "share"
            elif d.attr.name == DEATH_TOLL and (handled := handled_remains(d, words)) is not None:
                d.scope, d.marked, d.place = "subset", True, handled
        kept.append(d)
    settle_vehicles(kept, ctx.doc)
    settle_sites(kept, ctx.doc, ctx.story)
    settle_places(kept, ctx)
    return kept
