"""What the operator page shows: feed health, the latest runs' counts, recent conflicts and alerts with
their status, and the quality gate per run with its kept report, read from the analyst snapshot."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines import db
from pipelines.alerts.render import attribute_words, format_interval
from pipelines.reports import report_name
from pipelines.run_summary import run_note
from pipelines.settings import Settings

RUNS, CONFLICTS, ALERTS, QUALITY_RUNS = 12, 20, 20, 30


@dataclass
class QualityRun:
    pipeline_run: str
    started_at: datetime
    suites: int
    suites_failed: int
    rows_checked: int
    rows_quarantined: int
    rows_held: int
    report: str | None  # file name under quality/runs/, when the report was kept


@dataclass
class Overview:
    snapshot: Path
    snapshot_time: datetime | None
    feeds: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    quality: list[QualityRun] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    latest_report: bool = False

    @property
    def ready(self) -> bool:
        return self.snapshot_time is not None


def _runs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    runs: dict[str, dict[str, Any]] = {}
    for r in rows:
        run = runs.setdefault(r["run_id"], {"run_id": r["run_id"], "started_at": r["started_at"],
                                            "finished_at": r["finished_at"], "stages": {}})
        counts = r["counts"]
        run["stages"][r["stage"]] = {"stage": r["stage"],
                                     "counts": json.loads(counts) if isinstance(counts, str) else counts or {}}
    for run in runs.values():
        # the same words as the DAG run's note: one line per stage with its counts
        run["lines"] = [line.removeprefix("- ").replace("**", "") for line in run_note(run["stages"]).splitlines()]
    return list(runs.values())


def _conflicts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        unit = r.get("unit") or ""
        r["attribute_words"] = attribute_words(r["attribute"])
        r["a_reading"] = format_interval(r["a_low"], r["a_high"], unit)
        r["b_reading"] = format_interval(r["b_low"], r["b_high"], unit)
    return rows


def _quality(rows: list[dict[str, Any]], folder: Path) -> list[QualityRun]:
    out = []
    for r in rows:
        name = report_name(r["pipeline_run"])
        out.append(QualityRun(
            pipeline_run=r["pipeline_run"], started_at=r["started_at"], suites=int(r["suites"]),
            suites_failed=int(r["suites_failed"]), rows_checked=int(r["rows_checked"] or 0),
            rows_quarantined=int(r["rows_quarantined"] or 0), rows_held=int(r["rows_held"] or 0),
            report=name if (folder / "runs" / name).is_file() else None,
        ))
    return out


def load_overview(settings: Settings) -> Overview:
    """Everything the page shows, from the snapshot as it is now (an empty overview before the first)."""
    path = settings.snapshot
    quality_folder = settings.quality_folder
    view = Overview(snapshot=path, snapshot_time=None, latest_report=(quality_folder / "report.html").is_file())
    if not path.is_file():
        return view
    view.snapshot_time = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        view.snapshot_time = None  # being replaced or unreadable: the next request reads the new one
        return view
    try:
        view.feeds = db.rows(con, "ui/feed_health")
        view.runs = _runs(db.rows(con, "ui/recent_runs", [RUNS]))
        view.conflicts = _conflicts(db.rows(con, "ui/recent_conflicts", [CONFLICTS]))
        view.alerts = db.rows(con, "ui/recent_alerts", [ALERTS])
        view.quality = _quality(db.rows(con, "ui/quality_runs", [QUALITY_RUNS]), quality_folder)
        view.quarantine = db.rows(con, "quality/open_quarantine_counts")
    finally:
        con.close()
    return view


@dataclass(frozen=True)
class Bar:
    x: float
    checked_height: float
    quarantined_height: float
    failed: bool
    title: str


def trend_bars(runs: list[QualityRun], width: int = 600, height: int = 80) -> list[Bar]:
    """Bars for the quality trend, oldest left: grey for rows checked, red for rows quarantined (on
    the same scale), a failed suite marks its bar."""
    ordered = list(reversed(runs))
    top = max((r.rows_checked for r in ordered), default=0) or 1
    step = width / max(len(ordered), 1)
    return [Bar(x=i * step, checked_height=height * r.rows_checked / top,
                quarantined_height=height * r.rows_quarantined / top, failed=r.suites_failed > 0,
                title=f"{r.pipeline_run}: {r.rows_checked} checked, {r.rows_quarantined} quarantined, "
                      f"{r.suites_failed} of {r.suites} suites failed")
            for i, r in enumerate(ordered)]


SAFE_REPORT = re.compile(r"^[A-Za-z0-9._-]+\.html$")
