"""The single DuckDB writer of extraction: assign events and store a batch of results in bulk.

A batch is written in one transaction with one statement per table (DataFrames registered with
DuckDB and read by ``INSERT ... SELECT`` in ``sql/claims/*batch*``), instead of one statement per
claim, entity and alias. Events are assigned here, not in the workers: the event index is
sequential (a report joins the occurrences known before it), so batches arrive in publication order
and are assigned in that order.

Storing is idempotent: only articles still pending and unchanged since they were read are stored
(``current_batch_articles``), an article's earlier claims are replaced, and ids are content hashes.
Re-storing a batch, or a batch after a crash, duplicates nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pandas as pd

from pipelines import db
from pipelines.claims.catalog import Catalog
from pipelines.claims.places import Gazetteer
from pipelines.events import REQUEST_FIELDS, Event, EventIndex
from pipelines.extract_batches import ArticleResult
from pipelines.headlines import event_labels, story_names

CLAIM_COLUMNS = [
    "claim_id", "article_id", "event_id", "attribute", "kind", "unit", "value_low", "value_high", "hedge",
    "value_text", "scope", "as_of", "source_entity", "quote", "quote_start", "quote_end", "sentence",
    "extracted_at", "confidence", "confidence_reasons", "area", "area_place", "event_part",
]


@dataclass
class StoreCounts:
    articles: int = 0
    claims: int = 0
    failed: int = 0
    stale: int = 0  # results for a text that changed (or was stored) since it was read

    def add(self, other: StoreCounts) -> None:
        self.articles += other.articles
        self.claims += other.claims
        self.failed += other.failed
        self.stale += other.stale


def known_events(con: duckdb.DuckDBPyConnection) -> list[Event]:
    """Every stored event, in stored order (an index over all of them; a run's index is ``lazy``)."""
    # rows as tuples in Event's field order (claims/events.sql): a dict per event costs twice as much
    return [Event(*row) for row in db.run(con, "claims/events").fetchall()]


def load_candidate_events(con: duckdb.DuckDBPyConnection, index: EventIndex,
                          results: Sequence[ArticleResult]) -> int:
    """Give a lazy index the stored events the batch's reports may belong to (their stories' weeks,
    rounds, days; see ``EventIndex.requests``) in one query; returns how many it had not held."""
    requests = index.requests((c.hint, c.article_id) for r in results for c in r.claims if c.hint is not None)
    if not requests:
        return 0
    # one list per field, bound as parameters (cheaper than registering a frame per batch)
    columns = {k: [getattr(q, k) for q in requests] for k in REQUEST_FIELDS}
    return index.add_stored(db.run(con, "claims/events_requested", columns).fetchall())


def _current(con: duckdb.DuckDBPyConnection, results: Sequence[ArticleResult]) -> set[str]:
    candidates = pd.DataFrame({"article_id": [r.article_id for r in results],
                               "content_hash": [r.content_hash for r in results]})
    with db.registered(con, {"batch_candidates": candidates}):
        return {row["article_id"] for row in db.rows(con, "claims/current_batch_articles")}


def _frames(results: Sequence[ArticleResult], index: EventIndex, now: datetime,
            gazetteer_aliases: Sequence[tuple[str, str]]) -> tuple[dict[str, pd.DataFrame], int]:
    """The batch as one DataFrame per table, events assigned in the results' (publication) order."""
    claims: list[tuple[object, ...]] = []
    entities: list[tuple[object, ...]] = []
    # the gazetteer's spellings come first, as they do in a resolver, then what the articles taught
    aliases = [(alias, entity_id, i) for i, (alias, entity_id) in enumerate(gazetteer_aliases)]
    for r in results:
        for c in index.assign_claims(r.claims):
            claims.append((c.claim_id, c.article_id, c.event_id, c.attribute, c.kind, c.unit, c.value_low,
                           c.value_high, c.hedge, c.value_text, c.scope, c.as_of, c.source_entity, c.quote,
                           c.quote_start, c.quote_end, c.sentence, now, c.confidence, list(c.confidence_reasons),
                           c.area, c.area_place, c.event_part))
        entities += [(r.article_id, e.entity_id, e.name, e.kind, n, len(entities) + i)
                     for i, (e, n) in enumerate(r.entities)]
        aliases += [(alias, entity_id, len(aliases) + i) for i, (alias, entity_id) in enumerate(r.aliases)]
    events = [(e.event_id, e.story_type, e.label, e.occurrence_date, e.location, e.round_ordinal, now, e.session)
              for e in index.new]
    frames = {
        "batch_articles": pd.DataFrame({"article_id": [r.article_id for r in results]}, dtype=object),
        "batch_claims": pd.DataFrame.from_records(claims, columns=CLAIM_COLUMNS),
        "batch_entities": pd.DataFrame.from_records(
            entities, columns=["article_id", "entity_id", "name", "kind", "mentions", "position"]),
        "batch_aliases": pd.DataFrame.from_records(aliases, columns=["alias", "entity_id", "position"]),
        "batch_events": pd.DataFrame.from_records(events, columns=[
            "event_id", "story_type", "label", "occurrence_date", "location", "round_ordinal", "created_at",
            "session"]),
    }
    return frames, len(claims)


BATCH_STATEMENTS = [
    "claims/insert_batch_events",
    # the article's text may be a new version: its claims are those of this text only (and
    # detection must compare the groups its old claims were in again)
    "claims/mark_batch_groups",
    "claims/delete_batch_claims",
    "claims/delete_batch_staged_claims",
    "claims/delete_batch_article_entities",
    "claims/stage_batch_claims",
    "claims/insert_batch_entities",
    "claims/insert_batch_article_entities",
    "claims/insert_batch_aliases",
]


def _relabel_events(con: duckdb.DuckDBPyConnection, catalog: Catalog, places: Gazetteer | None = None) -> int:
    """Headline labels for the events of ``batch_claims``, from every report each now has
    (pipelines/headlines.py); how many labels changed. ``places``: the place gazetteer, if this
    process has one already (else ``load_gazetteer``'s)."""
    labels = event_labels(db.rows(con, "claims/event_places"), story_names(catalog), places)
    frame = pd.DataFrame({"event_id": list(labels), "label": list(labels.values())}, dtype="object")
    with db.registered(con, {"batch_event_labels": frame}):
        return len(db.rows(con, "claims/update_event_labels"))


def relabel_all(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> tuple[int, int]:
    """Every event's label again, from all its reports: a label is otherwise only refreshed when
    its event gets a new report, so a store labelled by older rules keeps old labels. Returns
    (events, labels changed)."""
    events = pd.DataFrame({"event_id": [r["event_id"] for r in db.rows(con, "claims/events")]}, dtype="object")
    with db.registered(con, {"batch_claims": events}):
        return len(events), _relabel_events(con, catalog)


def store_batch(con: duckdb.DuckDBPyConnection, results: Sequence[ArticleResult], index: EventIndex,
                now: datetime | None = None, gazetteer_aliases: Sequence[tuple[str, str]] = (),
                places: Gazetteer | None = None) -> StoreCounts:
    """Assign events to the batch's claims and store them in one transaction. Failed articles stay
    pending; results for a text that is no longer the article's current, pending one are dropped.
    ``places``: the place gazetteer for the event labels (default ``load_gazetteer``'s)."""
    now = now or datetime.now(UTC)
    counts = StoreCounts(failed=sum(1 for r in results if r.error is not None))
    readable = [r for r in results if r.error is None]
    if not readable:
        return counts
    con.execute("BEGIN TRANSACTION")
    try:
        current = _current(con, readable)
        fresh = [r for r in readable if r.article_id in current]
        counts.stale = len(readable) - len(fresh)
        load_candidate_events(con, index, fresh)
        frames, counts.claims = _frames(fresh, index, now, gazetteer_aliases)
        with db.registered(con, frames):
            for name in BATCH_STATEMENTS:
                db.run(con, name)
            _relabel_events(con, index.catalog, places)
            db.run(con, "claims/mark_batch_processed", {"processed_at": now})
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        # the index holds this batch's new events, which were not stored: forget them
        index.forget_new()
        raise
    index.new.clear()
    counts.articles = len(fresh)
    return counts
