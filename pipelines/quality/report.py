"""What operators read: a summary line, a self-contained HTML report, an email beyond a threshold.

GX Data Docs load their CSS and scripts from the internet, so the report is our own Jinja2
template with inline CSS and no external assets: it renders from a file with no network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

import great_expectations as gx
from jinja2 import Environment, PackageLoader, select_autoescape

from pipelines.quality.gate import SuiteOutcome
from pipelines.settings import Settings

ROW_PREVIEW_CHARS = 400
# Columns too big for a table cell; the full row stays in quarantine.row_json.
BULKY = ("text", "raw_html_gz", "sentence")

_env = Environment(loader=PackageLoader("pipelines.quality", "templates"), autoescape=select_autoescape(["html", "j2"]))


def summary_line(outcomes: Sequence[SuiteOutcome]) -> str:
    """One line for the task log: totals, then each failed suite and expectation."""
    checked = sum(o.rows_checked for o in outcomes)
    published = sum(o.rows_published for o in outcomes)
    quarantined = sum(o.rows_quarantined for o in outcomes)
    failed = [o for o in outcomes if not o.success]
    line = (f"quality: {len(outcomes) - len(failed)}/{len(outcomes)} suites passed, {checked} rows checked, "
            f"{published} published, {quarantined} quarantined")
    held = sum(o.rows_held for o in outcomes)
    if held:
        line += f", {held} held"
    for o in failed:
        names = [f"{e.name}={e.unexpected_count}" for e in o.expectations if not e.success]
        line += f" | {o.suite}: " + (f"error {o.error}" if o.error else ", ".join(names))
    return line


def _preview(row_json: str) -> str:
    try:
        row = json.loads(row_json)
    except ValueError:
        return row_json[:ROW_PREVIEW_CHARS]
    if isinstance(row, dict):
        row = {k: ("..." if k in BULKY and v else v) for k, v in row.items()}
    text = json.dumps(row, ensure_ascii=False, default=str)
    return text if len(text) <= ROW_PREVIEW_CHARS else text[: ROW_PREVIEW_CHARS - 3] + "..."


def render_report(run_id: str, outcomes: Sequence[SuiteOutcome], open_counts: Sequence[dict[str, Any]],
                  open_rows: Sequence[dict[str, Any]], generated_at: datetime | None = None) -> str:
    """The HTML report of one validation run, with the open quarantine."""
    failing_keys: dict[tuple[str, str], list[str]] = {}
    for o in outcomes:
        for q in o.quarantined:
            for name in q.reasons:
                keys = failing_keys.setdefault((o.suite, name), [])
                if len(keys) < 20:
                    keys.append(q.row_key)
    return _env.get_template("report.html.j2").render(
        run_id=run_id,
        generated_at=(generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S UTC"),
        gx_version=gx.__version__,
        summary=summary_line(outcomes),
        outcomes=outcomes,
        failing_keys=failing_keys,
        quarantined=[q for o in outcomes for q in o.quarantined],
        open_counts=open_counts,
        open_rows=[{**r, "row_json": _preview(r["row_json"])} for r in open_rows],
    )


def alarming(outcomes: Sequence[SuiteOutcome], threshold: float) -> list[SuiteOutcome]:
    """Suites that errored, or quarantined more than ``threshold`` of the rows they checked."""
    return [o for o in outcomes if o.error or (o.rows_quarantined and o.failed_ratio > threshold)]


_NOT_ATOM = re.compile(r"[^A-Za-z0-9._-]+")


def operator_message(settings: Settings, run_id: str, outcomes: Sequence[SuiteOutcome], html: str,
                     report_path: Path) -> EmailMessage | None:
    """The email to operators when a suite fails beyond ``settings.quality_alert_threshold``; else None."""
    bad = alarming(outcomes, settings.quality_alert_threshold)
    if not bad:
        return None
    msg = EmailMessage()
    names = ", ".join(o.suite for o in bad)
    quarantined = sum(o.rows_quarantined for o in bad)
    msg["Subject"] = f"[newswatch] data quality: {names} failed ({quarantined} rows quarantined)"
    msg["From"] = settings.alert_from
    msg["To"] = ", ".join(settings.operator_recipients)
    msg["Date"] = formatdate(localtime=False)
    # a Message-ID's left part is a dot-atom (RFC 5322): the ':' and '+' of run ids would cut it short
    msg["Message-ID"] = make_msgid(idstring="quality." + _NOT_ATOM.sub("-", run_id).strip("-."), domain="newswatch.local")
    lines = [
        f"Validation run {run_id} found suites failing beyond the threshold "
        f"({settings.quality_alert_threshold:.0%} of rows quarantined, or a suite that could not run).",
        "",
        summary_line(outcomes),
        "",
    ]
    for o in bad:
        lines.append(o.line())
    lines += ["", f"Full report: {report_path} (also attached).",
              "Quarantined rows are in the DuckDB table `quarantine` with their failed expectations."]
    msg.set_content("\n".join(lines))
    msg.add_attachment(html.encode("utf-8"), maintype="text", subtype="html", filename="quality-report.html")
    return msg
