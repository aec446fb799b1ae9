"""Where quality reports are kept: ``<folder>/report.html`` (the latest) and one file per pipeline run
under ``<folder>/runs/`` (kept, so operators can compare runs). No Great Expectations import here:
the operator page lists reports without loading GX (kept outside ``pipelines.quality``, whose import
loads it)."""

from __future__ import annotations

from pathlib import Path


def report_name(run_id: str) -> str:
    """File name of a run's kept report: the run id with anything but ``[A-Za-z0-9._-]`` as ``_``."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_id) + ".html"


def write_report(folder: Path, run_id: str, html: str) -> Path:
    """Write ``<folder>/runs/<run>.html`` (kept) and ``<folder>/report.html`` (the latest)."""
    runs = folder / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    (runs / report_name(run_id)).write_text(html, encoding="utf-8")
    latest = folder / "report.html"
    tmp = latest.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(latest)  # atomic: an operator's browser never reads half a report
    return latest
