"""Scope by event over the store: before detection compares a run's groups, the events with new or
removed claims are judged again from all their claims' areas (pipelines/event_scope.py), and a
claim whose scope changes moves to its new group. Both groups it touches are recomputed whole, so
detection over a stream in batches gives what a full reprocess gives."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines import db
from pipelines.claims.catalog import Catalog
from pipelines.event_scope import Revision, Scoped, revisions

REVISION_COLUMNS = list(Revision._fields)


def rescope_events(con: duckdb.DuckDBPyConnection, catalog: Catalog, full: bool = False) -> int:
    """Apply the scope the events' areas give their claims, for the events detection is about to
    read (every event with ``full``), inside the caller's transaction; returns how many claims
    changed."""
    rows = [Scoped(r["claim_id"], r["event_id"], r["attribute"], r["scope"], r["area"], r["area_place"],
                   bool(r["event_part"]))
            for r in db.rows(con, "claims/event_scope_claims", {"full": full})]
    changed = revisions(rows, catalog)
    if not changed:
        return 0
    frame = pd.DataFrame.from_records(changed, columns=REVISION_COLUMNS).astype(
        {c: "object" for c in REVISION_COLUMNS if c != "event_part"})
    with db.registered(con, {"event_scope_revisions": frame}):
        db.run(con, "claims/mark_event_scope_groups")
        db.run(con, "claims/update_event_scope")
    return len(changed)
