"""Article text -> claims: one figure, one attribute, one interval, with scope, date hints and source.

Pure: no database, no network. The pipeline stores what this returns; the eval command scores it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Span, Token

from pipelines.claims.areas import settle_areas
from pipelines.claims.attributes import clause_tokens, counted_noun, read_count
from pipelines.claims.catalog import Catalog
from pipelines.claims.confidence import assess, on_headline
from pipelines.claims.conjuncts import conjunct_reading, other_side_variant
from pipelines.claims.context import (
    SPEECH_VERBS,
    ArticleContext,
    ArticleParse,
    allowed_attributes,
    build_context,
)
from pipelines.claims.durations import read_duration, unit_token
from pipelines.claims.entities import Entity, Resolver
from pipelines.claims.figures import (
    GENERIC_WORDS,
    Draft,
    apposed_reading,
    complements,
    consolidate,
    count_root,
    figure_phrase,
    final_attribute,
    fix_verb_hedges,
    fold_variants,
    interval_in_unit,
    is_age,
    is_heading,
    local_tokens,
    plausible,
    referred_reading,
    restated_headlines,
    scope_of,
    vague_on_headline,
)
from pipelines.claims.localities import settle_localities
from pipelines.claims.occasions import as_of_date, event_hint, rounds_within_day, shared_parts
from pipelines.claims.parts import settle_parts
from pipelines.claims.places import place_reading
from pipelines.claims.quantities import Quantity, find_quantities
from pipelines.claims.reference import history_attribute
from pipelines.claims.sessions import hint_session
from pipelines.claims.sides import (
    apply_side,
    reconcile_headline_totals,
    reconcile_sides,
    reconcile_totals,
    total_of_uneven_sides,
)
from pipelines.claims.spans import previous_sentences, sentence_ents, sentence_of, text_of
from pipelines.claims.timeframes import EXTENSION, extends_earlier, is_extension, not_a_length
from pipelines.ids import stable_id
from pipelines.models import ArticleInput, Claim, EventHint

SOURCE_LABELS = {"PERSON", "ORG", "NORP", "GPE"}


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
        for ent in sentence_ents(sentence):
            if ent.label_ in SOURCE_LABELS and ent.start <= cand.i < ent.end:
                kind = "person" if ent.label_ == "PERSON" else "place" if ent.label_ == "GPE" else "org"
                entity = ctx.resolver.resolve(ent.text, kind)
                return entity.entity_id if entity else None
        if cand.pos_ in {"NOUN", "PROPN"}:
            return described(cand)
    return None


# Words before a source's noun that still describe it ("a senior Turkish foreign ministry official");
# a longer left side is a clause of its own, and only the noun with its article is kept.
MAX_DESCRIPTION_TOKENS = 7


def described(noun: Token) -> str | None:
    """An unnamed source as the text calls it: the noun with what stands before it in its phrase
    ("a Turkish foreign ministry official", "officials"), never what follows ("familiar with the
    talks", "briefed on the outcome")."""
    left = [t for t in noun.doc[noun.left_edge.i:noun.i + 1] if not t.is_punct]
    if len(left) > MAX_DESCRIPTION_TOKENS or any(t.dep_ in {"relcl", "acl", "prep"} for t in left[:-1]):
        left = [t for t in noun.children if t.dep_ == "det" and t.i < noun.i] + [noun]
    text = "".join(t.text_with_ws for t in left).strip()
    return text or None


# Longer "sentences" are tables or lists of figures, not prose: the parse says nothing about them.
MAX_SENTENCE_TOKENS = 250


def extract_from_context(ctx: ArticleContext) -> list[Claim]:  # noqa: C901
    doc = ctx.doc
    attrs = allowed_attributes(ctx)
    quantities = complements([q for q in find_quantities(text_of(doc)) if not q.is_year
                              and q.dimension in {"count", "duration"}], text_of(doc))
    by_sentence: dict[int, list[tuple[Quantity, Token]]] = {}
    for q in quantities:
        if is_age(q, doc):
            continue
        root = count_root(doc, q) if q.dimension == "count" else unit_token(doc, q.start, q.end)
        if root is not None and q.dimension == "duration" and not_a_length(q, root, text_of(doc)):
            continue
        if root is None or is_heading(text_of(doc), q.start) or len(sentence_of(root)) > MAX_SENTENCE_TOKENS:
            continue
        if vague_on_headline(text_of(doc), q):
            continue
        by_sentence.setdefault(sentence_of(root).start, []).append((q, root))
    drafts_all: list[Draft] = []
    one_side: list[tuple[Draft, frozenset[str]]] = []
    for items in by_sentence.values():
        anchors = {root.i for _, root in items}
        # another figure's counted noun belongs to that figure: its "from each side" is not ours
        others = set(anchors)
        for q, root in items:
            noun = counted_noun(root).noun if q.dimension == "count" else None
            if noun is not None and noun.i not in anchors:
                others.add(noun.i)
        drafts: list[Draft] = []
        for q, root in items:
            sentence = sentence_of(root)
            reading = read_count(root, attrs) if q.dimension == "count" else read_duration(root, attrs)
            if reading is None and q.dimension == "count":
                reading = (apposed_reading(q, root, drafts, doc) or conjunct_reading(root, drafts)
                           or referred_reading(root, drafts_all + drafts))
            if reading is None:
                continue
            attr = ctx.catalog.attributes[reading.attribute]
            own = {root.i} | ({reading.counted.i} if reading.counted is not None else set())
            tokens = clause_tokens(root, sentence, others - own)
            if any(t.lower_ in GENERIC_WORDS for t in tokens):
                continue
            q = fix_verb_hedges(q, doc)
            low, high = interval_in_unit(q, attr)
            if not plausible(attr, low, high):
                continue
            # a conjunct's words are its own phrase only: the verb the parse hung it from is the sentence's
            # and its phrases ("crashed in the north of the city") say nothing of this figure
            local = figure_phrase(root, reading.counted) if reading.basis == "conjunct" else local_tokens(root, reading)
            scope, marked, place = scope_of(q, attr, root, tokens, local, ctx)
            if reading.partitive_of and scope == attr.scope_default:
                scope, marked, place = "subset", True, place or "share"
            draft = Draft(q, root, reading, attr, scope, marked, tokens, sentence, place, local)
            parties = apply_side(draft, ctx)
            if parties is not None:
                one_side.append((draft, parties))
            drafts.append(draft)
        reconcile_totals(drafts)
        drafts_all += drafts
    reconcile_sides(drafts_all, one_side)
    total_of_uneven_sides(drafts_all, one_side)
    reconcile_headline_totals(drafts_all, lambda d: on_headline(d, ctx))
    drafts_all = settle_parts(drafts_all, ctx)
    settle_localities(drafts_all, ctx)
    settle_areas(drafts_all, ctx)
    claims = [to_claim(d, ctx) for d in drafts_all]
    return restated_headlines(consolidate(shared_parts(rounds_within_day(fold_variants(claims, ctx.catalog)))))


def recent_text(sentence: Span) -> str:
    """The figure's sentence with the one before it, where a recalled occurrence is often named
    ("... since Cyclone Nargis struck in May 2008. That storm killed 84,000 people")."""
    return " ".join(s.text for s in [*previous_sentences(sentence, 1), sentence])


def occasion_part(d: Draft, hint: EventHint) -> EventHint:
    """The part of the occasion a figure is about: a part of one meeting, a truce's extension, or
    the earlier truce that is extended."""
    session = hint_session(d)
    if session is not None:
        hint = replace(hint, session=session)
    if d.attr.dimension == "duration" and is_extension(d.anchor, d.reading.governor):
        hint = replace(hint, session=EXTENSION)
    elif d.attr.dimension == "duration" and extends_earlier(d.reading.governor):
        # the earlier truce: an occurrence recalled, not the one the report is about
        same_day = hint.occurrence_date == hint.reference_date
        hint = replace(hint, recalled=True, occurrence_date=None if same_day else hint.occurrence_date)
    return hint


def to_claim(d: Draft, ctx: ArticleContext) -> Claim:
    hint = event_hint(d.sentence, d.attr, ctx, d.tokens, d.anchor, d.scope)
    hint = occasion_part(d, hint)
    attribute = final_attribute(d.attr, d.scope, d.local, d.place, ctx.story, figure_phrase(d.anchor, d.reading.counted))
    if attribute == d.attr.name and ctx.story in d.attr.variant_stories:
        attribute = other_side_variant(d.attr, d.reading.counted) or attribute
    attribute = history_attribute(d.attr, attribute, hint, d.anchor, recent_text(d.sentence), ctx)
    low, high = interval_in_unit(d.q, d.attr)
    sentence_text = d.sentence.text
    lead = len(sentence_text) - len(sentence_text.lstrip())
    start = d.sentence.start_char + lead
    quote = sentence_text.strip()
    confidence, reasons = assess(d, ctx)
    # only a whole's own figure, or an area's part, has an area the event's reports may revisit
    area = d.area if d.area is not None and (attribute == d.attr.name or d.scope == "subset") else None
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
        as_of=as_of_date(d.attr, hint, d.sentence, d.anchor, ctx),
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
        sentence=quote,
        source_entity=source_of(d.anchor, d.sentence, ctx),
        hint=hint,
        published=ctx.article.published,
        confidence=confidence,
        confidence_reasons=reasons,
        area=area[0] if area else None,
        area_place=area[1] if area else None,
    )


@dataclass
class Extraction:
    claims: list[Claim]
    entities: list[tuple[Entity, int]]  # canonical entity and how often the article mentions it


ENTITY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}


def article_entities(ctx: ArticleContext) -> list[tuple[Entity, int]]:
    """The entities the article names and how often. A place counts where it reads as a place's
    name (``places.place_reading``: not "the Camp Fire", not "Ariana" in "an Ariana Grande
    concert"), and only if the gazetteer knows it or the article writes it as a place once."""
    counts: Counter[str] = Counter()
    found: dict[str, Entity] = {}
    placed: set[str] = set()
    cues = frozenset(c for story in ctx.catalog.stories.values() for c in story.cues)
    name_cues = frozenset(c for story in ctx.catalog.stories.values() for c in story.name_cues)
    for ent in ctx.doc.ents:
        kind = ENTITY_KINDS.get(ent.label_)
        reading = place_reading(ent, cues, name_cues) if kind == "place" else None
        if kind is None or (kind == "place" and reading is None):
            continue
        entity = ctx.resolver.resolve(ent.text, kind)
        if entity is None:
            continue
        found[entity.entity_id] = entity
        counts[entity.entity_id] += 1
        if reading == "place":
            placed.add(entity.entity_id)
    # an entity the resolver files as a place is kept only if some mention reads as one (a ship
    # the parser tags now as a facility, now as an organisation, is none)
    return [(found[eid], n) for eid, n in counts.most_common() if found[eid].kind != "place" or eid in placed]


def extract_article(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None,
                    parsed: ArticleParse | None = None) -> Extraction:
    """Claims and named entities of one article; ``parsed``: its parses, when made already."""
    if not article.text.strip():
        return Extraction([], [])
    ctx = build_context(article, catalog, resolver, parsed)
    return Extraction(extract_from_context(ctx), article_entities(ctx))


def extract_claims(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None) -> list[Claim]:
    """All claims one article states, in text order."""
    return extract_article(article, catalog, resolver).claims


def with_event(claim: Claim, event_id: str, as_of: date | None) -> Claim:
    return replace(claim, event_id=event_id, as_of=as_of)
