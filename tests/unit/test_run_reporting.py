"""What a run tells its operator: each stage's line as the stage ends (a failed run still shows the
finished ones), and data-quality emails whose Message-ID survives any run id."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime

import yaml

from pipelines import cli
from pipelines.quality.gate import SuiteOutcome
from pipelines.quality.report import operator_message
from pipelines.settings import Settings, get_settings

# RFC 5322 msg-id: "<" dot-atom-text "@" dot-atom-text ">"
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
MSG_ID = re.compile(rf"<{ATEXT}(?:\.{ATEXT})*@{ATEXT}(?:\.{ATEXT})*>")


def test_quality_email_message_id_is_well_formed_for_an_airflow_run_id(tmp_path):
    now = datetime.now(UTC)
    broken = SuiteOutcome(suite="claims", table="claims", started_at=now, finished_at=now, rows_checked=0,
                          rows_published=0, rows_quarantined=0, rows_held=3, expectations=[],
                          error="suite file unreadable")
    run_id = "manual__2026-12-01T10:00:00.123+00:00:validate"
    msg = operator_message(Settings(home=tmp_path), run_id, [broken], "<p>report</p>", tmp_path / "report.html")
    assert msg is not None
    sent = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    message_id = str(sent["Message-ID"])
    assert MSG_ID.fullmatch(message_id), message_id
    assert "manual__2026-12-01T10-00-00.123-00-00-validate" in message_id  # the run stays recognisable


def test_run_once_prints_each_stage_as_it_ends_so_a_failed_run_shows_the_finished_ones(tmp_path, monkeypatch, capsys):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(yaml.safe_dump({"feeds": []}))
    monkeypatch.setenv("NEWSWATCH_HOME", str(tmp_path))
    monkeypatch.setenv("NEWSWATCH_FEEDS", str(feeds))
    monkeypatch.setenv("NEWSWATCH_CATALOG", str(tmp_path / "missing-catalog.yaml"))  # extraction fails
    get_settings.cache_clear()
    try:
        code = cli.main(["run-once"])
    finally:
        get_settings.cache_clear()
    captured = capsys.readouterr()
    stages = [line.split(":")[0] for line in captured.out.splitlines()]
    assert stages == ["ingest", "operator_alerts"], captured.out
    err = captured.err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("newswatch run-once: error: ")
    assert "missing-catalog.yaml" in err[0]
