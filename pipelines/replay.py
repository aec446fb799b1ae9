"""`newswatch reprocess`: recompute claims, events and contradictions from stored article text after
the catalog or the rules changed (no re-fetching), and say which contradictions appeared and which
disappeared."""

from __future__ import annotations

from typing import Any

from pipelines import db
from pipelines.claims.catalog import load_catalog
from pipelines.detect import Rules
from pipelines.detect_store import detect_stored
from pipelines.extract_store import relabel_all
from pipelines.flow import extract_pending, gate, quality_run_id
from pipelines.settings import Settings


def reprocess(settings: Settings) -> list[str]:
    """Recompute claims, events and contradictions from stored article text (no re-fetching), and
    say which contradictions appeared and disappeared. The alert history is kept, so a
    contradiction that reappears with the same values is not emailed again."""
    catalog = load_catalog(settings.catalog)
    with db.session(settings.database) as con:
        before = {r["contradiction_id"]: r for r in db.rows(con, "claims/contradiction_summaries")}
        con.execute("BEGIN TRANSACTION")
        con.execute(db.sql("claims/reset_claims"))
        con.execute(db.sql("quality/reset_derived"))
        con.execute("COMMIT")
        qrun = quality_run_id(None, "reprocess")
        extracted = extract_pending(con, catalog, settings.extract_workers, settings.extract_batch_size)
        gate(con, settings, qrun, tables=["claims"], catalog=catalog)
        detected = detect_stored(con, catalog, Rules.of(settings), full=True)
        gate(con, settings, qrun, tables=["contradictions"], catalog=catalog)
        relabel_all(con, catalog)  # each event from all its reports, whatever batch brought them
        after = {r["contradiction_id"]: r for r in db.rows(con, "claims/contradiction_summaries")}
    lines = [f"reprocessed {extracted['articles']} articles: {extracted['claims']} claims, "
             f"{detected['conflict']} conflicts, {detected['update']} updates, {detected['revision']} revisions, "
             f"{detected['unordered']} unordered"]
    for cid in sorted(after.keys() - before.keys()):
        lines.append("appeared:    " + _describe(after[cid]))
    for cid in sorted(before.keys() - after.keys()):
        lines.append("disappeared: " + _describe(before[cid]))
    if before.keys() == after.keys():
        lines.append("no contradiction appeared or disappeared")
    return lines


def relabel(settings: Settings) -> str:
    """Label every stored event again from all its reports, without extracting anything: for a
    store labelled by older rules (a label is otherwise refreshed only when its event gets a new
    report)."""
    catalog = load_catalog(settings.catalog)
    with db.session(settings.database) as con:
        con.execute("BEGIN TRANSACTION")
        events, changed = relabel_all(con, catalog)
        con.execute("COMMIT")
    return f"relabelled {events} events: {changed} labels changed"


def _describe(row: dict[str, Any]) -> str:
    return (f"{row['kind']} {row['attribute']} @ {row['event']}: {row['a_value']} ({row['a_publisher']}) vs "
            f"{row['b_value']} ({row['b_publisher']})")
