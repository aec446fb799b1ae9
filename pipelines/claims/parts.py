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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipelines.claims.attributes import VERB_POS, container, lemma, words_of
from pipelines.claims.catalog import Catalog, read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.figures import Draft
from pipelines.claims.genres import is_participant, participants_of
from pipelines.claims.nationals import settle_nationals
from pipelines.claims.places import settle_places
from pipelines.claims.sites import settle_sites
from pipelines.claims.spans import char_span
from pipelines.claims.vehicles import settle_vehicles

PARTS_DATA = Path(__file__).with_name("parts.yaml")
DEATH_TOLL = "death_toll"
INJURED = "injured"
FIELDS = ("share_heads", "increment_after", "increment_modifiers", "change_verbs", "change_nouns",
          "count_nouns", "former_words", "estimate_words", "reach_verbs", "reach_modals", "negations",
          "denial_verbs", "claim_nouns", "false_words", "subgroups", "responders", "groups", "occupancy_heads",
          "remains_nouns", "aboard", "victim_words", "kin_nouns", "distributive_others",
          "care_words")


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
    if tok.dep_ in {"dobj", "pobj", "attr"} and bool(words_of(tok.head) & words.share_heads):
        # "were among the 153 killed": the whole the subject is a share of, not a share
        return not (tok.dep_ == "pobj" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children))
    # "three Britons were among the dead": the figure's subject is said to be among the victims
    return tok.dep_ in {"nsubj", "nsubjpass"} and any(
        c.dep_ == "prep" and words_of(c) & words.share_heads
        and any(words_of(g) & words.victim_words for g in c.children if g.dep_ == "pobj")
        for c in tok.head.children)


def relatives(d: Draft, words: PartWords) -> bool:
    """One person's relatives ("lost his wife and two children", "her three sons died"): a family's
    loss, not the occurrence's count."""
    noun = d.reading.counted
    if noun is None or not words_of(noun) & words.kin_nouns:
        return False
    phrase = [noun]
    while phrase[-1].dep_ == "conj" and phrase[-1].head.i != phrase[-1].i:
        phrase.append(phrase[-1].head)  # "his wife and two children": the possessive is on the first
    return any(c.dep_ == "poss" for t in phrase for c in t.children)


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


def distributive(d: Draft, words: PartWords) -> bool:
    """"One was shot dead, another got away": a bare "one" set against "another" or "the other" standing
    alone as a subject or object picks out one of a group named before; it counts nothing."""
    if d.reading.counted is not None or d.q.value != 1 or d.anchor.lower_ != "one":
        return False
    return any(t.lower_ in words.distributive_others and t.dep_ in {"nsubj", "nsubjpass", "dobj"}
               for t in d.sentence if t.i != d.anchor.i)


def denied(d: Draft, words: PartWords) -> bool:
    """The figure is inside a claim someone denies or calls wrong: "police denied reports that 40
    were missing", "claims that hundreds were still missing were incorrect"."""
    for tok in d.anchor.ancestors:
        if words_of(tok) & words.denial_verbs and tok.pos_ in VERB_POS:
            return True
        if words_of(tok) & words.claim_nouns and tok.pos_ == "NOUN":
            verb = tok.head
            if words_of(verb) & words.denial_verbs or any(
                    c.dep_ in {"acomp", "attr"} and words_of(c) & words.false_words for c in verb.children):
                return True
    return False


COUNT_REACH = 6  # words after a count noun that may still say what it counts
STATE_DEPS = {"amod", "acl", "relcl", "appos"}


def _figure_like(tok: Token) -> bool:
    """A number that counts something ("40 were missing"), not "one of the worst storms"."""
    return tok.like_num and (any(ch.isdigit() for ch in tok.text) or tok.dep_ == "nummod")


StateOf = Callable[[Token], "str | None"]


def _states_of(catalog: Catalog) -> StateOf:
    """The attribute a state word (a catalog modifier: dead, missing, injured) tells, if any."""
    states = [(a.name, a.modifiers) for a in catalog.attributes.values() if a.kind == "cumulative" and not a.derived]
    return lambda tok: next((name for name, cues in states if words_of(tok) & cues), None)


def _state_words(d: Draft) -> list[Token]:
    """The words that may tell the figure's state: modifiers of its noun, its verb itself and the
    verb's complements ("300 people were killed or seriously injured", "listed as dead or missing",
    "were among the dead or missing"), and the states of the count noun its verb's clause tells of."""
    heads = [t for t in (d.reading.counted, d.anchor) if t is not None]
    mods = [c for h in heads for c in h.children if c.dep_ in STATE_DEPS]
    # "with 130,013 people listed as dead or missing": the states of a clause on the figure's noun
    mods += [g for m in mods if m.pos_ in VERB_POS
             for p in m.children if p.dep_ == "prep" for g in p.children if g.dep_ in {"pobj", "amod"}]
    verb = next((t for t in d.anchor.ancestors if t.pos_ in VERB_POS), None)
    if verb is not None:
        mods += [verb, *(c for c in verb.children if c.dep_ in {"oprd", "acomp", "xcomp"})]
        if verb.dep_ == "conj":  # "killed or injured 300 people": the verb the figure's is joined to
            mods.append(verb.head)
        mods += [g for p in verb.children if p.dep_ == "prep" for g in p.children if g.dep_ in {"pobj", "amod"}]
        nouns = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if verb.dep_ == "advcl":  # the parser often hangs the verb from the subject's state
            nouns.append(verb.head)
            mods.append(verb.head)
        mods += [c for n in nouns for c in n.children if c.dep_ in STATE_DEPS]
    return mods


SUBJECTS = {"nsubj", "nsubjpass"}
OWN_OBJECTS = {"dobj", "attr", "oprd"}
OWN_ARGUMENTS = SUBJECTS | OWN_OBJECTS


def _own_arguments(verb: Token, anchor: Token, deps: set[str]) -> bool:
    """The verb has an argument of its own (of ``deps``), without the figure."""
    return any(c.dep_ in deps and anchor not in c.subtree for c in verb.children)


def _own_clauses(first: Token, second: Token, anchor: Token) -> bool:
    """Two joined states that each have their own arguments tell two counts ("20 were killed and 300
    others were injured", "six were killed and dozens more injured"); the first verb's subject is
    both verbs' when the second has none ("the quake killed or injured 300 people")."""
    if _own_arguments(second, anchor, OWN_ARGUMENTS):  # also an adjective's: "and dozens more injured"
        return True
    if first.pos_ not in VERB_POS:
        return False
    subject_too = any(c.dep_ in SUBJECTS for c in second.children)
    return _own_arguments(first, anchor, OWN_ARGUMENTS if subject_too else OWN_OBJECTS)


def _figure_in(tokens: Iterable[Token], d: Draft) -> bool:
    """A number among ``tokens`` other than the draft's own figure."""
    return any((c.like_num or c.ent_type_ == "CARDINAL") and not d.q.start <= c.idx < d.q.end for c in tokens)


def _own_words(first: Token, second: Token) -> list[Token]:
    """The first state's words without the state joined to it: "40 dead" of "40 dead and 70 injured"."""
    return [t for t in first.subtree if t not in second.subtree]


def _joined_in_parse(d: Draft, state: StateOf) -> str | None:
    """Two states joined on the figure's noun, its verb or its verb's complement: "300 people dead
    or injured", "left 300 people dead or injured", "killed or seriously injured 300". A second state
    with a figure or a subject or object of its own tells another count ("killed 20 and injured
    dozens", "killed 20 people and injured many others")."""
    for mod in _state_words(d):
        for other in (c for c in mod.children if c.dep_ == "conj"):
            first, second = state(mod), state(other)
            if not (first and second and first != second) or _figure_in(other.subtree, d) or _figure_in(
                    _own_words(mod, other), d):
                continue
            if _own_clauses(mod, other, d.anchor):
                continue
            joiner = next((c.lower_ for c in mod.children if c.dep_ == "cc"), "or")
            return f"{mod.lower_}_{joiner}_{other.lower_}"
    return None


def _joined_after_count_noun(d: Draft, state: StateOf, words: PartWords) -> str | None:
    """A bare figure of a count noun written before it with two states, read in text order (long
    subjects are often misparsed): "the number of people dead or missing after ... climbed to 7,000"."""
    doc = d.anchor.doc
    for i in range(d.sentence.start, d.anchor.i - 2):
        if doc[i].lower_ not in words.count_nouns or any(_figure_like(t) for t in doc[i + 1:d.anchor.i]):
            continue
        window = list(doc[i + 1:min(i + 1 + COUNT_REACH, d.anchor.i - 1)])
        for a, cc, b in zip(window, window[1:], window[2:], strict=False):
            if cc.dep_ == "cc" and state(a) and state(b) and state(a) != state(b):
                return f"{a.lower_}_{cc.lower_}_{b.lower_}"
    return None


def combined_states(d: Draft, catalog: Catalog, words: PartWords) -> str | None:
    """One figure for two states joined ("300 killed or injured"): a count of neither. Returns the
    part's name ("dead_or_missing")."""
    state = _states_of(catalog)
    joined = _joined_in_parse(d, state)
    if joined is None and d.reading.counted is None:
        joined = _joined_after_count_noun(d, state, words)
    return joined


def changed_state(d: Draft, words: PartWords) -> bool:
    """"Two people previously reported as missing have now been confirmed dead": the figure's verb
    says what they were before (a former adverb) and a verb joined to it what they are now."""
    verb = figure_verb(d.anchor)
    if verb is None or not any(c.dep_ == "advmod" and c.lower_ in words.former_words for c in verb.children):
        return False
    return any(c.dep_ == "conj" and c.pos_ in VERB_POS for c in verb.children)


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


def _value(d: Draft) -> float:
    return d.q.value_to if d.q.value_to is not None else d.q.value


def settle_subgroups(drafts: Sequence[Draft], words: PartWords) -> None:
    """A count of one group of people beside a larger whole figure of the same attribute is that
    group's part ("the deaths of 55 children" next to "the toll rose to 4,000")."""
    def group(d: Draft) -> str | None:
        noun = d.reading.counted
        if noun is None or not words_of(noun) & words.subgroups:
            return None
        return noun.lower_

    # a part larger than the group tells a larger whole too ("more than a thousand have been buried")
    wholes = [d for d in drafts if d.attr.kind == "cumulative" and group(d) is None and (
        d.scope == "subset" or (d.scope == d.attr.scope_default and not d.marked and d.place is None))]
    for d in drafts:
        if d.attr.kind != "cumulative" or d.marked or d.scope != d.attr.scope_default:
            continue
        name = group(d)
        if name is not None and any(w.attr.name == d.attr.name and _value(w) > _value(d) for w in wholes):
            d.scope, d.marked, d.place = "subset", True, name


def _in_care(d: Draft, words: PartWords) -> bool:
    verb = figure_verb(d.anchor)
    said = [*d.local, *([verb] if verb is not None else [])]
    return any(words_of(t) & words.care_words for t in said)


def settle_care(drafts: Sequence[Draft], words: PartWords) -> None:
    """Those taken to hospital or being treated, after a larger injured figure of their sentence
    that says nothing of care, are its share ("23 were hurt, and six were taken to hospital")."""
    injured = [d for d in drafts if d.attr.name == INJURED and d.scope == d.attr.scope_default and not d.marked]
    for d in injured:
        if _in_care(d, words) and any(
                o.sentence.start == d.sentence.start and o.anchor.i < d.anchor.i and _value(o) > _value(d)
                and not _in_care(o, words) for o in injured):
            d.scope, d.marked, d.place = "subset", True, "hospital"


def settle_parts(drafts: Sequence[Draft], ctx: ArticleContext) -> list[Draft]:
    """Decide the parts and drop what counts no victims; figures of other attributes pass through."""
    words = load_parts()
    # a race or match report: its riders and players are no victims of its crashes
    players = participants_of(ctx.genres, ctx.stories[ctx.story] if ctx.story else 0)
    kept: list[Draft] = []
    for d in drafts:
        if d.attr.kind != "cumulative" or d.attr.derived:
            kept.append(d)
            continue
        if negated(d, words) or denied(d, words) or distributive(d, words) or not_victims(d, words) \
                or is_participant(d.reading.counted, players):
            continue
        if d.scope == d.attr.scope_default:
            if (joined := combined_states(d, ctx.catalog, words)) is not None:
                d.scope, d.marked, d.place = "subset", True, joined
            elif changed_state(d, words):
                d.scope, d.marked, d.place = "subset", True, "former"
            elif relatives(d, words):
                d.scope, d.marked, d.place = "subset", True, "relatives"
            elif estimated(d, words):
                d.scope, d.marked = "projection", True
            elif increment(d, words):
                d.scope, d.marked, d.place = "subset", True, "increase"
            elif included(d, words):
                d.scope, d.marked, d.place = "subset", True, "share"
            elif d.attr.name == DEATH_TOLL and (handled := handled_remains(d, words)) is not None:
                d.scope, d.marked, d.place = "subset", True, handled
        kept.append(d)
    settle_nationals(kept)
    settle_subgroups(kept, words)
    settle_care(kept, words)
    settle_vehicles(kept, ctx.doc)
    settle_sites(kept, ctx.doc, ctx.story)
    settle_places(kept, ctx)
    return kept
