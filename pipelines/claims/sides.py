"""Whose prisoners a count of an exchange is: one side's, each side's, or the whole swap's.

An exchange is reported in several ways: per side ("1,000 for 1,000", "500 from each side"), as a
total ("a total of 24"), or as what one party hands over or gets back ("Israel released 39
Palestinian prisoners", "16 individuals detained in Russia", "Kyiv brought home 230"). One side's
count is the per-side count only when the other side gives the same figure; in an uneven swap
(50 hostages for 150 prisoners) it is neither, and two outlets giving the two sides' counts do not
disagree. A count of a swap among many parties ("24 prisoners across six countries") is the whole
swap's. The words are data (exchanges.yaml).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipelines.claims.attributes import SUBJECT_DEPS, VERB_POS, lemma
from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.figures import Draft
from pipelines.claims.numbers import load_number_words
from pipelines.claims.quantities import find_quantities
from pipelines.claims.scope import share_lead
from pipelines.claims.spans import char_span

DEFAULT_EXCHANGES = Path(__file__).with_name("exchanges.yaml")

PARTY_LABELS = {"GPE", "NORP", "ORG", "LOC"}
PLACE_COUNT_NOUNS = {"country", "nation", "state"}
EVERY_PARTY = {"each", "either", "every", "both"}  # determiners of a party noun that mean every side


class ExchangeDataError(ValueError):
    pass


@dataclass(frozen=True)
class ExchangeWords:
    one_side_nouns: frozenset[str]
    many_parties: frozenset[str]
    holder_prepositions: frozenset[str]
    party_nouns: frozenset[str]
    many_parties_min: int
    attributes: frozenset[str]
    receiving_verbs: frozenset[str] = frozenset()
    reciprocal_verbs: frozenset[str] = frozenset()


@lru_cache(maxsize=2)
def load_words(path: Path | str = DEFAULT_EXCHANGES) -> ExchangeWords:
    data = read_yaml(Path(path), ExchangeDataError)
    if not isinstance(data, dict):
        raise ExchangeDataError(f"{path}: expected a mapping")
    try:
        return ExchangeWords(
            one_side_nouns=frozenset(str(w).lower() for w in data["one_side_nouns"]),
            many_parties=frozenset(str(w).lower() for w in data["many_parties"]),
            holder_prepositions=frozenset(str(w).lower() for w in data["holder_prepositions"]),
            party_nouns=frozenset(str(w).lower() for w in data["party_nouns"]),
            many_parties_min=int(data["many_parties_min"]),
            attributes=frozenset(str(a) for a in data["attributes"]),
            receiving_verbs=frozenset(str(w).lower() for w in data.get("receiving_verbs") or ()),
            reciprocal_verbs=frozenset(str(w).lower() for w in data.get("reciprocal_verbs") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExchangeDataError(f"{path}: {exc}") from exc


def _party_key(tok: Token, place_id: dict[int, str], words: ExchangeWords) -> str | None:
    if tok.i in place_id:
        return place_id[tok.i]
    if tok.ent_type_ in PARTY_LABELS and tok.pos_ in {"PROPN", "ADJ", "NOUN"}:
        return lemma(tok).rstrip("s")  # "Russians" and "Russian" are one party
    if tok.tag_ in {"NN", "NNP"} and lemma(tok) in words.party_nouns:
        if any(c.dep_ == "det" and c.lower_ in EVERY_PARTY for c in tok.children):
            return None  # "each side is to free 1,200": every party, not one
        return f"{lemma(tok)}:{tok.i}"  # "the government side": one party, which one is not said
    return None


def parties_in(tokens: Iterable[Token], place_id: dict[int, str], words: ExchangeWords | None = None) -> set[str]:
    """The parties named by these tokens (countries, peoples, organisations, "the other side")."""
    words = words or load_words()
    return {key for t in tokens if (key := _party_key(t, place_id, words)) is not None}


def _counts_places(tokens: Iterable[Token]) -> bool:
    """"across six countries", "from seven nations": the count of places says many parties."""
    for tok in tokens:
        if lemma(tok) in PLACE_COUNT_NOUNS and tok.tag_ == "NNS":
            for child in tok.children:
                if child.dep_ == "nummod":
                    text = child.lower_.replace(",", "")
                    value = int(text) if text.isdigit() else load_number_words().units.get(text)
                    if value is not None and value >= 3:
                        return True
    return False


def _holder_phrases(noun: Token, words: ExchangeWords) -> list[Token]:
    """The counted noun's own words that say whose people they are: its modifiers ("Palestinian
    prisoners"), its prepositional phrases and the participles hanging from it ("detained in
    Russia", "held by Hamas"), not a relative clause telling something else."""
    out: list[Token] = [noun]
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "nmod", "poss"}:
            out += list(child.subtree)
            if child.pos_ == "PROPN" and child.ent_type_ == "":
                out.append(child)  # "706 Houthi detainees": a people the tagger did not name
        elif child.dep_ == "prep" and child.lower_ in words.holder_prepositions:
            out += list(child.subtree)
        elif child.dep_ == "acl" and child.pos_ in VERB_POS:
            for grand in child.children:
                if grand.dep_ in {"prep", "agent"} and grand.lower_ in words.holder_prepositions:
                    out += list(grand.subtree)
    return out


def _agents(governor: Token | None) -> list[Token]:
    """Who hands over or takes back the people: the subject of the verb over the figure, or the
    agent of a passive ("were released by Moscow")."""
    if governor is None or governor.pos_ not in VERB_POS:
        return []
    out: list[Token] = []
    for child in governor.children:
        if child.dep_ in SUBJECT_DEPS - {"nsubjpass"}:
            out += list(child.subtree)
        elif child.dep_ == "agent":
            out += list(child.subtree)
    if not out and governor.dep_ == "conj" and governor.head.pos_ in VERB_POS:
        # "officials of six countries met in Ankara and were swapping 24 people": the subject of
        # the first verb is the second's too
        return _agents(governor.head)
    if not out and governor.dep_ == "xcomp":
        # "Hamas was due to release 50", "Moscow agreed to free 20": the subject of the verb or
        # adjective the infinitive completes
        head = governor.head.head if governor.head.dep_ == "acomp" else governor.head
        return [t for c in head.children if c.dep_ in SUBJECT_DEPS - {"nsubjpass"} for t in c.subtree]
    return out


def _both_hand_over(governor: Token | None, words: ExchangeWords) -> bool:
    """Two coordinated parties as the subject of a verb that is not reciprocal ("Russia and the West
    released 26"): each hands over its share, and the figure is all of them."""
    if governor is None or lemma(governor) in words.reciprocal_verbs:
        return False
    return any(c.dep_ in SUBJECT_DEPS - {"nsubjpass"} and any(g.dep_ == "conj" for g in c.children)
               for c in governor.children)


def _around(counted: Token | None, governor: Token | None, clause: list[Token]) -> list[Token]:
    """The words about the swap the figure belongs to: its clause, the governing verb's phrases
    (another figure's "from five countries" is still where ours come from) and, for a clause
    hanging from a noun, that noun's modifiers ("a multinational deal that freed 24 people")."""
    out = {t.i: t for t in clause}
    for tok in (counted, governor):
        if tok is not None:
            out.update((t.i, t) for t in tok.subtree)
    start = governor or counted
    for tok in [start, *list(start.ancestors)[:3]] if start is not None else []:
        if tok.dep_ in {"relcl", "acl"}:
            out.update((c.i, c) for c in tok.head.children if c.dep_ in {"amod", "compound"})
            break
    return [out[i] for i in sorted(out)]


def side_of(counted: Token | None, governor: Token | None, clause: list[Token],
            place_id: dict[int, str], words: ExchangeWords | None = None) -> tuple[str | None, frozenset[str]]:
    """("one", its party) when the figure's words name one party whose people these are or who
    hands them over, ("both", ...) when its subject is two parties ("Russia and Ukraine exchanged"),
    ("many", ...) when the swap is among many parties; (None, {}) when nothing is said."""
    words = words or load_words()
    around = _around(counted, governor, clause)
    if any(lemma(t) in words.many_parties for t in around) or _counts_places(around):
        return "many", frozenset()
    agents = parties_in(_agents(governor), place_id, words)
    if len(agents) >= words.many_parties_min:
        return "many", frozenset(agents)
    if counted is not None:
        if lemma(counted) in words.one_side_nouns or counted.lower_ in words.one_side_nouns:
            return "one", frozenset({"held:" + lemma(counted)})
        holders = parties_in(_holder_phrases(counted, words), place_id, words)
        if holders:
            return "one", frozenset(holders)
    if len(agents) == 1:
        return "one", frozenset(agents)
    if len(agents) == 2:
        if _both_hand_over(governor, words):
            return "many", frozenset(agents)  # "Russia and the West released 26": the whole swap
        return "both", frozenset(agents)
    return None, frozenset()

ONE_SIDE = "one_side"

EXCHANGE_PREPOSITIONS = {"for"}  # "trade 1,000 for 1,000", "in exchange for 50", "in return for 115"


def _number_in(tokens: Iterable[Token]) -> float | None:
    text = " ".join(t.text for t in tokens)
    found = [q for q in find_quantities(text) if q.dimension == "count" and not q.is_year]
    return found[0].value if found else None


def _for_phrases(tok: Token) -> list[Token]:
    out = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in EXCHANGE_PREPOSITIONS:
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ == "in":  # "in exchange for", "in return for"
            out += [g for p in child.children for g in p.children
                    if p.dep_ == "pobj" and g.dep_ == "prep" and g.lower_ in EXCHANGE_PREPOSITIONS]
    return out


def _received(verb: Token, own: set[int]) -> float | None:
    """The figure a party gets back in the same breath as it hands over ours: "handed over 95
    prisoners and received 95 of its own" (a verb of receiving coordinated with the figure's)."""
    words = load_words()
    for other in (c for c in verb.children if c.dep_ == "conj" and c.pos_ in VERB_POS):
        if lemma(other) in words.receiving_verbs:
            objects = [t for c in other.children if c.dep_ == "dobj" for t in c.subtree if t.i not in own]
            value = _number_in(objects)
            if value is not None:
                return value
    return None


def counterpart(d: Draft) -> float | None:
    """The figure given for the other side in "trade 1,000 prisoners for 1,000" or "ten soldiers
    were exchanged for 16 civilians": from the figure's own "for" phrase, or from the figure whose
    "for" phrase holds this one."""
    own = {t.i for t in d.anchor.subtree}
    holders = [t for t in (d.anchor, d.reading.counted, d.reading.governor) if t is not None]
    # "secured the release of 115 soldiers in return for 115 troops": the phrase hangs from the verb
    for tok in holders[-1].ancestors:
        holders.append(tok)
        if tok.pos_ in VERB_POS:
            break
    verb = next((t for t in holders if t.pos_ in VERB_POS), None)
    received = _received(verb, own) if verb is not None else None
    if received is not None:
        return received
    for tok in holders:
        for prep in _for_phrases(tok):
            if not any(t.i in own for t in prep.subtree):
                value = _number_in(prep.subtree)
                if value is not None:
                    return value
    for tok in [d.anchor, *d.anchor.ancestors]:
        if tok.dep_ == "prep" and tok.lower_ in EXCHANGE_PREPOSITIONS:
            head = tok.head
            if head.dep_ == "pobj" and head.head.lower_ == "in":  # "in return for", "in exchange for"
                head = head.head.head
            phrase = {t.i for t in tok.subtree}
            value = _number_in(t for t in head.subtree if t.i not in phrase)
            if value is not None:
                return value
            break
    return None


def applies_to(d: Draft, words: ExchangeWords | None = None) -> bool:
    return d.attr.name in (words or load_words()).attributes


def apply_side(d: Draft, ctx: ArticleContext) -> frozenset[str] | None:
    """Set the scope of an exchange count that no marker decided, from whose people it counts; a
    share of a figure given just before ("including two minors") is a part. Returns the parties of
    a one-side count (what reconcile_sides compares), else None."""
    if d.marked and d.scope == "total" and applies_to(d):
        # "the militants were due to release in total 50": one party's total is its side's count
        agents = parties_in(_agents(d.reading.governor), ctx.place_id)
        if len(agents) == 1:
            d.scope, d.place = ONE_SIDE, ONE_SIDE
            return frozenset(agents)
        return None
    if d.marked or not applies_to(d) or d.scope != d.attr.scope_default:
        return None
    span = char_span(ctx.doc, d.q.start, d.q.end)
    if span is not None and share_lead(span.start, d.sentence.start, ctx.doc, ctx.catalog):
        d.scope, d.marked, d.place = "subset", True, "share"
        return None
    other = counterpart(d)
    if other is not None:
        equal = other == d.q.value
        d.scope, d.marked, d.place = ("per_side", True, None) if equal else (ONE_SIDE, True, ONE_SIDE)
        return None
    side, parties = side_of(d.reading.counted, d.reading.governor, d.tokens, ctx.place_id)
    if side == "many":
        d.scope, d.marked = "total", True
    elif side == "one":
        d.scope, d.marked, d.place = ONE_SIDE, True, ONE_SIDE
        return parties
    return None


def reconcile_headline_totals(drafts: list[Draft], on_headline: Callable[[Draft], bool]) -> None:
    """The headline sums up the body: its unmarked per-side figure that is twice a per-side or one
    side's figure of the body is the total ("Two Armies Swap 180 Prisoners" over "the
    return of 90 soldiers of one army"), as ``reconcile_totals`` reads one sentence."""
    heads = [d for d in drafts if d.attr.total_attribute and not d.marked and d.scope == "per_side" and on_headline(d)]
    body = [d for d in drafts if d.attr.total_attribute and d.scope in {"per_side", "one_side"} and not on_headline(d)]
    for d in heads:
        if any(b.attr is d.attr and b.q.value and abs(d.q.value - 2 * b.q.value) < 1e-6 for b in body):
            d.scope, d.marked = "total", True


def reconcile_totals(drafts: list[Draft]) -> None:
    """Within a sentence, an unmarked figure that is twice a per-side figure of the same attribute
    is the total ("1,000 soldiers, 500 from each side"); two different unmarked figures released by
    two different parties are one side's share each of an asymmetric deal, not a per-side count
    ("the Houthis will release 181 people, while the government will free 706")."""
    for name in {d.attr.name for d in drafts}:  # the bodies handed over with a swap are not its sides
        unmarked = [d for d in drafts if d.attr.name == name and d.attr.total_attribute and (
            (not d.marked and d.scope == "per_side") or d.scope == "one_side")]
        values = {d.q.value for d in unmarked}
        if len(unmarked) >= 2 and len(values) >= 2:
            low, high = min(values), max(values)
            if abs(high - 2 * low) > 1e-6:
                for d in unmarked:
                    d.scope, d.marked, d.place = "one_side", True, "one_side"
    for d in drafts:
        if d.marked or d.scope != "per_side" or not d.attr.total_attribute:
            continue
        for other in drafts:
            if other is d or other.attr is not d.attr or not other.marked or other.scope != "per_side":
                continue
            if other.q.value_low and d.q.value_low and abs(d.q.value_low - 2 * other.q.value_low) < 1e-6:
                d.scope, d.marked = "total", True


def reconcile_sides(drafts: list[Draft], one_side: list[tuple[Draft, frozenset[str]]]) -> None:
    """One side's count is the per-side count when the article gives the same figure for another
    party or per side ("90 soldiers of one army in return for 90 of the other"); the same party's
    figure repeated says nothing of the other side."""
    parties = {id(d): p for d, p in one_side}
    for d, mine in one_side:
        for o in drafts:
            if o is d or o.attr is not d.attr or (o.q.value, o.q.value_to) != (d.q.value, d.q.value_to):
                continue
            marked_per_side = o.marked and o.scope == "per_side"
            other_party = o.scope == ONE_SIDE and id(o) in parties and not parties[id(o)] & mine
            if marked_per_side or other_party:
                d.scope, d.place = "per_side", None
                break


def total_of_uneven_sides(drafts: list[Draft], one_side: list[tuple[Draft, frozenset[str]]],
                          tolerance: float = 0.1) -> None:
    """An unmarked count of a swap that two other, different counts of the article add up to is the
    whole swap's ("traded almost 200 prisoners ... 116 Ukrainians returned ... Russia received 63"),
    and those two are each one side's: a swap of 116 for 63 has no per-side count. ``tolerance``
    widens the count's interval, as its hedge is only roughly known ("almost 200" against 179).
    ``one_side``: the parties of the one-side counts (two counts of one party are its parts)."""
    parties = {id(d): p for d, p in one_side}

    def of_two_parties(a: Draft, b: Draft) -> bool:
        # ``a`` was read as one party's already, and ``b`` is not the same party's
        return a is not b and a.q.value != b.q.value and not (parties.get(id(a), set()) & parties.get(id(b), set()))

    counts = [d for d in drafts if applies_to(d) and d.q.value_to is None]
    for whole in counts:
        if whole.marked or whole.scope != "per_side":
            continue
        low, high = whole.q.value_low, whole.q.value_high
        if low is None or high is None:
            continue
        sides = [d for d in counts if d is not whole and d.scope in ("per_side", ONE_SIDE)
                 and not (d.marked and d.scope == "per_side") and d.q.value != whole.q.value]
        pair = next(((a, b) for a in sides if a.scope == ONE_SIDE for b in sides if of_two_parties(a, b)
                     and low * (1 - tolerance) <= a.q.value + b.q.value <= high * (1 + tolerance)), None)
        if pair is None:
            continue
        whole.scope, whole.marked = "total", True
        for side in pair:
            side.scope, side.marked, side.place = ONE_SIDE, True, ONE_SIDE
