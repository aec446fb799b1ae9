"""Every example query in sql/queries/ runs against the demo data, read-only, on the analysts' snapshot.

The demo data is real pipeline output: the demo feed server (all ten articles at once) and a broken
feed on 127.0.0.1, then ingest, extract, the quality gate, detect, alerts (collected, not mailed) and
the snapshot. Each query has a check of what it must show, derived from the demo answer key or from
the tables, so a query that silently returns the wrong thing fails here.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from pipelines import db, flow
from pipelines.demo.corpus import load_answer_key, load_corpus
from pipelines.demo.server import make_server
from pipelines.settings import Settings

QUERIES = Path(__file__).resolve().parents[2] / "sql" / "queries"
RUN_ID = "manual__test-queries"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("queries-home")
    server, thread = make_server("127.0.0.1", 0, release_all=True)
    try:
        broken = server.feed_url.rsplit("/", 1)[0] + "/no-such-feed.xml"
        feeds = home / "feeds.yaml"
        feeds.write_text(yaml.safe_dump({"feeds": [
            {"name": "demo-wire", "url": server.feed_url},
            {"name": "gone-feed", "url": broken},
        ]}))
        settings = Settings(home=home, feeds=feeds, allowed_hosts="127.0.0.1", host_min_delay=0.0,
                            respect_robots=False, operator_email="", db_path=None, snapshot_path=None)
        sent: list[EmailMessage] = []
        flow.ingest(settings, RUN_ID)
        flow.extract(settings, RUN_ID)
        flow.validate(settings, sent.append, RUN_ID)
        flow.detect(settings, RUN_ID, sent.append)
        flow.send_alerts(settings, sent.append, RUN_ID)
        # One row the claims suite must hold back, so the quarantine query has something to show.
        with db.session(settings.database) as con:
            db.run(con, "quality/stage_claim", [
                "bad-claim", "no-such-article", None, "no.such.attribute", "fixed", "people", 10.0, 5.0,
                "exact", "10", "whole", None, None, "10", 0, 2, "10 people", datetime.now(UTC), 1.0, [],
            ])
        flow.validate(settings, sent.append, RUN_ID + "-2")
        flow.publish_snapshot(settings, RUN_ID)
        # a stage's own timing row is written after it ran: the next generation shows the snapshot's
        flow.publish_snapshot(settings, RUN_ID + "-2")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    return {"settings": settings, "snapshot": settings.snapshot, "sent": sent}


@pytest.fixture(scope="module")
def con(demo):
    c = duckdb.connect(str(demo["snapshot"]), read_only=True)
    yield c
    c.close()


def run_query(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    cur = con.execute((QUERIES / f"{name}.sql").read_text(encoding="utf-8"))
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def publishers() -> dict[str, str]:
    return {a.slug: a.publisher for a in load_corpus()}


def expected_conflicts() -> set[tuple[str, frozenset[str]]]:
    names = publishers()
    return {(c["attribute"], frozenset({names[c["a_slug"]], names[c["b_slug"]]})) for c in load_answer_key()["conflicts"]}


ALL_QUERIES = sorted(p.stem for p in QUERIES.glob("*.sql"))


def test_there_are_at_least_five_example_queries():
    assert len(ALL_QUERIES) >= 5


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_every_query_says_what_it_answers_and_how_to_run_it(name):
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("--")]
    assert any(line.startswith("-- Question:") for line in header), name
    assert any(f"sql/queries/{name}.sql" in line for line in header if "Run:" in line), name
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip().upper()
    # Analysts read the snapshot; an example must never write.
    assert body.startswith(("SELECT", "WITH")), name
    assert not re.search(r"\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH)\b", body), name


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_every_query_runs_on_the_read_only_snapshot(con, name):
    assert name in CHECKS, f"add a check of what {name}.sql must show to CHECKS"
    rows = run_query(con, name)
    CHECKS[name](con, rows)


def check_conflicts_latest(con, rows):
    found = {(r["attribute"], frozenset({r["a_publisher"], r["b_publisher"]})) for r in rows}
    assert expected_conflicts() <= found
    assert {r["status"] for r in rows} == {"alerted"}
    assert all(r["gap"] > 0 and r["a_quote"] and r["b_quote"] for r in rows)
    times = [r["detected_at"] for r in rows]
    assert times == sorted(times, reverse=True)


def check_figure_spread(con, rows):
    claims_with_event = con.execute("SELECT count(*) FROM claims WHERE event_id IS NOT NULL").fetchone()[0]
    assert sum(r["reports"] for r in rows) == claims_with_event
    assert all(r["lowest"] <= r["highest"] for r in rows if r["lowest"] is not None)
    conflicting = {a for a, _ in expected_conflicts()}
    # Ordered by relative spread: the widest disagreement of the demo is a conflict.
    assert rows[0]["attribute"] in conflicting and rows[0]["conflict_sides"] > 0
    for r in rows:
        # A positive gap means two reports cannot both be true: exactly the conflicting attributes.
        assert (r["widest_gap"] is not None and r["widest_gap"] > 0) == (r["conflict_sides"] > 0), r


def test_figure_spread_reads_plainly_in_any_client(con):
    # one text of wordings (a list mixed quoted and unquoted items), a plain integer count
    types = dict(zip(con.sql((QUERIES / "figure_spread.sql").read_text()).columns,
                     map(str, con.sql((QUERIES / "figure_spread.sql").read_text()).types), strict=True))
    assert types["wordings"] == "VARCHAR" and types["conflict_sides"] == "BIGINT"
    rows = run_query(con, "figure_spread")
    assert any(" | " in r["wordings"] for r in rows)


def check_figure_history(con, rows):
    assert len(rows) == con.execute("SELECT count(*) FROM claims WHERE event_id IS NOT NULL").fetchone()[0]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["event_label"], r["attribute"]), []).append(r)
    for reports in groups.values():
        assert [r["report_no"] for r in reports] == list(range(1, len(reports) + 1))
        assert [r["reported_at"] for r in reports] == sorted(r["reported_at"] for r in reports)
        assert reports[0]["versus_previous"] == "first report"
        for before, after in zip(reports, reports[1:], strict=False):
            same = (before["value_low"], before["value_high"]) == (after["value_low"], after["value_high"])
            assert after["versus_previous"] == ("same" if same else "changed")
    assert any(r["in_conflict"] and r["versus_previous"] == "changed" for r in rows)


def check_outlets_in_conflicts(con, rows):
    by_outlet = {r["outlet"]: r for r in rows}
    involved = Counter(p for _, pair in expected_conflicts() for p in pair)
    lone, _ = involved.most_common(1)[0]
    assert rows[0]["outlet"] == lone, "the outlet alone against the others comes first"
    for outlet in involved:
        assert by_outlet[outlet]["conflicts"] >= 1
    total = con.execute("SELECT count(*) FROM contradictions WHERE kind = 'conflict'").fetchone()[0]
    assert sum(r["conflicts"] for r in rows) == 2 * total


def check_alert_outbox(con, rows):
    fingerprints = {fp for (fp,) in con.execute(
        "SELECT DISTINCT fingerprint FROM contradictions WHERE kind = 'conflict'").fetchall()}
    # Every conflict's current set of values has been alerted (first alerts and follow-ups).
    assert {r["conflict_fingerprint"] for r in rows} >= fingerprints
    assert {r["status"] for r in rows} == {"sent"}
    total = con.execute("SELECT count(*) FROM contradictions WHERE kind = 'conflict'").fetchone()[0]
    latest = {r["conflict_fingerprint"]: r["pairs"] for r in reversed(rows)}
    assert sum(latest[fp] for fp in fingerprints) == total
    assert all(r["is_update"] == (r["changes"] is not None) for r in rows)
    assert all(r["subject"].startswith("[newswatch]") for r in rows)


def check_feed_problems(con, rows):
    assert [r["feed_name"] for r in rows] == ["gone-feed", "demo-wire"], "the failing feed comes first"
    gone, demo = rows
    assert gone["last_status"] == "http_error" and gone["consecutive_failures"] >= 1 and gone["last_error"]
    assert demo["last_status"] == "ok" and demo["consecutive_failures"] == 0
    assert demo["entries_last_24h"] == len(load_corpus())


def check_stage_timings(con, rows):
    stages = {r["stage"] for r in rows if r["run_id"] == RUN_ID}
    assert stages == {"ingest", "extract", "validate", "detect", "alerts", "snapshot"}
    assert all(r["seconds"] >= 0 for r in rows)
    assert all(r["counts"] for r in rows)


def check_quarantine_open(con, rows):
    assert len(rows) == 1
    assert rows[0]["table_name"] == "claims" and rows[0]["rows_held"] == 1
    assert "attribute_in_catalog" in rows[0]["reason"]


CHECKS = {
    "conflicts_latest": check_conflicts_latest,
    "figure_spread": check_figure_spread,
    "figure_history": check_figure_history,
    "outlets_in_conflicts": check_outlets_in_conflicts,
    "alert_outbox": check_alert_outbox,
    "feed_problems": check_feed_problems,
    "stage_timings": check_stage_timings,
    "quarantine_open": check_quarantine_open,
}


def duckdb_cli() -> Path:
    """The DuckDB command-line client installed with the project (the README's route for analysts)."""
    cli = Path(sys.executable).with_name("duckdb")
    assert cli.is_file(), "the dev extras install the duckdb CLI (duckdb-cli): run `make test` or pip install -e '.[dev]'"
    return cli


def test_the_readme_cli_route_works_with_an_older_duckdb_client(demo, con):
    cli = duckdb_cli()
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), f"the route must hold for a client older than the writer: {version}"
    # as the README says: duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/conflicts_latest.sql
    with (QUERIES / "conflicts_latest.sql").open() as query:
        done = subprocess.run([str(cli), "-readonly", "-csv", str(demo["snapshot"])], stdin=query,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    sides = ("attribute", "a_publisher", "a_value", "b_publisher", "b_value", "status")
    assert sorted(tuple(r[k] for k in sides) for r in rows) == sorted(
        tuple(str(r[k]) for k in sides) for r in run_query(con, "conflicts_latest"))
    assert expected_conflicts() <= {(r["attribute"], frozenset({r["a_publisher"], r["b_publisher"]})) for r in rows}
    # and the README's one-liner for the contradictions view, interactive style
    done = subprocess.run([str(cli), "-readonly", "-csv", str(demo["snapshot"]), "-c",
                           "SELECT count(*) AS n FROM v_contradictions WHERE kind = 'conflict'"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) == len(rows)
