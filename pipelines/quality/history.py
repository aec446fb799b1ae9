"""A quality run read back from the tables it wrote (``validation_runs``, ``validation_results``,
``quarantine``), so a later stage can render one report for the whole pipeline run: detection adds
the contradictions suite's real check to what validation found earlier, in another task."""

from __future__ import annotations

import json

import duckdb

from pipelines import db
from pipelines.quality.gate import QuarantinedRow, SuiteOutcome
from pipelines.quality.runner import ExpectationOutcome


def stored_outcomes(con: duckdb.DuckDBPyConnection, run_id: str) -> list[SuiteOutcome]:
    """The suites of quality run ``run_id`` as recorded (failing rows as sampled keys, not positions)."""
    expectations: dict[str, list[ExpectationOutcome]] = {}
    for e in db.rows(con, "quality/run_expectations", [run_id]):
        expectations.setdefault(e["suite"], []).append(ExpectationOutcome(
            name=e["expectation"], type=e["expectation_type"], column=e["column_name"], success=bool(e["success"]),
            element_count=int(e["element_count"] or 0), unexpected_count=int(e["unexpected_count"] or 0),
            unexpected_percent=e["unexpected_percent"], kwargs=json.loads(e["kwargs"] or "{}"),
            exception=e["exception"],
        ))
    quarantined: dict[str, list[QuarantinedRow]] = {}
    for q in db.rows(con, "quality/run_quarantined", [run_id]):
        quarantined.setdefault(q["table_name"], []).append(
            QuarantinedRow(table=q["table_name"], row_key=q["row_key"], reasons=list(q["failed_expectations"] or [])))
    return [
        SuiteOutcome(
            suite=s["suite"], table=s["table_name"], started_at=s["started_at"], finished_at=s["finished_at"],
            rows_checked=int(s["rows_checked"]), rows_published=int(s["rows_published"]),
            rows_quarantined=int(s["rows_quarantined"]), rows_held=int(s["rows_held"]),
            expectations=expectations.get(s["suite"], []), quarantined=quarantined.get(s["table_name"], []),
            error=s["error"], elapsed_s=float(s["elapsed_s"] or 0.0),
        )
        for s in db.rows(con, "quality/run_suites", [run_id])
    ]
