"""The operator page's content from a real pipeline run: the demo feed on 127.0.0.1, the whole
pipeline once (``run_once``), the snapshot it publishes, and the FastAPI app the Airflow plugin mounts
(served here by Starlette's test client; tests/e2e/test_browser_ui.py opens it inside Airflow)."""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from fastapi import Depends, HTTPException
from fastapi.testclient import TestClient

from pipelines import flow
from pipelines.demo.server import make_server
from pipelines.settings import Settings
from pipelines.ui.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[EmailMessage]]:
    home = tmp_path_factory.mktemp("page-home")
    server, thread = make_server("127.0.0.1", 0, release_all=True)
    try:
        feeds = home / "feeds.yaml"
        feeds.write_text(yaml.safe_dump({"feeds": [{"name": "demo-wire", "url": server.feed_url}]}))
        settings = Settings(home=home, feeds=feeds, allowed_hosts="127.0.0.1", host_min_delay=0.0,
                            operator_email="", db_path=None, snapshot_path=None, quality_dir=None)
        sent: list[EmailMessage] = []
        flow.run_once(settings, sent.append)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    return settings, sent


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_page_shows_feeds_runs_conflicts_alerts_and_quality(ran):
    settings, sent = ran
    page = TestClient(create_app(lambda: settings)).get("/")
    assert page.status_code == 200
    text = text_of(page.text)
    # feed health
    assert "demo-wire" in text and re.search(r"demo-wire .*? ok ", text)
    # the latest run's counts, in the words of the run note
    assert re.search(r"extract \([\d.]+ s\): articles \d+, claims \d+", text), text[:2000]
    assert re.search(r"detect \([\d.]+ s\): claims \d+, conflict [1-9]", text)
    # contradictions with their alert status, and the alerts themselves
    assert page.text.count('<tr class="conflict">') >= 2
    assert "prisoner exchange per side" in text and "alerted" in text
    assert page.text.count('<tr class="alert">') == len(sent) - sum("data quality" in m["Subject"] for m in sent)
    alert_subjects = [str(m["Subject"]) for m in sent if "data quality" not in m["Subject"]]
    assert alert_subjects and all(text_of(html.escape(s)) in text for s in alert_subjects) and " sent " in text
    # quality: the latest report, and the run's kept report linked from its row
    assert 'href="quality/latest"' in page.text
    kept = re.findall(r'href="(quality/runs/[^"]+\.html)"', page.text)
    assert len(kept) == 1


def test_reports_are_served_and_the_contradictions_check_is_the_real_one(ran):
    settings, _ = ran
    client = TestClient(create_app(lambda: settings))
    latest = client.get("/quality/latest")
    assert latest.status_code == 200 and "Data quality report" in latest.text
    kept = re.findall(r'href="(quality/runs/[^"]+\.html)"', client.get("/").text)[0]
    report = client.get("/" + kept)
    assert report.status_code == 200
    # One report per pipeline run: validation's suites and detection's contradictions suite, which
    # checked the contradictions detection found (not the 0 rows staged before detection ran).
    row = re.search(r'<a href="#suite-contradictions">contradictions</a>.*?</tr>', report.text, re.S)
    assert row, report.text[:3000]
    checked = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row.group(0))]
    assert checked[0] > 0, row.group(0)
    assert '<a href="#suite-claims">claims</a>' in report.text


def test_only_report_files_are_served(ran):
    settings, _ = ran
    client = TestClient(create_app(lambda: settings))
    for bad in ("quality/runs/..%2Fnewswatch.duckdb", "quality/runs/report.txt", "quality/runs/nope.html"):
        assert client.get("/" + bad).status_code == 404, bad


def test_the_login_check_guards_every_route(ran):
    settings, _ = ran

    def deny() -> None:
        raise HTTPException(status_code=401, detail="Not authenticated")

    client = TestClient(create_app(lambda: settings, dependencies=[Depends(deny)]))
    for path in ("/", "/quality/latest"):
        assert client.get(path).status_code == 401


def test_before_the_first_snapshot_the_page_says_so(tmp_path: Path):
    settings = Settings(home=tmp_path, db_path=None, snapshot_path=None, quality_dir=None)
    page = TestClient(create_app(lambda: settings)).get("/")
    assert page.status_code == 200 and 'id="no-snapshot"' in page.text
