"""What operators read in each task log: one line per stage with its counts and elapsed seconds,
written by the stage itself (pipelines.flow), not repeated by the DAG task that calls it."""

from __future__ import annotations

import ast
import logging
import re
import subprocess
import sys
import textwrap
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml

from pipelines import flow
from pipelines.demo.server import make_server
from pipelines.settings import Settings

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"

# Stage line prefix -> counts the issue asks operators to see (feeds polled, not modified, new
# entries, articles stored, claims, contradictions, emails sent).
REQUIRED = {
    "ingest": {"feeds_polled", "not_modified", "entries_new", "articles_stored"},
    "operator_alerts": {"sent"},
    "extract": {"articles", "claims"},
    "validate": {"published", "quarantined"},
    "detect": {"contradictions", "conflict", "update", "revision"},
    "alerts": {"queued", "emails", "sent"},
    "snapshot": {"bytes"},
}


def stage_lines(records: list[logging.LogRecord]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for rec in records:
        m = re.match(r"^(\w+): (.*?)(?: -> .*)?$", rec.getMessage())
        if m and m.group(1) in REQUIRED:
            found.setdefault(m.group(1), []).append(dict(kv.split("=", 1) for kv in m.group(2).split(", ")))
    return found


def test_every_stage_logs_one_line_with_its_counts_and_timing(tmp_path, caplog):
    server, thread = make_server("127.0.0.1", 0, release_all=True)
    try:
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(yaml.safe_dump({"feeds": [{"name": "demo", "url": server.feed_url}]}))
        settings = Settings(home=tmp_path, feeds=feeds, allowed_hosts="127.0.0.1", host_min_delay=0.0,
                            operator_email="", db_path=None, snapshot_path=None)
        sent: list[EmailMessage] = []
        with caplog.at_level(logging.INFO):
            flow.run_once(settings, sent.append)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    lines = stage_lines(caplog.records)
    assert set(lines) == set(REQUIRED)
    for stage, required in REQUIRED.items():
        assert len(lines[stage]) == 1, (stage, lines[stage])
        counts = lines[stage][0]
        assert required | {"elapsed_s"} <= set(counts), (stage, counts)
        assert float(counts["elapsed_s"]) >= 0
    assert int(lines["ingest"][0]["articles_stored"]) > 0
    assert int(lines["detect"][0]["contradictions"]) > 0
    assert int(lines["alerts"][0]["emails"]) == len(sent) > 0


@pytest.mark.parametrize("dag_file", sorted(DAGS_FOLDER.glob("*.py")), ids=lambda p: p.name)
def test_dag_tasks_do_not_log_the_stage_line_again(dag_file):
    tree = ast.parse(dag_file.read_text())
    repeated = [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "line"
    ]
    assert repeated == [], f"{dag_file.name} logs counts.line() again at lines {repeated}"


QUALITY_STAGES = textwrap.dedent(
    """
    import logging, sys
    from pathlib import Path
    # As in a task process: the root logger at INFO, Great Expectations not imported yet.
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s: %(message)s")
    assert "great_expectations" not in sys.modules
    from pipelines import flow
    from pipelines.settings import Settings
    settings = Settings(home=Path(sys.argv[1]), db_path=None, snapshot_path=None, quality_dir=None)
    flow.validate(settings, run_id="log-check")
    flow.detect(settings, run_id="log-check")
    assert "great_expectations" in sys.modules
    """
)


def test_quality_and_detection_logs_carry_no_great_expectations_noise(tmp_path):
    # Import-time noise shows only in a fresh interpreter, as each task process is.
    out = subprocess.run([sys.executable, "-c", QUALITY_STAGES, str(tmp_path)], capture_output=True, text=True,
                         timeout=300, cwd=DAGS_FOLDER.parent)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [line for line in (out.stdout + out.stderr).splitlines() if line.strip()]
    assert not [line for line in lines if "Skipping registering" in line or line.startswith("great_expectations")]
    # What is left is what an operator reads: the quality summary and each stage's counts.
    assert any(line.startswith("pipelines.flow: quality: ") for line in lines), lines
    assert any(line.startswith("pipelines.flow: validate: ") for line in lines), lines
    assert any(line.startswith("pipelines.flow: detect: ") for line in lines), lines
    assert len(lines) < 15, lines
