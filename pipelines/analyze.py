"""`newswatch analyze` / `newswatch eval`: the real extraction, event assignment and detection over
a folder of article files, in publication order as if they arrived in a stream."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.claims.catalog import Catalog
from pipelines.claims.entities import Resolver
from pipelines.claims.extract import extract_claims
from pipelines.clean import clean_html, parse_datetime
from pipelines.detect import Rules, detect
from pipelines.events import EventIndex
from pipelines.models import ArticleInput, Claim, Contradiction
from pipelines.settings import Settings


class ArticleFileError(ValueError):
    pass


def load_article_file(path: Path) -> ArticleInput:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ArticleFileError(f"{path}: not a readable JSON article: {exc}") from exc
    if not isinstance(data, dict) or "id" not in data:
        raise ArticleFileError(f"{path}: an article needs at least 'id' and 'text' or 'html'")
    published = parse_datetime(data.get("published")) if data.get("published") else None
    text = data.get("text")
    title = data.get("title")
    if text is None and data.get("html"):
        page = clean_html(data["html"], data.get("url"))
        text, title, published = page.text, title or page.title, published or page.published
    if text is None:
        raise ArticleFileError(f"{path}: article {data['id']} has neither 'text' nor 'html'")
    return ArticleInput(
        article_id=str(data["id"]),
        text=text,
        title=title,
        publisher=data.get("publisher"),
        url=data.get("url"),
        published=published,
    )


def load_articles(folder: Path) -> list[ArticleInput]:
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise ArticleFileError(f"{folder}: no *.json article files")
    return stream_order([load_article_file(f) for f in files])


def stream_order(articles: list[ArticleInput]) -> list[ArticleInput]:
    """Publication order; undated articles keep their file order after the dated ones they follow."""
    def key(a: ArticleInput) -> tuple[int, float, str]:
        if a.published is None:
            return (1, 0.0, a.article_id)
        ts = a.published.timestamp() if a.published.tzinfo else a.published.replace(tzinfo=None).timestamp()
        return (0, ts, a.article_id)

    return sorted(articles, key=key)


@dataclass
class Analysis:
    claims: list[Claim]
    contradictions: list[Contradiction]


def article_sources(articles: list[ArticleInput], syndication_threshold: float) -> dict[str, str]:
    """Article id -> its source: the outlet, or for a syndicated copy (the same wire story on another
    site, found as ingestion finds it) the source of the article it copies."""
    from pipelines.ingest.syndication import SyndicationIndex

    index = SyndicationIndex(syndication_threshold)
    sources: dict[str, str] = {}
    for a in articles:
        copied = index.original_of(a.text)
        own = (a.publisher or "").strip().casefold() or a.article_id
        sources[a.article_id] = sources[copied[0]] if copied else own
        index.add(a.article_id, a.text)
    return sources


def analyze_articles(articles: list[ArticleInput], catalog: Catalog, settings: Settings | None = None) -> Analysis:
    """Claims and contradictions of the articles, in the given (stream) order, with the default
    settings unless ``settings`` is given: a ``conflict`` is one newswatch would alert."""
    settings = settings or Settings()
    resolver = Resolver()
    index = EventIndex(catalog)
    claims: list[Claim] = []
    for article in articles:
        claims += index.assign_claims(extract_claims(article, catalog, resolver))
    sources = article_sources(articles, settings.syndication_threshold)
    return Analysis(claims, detect(claims, catalog, sources, Rules.of(settings)))


def predictions_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "claims": [
            {
                "id": c.claim_id,
                "article": c.article_id,
                "event": c.event_id,
                "attribute": c.attribute,
                "value_low": c.value_low,
                "value_high": c.value_high,
                "as_of": c.as_of.isoformat() if c.as_of else None,
                "quote": c.quote,
                "hedge": c.hedge,
                "value_text": c.value_text,
                "scope": c.scope,
                "confidence": c.confidence,
                "confidence_reasons": list(c.confidence_reasons),
            }
            for c in analysis.claims
        ],
        "contradictions": [
            {"a": x.claim_a, "b": x.claim_b, "kind": x.kind, "severity": x.severity, "reason": x.reason}
            for x in analysis.contradictions
        ],
    }


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_predictions(predictions: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(predictions, indent=2, ensure_ascii=False, default=_json_default), encoding="utf-8")
