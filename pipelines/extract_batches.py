"""Extraction in batches: the NLP of a batch of articles, and its results as a Parquet file.

The NLP is pure and runs anywhere (a worker process, an Airflow worker on another machine); only the
writer (``pipelines.extract_store``) touches DuckDB. A batch's results travel to the writer either
in memory (the process pool of ``pipelines.parallel``) or as one Parquet file per batch (Airflow's
mapped tasks), one row per article with its claims, entities and aliases as nested lists.

Each article is read with its own copy of the gazetteer resolver, so what one article yields never
depends on which articles were read before it in the same process: any split into batches and
workers gives the claims a sequential run gives.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.claims.catalog import Catalog
from pipelines.claims.context import ArticleParse, parse_articles
from pipelines.claims.entities import Entity, Resolver
from pipelines.claims.extract import extract_article
from pipelines.models import ArticleInput, Claim, EventHint
from pipelines.sqlfiles import sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingArticle:
    """An article to extract, with the hash of the text read, so the writer can tell a stale result."""

    article: ArticleInput
    content_hash: str


@dataclass(frozen=True)
class ArticleResult:
    """What extraction found in one article (events not assigned yet: that is the writer's job)."""

    article_id: str
    content_hash: str
    published: datetime | None
    claims: list[Claim] = field(default_factory=list)
    entities: list[tuple[Entity, int]] = field(default_factory=list)  # entity, mentions in the article
    aliases: list[tuple[str, str]] = field(default_factory=list)      # (alias key, entity id) it learned
    error: str | None = None  # extraction failed: the article stays pending


def extract_one(item: PendingArticle, catalog: Catalog, gazetteer: Resolver,
                parsed: ArticleParse | None = None) -> ArticleResult:
    """Claims, entities and learned aliases of one article (``parsed``: its parses, when made
    already); a failure is returned, not raised, so one unreadable article never stops its batch."""
    article = item.article
    resolver = copy.deepcopy(gazetteer)
    try:
        extraction = extract_article(article, catalog, resolver, parsed)
    except Exception as exc:  # noqa: BLE001 - reported per article, the batch goes on
        log.exception("extraction failed for article %s; it stays pending", article.article_id)
        return ArticleResult(article.article_id, item.content_hash, article.published,
                             error=f"{type(exc).__name__}: {exc}")
    known = set(gazetteer.aliases())
    learned = [pair for pair in resolver.aliases() if pair not in known]
    return ArticleResult(article.article_id, item.content_hash, article.published,
                         extraction.claims, extraction.entities, learned)


def extract_batch(items: Sequence[PendingArticle], catalog: Catalog, gazetteer: Resolver | None = None) -> list[ArticleResult]:
    """``extract_one`` for each article, the batch's texts parsed together (``parse_articles``)."""
    gazetteer = gazetteer or Resolver()
    parses: Sequence[ArticleParse | None]
    try:
        parses = parse_articles([item.article for item in items])
    except Exception:  # noqa: BLE001 - each article is then parsed on its own and fails alone
        log.warning("parsing a batch of %d articles together failed; parsing them one by one", len(items),
                    exc_info=True)
        parses = [None] * len(items)
    return [extract_one(item, catalog, gazetteer, parsed) for item, parsed in zip(items, parses, strict=True)]


def split(items: Sequence[Any], size: int) -> list[list[Any]]:
    """Consecutive batches of at most ``size``: publication order is kept across batches."""
    size = max(size, 1)
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


# --- batch files ----------------------------------------------------------------------------------

def _hint_record(hint: EventHint | None) -> dict[str, Any] | None:
    if hint is None:
        return None
    return {
        "story_type": hint.story_type, "occurrence_date": hint.occurrence_date, "location": hint.location,
        "round_ordinal": hint.round_ordinal, "recalled": hint.recalled, "reference_date": hint.reference_date,
        "date_precision": hint.date_precision, "places": sorted(hint.places), "session": hint.session,
    }


def _claim_record(c: Claim) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id, "attribute": c.attribute, "kind": c.kind, "unit": c.unit,
        "value_low": c.value_low, "value_high": c.value_high, "hedge": c.hedge, "value_text": c.value_text,
        "scope": c.scope, "as_of": c.as_of, "quote": c.quote, "quote_start": c.quote_start,
        "quote_end": c.quote_end, "sentence": c.sentence, "source_entity": c.source_entity,
        "confidence": c.confidence, "confidence_reasons": list(c.confidence_reasons), "hint": _hint_record(c.hint),
        "area": c.area, "area_place": c.area_place,
    }


def _record(position: int, r: ArticleResult) -> dict[str, Any]:
    return {
        "position": position, "article_id": r.article_id, "content_hash": r.content_hash, "published": r.published, "error": r.error,
        "claims": [_claim_record(c) for c in r.claims],
        "entities": [{"entity_id": e.entity_id, "name": e.name, "kind": e.kind, "mentions": n} for e, n in r.entities],
        "aliases": [{"alias": a, "entity_id": e} for a, e in r.aliases],
    }


def write_batch_file(results: Iterable[ArticleResult], path: Path) -> Path:
    """Write the results as ``path`` (Parquet), atomically: a reader sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with duckdb.connect() as con:
        # The explicit row type (sql/extract/batch_rows.sql) keeps every column typed even when a
        # batch has no value for it (no dates, no sources).
        rel = con.sql(sql("extract/batch_rows"), params={"rows": [_record(i, r) for i, r in enumerate(results)]})
        rel.write_parquet(str(tmp))
    tmp.replace(path)
    return path


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _hint(h: dict[str, Any] | None) -> EventHint | None:
    if h is None:
        return None
    return EventHint(
        story_type=h["story_type"], occurrence_date=_date(h["occurrence_date"]), location=h["location"],
        round_ordinal=h["round_ordinal"], recalled=bool(h["recalled"]), reference_date=_date(h["reference_date"]),
        date_precision=h["date_precision"], places=frozenset(h["places"] or ()), session=h.get("session"),
    )


def _claim(article_id: str, published: datetime | None, c: dict[str, Any]) -> Claim:
    return Claim(
        claim_id=c["claim_id"], article_id=article_id, attribute=c["attribute"], kind=c["kind"], unit=c["unit"],
        value_low=c["value_low"], value_high=c["value_high"], hedge=c["hedge"], value_text=c["value_text"],
        scope=c["scope"], as_of=_date(c["as_of"]), quote=c["quote"], quote_start=c["quote_start"],
        quote_end=c["quote_end"], sentence=c["sentence"], source_entity=c["source_entity"],
        hint=_hint(c["hint"]), published=published, confidence=c["confidence"],
        confidence_reasons=tuple(c["confidence_reasons"] or ()), area=c["area"], area_place=c["area_place"],
    )


def read_batch_file(path: Path) -> list[ArticleResult]:
    """The results stored by ``write_batch_file``, in the order they were written."""
    with duckdb.connect() as con:
        cur = con.execute(sql("extract/read_batch"), {"path": str(path)})
        cols = [d[0] for d in cur.description or []]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    out = []
    for r in rows:
        published = r["published"]
        out.append(ArticleResult(
            article_id=r["article_id"], content_hash=r["content_hash"], published=published,
            claims=[_claim(r["article_id"], published, c) for c in r["claims"] or []],
            entities=[(Entity(e["entity_id"], e["name"], e["kind"]), e["mentions"]) for e in r["entities"] or []],
            aliases=[(a["alias"], a["entity_id"]) for a in r["aliases"] or []],
            error=r["error"],
        ))
    return out
