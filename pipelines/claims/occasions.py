"""Which occurrence and which day a figure belongs to: dates attached to the figure, recalls of
earlier occurrences, back-references, and the day a running count refers to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.tokens import Span, Token

from pipelines.claims.attributes import (
    VERB_POS,
)
from pipelines.claims.catalog import Attribute
from pipelines.claims.confidence import PART_UNCLEAR, confidence_of
from pipelines.claims.context import ArticleContext, story_for
from pipelines.claims.dates import (
    ORDINALS,
    RECALL_RE,
    ROUND_RE,
    ResolvedDate,
    date_attachment,
    date_phrase,
    resolve,
    time_limit,
)
from pipelines.claims.figures import same_figure
from pipelines.claims.sessions import load_words as load_session_words
from pipelines.claims.spans import previous_sentences, sentence_ents, sentence_of, text_of
from pipelines.models import Claim, EventHint


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
    for ent in sentence_ents(sentence):
        limit = time_limit(ent, depth_of, anchor)
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


def placed_date(anchor: Token, sentence: Span, ctx: ArticleContext) -> ResolvedDate | None:
    """The date attached nearest to the figure."""
    for ent in dates_governing(anchor, sentence):
        found = resolve(ent.text, ctx.reference_time)
        if found is not None:
            return found
    return None


def refers_back(anchor: Token) -> bool:
    """The figure's verb has a subject, or a phrase, pointing back to something just mentioned
    ("That storm killed 84,000 people", "In connection with that exchange, both sides handed over
    90"): its date is the previous sentence's."""
    for tok in anchor.ancestors:
        if tok.pos_ in VERB_POS:
            said = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            said += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            # "in connection with that exchange": the pointing noun sits one phrase further down
            said += [g2 for g in said if g.dep_ == "pobj" for c in g.children if c.dep_ == "prep"
                     for g2 in c.children if g2.dep_ == "pobj"]
            return any(c.dep_ == "det" and c.lower_ in {"that", "those"} for noun in said for c in noun.children)
    return False


def paragraph_date(anchor: Token, ctx: ArticleContext, precisions: frozenset[str] = frozenset({"day", "monthday"})
                    ) -> ResolvedDate | None:
    """In an undated explainer a figure often takes its day from the sentence before ("At the
    Ciragan Palace on June 2 the delegations met. Russia said it would return 6,000 bodies")."""
    sentence = sentence_of(anchor)
    para_start = text_of(ctx.doc).rfind("\n", 0, sentence.start_char)
    prev_sents = [s for s in previous_sentences(sentence, 2) if s.start_char > para_start]
    for sent in reversed(prev_sents):
        for ent in sentence_ents(sent):
            # "since Cyclone Nargis struck in May 2008. That storm killed ...": the date in a
            # since-phrase is still the date of what the next sentence points back to
            if ent.label_ == "DATE":
                found = resolve(ent.text, ctx.reference_time)
                if found is not None and found.precision in precisions:
                    return found
    return None


def event_hint(sentence: Span, attr: Attribute, ctx: ArticleContext, tokens: list[Token], anchor: Token,
          scope: str = "whole") -> EventHint:
    story = story_for(attr, ctx)
    window = ctx.catalog.stories[story].window_days
    occurrence = ctx.occurrence.day if ctx.occurrence else None
    recalled = False
    when = occurrence
    precision = "day"
    found = placed_date(anchor, sentence, ctx)
    cumulative = attr.kind == "cumulative" or scope == "running_total"
    if cumulative:
        # a running count "since the June round" belongs to that round
        started = next((r for r in (resolve(e.text, ctx.reference_time)
                                    for e in dates_governing(anchor, sentence, since=True)) if r), None)
        if started is not None and (occurrence is None or started.day < occurrence):
            found = started
    if found is None and refers_back(anchor):
        found = paragraph_date(anchor, ctx, frozenset({"day", "monthday", "month", "year"}))
    elif found is None and occurrence is None:
        found = paragraph_date(anchor, ctx) or ctx.lead_monthday
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


def as_of_date(attr: Attribute, hint: EventHint, sentence: Span, anchor: Token, ctx: ArticleContext) -> date | None:
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
    for ent in sentence_ents(sentence):
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        if date_attachment(ent).i not in ancestors:
            continue
        span = date_phrase(ent, sentence)
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


def shared_parts(claims: list[Claim]) -> list[Claim]:
    """One article giving one length twice speaks of one occasion: where a mention names the part
    ("the truce has been extended for two more days") and another of the same figure names none
    ("What Hamas said on the two-day truce"), the bare mention is that part too. Only when all the
    mentions that name a part name the same one, on the same day."""
    named: dict[tuple[str, date | None], list[Claim]] = {}
    for c in claims:
        if c.hint is not None and c.hint.session is not None and not c.hint.recalled:
            named.setdefault((c.attribute, c.hint.occurrence_date), []).append(c)
    out = []
    for c in claims:
        hint = c.hint
        if hint is not None and hint.session is None and not hint.recalled:
            parts = {k.hint.session for k in named.get((c.attribute, hint.occurrence_date), ())
                     if k.hint is not None and same_figure(k, c)}
            if len(parts) == 1:  # and the doubt about which part it measures is settled
                reasons = tuple(r for r in c.confidence_reasons if r != PART_UNCLEAR)
                c = replace(c, hint=replace(hint, session=parts.pop()), confidence_reasons=reasons,
                            confidence=confidence_of(reasons))
        out.append(c)
    return out


def rounds_within_day(claims: list[Claim]) -> list[Claim]:
    """Rounds of talks are usually days of their own ("the third round, in July"), but an article
    that measures a numbered round and, for the same day, the whole meeting as another figure ("the
    first round lasted almost two hours ... their talks lasted less than four hours") speaks of
    rounds within one day: the round is a part of that day's meeting (``part:<n>``), not the whole."""
    with_parts = load_session_words().attributes
    wholes = [c for c in claims if c.hint is not None and c.hint.session is None and c.hint.round_ordinal is None
              and not c.hint.recalled]
    out = []
    for c in claims:
        hint = c.hint
        if hint is not None and c.attribute in with_parts and hint.round_ordinal and hint.session is None and not hint.recalled and any(
            w.attribute == c.attribute and w.hint is not None and w.hint.occurrence_date == hint.occurrence_date
            and not same_figure(w, c) for w in wholes
        ):
            part = f"part:{hint.round_ordinal}"
            c = replace(c, hint=replace(hint, session=load_session_words().numbered_formats.get(part, part)))
        out.append(c)
    return out
