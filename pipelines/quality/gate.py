"""The quality gate: write, audit, publish.

Claims and contradictions are written to staging (``stg_claims``, ``stg_contradictions``); the
gate runs their suite and, in one transaction per table, publishes the passing rows to the main
table, copies the failing rows with their failed expectations to ``quarantine`` and empties the
stage. Articles and feed entries are written by ingest straight into their tables, so they are
checked in place, once each (``quality_checked``): a failing article is moved out of ``articles``
into quarantine; a failing feed entry stays where it is (the poller reads ``feed_entries`` to know
what it has already fetched; removing it would fetch it again) and its open quarantine row is its
flag. Tables are checked in dependency order, so the claims of a quarantined article fail
``article_published`` in the same run.

If a suite cannot be evaluated (an expectation raised: a suite or SQL mistake, not bad data), its
rows are held: nothing is published or quarantined, the run is recorded as failed, and the next
run tries again.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines import db
from pipelines.ids import stable_id
from pipelines.quality.runner import ExpectationOutcome, GxRunner
from pipelines.quality.suites import Suite

# Dependency order: an article's suite decides before its claims' suite reads `articles`.
TABLES = ("feed_entries", "articles", "claims", "contradictions")
STAGED = frozenset({"claims", "contradictions"})
MOVED_OUT = frozenset({"articles"})  # checked in place, failing rows leave the table
SAMPLE_KEYS = 50

log = logging.getLogger(__name__)


@dataclass
class QuarantinedRow:
    table: str
    row_key: str
    reasons: list[str]


@dataclass
class SuiteOutcome:
    suite: str
    table: str
    started_at: datetime
    finished_at: datetime
    rows_checked: int
    rows_published: int
    rows_quarantined: int
    rows_held: int
    expectations: list[ExpectationOutcome]
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    error: str | None = None
    elapsed_s: float = 0.0

    @property
    def success(self) -> bool:
        return self.error is None and all(e.success for e in self.expectations)

    @property
    def failed_ratio(self) -> float:
        return self.rows_quarantined / self.rows_checked if self.rows_checked else 0.0

    def line(self) -> str:
        status = "ok" if self.success else ("ERROR" if self.error else "FAILED")
        failed = [f"{e.name}={e.unexpected_count}" for e in self.expectations if not e.success]
        text = (f"quality {self.suite}: {status} checked={self.rows_checked} published={self.rows_published} "
                f"quarantined={self.rows_quarantined}")
        if self.rows_held:
            text += f" held={self.rows_held}"
        if failed:
            text += " failed: " + ", ".join(failed)
        if self.error:
            text += f" error: {self.error}"
        return text


# The statements the gate runs per checked table, spelled out: which file serves which step.
_STATEMENTS = {
    step: {table: f"quality/{step}_{table}" for table in ("feed_entries", "articles", "claims", "contradictions")}
    for step in ("batch", "quarantine", "publish", "remove", "unstage", "restage", "requeue")
}


def statement(step: str, table: str) -> str:
    """The SQL file name for one step of the gate on one table (a KeyError names an unknown one)."""
    return _STATEMENTS[step][table]


def _register(con: duckdb.DuckDBPyConnection, passing: list[str], failing: list[QuarantinedRow], table: str,
              seen: pd.DataFrame) -> None:
    con.register("quality_seen", seen)
    con.register("quality_passing", pd.DataFrame({"row_key": pd.Series(passing, dtype="object")}))
    con.register("quality_failing", pd.DataFrame({
        "quarantine_id": pd.Series([stable_id("quarantine", table, q.row_key) for q in failing], dtype="object"),
        "row_key": pd.Series([q.row_key for q in failing], dtype="object"),
        "reason": pd.Series(["; ".join(q.reasons) for q in failing], dtype="object"),
        "failed_json": pd.Series([json.dumps(q.reasons) for q in failing], dtype="object"),
    }))


def _unregister(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("quality_seen", "quality_passing", "quality_failing"):
        con.unregister(name)


def _apply(con: duckdb.DuckDBPyConnection, table: str, passing: list[str], failing: list[QuarantinedRow],
           run_id: str, now: datetime, frame: pd.DataFrame) -> None:
    """Publish, quarantine and unstage in one transaction, so a crash leaves the stage as it was."""
    seen = frame[["row_key", "fingerprint"]] if "fingerprint" in frame.columns else frame[["row_key"]]
    _register(con, passing, failing, table, seen)
    con.execute("BEGIN TRANSACTION")
    try:
        if failing:
            db.run(con, statement("quarantine", table), {"now": now, "run_id": run_id})
        if table in STAGED:
            if passing:
                db.run(con, statement("publish", table))
            if failing:
                db.run(con, statement("remove", table))
            db.run(con, statement("unstage", table))
        else:
            if failing and table in MOVED_OUT:
                con.execute(db.sql(statement("remove", table)))
            if passing:
                db.run(con, "quality/clear_flags", {"table_name": table, "now": now})
            db.run(con, "quality/mark_checked", {"table_name": table, "run_id": run_id, "now": now})
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        _unregister(con)


def check_table(con: duckdb.DuckDBPyConnection, runner: GxRunner, suite: Suite, parameters: dict[str, Any],
                run_id: str, all_rows: bool = False) -> SuiteOutcome:
    """Validate one table's pending rows (``all_rows``: every row) and route each row."""
    table = suite.table
    started, t0 = datetime.now(UTC), time.perf_counter()
    if all_rows and table in STAGED:
        con.execute(db.sql(statement("restage", table)))
    query = db.sql(statement("batch", table))
    frame = (con.execute(query, {"all": all_rows}) if table not in STAGED else con.execute(query)).df()
    keys = [str(k) for k in frame["row_key"]]
    run = runner.run(suite, frame, parameters)
    now = datetime.now(UTC)
    if run.error:
        log.error("quality %s: suite could not be evaluated, %d rows held: %s", suite.name, len(keys), run.error)
        return SuiteOutcome(suite.name, table, started, now, len(keys), 0, 0, len(keys), run.expectations,
                            error=run.error, elapsed_s=round(time.perf_counter() - t0, 3))
    failures = run.failures()
    failing = [QuarantinedRow(table, keys[pos], names) for pos, names in sorted(failures.items())]
    failed_keys = {q.row_key for q in failing}
    passing = [k for k in keys if k not in failed_keys]
    _apply(con, table, passing, failing, run_id, now, frame)
    return SuiteOutcome(suite.name, table, started, datetime.now(UTC), len(keys), len(passing), len(failing), 0,
                        run.expectations, quarantined=failing, elapsed_s=round(time.perf_counter() - t0, 3))


def record(con: duckdb.DuckDBPyConnection, run_id: str, outcomes: Sequence[SuiteOutcome]) -> None:
    """Store each suite's run and per-expectation results (``validation_runs`` / ``validation_results``)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for o in outcomes:
            db.run(con, "quality/insert_run", [
                run_id, o.suite, o.table, o.started_at, o.finished_at, o.success, o.rows_checked,
                o.rows_published, o.rows_quarantined, o.rows_held, len(o.expectations),
                sum(1 for e in o.expectations if not e.success), o.error, o.elapsed_s,
            ])
            keys_by_name: dict[str, list[str]] = {}
            for q in o.quarantined:
                for name in q.reasons:
                    keys_by_name.setdefault(name, []).append(q.row_key)
            for e in o.expectations:
                db.run(con, "quality/insert_result", [
                    run_id, o.suite, e.name, e.type, e.column, e.success, e.element_count, e.unexpected_count,
                    e.unexpected_percent, keys_by_name.get(e.name, [])[:SAMPLE_KEYS],
                    json.dumps(e.kwargs, default=str), e.exception,
                ])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def run_gate(con: duckdb.DuckDBPyConnection, suites: dict[str, Suite], parameters: dict[str, Any], run_id: str,
             tables: Sequence[str] = TABLES, all_rows: bool = False, runner: GxRunner | None = None) -> list[SuiteOutcome]:
    """Check ``tables`` in dependency order and record the results; returns one outcome per suite."""
    missing = [t for t in tables if t not in suites]
    if missing:
        raise FileNotFoundError(f"no expectation suite for table(s) {', '.join(missing)}")
    runner = runner or GxRunner()
    # The claims batch names the catalog attribute a part qualifies by joining the vocabulary.
    db.run(con, "quality/create_vocabulary", {"names": list(parameters.get("catalog_attributes", []))})
    try:
        outcomes = [check_table(con, runner, suites[t], parameters, run_id, all_rows) for t in TABLES if t in tables]
    finally:
        db.run(con, "quality/drop_vocabulary")
    record(con, run_id, outcomes)
    for o in outcomes:
        (log.info if o.success else log.warning)(o.line())
    return outcomes
