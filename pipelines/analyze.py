"""`newswatch analyze` / `newswatch eval`: the real extraction, event assignment and detection over
a folder of article files, in publication order as if they arrived in a stream."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from pipelines.claims.catalog import Catalog
from pipelines.claims.context import MAX_TEXT_CHARS as MAX_CLAIM_TEXT_CHARS
from pipelines.claims.entities import Resolver
from pipelines.claims.extract import extract_article
from pipelines.clean import clean_html, parse_datetime
from pipelines.detect import Rules, detect, source_key
from pipelines.event_scope import revise_claims
from pipelines.events import EventIndex
from pipelines.headlines import event_labels, report_rows, story_names
from pipelines.models import ArticleInput, Claim, Contradiction
from pipelines.settings import Settings


class ArticleFileError(ValueError):
    pass


# Bounds of one article file. Text and HTML beyond what extraction reads are cut, not refused (a
# long article is still an article); the other fields are short by nature, so a huge one is an error.
MAX_FILE_BYTES = 50_000_000
MAX_TEXT_CHARS = MAX_CLAIM_TEXT_CHARS


class ArticleFile(BaseModel):
    """The fields of an article file newswatch reads (others are ignored): types, lengths, dates."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: StrictStr | StrictInt
    text: StrictStr | None = None
    html: StrictStr | None = None
    title: StrictStr | None = Field(default=None, max_length=2_000)
    publisher: StrictStr | None = Field(default=None, max_length=500)
    url: StrictStr | None = Field(default=None, max_length=8_000)
    published: datetime | None = None

    @field_validator("id")
    @classmethod
    def _id_text(cls, value: str | int) -> str:
        text = str(value).strip()
        if not text or len(text) > 500:
            raise ValueError("must be 1 to 500 characters")
        return text

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: object) -> datetime | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date or timestamp string")
        parsed = parse_datetime(value[:100])
        if parsed is None:
            raise ValueError(f"not an ISO 8601 date or timestamp: {value[:60]!r}")
        return parsed

    @model_validator(mode="after")
    def _has_content(self) -> ArticleFile:
        if self.text is None and not self.html:
            raise ValueError("an article needs 'text' or 'html'")
        return self


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str

    def line(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass
class ArticleFolder:
    """The articles of a folder that could be read, in stream order, and every file that could not."""

    articles: list[ArticleInput]
    skipped: list[SkippedFile]


def _reason(error: ValidationError) -> str:
    problems = []
    for e in error.errors():
        where = ".".join(str(x) for x in e["loc"]) or "article"
        problems.append(f"{where}: {e['msg']}")
    return "; ".join(problems)


def load_article_file(path: Path) -> ArticleInput:
    """One article file, validated against ``ArticleFile``; ``ArticleFileError`` names the file and why."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleFileError(f"{path}: {size:,} bytes, more than the {MAX_FILE_BYTES:,} an article file may have")
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise ArticleFileError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if not raw_bytes.strip():
        raise ArticleFileError(f"{path}: empty file")
    try:
        raw = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleFileError(f"{path}: not UTF-8 text (a binary file?): byte {exc.start} is invalid") from exc
    del raw_bytes
    if "\x00" in raw:
        raise ArticleFileError(f"{path}: contains NUL bytes: a binary file, not JSON")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ArticleFileError(f"{path}: not valid JSON: {exc}") from exc
    except RecursionError as exc:  # the parser's own guard against deep nesting ([[[[...)
        raise ArticleFileError(f"{path}: JSON nested too deeply to be an article") from exc
    del raw
    if not isinstance(data, dict):
        raise ArticleFileError(f"{path}: the top level must be a JSON object, not {type(data).__name__}")
    try:
        fields = ArticleFile.model_validate(data)
    except ValidationError as exc:
        raise ArticleFileError(f"{path}: {_reason(exc)}") from exc
    del data
    text, title, published = fields.text, fields.title, fields.published
    if text is None and fields.html:
        try:  # clean_html cuts a huge page before parsing it
            page = clean_html(fields.html, fields.url)
        except Exception as exc:  # a page the HTML cleaner chokes on is one bad file, not a stop
            raise ArticleFileError(f"{path}: the HTML could not be cleaned: {type(exc).__name__}: {exc}") from exc
        text, title, published = page.text, title or page.title, published or page.published
    assert text is not None  # _has_content
    return ArticleInput(
        article_id=fields.id if isinstance(fields.id, str) else str(fields.id),
        text=text[:MAX_TEXT_CHARS],
        title=title,
        publisher=fields.publisher,
        url=fields.url,
        published=published,
    )


def read_articles(folder: Path) -> ArticleFolder:
    """Every ``*.json`` article of ``folder``; a file that cannot be read is skipped with its reason."""
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise ArticleFileError(f"{folder}: no *.json article files")
    articles, skipped = [], []
    for f in files:
        try:
            articles.append(load_article_file(f))
        except ArticleFileError as exc:
            skipped.append(SkippedFile(f, str(exc).removeprefix(f"{f}: ")))
    return ArticleFolder(stream_order(articles), skipped)


def load_articles(folder: Path) -> list[ArticleInput]:
    """The articles of a folder that must be clean (development sets): any bad file is an error."""
    found = read_articles(folder)
    if found.skipped:
        raise ArticleFileError("; ".join(s.line() for s in found.skipped))
    return found.articles


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
    labels: dict[str, str] = field(default_factory=dict)  # event id -> headline label


def event_labels_of(claims: list[Claim], index: EventIndex, articles: list[ArticleInput],
                    places: dict[str, list[tuple[str, str, int]]]) -> dict[str, str]:
    """The headline label of every event the claims are in, from all its reports, as the store
    labels them (pipelines/headlines.py)."""
    by_id = {e.event_id: e for e in index.events}
    titles = {a.article_id: a.title for a in articles}
    rows = []
    for event_id, article_id in dict.fromkeys((c.event_id, c.article_id) for c in claims if c.event_id):
        event = by_id[event_id]
        rows += report_rows(event_id, event.story_type, event.occurrence_date, article_id, titles.get(article_id),
                            places.get(article_id, []))
    return event_labels(rows, story_names(index.catalog))


def article_sources(articles: list[ArticleInput], syndication_threshold: float) -> dict[str, str]:
    """Article id -> its source: the outlet, or for a syndicated copy (the same wire story on another
    site, found as ingestion finds it) the source of the article it copies."""
    from pipelines.ingest.syndication import SyndicationIndex

    index = SyndicationIndex(syndication_threshold)
    sources: dict[str, str] = {}
    for a in articles:
        copied = index.original_of(a.text)
        sources[a.article_id] = sources[copied[0]] if copied else source_key(a.publisher, a.article_id)
        index.add(a.article_id, a.text)
    return sources


def analyze_articles(articles: list[ArticleInput], catalog: Catalog, settings: Settings | None = None) -> Analysis:
    """Claims and contradictions of the articles, in the given (stream) order, with the default
    settings unless ``settings`` is given: a ``conflict`` is one newswatch would alert."""
    settings = settings or Settings()
    resolver = Resolver()
    index = EventIndex(catalog)
    claims: list[Claim] = []
    places: dict[str, list[tuple[str, str, int]]] = {}
    for article in articles:
        found = extract_article(article, catalog, resolver)
        claims += index.assign_claims(found.claims)
        places[article.article_id] = [(e.entity_id, e.name, n) for e, n in found.entities if e.kind == "place"]
    claims = revise_claims(claims, catalog)  # once every report's event is known
    sources = article_sources(articles, settings.syndication_threshold)
    return Analysis(claims, detect(claims, catalog, sources, Rules.of(settings)),
                    event_labels_of(claims, index, articles, places))


def event_summary(analysis: Analysis) -> list[tuple[str, int]]:
    """(event label, claims) for each event, most claims first: what ``analyze`` prints."""
    counts = Counter(c.event_id for c in analysis.claims if c.event_id)
    return [(analysis.labels.get(e, e), n) for e, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def predictions_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "claims": [
            {
                "id": c.claim_id,
                "article": c.article_id,
                "event": c.event_id,
                "event_label": analysis.labels.get(c.event_id) if c.event_id else None,
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
