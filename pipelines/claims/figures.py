"""One figure at a time: its interval in the attribute's unit, its scope (per side, total, part,
projection, running total) and the sentence-level reconciliations between figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from pipelines.claims import scope as scopes
from pipelines.claims.attributes import (
    VERB_POS,
    Reading,
    counted_noun,
    figure_verb_of,
    said_of,
    span_root,
)
from pipelines.claims.casing import HEADLINE, in_headline
from pipelines.claims.catalog import MINUTES_PER_UNIT, Attribute, Catalog
from pipelines.claims.context import ArticleContext
from pipelines.claims.quantities import Quantity
from pipelines.claims.spans import char_span, previous_sentences, sentence_of, text_of
from pipelines.claims.timeframes import count_is_rate
from pipelines.models import Claim

# "All but one of the 242 people", "all but two of its 150 passengers": the complement of a share.
ALL_BUT_RE = re.compile(r"\ball\s+but\s+(?P<share>one|\S+)\s+of\s+(?:the\s+|its\s+|their\s+|those\s+)?$", re.I)


def complements(quantities: list[Quantity], text: str) -> list[Quantity]:
    """"All but one of the 242 people on board were killed" states 241: the figure is read where
    the share stands ("one ... of the 242 people", its counted noun), with the value of the rest."""
    out: list[Quantity] = []
    skip: set[int] = set()
    for k, q in enumerate(quantities):
        m = ALL_BUT_RE.search(text, max(0, q.start - 40), q.start)
        if m is None or q.dimension != "count" or q.hedge != "exact" or q.value_to is not None:
            continue
        share = next((p for p in quantities[:k] if p.start == m.start("share") and p.end == m.end("share")), None)
        value = 1.0 if m["share"].lower() == "one" else share.value if share is not None and share.hedge == "exact" else None
        if value is None or value >= q.value:
            continue
        rest = q.value - value
        out.append(replace(q, start=m.start("share"), end=m.end("share"), text=m["share"], num_start=m.start("share"),
                           num_end=m.end("share"), value=rest, value_low=rest, value_high=rest))
        skip |= {k} | ({quantities.index(share)} if share is not None else set())
    kept = [q for k, q in enumerate(quantities) if k not in skip] + out
    return sorted(kept, key=lambda q: q.start)


def interval_in_unit(q: Quantity, attr: Attribute) -> tuple[float | None, float | None]:
    low, high = q.value_low, q.value_high
    if attr.dimension == "duration":
        per = MINUTES_PER_UNIT[attr.unit]
        low = None if low is None else round(low / per, 3)
        high = None if high is None else round(high / per, 3)
    return low, high


def final_attribute(attr: Attribute, scope: str, local: list[Token], place: str | None, story: str | None,
                    phrase: list[Token] | None = None) -> str:
    if scope == "total":
        return attr.total_attribute or attr.name
    if scope == "running_total":
        return attr.running_attribute or f"{attr.name}.running_total"
    if scope == "projection":
        return f"{attr.name}.projection"
    if scope in {"subset", "one_side"}:
        return f"{attr.name}.{place or scope}"
    if story not in attr.variant_stories:
        return attr.name
    # the figure's own phrase first: in "killing six passengers on board and one person on the
    # ground", the verb's "on board" is not said of the one on the ground
    for tokens in (phrase or [], local):
        words = {(t.lemma_ or t.text).lower() for t in tokens} | {t.lower_ for t in tokens}
        named = attr.variants_named(words)
        if named:
            return named[0]
    return attr.name


def figure_phrase(anchor: Token, counted: Token | None) -> list[Token]:
    """The figure's own noun phrase: the number and its counted noun with what hangs from them, less
    the other conjuncts ("six passengers" in "six passengers and one person on the ground")."""
    keep = {t.i: t for t in anchor.subtree}
    if counted is not None:
        keep.update((t.i, t) for t in counted.subtree)
    mine = {anchor.i} | ({counted.i} if counted is not None else set())
    for tok in list(keep.values()):
        if tok.dep_ == "conj" and tok.i not in mine and not mine & {t.i for t in tok.subtree}:
            for t in tok.subtree:
                keep.pop(t.i, None)
    return [keep[i] for i in sorted(keep)]


@dataclass
class Draft:
    q: Quantity
    anchor: Token
    reading: Reading
    attr: Attribute
    scope: str
    marked: bool
    tokens: list[Token]
    sentence: Span
    place: str | None = None
    local: list[Token] = field(default_factory=list)
    place_named: bool = False  # a place of its own was named but read as the whole (a confidence reason)
    area: tuple[str, str] | None = None  # the one area it is said of: key and place (areas.place_text)


def local_tokens(anchor: Token, reading: Reading) -> list[Token]:
    """Words attached to the figure itself: its counted noun with its modifiers and phrases, the
    partitive base ("241 of the 242 people on board"), and the governing verb's own prepositional
    phrases ("killed on the ground") but not its subordinate clauses."""
    keep: dict[int, Token] = {t.i: t for t in anchor.subtree}
    noun = reading.counted
    if noun is not None:
        for t in noun.subtree:
            keep.setdefault(t.i, t)
        if noun.dep_ == "pobj" and noun.head.head.i != noun.head.i:
            for t in noun.head.head.subtree:  # "the bodies of 3,000": the holder's phrase
                if t.i not in keep and t.dep_ not in {"relcl", "acl"}:
                    keep[t.i] = t
    for tok in [anchor, *list(anchor.ancestors)[:5]]:
        if tok.pos_ in VERB_POS:
            for child in tok.children:
                if child.dep_ in {"prep", "advmod", "npadvmod", "agent"}:
                    for t in child.subtree:
                        keep.setdefault(t.i, t)
            break
    return [keep[i] for i in sorted(keep)]


def own_words(local: list[Token]) -> list[Token]:
    """The figure's words less the clauses hanging from them: in "255 injured persons, of which 40
    remain in hospital" the remaining are the clause's own figure."""
    clauses = {t.i for c in local if c.dep_ in {"relcl", "advcl", "ccomp", "conj"} for t in c.subtree}
    return [t for t in local if t.i not in clauses]


def scope_of(q: Quantity, attr: Attribute, anchor: Token, tokens: list[Token], local: list[Token],
           ctx: ArticleContext) -> tuple[str, bool, str | None]:
    """(scope, whether a marker decided it, subset place)."""
    if scopes.projection_marker(tokens, anchor, ctx.catalog):
        return "projection", True, None
    if attr.kind == "cumulative":
        if scopes.says_alone(local):
            return "subset", True, scopes.place_of(local, ctx.main_places, ctx.place_id) or "share"
        # "40 are still in hospital", "66 victims remained in hospital": the figure's verb names it too
        verb = figure_verb_of(anchor, anchor.head if anchor.dep_ == "nummod" else None)
        part = scopes.part_named([*own_words(local), *([verb] if verb is not None else [])], attr.parts)
        if part is not None:
            return "subset", True, part
        span = char_span(ctx.doc, q.start, q.end)
        if span is not None and scopes.share_lead(span.start, sentence_of(anchor).start,
                                                  ctx.doc, ctx.catalog):
            return "subset", True, "share"
        # a place of its own is only a candidate part; reconcile_places decides against the
        # article's other figures
        return attr.scope_default, False, scopes.place_of(local, ctx.main_places, ctx.place_id)
    if attr.dimension == "count":
        if count_is_rate(anchor):
            return "subset", True, "daily"  # "about 12 hostages each day": one day's batch
        if q.paired or scopes.per_side(tokens, ctx.catalog, anchor):
            return "per_side", True, None
        running = scopes.running(local, ctx.catalog)
        if running == "since":
            # "a total of 69 since Friday": a tally since a day, however it is worded
            return "running_total", True, None
        if scopes.total(tokens, ctx.catalog) and attr.total_attribute:
            return "total", True, None
        if running:
            # "brought home more than 1,600 prisoners since May": a tally over several swaps
            return "running_total", True, None
    return attr.scope_default, False, None


def _width(c: Claim) -> float:
    if c.value_low is None or c.value_high is None:
        return float("inf")
    return c.value_high - c.value_low


def consolidate(claims: list[Claim]) -> list[Claim]:
    """One article repeating a figure (headline, lead, quote) states it once: among overlapping
    intervals for the same attribute and occasion keep the narrowest, first-mentioned one."""
    kept: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (_width(c), c.quote_start)):
        if any(
            k.attribute == claim.attribute and k.hint == claim.hint and k.as_of == claim.as_of and same_figure(k, claim)
            for k in kept
        ):
            continue
        kept.append(claim)
    return sorted(kept, key=lambda c: c.quote_start)


def representative(c: Claim) -> float:
    finite = [v for v in (c.value_low, c.value_high) if v is not None]
    return sum(finite) / len(finite) if finite else 0.0


def contains(c: Claim, value: float) -> bool:
    return (c.value_low is None or c.value_low <= value) and (c.value_high is None or value <= c.value_high)


def same_figure(a: Claim, b: Claim) -> bool:
    """Two mentions of one figure ("1,000 each" and "1,000-for-1,000", "at least 1,200" and
    "1,200"), not two figures that merely overlap ("more than 1,000" then "1,175")."""
    return contains(a, representative(b)) and contains(b, representative(a))


def overlaps(a: Claim, b: Claim) -> bool:
    lo_a = -float("inf") if a.value_low is None else a.value_low
    hi_a = float("inf") if a.value_high is None else a.value_high
    lo_b = -float("inf") if b.value_low is None else b.value_low
    hi_b = float("inf") if b.value_high is None else b.value_high
    return lo_a <= hi_b and lo_b <= hi_a


# Habitual or generic statements are not a report of one occurrence.
GENERIC_WORDS = {"usually", "typically", "normally", "generally", "often", "historically", "traditionally", "routinely"}


# Verbs with which "over" is a particle, not a hedge: "hand over 1,000 prisoners".
OVER_PARTICLE_VERBS = {"hand", "turn", "give", "pass", "sign", "send", "take", "fly", "bring", "ship"}


RISE_VERBS = {"rise", "climb", "go", "pass", "surge", "jump", "push", "soar", "move", "creep", "edge"}


RISE_HEDGES = {"past", "beyond", "above"}


def fix_verb_hedges(q: Quantity, doc: Doc) -> Quantity:
    """Fix hedges that only the parse can see: "over" as a verb particle ("hand over 1,000
    prisoners") is no hedge; "rose past 100" is more than 100."""
    span = char_span(doc, q.start, q.end)
    if q.hedge == "exact" and span is not None and span.start >= 2:
        prep, verb = doc[span.start - 1], doc[span.start - 2]
        if prep.lower_ in RISE_HEDGES and (verb.lemma_ or "").lower() in RISE_VERBS and q.value_to is None:
            return replace(q, value_low=q.value + 1, value_high=None, hedge="more than", hedge_text=prep.text)
    if (q.hedge_text or "").lower() != "over":
        return q
    before = char_span(doc, q.start, q.start + 4)
    if before is None or before.start == 0:
        return q
    verb = doc[before.start - 1]
    if (verb.lemma_ or verb.text).lower() not in OVER_PARTICLE_VERBS:
        return q
    return replace(q, value_low=q.value, value_high=q.value_to if q.value_to is not None else q.value,
                   hedge="exact", hedge_text=None)


AGE_BEFORE = {"aged", "age", "ages", "ageing", "aging"}
AGE_AT_DEATH = {"die", "dead", "pass"}


AGE_AFTER_RE = re.compile(r"^\s*(?:-|\u2010|\u2011)?\s*years?(?:-|\s)old", re.I)


def is_age(q: Quantity, doc: Doc) -> bool:
    """"aged between 18 and 25", "25 years old", "dies at 92", and a name's apposition "said Olena,
    51, whose"."""
    span = char_span(doc, q.start, q.end)
    if span is None:
        return False
    before = [t.lower_ for t in doc[max(span.start - 2, 0):span.start]]
    if AGE_BEFORE & set(before) or AGE_AFTER_RE.match(text_of(doc)[q.end:q.end + 12]):
        return True
    if span.start >= 2 and span.end < len(doc) and doc[span.start - 1].text == "," and doc[span.end].text == ",":
        return doc[span.start - 2].pos_ == "PROPN" or doc[span.start - 2].ent_type_ == "PERSON"
    # "all prisoners under 25", "those over 60": a small bare number bounding a group of people
    nxt = doc[span.end] if span.end < len(doc) else None
    # "Broadcaster Dies At 92", "dead at 87": the age at death, an obituary's headline
    if span.start >= 2 and doc[span.start - 1].lower_ == "at" and q.value < 120 and (
            (doc[span.start - 2].lemma_ or "").lower() in AGE_AT_DEATH) and (nxt is None or nxt.pos_ not in {"NOUN", "PROPN"}):
        return True
    if (q.hedge_text or "").lower() in {"under", "over", "above", "below"} and q.value < 120 and span.start >= 1 and (
        doc[span.start - 1].pos_ in {"NOUN", "PRON"} and (nxt is None or nxt.pos_ not in {"NOUN", "PROPN"})
    ):
        return True
    return False


SCALE_WORDS = {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "score", "scores"}


def count_root(doc: Doc, q: Quantity) -> Token | None:
    """The token a count hangs from: "two dozen" hangs from "dozen", "1,000" from itself."""
    number = span_root(doc, q.num_start, q.num_end)
    whole = span_root(doc, q.start, q.end)
    if whole is not None and whole.lower_ in SCALE_WORDS:
        return whole
    return number


def is_heading(text: str, at: int) -> bool:
    """A subheading inside the body ("Prisoner Swap Reached: 1,000 Soldiers to Return Home"): a
    short line with no closing punctuation, mostly capitalised. Headlines summarise; the body
    states the figure with its qualifiers. The page's own headline is none: it is parsed in sentence
    case (``casing``) and its figures read, doubted a little (confidence ``position.headline``)."""
    if in_headline(text, at):
        return False
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start:line_end if line_end >= 0 else None].strip()
    if not line or len(line) > 120 or line[-1] in ".!?\"'”’":
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


VAGUE_COUNTS = {"dozens", "hundreds", "thousands", "millions", "scores"}


def vague_on_headline(text: str, q: Quantity) -> bool:
    """A bare "Hundreds", "Dozens" or "Thousands" on the page's headline ("Hundreds Still Missing in
    Ferry Sinking"): the headline sums up what its body counts, it gives no figure of its own."""
    return text[q.num_start:q.num_end].lower() in VAGUE_COUNTS and in_headline(text, q.start)


def restated_headlines(claims: list[Claim]) -> list[Claim]:
    """A headline figure that the body states again ("Collision Kills 71" over "killing at least 71
    people") is one figure, whatever occasion or day each mention's own words give it (the headline
    has none of its own): as ``consolidate`` does, the narrowest, first-mentioned one is kept."""
    body = [c for c in claims if HEADLINE not in c.confidence_reasons]
    dropped: set[str] = set()
    for h in (c for c in claims if HEADLINE in c.confidence_reasons):
        same = [b for b in body if b.attribute == h.attribute and same_figure(b, h)]
        if any(_width(b) < _width(h) for b in same):
            dropped.add(h.claim_id)
        elif same:
            dropped.update(b.claim_id for b in same)
    return [c for c in claims if c.claim_id not in dropped]


def plausible(attr: Attribute, low: float | None, high: float | None) -> bool:
    if attr.plausible is None:
        return True
    lo, hi = attr.plausible
    finite = [v for v in (low, high) if v is not None]
    return all(lo <= v <= hi for v in finite)


def reconcile_places(drafts: list[Draft]) -> None:
    """A figure given for one place is that place's share only if the article also gives a larger
    figure for the whole ("in Mandalay, 200 bodies" next to "the toll rose to 1,644"); alone, it is
    the article's figure for the occurrence ("78 people died in Kerr County")."""
    def value(d: Draft) -> float:
        return d.q.value_to if d.q.value_to is not None else d.q.value

    for d in drafts:
        if d.scope != d.attr.scope_default or d.place is None or d.marked:
            continue
        larger = any(
            o is not d and o.attr.name == d.attr.name and (o.place is None or o.place != d.place)
            and o.scope == o.attr.scope_default and value(o) > value(d)
            for o in drafts
        )
        if larger:
            d.scope, d.marked = "subset", True
        else:
            d.place, d.place_named = None, True


def apposed_reading(q: Quantity, root: Token, drafts: list[Draft], doc: Doc) -> Reading | None:
    """A bare figure set right after another one says the same thing in other terms: "2,400
    prisoners of war, 1,200 from each side", "1,000 soldiers—500 from each country"."""
    if not drafts or drafts[-1].q.dimension != "count":
        return None
    if counted_noun(root).noun is not None:
        return None  # "..., one worker said": a figure with a noun of its own restates nothing
    previous = drafts[-1]
    end = max(previous.anchor.i, previous.reading.counted.i if previous.reading.counted is not None else -1)
    span = char_span(doc, q.start, q.end)
    if span is None:
        return None
    between = [t for t in doc[end + 1:span.start] if not t.is_punct]
    # only the counted noun's own modifiers ("of war") may stand between the two figures
    if any(t.i not in {x.i for x in (previous.reading.counted.subtree if previous.reading.counted is not None else [])}
           for t in between) or not any(t.is_punct for t in doc[end + 1:span.start]):
        return None
    if previous.attr.exclude & said_of(root, None):
        return None  # "179 dead, two rescued"
    return Reading(previous.reading.attribute, previous.reading.score / 2, previous.reading.counted,
                   previous.reading.governor, basis="apposed")


# A running count named without saying what it counts: "the count had stood at 124", "put the final
# figure at 260", "It had stood at 441".
POINTING_WORDS = {"it", "that", "this"}
GENERIC_MEASURES = {"count", "figure", "tally", "number", "total", "toll", *POINTING_WORDS}
TALLY_VERBS = {"stand", "rise", "climb", "reach", "fall", "increase", "put", "hit", "top", "jump", "grow",
               "drop", "pass", "exceed", "surge", "double", "revise", "lower", "raise"}


def referred_reading(root: Token, earlier: list[Draft]) -> Reading | None:
    """The attribute of the figure just before, when this one is a tally verb's figure whose
    subject (or object) is a generic measure or a pronoun pointing back to it. Only running counts
    are carried over, and only from this or the previous two sentences of the same paragraph."""
    verb = next((t for t in [root, *root.ancestors] if t.pos_ in VERB_POS), None)
    # "the figure was 275": a measure noun (not a pronoun: "it was one of the worst") is the figure
    copula = verb is not None and (verb.lemma_ or "").lower() == "be" and root.dep_ == "attr"
    if verb is None or ((verb.lemma_ or "").lower() not in TALLY_VERBS and not copula):
        return None
    measures = GENERIC_MEASURES - POINTING_WORDS if copula else GENERIC_MEASURES
    generic = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}
               and {c.lower_, c.lemma_.lower()} & measures]
    # "the number of buses" says what it counts: nothing to carry over
    if not generic or any(p.dep_ == "prep" and p.lower_ == "of" for g in generic for p in g.children):
        return None
    here = sentence_of(root)
    drafted = {d.anchor.i for d in earlier}
    if any(t.like_num and t.ent_type_ not in {"DATE", "TIME"} and t.i not in drafted for t in here[:root.i - here.start]):
        # "368 people had been rescued, but this was revised down to 164": it points to the figure
        # of its own sentence that counts something else, not to an earlier count
        return None
    near = {here.start} | {s.start for s in previous_sentences(here, 2)}
    last = next((d for d in reversed(earlier) if d.attr.dimension == "count"), None)
    if last is None or last.attr.kind != "cumulative" or last.sentence.start not in near:
        return None
    if text_of(root.doc).find("\n", last.sentence.end_char, here.start_char) >= 0:
        return None  # a new paragraph starts a new subject
    return Reading(last.reading.attribute, 0.5, None, verb, basis="referred")


def fold_variants(claims: list[Claim], catalog: Catalog) -> list[Claim]:
    """Keep a where-split (onboard / ground) only when the article actually splits the toll; an
    article that only says "179 of the 181 on board died" is giving the whole toll, and so is one
    whose only onboard figure is the whole figure it gives elsewhere ("Ministry: 179 dead"). The dead
    on the ground alone are still only theirs ("one person in a car was also killed"), and so is a
    count said to cover one side only (scope subset: "their final toll for those on the aircraft")."""
    out = list(claims)
    for attr in catalog.attributes.values():
        names = {name for name, _ in attr.variants}
        if not names:
            continue
        used = {c.attribute for c in claims if c.attribute in names}
        whole = [c for c in claims if c.attribute == attr.name]
        if len(used) != 1:
            continue
        out = [replace(c, attribute=attr.name)
               if c.attribute in attr.variants_whole_alone and c.scope != "subset"
               and (not whole or any(same_figure(c, w) for w in whole))
               else c
               for c in out]
    return out
