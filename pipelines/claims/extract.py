"""Article text -> claims: one figure, one attribute, one interval, with scope, date hints and source.

Pure: no database, no network. The pipeline stores what this returns; the eval command scores it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from spacy.tokens import Doc, Span, Token

from pipelines.claims import scope as scopes
from pipelines.claims.attributes import (
    VERB_POS,
    Reading,
    clause_tokens,
    counted_noun,
    read_count,
    read_duration,
    said_of,
    span_root,
    unit_token,
)
from pipelines.claims.catalog import MINUTES_PER_UNIT, Attribute, Catalog
from pipelines.claims.dates import ResolvedDate, dateline, resolve
from pipelines.claims.entities import Entity, Resolver, default_resolver, fold
from pipelines.claims.nlp import get_nlp
from pipelines.claims.quantities import Quantity, find_quantities
from pipelines.claims.stories import story_scores
from pipelines.ids import stable_id
from pipelines.models import ArticleInput, Claim, EventHint

SPEECH_VERBS = {
    "say", "tell", "announce", "confirm", "report", "state", "add", "write", "post", "note",
    "claim", "declare", "estimate", "insist", "explain", "warn", "acknowledge", "disclose",
}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAIN_PLACE_LABELS = {"GPE", "LOC"}
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
    stories: Counter[str]  # cue score of every story type in this article
    published: date | None
    reference_time: datetime | None  # publication time, or the dateline of an undated wire story
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
        if ent.label_ in PLACE_LABELS and any(ch.isalpha() for ch in ent.text):
            entity = resolver.resolve(ent.text, "place")
            if entity:
                for tok in ent:
                    place_id[tok.i] = entity.entity_id
                if ent.label_ in MAIN_PLACE_LABELS:  # a road or a building is not where a story is
                    counts[entity.entity_id] += 1
    if title_doc is not None:
        for ent in title_doc.ents:
            if ent.label_ in PLACE_LABELS and (entity := resolver.resolve(ent.text, "place")):
                counts[entity.entity_id] += 3
    # the place the story is about: the most mentioned (the title counts triple); a country gets a
    # small edge over a city mentioned as often, since reports total figures by country
    for pid in counts:
        if pid.replace("-", " ") in country_keys():
            counts[pid] += 1
    main = {counts.most_common(1)[0][0]} if counts else set()
    return place_id, main


def _occurrence(doc: Doc, published: datetime | None) -> ResolvedDate | None:
    """The day the story's occurrence happened: the first recent date in the lead that is not the
    day something was said ("officials said on Saturday"), else the report's own day (publication,
    or the dateline of an undated wire story)."""
    line = dateline(doc.text, published)
    if published is None and line and line.precision == "day":
        published = datetime(line.day.year, line.day.month, line.day.day)
    base = _published_date(published)
    for n, sent in enumerate(doc.sents):
        if n >= LEAD_SENTENCES:
            break
        if RECALL_RE.search(sent.text):
            continue
        for ent in sent.ents:
            if ent.label_ not in {"DATE", "TIME"} or _said_when(ent):
                continue
            found = resolve(ent.text, published)
            if found is None or found.precision != "day":
                continue
            if base is None or 0 <= (base - found.day).days <= LEAD_DATE_MAX_AGE_DAYS:
                return found
    return ResolvedDate(base, "day") if base else None


def _inferred_reference(doc: Doc) -> datetime | None:
    """For an undated article: its dateline, else the latest fully written date it mentions, so that
    "May 16" and "on Friday" resolve in the story's own year rather than today's."""
    line = dateline(doc.text, None)
    if line is not None and line.precision == "day":
        return datetime(line.day.year, line.day.month, line.day.day, 12)
    days = []
    for ent in doc.ents:
        if ent.label_ == "DATE" and re.search(r"\b(19|20)\d\d\b", ent.text):
            found = resolve(ent.text, None)
            if found is not None and found.precision == "day":
                days.append(found.day)
    if not days:
        return None
    last = max(days)
    return datetime(last.year, last.month, last.day, 12)


def date_attachment(ent: Span) -> Token:
    """The word a date expression hangs from, past its own pieces: "By Sunday night" splits into
    "Sunday" (a compound of "night") and "night" (the object of "by"); both hang from the verb."""
    tok = ent.root
    for _ in range(4):
        if tok.dep_ in {"compound", "amod", "nummod", "npadvmod"} and tok.head.ent_type_ in {"DATE", "TIME"}:
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            return tok.head.head
        else:
            break
    return tok.head


def _date_phrase(ent: Span, sentence: Span) -> str:
    """The date words around a piece of a date ("Sunday" + "night" -> "Sunday night")."""
    start, end = ent.start, ent.end
    while start > sentence.start and sentence.doc[start - 1].ent_type_ in {"DATE", "TIME"}:
        start -= 1
    while end < sentence.end and sentence.doc[end].ent_type_ in {"DATE", "TIME"}:
        end += 1
    return sentence.doc[start:end].text


def _said_when(ent: Span) -> bool:
    head = ent.root.head
    if ent.root.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return (head.lemma_ or "").lower() in SPEECH_VERBS


def build_context(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None) -> ArticleContext:
    nlp = get_nlp()
    resolver = resolver or default_resolver()
    doc = nlp(article.text)
    title_doc = nlp(article.title) if article.title else None
    scores = story_scores(doc, article.title, catalog, title_doc)
    story = scores.most_common(1)[0][0] if scores else None
    place_id, main = _places(doc, title_doc, resolver)
    reference = article.published or _inferred_reference(doc)
    return ArticleContext(
        article=article,
        doc=doc,
        story=story,
        stories=scores,
        published=_published_date(reference),
        reference_time=reference,
        occurrence=_occurrence(doc, reference),
        main_places=main,
        place_id=place_id,
        resolver=resolver,
        catalog=catalog,
    )


# A story type this close to the article's main one is also told in it (a quake report about truces).
SECONDARY_STORY_SHARE = 0.3


def allowed_attributes(ctx: ArticleContext) -> list[Attribute]:
    """Attributes of the story types the article tells: a negotiation report's "two civilian
    deaths" is not a disaster toll, but a quake report that dwells on truces still gives the toll."""
    attrs = ctx.catalog.extractable()
    if ctx.story is None:
        return attrs
    # weigh families, not single types: "quake", "rubble" and "collapse" all speak of one disaster
    family = {name: story.family for name, story in ctx.catalog.stories.items()}
    by_family: Counter[str] = Counter()
    for name, n in ctx.stories.items():
        by_family[family[name]] += n
    top = max(by_family.values())
    told_families = {f for f, n in by_family.items() if n >= SECONDARY_STORY_SHARE * top}
    return [a for a in attrs if {family[s] for s in a.stories} & told_families or a.any_story]


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


NOT_OCCURRENCE_PREPOSITIONS = {"since", "until", "till", "before", "by"}


def dates_governing(anchor: Token, sentence: Span, labels: frozenset[str] = frozenset({"DATE"}),
                    since: bool = False) -> list[Span]:
    """Date expressions that place the figure, nearest attachment first: attached to it or to a
    word above it ("On Wednesday, the sides agreed that each would release 1,200"), inside the
    subject of a verb above it ("The May 16 meeting produced a 1,000-for-1,000 swap"), or describing
    a noun above it ("a truce brokered in April 2022"); not a side remark elsewhere in the sentence
    ("an idea floated in March"), and not a time since or until ("the first since 2022")."""
    above = [anchor, *anchor.ancestors]
    depth_of = {t.i: depth for depth, t in enumerate(above)}
    reach: dict[int, int] = dict(depth_of)  # token -> depth of the word above it that brings it in
    for depth, tok in enumerate(above):
        for child in tok.children:
            if child.i in depth_of:
                continue
            if (tok.pos_ in VERB_POS and child.dep_ in {"nsubj", "nsubjpass"}) or (
                tok.pos_ in {"NOUN", "PROPN"} and child.dep_ in {"acl", "relcl", "compound", "prep", "amod", "poss"}
            ):
                for t in child.subtree:
                    reach.setdefault(t.i, depth)
    found: list[tuple[int, Span]] = []
    for ent in sentence.ents:
        limit = _time_limit(ent, depth_of, anchor)
        if ent.label_ not in labels or (limit == "since") != since or (limit is not None and not since):
            continue
        governor = date_attachment(ent)
        depths = [depth_of[governor.i]] if governor.i in depth_of else []
        if since:  # "Since the June round, Ukraine has received ...": the phrase hangs from the verb
            phrase = next((t for t in [ent.root, *ent.root.ancestors] if t.dep_ == "prep" and t.lower_ == "since"), None)
            if phrase is not None and phrase.head.i in depth_of:
                depths.append(depth_of[phrase.head.i])
        depths += [reach[t.i] for t in ent if t.i in reach]
        if depths:
            found.append((min(depths), ent))
    return [ent for _, ent in sorted(found, key=lambda x: (x[0], abs(x[1].root.i - anchor.i)))]


def _time_limit(ent: Span, stop: dict[int, int], anchor: Token | None = None) -> str | None:
    """The preposition when the date sits in a "since ...", "until ..." or "by ..." phrase ("the
    first since the spring of 2022"), unless the figure itself is inside that phrase ("since an
    explosion in August 2023 killed 30")."""
    tok = ent.root
    for _ in range(5):
        if tok.dep_ == "prep" and tok.lower_ in NOT_OCCURRENCE_PREPOSITIONS:
            if anchor is not None and any(t.i == anchor.i for t in tok.subtree):
                return None
            return tok.lower_
        if tok.i in stop or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _placed_date(anchor: Token, sentence: Span, ctx: ArticleContext) -> ResolvedDate | None:
    """The date attached nearest to the figure."""
    for ent in dates_governing(anchor, sentence):
        found = resolve(ent.text, ctx.reference_time)
        if found is not None:
            return found
    return None


def _refers_back(anchor: Token) -> bool:
    """The figure's verb has a subject pointing back to something just mentioned ("That storm
    killed 84,000 people"): its date is the previous sentence's."""
    for tok in anchor.ancestors:
        if tok.pos_ in VERB_POS:
            for subj in tok.children:
                if subj.dep_ in {"nsubj", "nsubjpass"} and any(
                    c.dep_ == "det" and c.lower_ in {"that", "those"} for c in subj.children
                ):
                    return True
            return False
    return False


def _paragraph_date(anchor: Token, ctx: ArticleContext, precisions: frozenset[str] = frozenset({"day", "monthday"})
                    ) -> ResolvedDate | None:
    """In an undated explainer a figure often takes its day from the sentence before ("At the
    Ciragan Palace on June 2 the delegations met. Russia said it would return 6,000 bodies")."""
    sentence = anchor.sent
    para_start = ctx.doc.text.rfind("\n", 0, sentence.start_char)
    prev_sents = [s for s in ctx.doc.sents if s.end <= sentence.start and s.start_char > para_start][-2:]
    for sent in reversed(prev_sents):
        for ent in sent.ents:
            # "since Cyclone Nargis struck in May 2008. That storm killed ...": the date in a
            # since-phrase is still the date of what the next sentence points back to
            if ent.label_ == "DATE":
                found = resolve(ent.text, ctx.reference_time)
                if found is not None and found.precision in precisions:
                    return found
    return None


def story_for(attr: Attribute, ctx: ArticleContext) -> str:
    """The article's story type if the attribute belongs to it, else the attribute's story type
    the article speaks of most (a quake report's truce is a negotiation; a report mostly about a
    truce may still give the quake's toll)."""
    if ctx.story in attr.stories:
        return ctx.story
    return max(attr.stories, key=lambda s: (ctx.stories.get(s, 0), -attr.stories.index(s)))


def _hint(sentence: Span, attr: Attribute, ctx: ArticleContext, tokens: list[Token], anchor: Token,
          scope: str = "whole") -> EventHint:
    story = story_for(attr, ctx)
    window = ctx.catalog.stories[story].window_days
    occurrence = ctx.occurrence.day if ctx.occurrence else None
    recalled = False
    when = occurrence
    precision = "day"
    found = _placed_date(anchor, sentence, ctx)
    cumulative = attr.kind == "cumulative" or scope == "running_total"
    if cumulative:
        # a running count "since the June round" belongs to that round
        started = next((r for r in (resolve(e.text, ctx.reference_time)
                                    for e in dates_governing(anchor, sentence, since=True)) if r), None)
        if started is not None and (occurrence is None or started.day < occurrence):
            found = started
    if found is None and _refers_back(anchor):
        found = _paragraph_date(anchor, ctx, frozenset({"day", "monthday", "month", "year"}))
    elif found is None and occurrence is None:
        found = _paragraph_date(anchor, ctx)
    if found is not None and cumulative and occurrence is not None and found.day >= occurrence:
        found = None  # a running count's date is when it was counted (as_of), not a new occurrence
    if found is not None and occurrence is not None:
        if found.precision == "day" and abs((found.day - occurrence).days) > window:
            # another day than the article's own occurrence: earlier is a recall, and a report
            # dated after its occurrence ("on Wednesday" in Friday's paper) names the real day
            recalled, when = found.day < occurrence, found.day
        elif found.precision == "month" and (found.day.year, found.day.month) != (occurrence.year, occurrence.month):
            recalled, when, precision = found.day < occurrence, found.day, "month"
        elif found.precision == "year" and found.day.year < occurrence.year:
            recalled, when, precision = True, found.day, "year"
    elif found is not None and occurrence is None:
        when, precision = found.day, found.precision
        recalled = found.precision == "year"
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
        date_precision=precision,
        places=frozenset(ctx.place_id.values()),
    )


def _as_of(attr: Attribute, hint: EventHint, sentence: Span, anchor: Token, ctx: ArticleContext) -> date | None:
    """The day a figure refers to. For a fixed attribute, its occurrence's day; for a running
    count, a day attached to the figure's own verb or to the verb reporting it ("rose to 2,719 on
    Tuesday", "officials said on Thursday"), else the report's day. A date inside the subject
    ("the toll from last Friday's quake") names the occurrence, not the count."""
    if hint.date_precision != "day":
        return ctx.published if attr.kind == "cumulative" else None
    if attr.kind == "fixed":
        return hint.occurrence_date
    ancestors = {anchor.i} | {a.i for a in anchor.ancestors}
    days = []
    for ent in sentence.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        if date_attachment(ent).i not in ancestors:
            continue
        span = _date_phrase(ent, sentence)
        found = resolve(span, ctx.reference_time)
        if found is None or found.precision != "day":
            continue
        if hint.occurrence_date is not None and found.day < hint.occurrence_date:
            continue
        if ctx.published is not None and found.day > ctx.published:
            continue
        days.append(found.day)
    if days:
        return max(days)
    return ctx.published or hint.occurrence_date


def _interval(q: Quantity, attr: Attribute) -> tuple[float | None, float | None]:
    low, high = q.value_low, q.value_high
    if attr.dimension == "duration":
        per = MINUTES_PER_UNIT[attr.unit]
        low = None if low is None else round(low / per, 3)
        high = None if high is None else round(high / per, 3)
    return low, high


def _final_attribute(attr: Attribute, scope: str, local: list[Token], place: str | None, story: str | None) -> str:
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
    words = {(t.lemma_ or t.text).lower() for t in local} | {t.lower_ for t in local}
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
    local: list[Token] = field(default_factory=list)


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


def _scope(q: Quantity, attr: Attribute, anchor: Token, tokens: list[Token], local: list[Token],
           ctx: ArticleContext) -> tuple[str, bool, str | None]:
    """(scope, whether a marker decided it, subset place)."""
    if scopes.projection_marker(tokens, anchor, ctx.catalog):
        return "projection", True, None
    if attr.kind == "cumulative":
        if scopes.says_alone(local):
            return "subset", True, scopes.place_of(local, ctx.main_places, ctx.place_id) or "share"
        # a place of its own is only a candidate part; _reconcile_places decides against the
        # article's other figures
        return attr.scope_default, False, scopes.place_of(local, ctx.main_places, ctx.place_id)
    if attr.dimension == "count":
        if q.paired or scopes.per_side(tokens, ctx.catalog):
            return "per_side", True, None
        if scopes.total(tokens, ctx.catalog) and attr.total_attribute:
            return "total", True, None
        if scopes.running(local, ctx.catalog):
            # "brought home more than 1,600 prisoners since May": a tally over several swaps
            return "running_total", True, None
    return attr.scope_default, False, None


def _reconcile_totals(drafts: list[_Draft]) -> None:
    """Within a sentence, an unmarked figure that is twice a per-side figure of the same attribute
    is the total ("1,000 soldiers, 500 from each side"); two different unmarked figures released by
    two different parties are one side's share each of an asymmetric deal, not a per-side count
    ("the Houthis will release 181 people, while the government will free 706")."""
    unmarked = [d for d in drafts if not d.marked and d.scope == "per_side" and d.attr.total_attribute]
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
            k.attribute == claim.attribute and k.hint == claim.hint and k.as_of == claim.as_of and _same_figure(k, claim)
            for k in kept
        ):
            continue
        kept.append(claim)
    return sorted(kept, key=lambda c: c.quote_start)


def _representative(c: Claim) -> float:
    finite = [v for v in (c.value_low, c.value_high) if v is not None]
    return sum(finite) / len(finite) if finite else 0.0


def _contains(c: Claim, value: float) -> bool:
    return (c.value_low is None or c.value_low <= value) and (c.value_high is None or value <= c.value_high)


def _same_figure(a: Claim, b: Claim) -> bool:
    """Two mentions of one figure ("1,000 each" and "1,000-for-1,000", "at least 1,200" and
    "1,200"), not two figures that merely overlap ("more than 1,000" then "1,175")."""
    return _contains(a, _representative(b)) and _contains(b, _representative(a))


def _overlaps(a: Claim, b: Claim) -> bool:
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


def _particle_over(q: Quantity, doc: Doc) -> Quantity:
    """Fix hedges that only the parse can see: "over" as a verb particle ("hand over 1,000
    prisoners") is no hedge; "rose past 100" is more than 100."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if q.hedge == "exact" and span is not None and span.start >= 2:
        prep, verb = doc[span.start - 1], doc[span.start - 2]
        if prep.lower_ in RISE_HEDGES and (verb.lemma_ or "").lower() in RISE_VERBS and q.value_to is None:
            return replace(q, value_low=q.value + 1, value_high=None, hedge="more than", hedge_text=prep.text)
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


AGE_BEFORE = {"aged", "age", "ages", "ageing", "aging"}
AGE_AFTER_RE = re.compile(r"^\s*(?:-|\u2010|\u2011)?\s*years?(?:-|\s)old", re.I)


def _is_age(q: Quantity, doc: Doc) -> bool:
    """"aged between 18 and 25", "25 years old", and a name's apposition "said Olena, 51, whose"."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    before = [t.lower_ for t in doc[max(span.start - 2, 0):span.start]]
    if AGE_BEFORE & set(before) or AGE_AFTER_RE.match(doc.text[q.end:q.end + 12]):
        return True
    if span.start >= 2 and span.end < len(doc) and doc[span.start - 1].text == "," and doc[span.end].text == ",":
        return doc[span.start - 2].pos_ == "PROPN" or doc[span.start - 2].ent_type_ == "PERSON"
    # "all prisoners under 25", "those over 60": a small bare number bounding a group of people
    nxt = doc[span.end] if span.end < len(doc) else None
    if (q.hedge_text or "").lower() in {"under", "over", "above", "below"} and q.value < 120 and span.start >= 1 and (
        doc[span.start - 1].pos_ in {"NOUN", "PRON"} and (nxt is None or nxt.pos_ not in {"NOUN", "PROPN"})
    ):
        return True
    return False


SCALE_WORDS = {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "score", "scores"}


def _count_root(doc: Doc, q: Quantity) -> Token | None:
    """The token a count hangs from: "two dozen" hangs from "dozen", "1,000" from itself."""
    number = span_root(doc, q.num_start, q.num_end)
    whole = span_root(doc, q.start, q.end)
    if whole is not None and whole.lower_ in SCALE_WORDS:
        return whole
    return number


def _is_heading(text: str, at: int) -> bool:
    """A subheading inside the body ("Prisoner Swap Reached: 1,000 Soldiers to Return Home"): a
    short line with no closing punctuation, mostly capitalised. Headlines summarise; the body
    states the figure with its qualifiers."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start:line_end if line_end >= 0 else None].strip()
    if not line or len(line) > 120 or line[-1] in ".!?\"'”’":
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _plausible(attr: Attribute, low: float | None, high: float | None) -> bool:
    if attr.plausible is None:
        return True
    lo, hi = attr.plausible
    finite = [v for v in (low, high) if v is not None]
    return all(lo <= v <= hi for v in finite)


def _reconcile_places(drafts: list[_Draft]) -> None:
    """A figure given for one place is that place's share only if the article also gives a larger
    figure for the whole ("in Mandalay, 200 bodies" next to "the toll rose to 1,644"); alone, it is
    the article's figure for the occurrence ("78 people died in Kerr County")."""
    def value(d: _Draft) -> float:
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
            d.place = None


def _apposed_reading(q: Quantity, root: Token, drafts: list[_Draft], doc: Doc) -> Reading | None:
    """A bare figure set right after another one says the same thing in other terms: "2,400
    prisoners of war, 1,200 from each side", "1,000 soldiers—500 from each country"."""
    if not drafts or drafts[-1].q.dimension != "count":
        return None
    previous = drafts[-1]
    end = max(previous.anchor.i, previous.reading.counted.i if previous.reading.counted is not None else -1)
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return None
    between = [t for t in doc[end + 1:span.start] if not t.is_punct]
    # only the counted noun's own modifiers ("of war") may stand between the two figures
    if any(t.i not in {x.i for x in (previous.reading.counted.subtree if previous.reading.counted is not None else [])}
           for t in between) or not any(t.is_punct for t in doc[end + 1:span.start]):
        return None
    if previous.attr.exclude & said_of(root, None):
        return None  # "179 dead, two rescued"
    return Reading(previous.reading.attribute, previous.reading.score / 2, previous.reading.counted, previous.reading.governor)


def _fold_variants(claims: list[Claim], catalog: Catalog) -> list[Claim]:
    """Keep a where-split (onboard / ground) only when the article actually splits the toll; an
    article that only says "179 of the 181 on board died" is giving the whole toll."""
    out = list(claims)
    for attr in catalog.attributes.values():
        names = {name for name, _ in attr.variants}
        if not names:
            continue
        used = {c.attribute for c in claims if c.attribute in names}
        whole = {(c.value_low, c.value_high) for c in claims if c.attribute == attr.name}
        if len(used) == 1 and not whole:
            out = [replace(c, attribute=attr.name) if c.attribute in names else c for c in out]
    return out


def extract_from_context(ctx: ArticleContext) -> list[Claim]:  # noqa: C901
    doc = ctx.doc
    attrs = allowed_attributes(ctx)
    quantities = [q for q in find_quantities(doc.text) if not q.is_year and q.dimension in {"count", "duration"}]
    by_sentence: dict[int, list[tuple[Quantity, Token]]] = {}
    for q in quantities:
        if _is_age(q, doc):
            continue
        root = _count_root(doc, q) if q.dimension == "count" else unit_token(doc, q.start, q.end)
        if root is None or _is_heading(doc.text, q.start):
            continue
        by_sentence.setdefault(root.sent.start, []).append((q, root))
    drafts_all: list[_Draft] = []
    for items in by_sentence.values():
        anchors = {root.i for _, root in items}
        # another figure's counted noun belongs to that figure: its "from each side" is not ours
        others = set(anchors)
        for q, root in items:
            noun = counted_noun(root).noun if q.dimension == "count" else None
            if noun is not None and noun.i not in anchors:
                others.add(noun.i)
        drafts: list[_Draft] = []
        for q, root in items:
            sentence = root.sent
            reading = read_count(root, attrs) if q.dimension == "count" else read_duration(root, attrs)
            if reading is None and q.dimension == "count":
                reading = _apposed_reading(q, root, drafts, doc)
            if reading is None:
                continue
            attr = ctx.catalog.attributes[reading.attribute]
            own = {root.i} | ({reading.counted.i} if reading.counted is not None else set())
            tokens = clause_tokens(root, sentence, others - own)
            if any(t.lower_ in GENERIC_WORDS for t in tokens):
                continue
            q = _particle_over(q, doc)
            low, high = _interval(q, attr)
            if not _plausible(attr, low, high):
                continue
            local = local_tokens(root, reading)
            scope, marked, place = _scope(q, attr, root, tokens, local, ctx)
            if reading.partitive_of and scope == attr.scope_default:
                scope, marked, place = "subset", True, place or "share"
            draft = _Draft(q, root, reading, attr, scope, marked, tokens, sentence, place, local)
            drafts.append(draft)
        _reconcile_totals(drafts)
        drafts_all += drafts
    _reconcile_places(drafts_all)
    claims = [_to_claim(d, ctx) for d in drafts_all]
    return _consolidate(_fold_variants(claims, ctx.catalog))


def _to_claim(d: _Draft, ctx: ArticleContext) -> Claim:
    attribute = _final_attribute(d.attr, d.scope, d.local, d.place, ctx.story)
    low, high = _interval(d.q, d.attr)
    hint = _hint(d.sentence, d.attr, ctx, d.tokens, d.anchor, d.scope)
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
