"""Re-publishing a fixed row: release it from quarantine so the next validation checks it again.

The (optionally corrected) row goes back where the gate picks it up: staged tables get it back in
staging; an article returns to ``articles`` unprocessed (its claims are extracted again from the
fixed text); a feed entry's stored row is replaced. Its quarantine row keeps the released version
and ``released_at``. If the row still fails, the next run quarantines it again (same quarantine id).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines import db
from pipelines.quality.gate import statement

KEY_COLUMNS = {"feed_entries": "entry_id", "articles": "article_id", "claims": "claim_id",
               "contradictions": "contradiction_id"}


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """``["value_low=5", "language=en"]`` -> ``{"value_low": 5, "language": "en"}`` (JSON values, else text)."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        column, sep, raw = pair.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"expected column=value, got {pair!r}")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        changes[column.strip()] = value
    return changes


def release(con: duckdb.DuckDBPyConnection, quarantine_id: str, changes: dict[str, Any] | None = None) -> str:
    """Release one quarantined row, with ``changes`` applied to it; returns its table's name."""
    found = db.rows(con, "quality/quarantine_row", [quarantine_id])
    if not found:
        raise ValueError(f"no quarantined row with id {quarantine_id!r}")
    entry = found[0]
    if entry["released_at"] is not None:
        raise ValueError(f"quarantined row {quarantine_id} was already released at {entry['released_at']}")
    table = entry["table_name"]
    if table not in KEY_COLUMNS:
        raise ValueError(f"rows of table {table!r} cannot be released")
    row = json.loads(entry["row_json"])
    changes = changes or {}
    unknown = sorted(set(changes) - set(row))
    if unknown:
        raise ValueError(f"{table} has no column(s) {', '.join(unknown)}")
    if KEY_COLUMNS[table] in changes:
        raise ValueError(f"the key column {KEY_COLUMNS[table]} cannot be changed; fix the other columns")
    row.update(changes)
    now = datetime.now(UTC)
    con.register("quality_requeue", pd.DataFrame([row]))
    con.execute("BEGIN TRANSACTION")
    try:
        key = entry["row_key"]
        if table == "feed_entries":
            db.run(con, "quality/delete_feed_entry", [key])
        db.run(con, statement("requeue", table))
        if table in ("articles", "feed_entries"):
            db.run(con, "quality/uncheck", {"table_name": table, "row_key": key})
        if table == "articles":
            db.run(con, "quality/release_article_claims", {"now": now, "row_key": key})
        db.run(con, "quality/release", {"row_json": json.dumps(row), "now": now, "quarantine_id": quarantine_id})
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("quality_requeue")
    return str(table)
