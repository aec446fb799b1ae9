"""What an article is about, before any figure is read: its parse, story type, main place, the
day of its occurrence, and which attributes it can speak of."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from spacy.tokens import Doc, Span

from pipelines.claims.casing import parse_input, title_cased, with_words
from pipelines.claims.catalog import Attribute, Catalog
from pipelines.claims.dates import RECALL_RE, ResolvedDate, bounds_a_span, dateline, resolve
from pipelines.claims.entities import Resolver, default_resolver, fold
from pipelines.claims.genres import genre_scores
from pipelines.claims.nlp import get_nlp, parse, parse_many
from pipelines.claims.spans import sentence_ents, text_of
from pipelines.claims.stories import story_scores
from pipelines.models import ArticleInput

SPEECH_VERBS = {
    "say", "tell", "announce", "confirm", "report", "state", "add", "write", "post", "note",
    "claim", "declare", "estimate", "insist", "explain", "warn", "acknowledge", "disclose",
}


PLACE_LABELS = {"GPE", "LOC", "FAC"}


MAIN_PLACE_LABELS = {"GPE", "LOC"}


LEAD_SENTENCES = 5


# A lead date further back than this is background ("since 2022"), not the occurrence.
LEAD_DATE_MAX_AGE_DAYS = 14


log = logging.getLogger(__name__)
MAX_TEXT_CHARS = 200_000


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
    genres: Counter[str]  # cue score of every genre that tells no story (genres.yaml: sport)
    published: date | None
    reference_time: datetime | None  # publication time, or the dateline of an undated wire story
    occurrence: ResolvedDate | None
    main_places: set[str]
    place_id: dict[int, str]
    resolver: Resolver
    catalog: Catalog
    # an undated report whose lead names only a day of an unknown year ("on Tuesday (Nov 16)")
    lead_monthday: ResolvedDate | None = None


def published_date(value: datetime | None) -> date | None:
    return value.date() if value else None


def places_of(doc: Doc, title_doc: Doc | None, resolver: Resolver) -> tuple[dict[int, str], set[str]]:
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


def lead_dates(doc: Doc, published: datetime | None) -> Iterator[ResolvedDate]:
    """The dates of the lead that may say when the story happened, in order: not the day something
    was said ("officials said on Saturday"), nor the start or end of a span ("the 69 released since
    Friday"), nor in a sentence recalling an earlier occurrence."""
    for n, sent in enumerate(doc.sents):
        if n >= LEAD_SENTENCES:
            break
        if RECALL_RE.search(sent.text):
            continue
        for ent in sentence_ents(sent):
            if ent.label_ not in {"DATE", "TIME"} or said_when(ent) or bounds_a_span(ent):
                continue
            found = resolve(ent.text, published)
            if found is not None:
                yield found


def occurrence_of(doc: Doc, published: datetime | None) -> ResolvedDate | None:
    """The day the story's occurrence happened: the first recent day of the lead (``lead_dates``),
    else the report's own day (publication, or the dateline of an undated wire story)."""
    line = dateline(text_of(doc), published)
    if published is None and line and line.precision == "day":
        published = datetime(line.day.year, line.day.month, line.day.day)
    base = published_date(published)
    for found in lead_dates(doc, published):
        if found.precision == "day" and (base is None or 0 <= (base - found.day).days <= LEAD_DATE_MAX_AGE_DAYS):
            return found
    return ResolvedDate(base, "day") if base else None


def lead_monthday_of(doc: Doc) -> ResolvedDate | None:
    """For a report with no date at all: the first day of an unknown year its lead names as when
    the story happened ("met on Tuesday (Nov 16)"), so that it joins only an occurrence of that day."""
    return next((found for found in lead_dates(doc, None) if found.precision == "monthday"), None)


def inferred_reference(doc: Doc) -> datetime | None:
    """For an undated article: its dateline, else the latest fully written date it mentions, so that
    "May 16" and "on Friday" resolve in the story's own year rather than today's."""
    line = dateline(text_of(doc), None)
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


def said_when(ent: Span) -> bool:
    head = ent.root.head
    if ent.root.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return (head.lemma_ or "").lower() in SPEECH_VERBS


def _read_text(article: ArticleInput) -> str:
    # a news article is a few thousand words; past this it is a dump (and the parser's memory grows
    # with the text), so only the beginning is read
    return article.text[:MAX_TEXT_CHARS]


@dataclass(frozen=True)
class ArticleParse:
    """The parses ``build_context`` needs: the text read (see ``_read_text``) and the title."""

    doc: Doc
    title_doc: Doc | None


def parse_articles(articles: Sequence[ArticleInput]) -> list[ArticleParse]:
    """The parses of several articles at once (``parse_many``: cheaper than one by one, same
    annotations), for ``build_context(..., parsed=...)``. Title-case headlines are parsed in
    sentence case and the parse put back on the article's own words (``casing``)."""
    texts = [_read_text(a) for a in articles]
    inputs = [parse_input(t, a.title) for a, t in zip(articles, texts, strict=True)]
    docs = iter(parse_many([i.text for i in inputs], [i.starts for i in inputs]))
    titled = [(a.title, t) for a, t in zip(articles, texts, strict=True) if a.title]
    titles = iter(parse_many([title_cased(title, t) for title, t in titled]))
    return [ArticleParse(with_words(next(docs), t), with_words(next(titles), a.title) if a.title else None)
            for a, t in zip(articles, texts, strict=True)]


def build_context(article: ArticleInput, catalog: Catalog, resolver: Resolver | None = None,
                  parsed: ArticleParse | None = None) -> ArticleContext:
    """``parsed``: the article's parses when they were made already (``parse_articles``)."""
    resolver = resolver or default_resolver()
    if len(article.text) > MAX_TEXT_CHARS:
        log.warning("article %s: reading the first %d of %d characters", article.article_id, MAX_TEXT_CHARS,
                    len(article.text))
    if parsed is None:
        title, text = article.title, _read_text(article)
        given = parse_input(text, title)
        parsed = ArticleParse(with_words(parse(given.text, given.starts), text),  # in pieces when long: bounded memory
                              with_words(get_nlp()(title_cased(title, text)), title) if title else None)
    doc, title_doc = parsed.doc, parsed.title_doc
    scores = story_scores(doc, article.title, catalog, title_doc)
    story = scores.most_common(1)[0][0] if scores else None
    place_id, main = places_of(doc, title_doc, resolver)
    reference = article.published or inferred_reference(doc)
    return ArticleContext(
        article=article,
        doc=doc,
        story=story,
        stories=scores,
        genres=genre_scores(doc, title_doc),
        published=published_date(reference),
        reference_time=reference,
        occurrence=occurrence_of(doc, reference),
        main_places=main,
        place_id=place_id,
        resolver=resolver,
        catalog=catalog,
        lead_monthday=lead_monthday_of(doc) if reference is None else None,
    )


# A story type this close to the article's main one is also told in it (a quake report about truces).
SECONDARY_STORY_SHARE = 0.3


def allowed_attributes(ctx: ArticleContext) -> list[Attribute]:
    """Attributes of the story types the article tells: a negotiation report's "two civilian
    deaths" is not a disaster toll, but a quake report that dwells on truces still gives the toll."""
    attrs = ctx.catalog.extractable()
    if ctx.story is None or ctx.stories[ctx.story] < ctx.catalog.min_story_score:
        # no word of any story the catalog knows: a match report or an obituary, whose numbers
        # ("7-6", "died at 91") are no occurrence's figures
        return []
    # weigh families, not single types: "quake", "rubble" and "collapse" all speak of one disaster
    family = {name: story.family for name, story in ctx.catalog.stories.items()}
    by_family: Counter[str] = Counter()
    for name, n in ctx.stories.items():
        by_family[family[name]] += n
    top = max(by_family.values())
    told_families = {f for f, n in by_family.items() if n >= SECONDARY_STORY_SHARE * top}
    return [a for a in attrs if {family[s] for s in a.stories} & told_families or a.any_story]


def story_for(attr: Attribute, ctx: ArticleContext) -> str:
    """The article's story type if the attribute belongs to it, else the attribute's story type
    the article speaks of most (a quake report's truce is a negotiation; a report mostly about a
    truce may still give the quake's toll)."""
    if ctx.story in attr.stories:
        return ctx.story
    return max(attr.stories, key=lambda s: (ctx.stories.get(s, 0), -attr.stories.index(s)))
