"""Article text -> claims: one figure, one attribute, one interval, with scope, date hints and source.

Pure: no database, no network. The pipeline stores what this returns; the eval command scores it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from spacy.tokens import Doc, Span, Token

from pipelines.claims import scope as scopes
from pipelines.claims.attributes import (
    Reading,
    clause_tokens,
    read_count,
    read_duration,
    span_root,
    unit_token,
)
from pipelines.claims.catalog import MINUTES_PER_UNIT, Attribute, Catalog
from pipelines.claims.dates import ResolvedDate, dateline, resolve
from pipelines.claims.entities import Entity, Resolver, default_resolver, fold
from pipelines.claims.nlp import get_nlp
from pipelines.claims.quantities import Quantity, find_quantities
from pipelines.claims.stories import classify_story
from pipelines.ids import stable_id
from pipelines.models import ArticleInput, Claim, EventHint

SPEECH_VERBS = {
    "say", "tell", "announce", "confirm", "report", "state", "add", "write", "post", "note",
    "claim", "declare", "estimate", "insist", "explain", "warn", "acknowledge", "disclose",
}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
SOURCE_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
RECALL_RE = re.compile(
    r"\b(last|previous|earlier|prior|preceding|past)\s+(month|week|year|rounds?|meetings?|sessions?|talks|"
    r"negotiations|encounters?|summits?|exchanges?|swaps?|deals?|agreements?|truces?|ceasefires?)\b"
    r"|\blast (month|week|year)'s\b|\b(earlier|previous) (this|that) (month|year)\b",
    re.I,
)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7}
ROUND_RE = re.compile(r"\b(" + "|".join(ORDINALS) + r")\s+(?:round|meeting|session|sitting)\b", re.I)
LEAD_SENTENCES = 5
# A lead date further back than this is background ("since 2022"), not the occurrence.
LEAD_DATE_MAX_AGE_DAYS = 14


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    names = Locale("en").territories.values()
    keys = {fold(re.sub(r"\s*\(.*\)", "", n)) for n in names}
    keys |= {"burma", "turkey", "turkiye", "russia", "ukraine", "us", "usa", "uk"}
    return frozenset(keys)


@dataclass
class ArticleContext:
    article: ArticleInput
    doc: Doc
    story: str | None
    published: date | None
    occurrence: ResolvedDate | None
    main_places: set[str]
    place_id: dict[int, str]
    resolver: Resolver
    catalog: Catalog


def _published_date(value: datetime | None) -> date | None:
    return value.date() if value else None


def _places(doc: Doc, title_doc: Doc | None, resolver: Resolver) -> tuple[dict[int, str], set[str]]:
    place_id: dict[int, str] = {}
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            entity = resolver.resolve(ent.text, "place")
            if entity:
                for tok in ent:
                    place_id[tok.i] = entity.entity_id
                counts[entity.entity_id] += 1
    if title_doc is not None:
        for ent in title_doc.ents:
            if ent.label_ in PLACE_LABELS and (entity := resolver.resolve(ent.text, "place")):
                counts[entity.entity_id] += 3
    countries = [pid for pid, _ in counts.most_common() if pid.replace("-", " ") in country_keys()]
    main: set[str] = set()
    if countries:
        main.add(countries[0])
    elif counts:
        main.add(counts.most_common(1)[0][0])
    return place_id, main


def _occurrence(doc: Doc, published: datetime | None) -> ResolvedDate | None:
    """The day the story's occurrence happened: a dateline, else the first recent date in the lead,
    else the publication day."""
    base = _published_date(published)
    line = dateline(doc.text, published)
    if line and line.precision == "day":
        return line
    for n, sent in enumerate(doc.sents):
        if n >= LEAD_SENTENCES:
            break
        if RECALL_RE.search(sent.text):
            continue
        for ent in sent.ents:
            if ent.label_ not in {"DATE", "TIME"}:
                continue
            found = resolve(ent.text, published)
            if found is None or found.precision != "day":
                continue
            if base is None or 0 <= (base - found.day).days <= LEAD_DATE_MAX_AGE_DAYS:
                return found
    return ResolvedDate(base, "day") if base else None


def build_context(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None) -> ArticleContext:
    nlp = get_nlp()
    resolver = resolver or default_resolver()
    doc = nlp(article.text)
    title_doc = nlp(article.title) if article.title else None
    story = classify_story(doc, article.title, catalog, title_doc)
    place_id, main = _places(doc, title_doc, resolver)
    return ArticleContext(
        article=article,
        doc=doc,
        story=story,
        published=_published_date(article.published),
        occurrence=_occurrence(doc, article.published),
        main_places=main,
        place_id=place_id,
        resolver=resolver,
        catalog=catalog,
    )


def allowed_attributes(ctx: ArticleContext) -> list[Attribute]:
    attrs = ctx.catalog.extractable()
    if ctx.story is None:
        return attrs
    return [a for a in attrs if ctx.story in a.stories or a.any_story]


def source_of(anchor: Token, sentence: Span, ctx: ArticleContext) -> str | None:
    """Who the sentence quotes for this figure: the subject of a speech verb above it, or the
    object of "according to"."""
    candidates: list[Token] = []
    for tok in [anchor, *anchor.ancestors]:
        if (tok.lemma_ or "").lower() in SPEECH_VERBS:
            candidates += [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
    for tok in sentence:
        if tok.lower_ == "according" and tok.nbor(1).lower_ == "to" if tok.i + 1 < len(ctx.doc) else False:
            candidates += [c for c in tok.nbor(1).children if c.dep_ == "pobj"]
    for cand in candidates:
        for ent in sentence.ents:
            if ent.label_ in SOURCE_LABELS and ent.start <= cand.i < ent.end:
                kind = "person" if ent.label_ == "PERSON" else "place" if ent.label_ == "GPE" else "org"
                entity = ctx.resolver.resolve(ent.text, kind)
                return entity.entity_id if entity else None
        if cand.pos_ in {"NOUN", "PROPN"}:
            words = [t.text for t in cand.subtree if t.dep_ in {"compound", "amod"} or t.i == cand.i]
            return fold(" ".join(words)).replace(" ", "-") or None
    return None


def dates_governing(anchor: Token, sentence: Span, labels: frozenset[str] = frozenset({"DATE"})) -> list[Span]:
    """Date expressions that attach to the figure or to a word above it ("On Wednesday, the sides
    agreed that each would release 1,200"), not to a side remark ("an idea floated in March")."""
    above = {anchor.i} | {a.i for a in anchor.ancestors}
    found = []
    for ent in sentence.ents:
        if ent.label_ not in labels:
            continue
        governor = ent.root.head
        if ent.root.dep_ == "pobj" and governor.dep_ == "prep":
            governor = governor.head
        if governor.i in above or any(t.i in above for t in ent):
            found.append(ent)
    return found


def _hint(sentence: Span, attr: Attribute, ctx: ArticleContext, tokens: list[Token], anchor: Token) -> EventHint:
    story = ctx.story if ctx.story in attr.stories else attr.stories[0]
    window = ctx.catalog.stories[story].window_days
    occurrence = ctx.occurrence.day if ctx.occurrence else None
    recalled = False
    when = occurrence
    for ent in dates_governing(anchor, sentence):
        found = resolve(ent.text, ctx.article.published)
        if found is None or occurrence is None:
            continue
        if found.precision == "day" and abs((found.day - occurrence).days) > window:
            # another day than the article's own occurrence: earlier is a recall, and a report
            # dated after its occurrence ("on Wednesday" in Friday's paper) names the real day
            recalled, when = found.day < occurrence, found.day
        elif found.precision == "month" and (found.day.year, found.day.month) < (occurrence.year, occurrence.month):
            recalled, when = True, found.day
    if RECALL_RE.search(" ".join(t.text for t in tokens)):
        recalled = True
        if when == occurrence:
            when = None
    rounds = ROUND_RE.search(sentence.text)
    location = next(iter(sorted(ctx.main_places)), None)
    return EventHint(
        story_type=story,
        occurrence_date=when,
        location=location,
        round_ordinal=ORDINALS[rounds.group(1).lower()] if rounds else None,
        recalled=recalled,
        reference_date=occurrence,
    )


def _as_of(attr: Attribute, hint: EventHint, sentence: Span, anchor: Token, ctx: ArticleContext) -> date | None:
    if attr.kind == "fixed":
        return hint.occurrence_date
    for ent in dates_governing(anchor, sentence, frozenset({"DATE", "TIME"})):
        found = resolve(ent.text, ctx.article.published)
        if found and found.precision == "day" and (hint.occurrence_date is None or found.day >= hint.occurrence_date):
            if ctx.published is None or found.day <= ctx.published:
                return found.day
    return ctx.published or hint.occurrence_date


def _interval(q: Quantity, attr: Attribute) -> tuple[float | None, float | None]:
    low, high = q.value_low, q.value_high
    if attr.dimension == "duration":
        per = MINUTES_PER_UNIT[attr.unit]
        low = None if low is None else round(low / per, 3)
        high = None if high is None else round(high / per, 3)
    return low, high


def _final_attribute(attr: Attribute, scope: str, tokens: list[Token], place: str | None, story: str | None) -> str:
    if scope == "total":
        return attr.total_attribute or attr.name
    if scope == "running_total":
        return attr.running_attribute or f"{attr.name}.running_total"
    if scope == "projection":
        return f"{attr.name}.projection"
    if scope == "subset":
        return f"{attr.name}.{place or 'subset'}"
    if story not in attr.variant_stories:
        return attr.name
    words = {(t.lemma_ or t.text).lower() for t in tokens} | {t.lower_ for t in tokens}
    for variant, cues in attr.variants:
        if words & cues:
            return variant
    return attr.name


@dataclass
class _Draft:
    q: Quantity
    anchor: Token
    reading: Reading
    attr: Attribute
    scope: str
    marked: bool
    tokens: list[Token]
    sentence: Span
    place: str | None = None


def _scope(q: Quantity, attr: Attribute, anchor: Token, tokens: list[Token], ctx: ArticleContext) -> tuple[str, bool, str | None]:
    """(scope, whether a marker decided it, subset place)."""
    if scopes.projection_marker(tokens, anchor, ctx.catalog):
        return "projection", True, None
    if attr.kind == "cumulative":
        place = scopes.subset_place(tokens, ctx.main_places, ctx.place_id)
        if place:
            return "subset", True, place
        return attr.scope_default, False, None
    if attr.dimension == "count":
        if q.paired or scopes.per_side(tokens, ctx.catalog):
            return "per_side", True, None
        if scopes.total(tokens, ctx.catalog) and attr.total_attribute:
            return "total", True, None
        if scopes.running(tokens, ctx.catalog) and attr.running_attribute:
            return "running_total", True, None
    return attr.scope_default, False, None


def _reconcile_totals(drafts: list[_Draft]) -> None:
    """Within a sentence, an unmarked figure that is twice a per-side figure of the same attribute
    is the total ("1,000 soldiers, 500 from each side")."""
    for d in drafts:
        if d.marked or d.scope != "per_side" or not d.attr.total_attribute:
            continue
        for other in drafts:
            if other is d or other.attr is not d.attr or not other.marked or other.scope != "per_side":
                continue
            if other.q.value_low and d.q.value_low and abs(d.q.value_low - 2 * other.q.value_low) < 1e-6:
                d.scope, d.marked = "total", True


def _consolidate(claims: list[Claim]) -> list[Claim]:
    """One article repeating a figure (headline, lead, quote) states it once: among overlapping
    intervals for the same attribute and occasion keep the narrowest, first-mentioned one."""
    def width(c: Claim) -> float:
        if c.value_low is None or c.value_high is None:
            return float("inf")
        return c.value_high - c.value_low

    kept: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (width(c), c.quote_start)):
        if any(
            k.attribute == claim.attribute and k.hint == claim.hint and _overlaps(k, claim)
            for k in kept
        ):
            continue
        kept.append(claim)
    return sorted(kept, key=lambda c: c.quote_start)


def _overlaps(a: Claim, b: Claim) -> bool:
    lo_a = -float("inf") if a.value_low is None else a.value_low
    hi_a = float("inf") if a.value_high is None else a.value_high
    lo_b = -float("inf") if b.value_low is None else b.value_low
    hi_b = float("inf") if b.value_high is None else b.value_high
    return lo_a <= hi_b and lo_b <= hi_a


# "in 2015, when 9,000 died", "the quake of 1988": not "since 2022", which dates the present one.
HISTORICAL_YEAR_RE = re.compile(r"\b(?:in|of)\s+(19\d\d|20\d\d)\b")
# Habitual or generic statements are not a report of one occurrence.
GENERIC_WORDS = {"usually", "typically", "normally", "generally", "often", "historically", "traditionally", "routinely"}
# Verbs with which "over" is a particle, not a hedge: "hand over 1,000 prisoners".
OVER_PARTICLE_VERBS = {"hand", "turn", "give", "pass", "sign", "send", "take", "fly", "bring", "ship"}


def _historical(tokens: list[Token], ctx: ArticleContext) -> bool:
    """A figure about another, older occurrence used for comparison ("in 2015, when 9,000 died",
    "Hurricane Gilbert in 1988, which killed 45")."""
    words = list(tokens)
    for tok in tokens:
        if tok.dep_ in {"relcl", "acl"}:
            for child in tok.head.children:
                if child.dep_ == "prep" and child.i != tok.i:
                    words += list(child.subtree)
    text = " ".join(t.text for t in sorted(set(words), key=lambda t: t.i))
    match = HISTORICAL_YEAR_RE.search(text)
    if not match:
        return False
    ref = ctx.occurrence.day.year if ctx.occurrence else (ctx.published.year if ctx.published else None)
    return ref is not None and int(match.group(1)) < ref


def _particle_over(q: Quantity, doc: Doc) -> Quantity:
    """Undo an "over" hedge that is really a verb particle ("hand over 1,000 prisoners")."""
    if (q.hedge_text or "").lower() != "over":
        return q
    before = doc.char_span(q.start, q.start + 4, alignment_mode="expand")
    if before is None or before.start == 0:
        return q
    verb = doc[before.start - 1]
    if (verb.lemma_ or verb.text).lower() not in OVER_PARTICLE_VERBS:
        return q
    return replace(q, value_low=q.value, value_high=q.value_to if q.value_to is not None else q.value,
                   hedge="exact", hedge_text=None)


def extract_from_context(ctx: ArticleContext) -> list[Claim]:
    doc = ctx.doc
    attrs = allowed_attributes(ctx)
    quantities = [q for q in find_quantities(doc.text) if not q.is_year and q.dimension in {"count", "duration"}]
    by_sentence: dict[int, list[tuple[Quantity, Token]]] = {}
    for q in quantities:
        root = span_root(doc, q.num_start, q.num_end) if q.dimension == "count" else unit_token(doc, q.start, q.end)
        if root is None:
            continue
        by_sentence.setdefault(root.sent.start, []).append((q, root))
    claims: list[Claim] = []
    for items in by_sentence.values():
        anchors = {root.i for _, root in items}
        drafts: list[_Draft] = []
        for q, root in items:
            sentence = root.sent
            reading = read_count(root, attrs) if q.dimension == "count" else read_duration(root, attrs)
            if reading is None:
                continue
            attr = ctx.catalog.attributes[reading.attribute]
            tokens = clause_tokens(root, sentence, anchors)
            if _historical(tokens, ctx) or any(t.lower_ in GENERIC_WORDS for t in tokens):
                continue
            q = _particle_over(q, doc)
            scope, marked, place = _scope(q, attr, root, tokens, ctx)
            if reading.partitive_of and scope == attr.scope_default:
                scope, marked, place = "subset", True, place or "share"
            drafts.append(_Draft(q, root, reading, attr, scope, marked, tokens, sentence, place))
        _reconcile_totals(drafts)
        for d in drafts:
            claims.append(_to_claim(d, ctx))
    return _consolidate(claims)


def _to_claim(d: _Draft, ctx: ArticleContext) -> Claim:
    attribute = _final_attribute(d.attr, d.scope, d.tokens, d.place, ctx.story)
    low, high = _interval(d.q, d.attr)
    hint = _hint(d.sentence, d.attr, ctx, d.tokens, d.anchor)
    sentence_text = d.sentence.text
    lead = len(sentence_text) - len(sentence_text.lstrip())
    start = d.sentence.start_char + lead
    quote = sentence_text.strip()
    return Claim(
        claim_id=stable_id(ctx.article.article_id, attribute, d.q.start, d.q.end),
        article_id=ctx.article.article_id,
        attribute=attribute,
        kind=d.attr.kind,
        unit=d.attr.unit,
        value_low=low,
        value_high=high,
        hedge=d.q.hedge,
        value_text=d.q.text,
        scope=d.scope,
        as_of=_as_of(d.attr, hint, d.sentence, d.anchor, ctx),
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
        sentence=quote,
        source_entity=source_of(d.anchor, d.sentence, ctx),
        hint=hint,
        published=ctx.article.published,
    )


@dataclass
class Extraction:
    claims: list[Claim]
    entities: list[tuple[Entity, int]]  # canonical entity and how often the article mentions it


ENTITY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}


def article_entities(ctx: ArticleContext) -> list[tuple[Entity, int]]:
    counts: Counter[str] = Counter()
    found: dict[str, Entity] = {}
    for ent in ctx.doc.ents:
        kind = ENTITY_KINDS.get(ent.label_)
        if kind is None:
            continue
        entity = ctx.resolver.resolve(ent.text, kind)
        if entity is None:
            continue
        found[entity.entity_id] = entity
        counts[entity.entity_id] += 1
    return [(found[eid], n) for eid, n in counts.most_common()]


def extract_article(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None) -> Extraction:
    """Claims and named entities of one article."""
    if not article.text.strip():
        return Extraction([], [])
    ctx = build_context(article, catalog, resolver)
    return Extraction(extract_from_context(ctx), article_entities(ctx))


def extract_claims(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None) -> list[Claim]:
    """All claims one article states, in text order."""
    return extract_article(article, catalog, resolver).claims


def with_event(claim: Claim, event_id: str, as_of: date | None) -> Claim:
    return replace(claim, event_id=event_id, as_of=as_of)
