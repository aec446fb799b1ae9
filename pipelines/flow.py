"""The pipeline's stages as plain functions: what every DAG task and the CLI call.

Each stage opens the DuckDB file, does its work, closes the file (so the next task can take the
single writer lock) and returns ``StageCounts`` for the task log.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import duckdb

from pipelines import db
from pipelines.claims.catalog import Catalog, load_catalog
from pipelines.claims.entities import Resolver
from pipelines.claims.extract import extract_article
from pipelines.detect import detect as detect_contradictions
from pipelines.events import Event, EventIndex
from pipelines.models import ArticleInput, Claim, StageCounts
from pipelines.settings import Settings

SendEmail = Callable[[EmailMessage], None]
log = logging.getLogger(__name__)


def _record(con: duckdb.DuckDBPyConnection, run_id: str | None, counts: StageCounts, started: datetime) -> None:
    if run_id:
        db.run(con, "claims/record_stage", [run_id, counts.stage, started, datetime.now(UTC), json.dumps(counts.counts)])


def ingest(settings: Settings) -> StageCounts:
    """Poll every feed (conditional GET), fetch new entries' pages, clean and store them."""
    from pipelines.ingest.run import run_ingest

    return run_ingest(settings)


def _known_events(con: duckdb.DuckDBPyConnection) -> list[Event]:
    return [Event(**row) for row in db.rows(con, "claims/events")]


def _store_extraction(con: duckdb.DuckDBPyConnection, article_id: str, claims: list[Claim], index: EventIndex,
                      entities: list[tuple[Any, int]], resolver: Resolver) -> None:
    now = datetime.now(UTC)
    con.execute("BEGIN TRANSACTION")
    try:
        for event in index.new:
            db.run(con, "claims/insert_event", [event.event_id, event.story_type, event.label,
                                                event.occurrence_date, event.location, event.round_ordinal, now])
        index.new.clear()
        for c in claims:
            db.run(con, "claims/insert_claim", [
                c.claim_id, c.article_id, c.event_id, c.attribute, c.kind, c.unit, c.value_low, c.value_high,
                c.hedge, c.value_text, c.scope, c.as_of, c.source_entity, c.quote, c.quote_start, c.quote_end,
                c.sentence, now,
            ])
        for entity, mentions in entities:
            db.run(con, "claims/upsert_entity", [entity.entity_id, entity.name, entity.kind])
            db.run(con, "claims/upsert_article_entity", [article_id, entity.entity_id, mentions])
        for alias, entity_id in resolver.aliases():
            db.run(con, "claims/upsert_alias", [alias, entity_id])
        db.run(con, "claims/mark_processed", [now, article_id])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def extract_pending(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> dict[str, int | float]:
    """Extract claims from every unprocessed article, in publication order; one transaction per
    article, so a crash leaves finished articles done and the rest pending."""
    index = EventIndex(catalog, _known_events(con))
    resolver = Resolver()
    articles = claims = failed = 0
    events_before = len(index.events)
    for row in db.rows(con, "claims/unprocessed_articles"):
        article = ArticleInput(
            article_id=row["article_id"], text=row["text"], title=row["title"],
            publisher=row["publisher"], url=row["url"], published=row["published"],
        )
        try:
            extraction = extract_article(article, catalog, resolver)
        except Exception:  # one unreadable article must not stop the stream
            log.exception("extraction failed for article %s; it stays pending", article.article_id)
            failed += 1
            continue
        assigned = index.assign_claims(extraction.claims)
        _store_extraction(con, article.article_id, assigned, index, extraction.entities, resolver)
        articles += 1
        claims += len(assigned)
    return {"articles": articles, "claims": claims, "events_new": len(index.events) - events_before,
            "articles_failed": failed}


def extract(settings: Settings, run_id: str | None = None) -> StageCounts:
    """Extract claims from articles not yet processed and assign them to events."""
    started, t0 = datetime.now(UTC), time.perf_counter()
    with db.session(settings.database) as con:
        counts = StageCounts("extract", extract_pending(con, load_catalog(settings.catalog)))
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


def _claim_from_row(row: dict[str, Any]) -> Claim:
    return Claim(
        claim_id=row["claim_id"], article_id=row["article_id"], attribute=row["attribute"], kind=row["kind"],
        unit=row["unit"], value_low=row["value_low"], value_high=row["value_high"], hedge=row["hedge"],
        value_text=row["value_text"], scope=row["scope"], as_of=row["as_of"], quote=row["quote"],
        quote_start=row["quote_start"], quote_end=row["quote_end"], sentence=row["sentence"],
        source_entity=row["source_entity"], event_id=row["event_id"], published=row["published"],
    )


def detect_stored(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> dict[str, int | float]:
    claims = [_claim_from_row(r) for r in db.rows(con, "claims/claims_for_detection")]
    found = detect_contradictions(claims, catalog)
    now = datetime.now(UTC)
    con.execute("BEGIN TRANSACTION")
    try:
        for x in found:
            db.run(con, "claims/upsert_contradiction", [
                x.contradiction_id, x.event_id, x.attribute, x.kind, x.claim_a, x.claim_b, x.gap,
                x.relative_gap, x.severity, x.reason, x.fingerprint, now,
            ])
        db.run(con, "claims/delete_stale_contradictions", [[x.contradiction_id for x in found]])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    kinds: dict[str, int | float] = {k: sum(1 for x in found if x.kind == k) for k in ("conflict", "update", "revision")}
    return {"claims": len(claims), **kinds}


def detect(settings: Settings, run_id: str | None = None) -> StageCounts:
    """Compare claims per event and attribute; store conflicts, updates and revisions."""
    started, t0 = datetime.now(UTC), time.perf_counter()
    with db.session(settings.database) as con:
        counts = StageCounts("detect", detect_stored(con, load_catalog(settings.catalog)))
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


def send_alerts(settings: Settings, send: SendEmail, run_id: str | None = None) -> StageCounts:
    """Queue an alert per new contradiction fingerprint and send pending ones with ``send``."""
    from pipelines.alerts import queue_alerts, send_pending

    started = datetime.now(UTC)
    with db.session(settings.database) as con:
        queued = queue_alerts(con, settings)
        result = send_pending(con, settings, send)
        counts = StageCounts("alerts", {"queued": queued, **result})
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


def publish_snapshot(settings: Settings) -> StageCounts:
    """Publish an atomic read-only copy of the database for analysts."""
    from pipelines.snapshot import publish

    t0 = time.perf_counter()
    size = publish(settings.database, settings.snapshot)
    counts = StageCounts("snapshot", {"bytes": size, "elapsed_s": round(time.perf_counter() - t0, 3)})
    log.info("%s -> %s", counts.line(), settings.snapshot)
    return counts


def run_once(settings: Settings, send: SendEmail) -> list[StageCounts]:
    """The whole pipeline once, in order, without Airflow."""
    run_id = "cli-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return [
        ingest(settings),
        extract(settings, run_id),
        detect(settings, run_id),
        send_alerts(settings, send, run_id),
        publish_snapshot(settings),
    ]


def reprocess(settings: Settings) -> list[str]:
    """Recompute claims, events and contradictions from stored article text (no re-fetching), and
    say which contradictions appeared and disappeared. The alert history is kept, so a
    contradiction that reappears with the same values is not emailed again."""
    catalog = load_catalog(settings.catalog)
    with db.session(settings.database) as con:
        before = {r["contradiction_id"]: r for r in db.rows(con, "claims/contradiction_summaries")}
        con.execute("BEGIN TRANSACTION")
        con.execute(db.sql("claims/reset_claims"))
        con.execute("COMMIT")
        extracted = extract_pending(con, catalog)
        detected = detect_stored(con, catalog)
        after = {r["contradiction_id"]: r for r in db.rows(con, "claims/contradiction_summaries")}
    lines = [f"reprocessed {extracted['articles']} articles: {extracted['claims']} claims, "
             f"{detected['conflict']} conflicts, {detected['update']} updates, {detected['revision']} revisions"]
    for cid in sorted(after.keys() - before.keys()):
        lines.append("appeared:    " + _describe(after[cid]))
    for cid in sorted(before.keys() - after.keys()):
        lines.append("disappeared: " + _describe(before[cid]))
    if before.keys() == after.keys():
        lines.append("no contradiction appeared or disappeared")
    return lines


def _describe(row: dict[str, Any]) -> str:
    return (f"{row['kind']} {row['attribute']} @ {row['event']}: {row['a_value']} ({row['a_publisher']}) vs "
            f"{row['b_value']} ({row['b_publisher']})")
