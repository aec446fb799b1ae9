"""The real chain through Airflow: news_ingest then news_process with ``dag.test()``.

A demo feed server and an SMTP sink run on 127.0.0.1, newswatch writes a real DuckDB file, and the
DAG tasks run in-process exactly as the DAG files wire them.

Stages still waiting for their implementation (``pipelines.flow`` function raising
NotImplementedError, or importing a module not in the tree yet) are marked success instead of run,
and the assertions about their output are skipped with the reason. When a stage lands its checks
switch on by themselves; the content checks that compare with the demo answer key
(``pipelines/demo/corpus/expected.json``) live in the ``test_*`` functions below, each a few lines.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import textwrap
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines import flow

pytestmark = pytest.mark.slow

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"

# DAG task -> the pipelines.flow function it calls (None: a task that only wires counts through).
TASK_STAGE: dict[str, str | None] = {
    "poll_and_store": "ingest",
    "announce_articles": None,
    "notify_operators": "notify_operators",
    "plan_extraction": "plan_extraction",
    "extract_batch": "extract_batch",
    "store_claims": "store_extraction",
    "validate_quality": "validate",
    "detect_contradictions": "detect",
    "send_alerts": "send_alerts",
    "publish_snapshot": "publish_snapshot",
}


def stage_missing(stage: str) -> str | None:
    """Why ``flow.<stage>`` cannot run yet, or None when it is implemented."""
    fn = getattr(flow, stage)
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return f"flow.{stage} raises NotImplementedError"
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if importlib.util.find_spec(node.module) is None:
                return f"flow.{stage} needs {node.module}, not in the tree yet"
    return None


MISSING = {stage: why for stage in TASK_STAGE.values() if stage and (why := stage_missing(stage))}


def needs(*stages: str) -> None:
    waiting = [MISSING[s] for s in stages if s in MISSING]
    if waiting:
        pytest.skip("waiting for: " + "; ".join(waiting))


def slug_of(url: str) -> str:
    match = re.search(r"/articles/([^/]+)\.html$", url)
    assert match, url
    return match.group(1)


def run_dag(dag_id: str) -> dict[str, Any]:
    """Run one DAG with dag.test(); returns the run state and each task's final state."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert bag.import_errors == {}
    dag = bag.get_dag(dag_id)
    for task in dag.tasks:
        # A failure must fail the test now, not after the production retry delays.
        task.retries = 0
    skipped = [t.task_id for t in dag.tasks if TASK_STAGE[t.task_id] in MISSING]  # None is never missing
    pattern = "|".join(map(re.escape, skipped)) or None
    dr = dag.test(mark_success_pattern=pattern)
    instances = dr.get_task_instances()
    states = {ti.task_id: str(ti.state) for ti in instances}
    batches = [str(ti.state) for ti in sorted(instances, key=lambda ti: ti.map_index) if ti.task_id == "extract_batch"]
    return {"state": str(dr.state), "tasks": states, "run_id": dr.run_id, "batches": batches,
            "note": run_note(dag_id, dr.run_id)}


def run_note(dag_id: str, run_id: str) -> str | None:
    """The note the run carries in Airflow's database, as the UI shows it."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        run = session.query(DagRun).filter(DagRun.dag_id == dag_id, DagRun.run_id == run_id).one()
        return run.note


@pytest.fixture(scope="module")
def ingest_run(e2e_stack) -> dict[str, Any]:
    return run_dag("news_ingest")


@pytest.fixture(scope="module")
def process_run(e2e_stack, ingest_run) -> dict[str, Any]:
    return run_dag("news_process")


def query(db_file: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(db_file), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def mails_from(paths: list[Path]) -> list:
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in paths]


def mails(folder: Path) -> list:
    return mails_from(sorted(folder.glob("*.eml")))


def answer_key() -> dict[str, Any]:
    corpus = pytest.importorskip("pipelines.demo.corpus", reason="demo corpus not in the tree yet")
    return corpus.load_answer_key()


# --- Airflow wiring: always checked ------------------------------------------------------------


def test_ingest_dag_run_succeeds(ingest_run):
    assert ingest_run["state"] == "success", ingest_run
    assert ingest_run["tasks"] == {"poll_and_store": "success", "announce_articles": "success",
                                   "notify_operators": "success"}


def articles_events() -> list[Any]:
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session

    with create_session() as session:
        events = (session.query(AssetEvent).filter(AssetEvent.source_dag_id == "news_ingest")
                  .order_by(AssetEvent.id).all())
        session.expunge_all()
        return events


def test_ingest_queues_news_process_through_the_asset(ingest_run):
    # dag.test() does not start the consumer, but the scheduler would: the asset queued it.
    from airflow.models.asset import AssetDagRunQueue
    from airflow.utils.session import create_session

    with create_session() as session:
        queued = session.query(AssetDagRunQueue).filter(AssetDagRunQueue.target_dag_id == "news_process").count()
    assert queued >= 1
    # The event says what the run stored.
    extra = articles_events()[-1].extra
    assert extra["ingest"]["articles_stored"] > 0
    assert extra["ingest"]["feeds_polled"] == 1
    assert "elapsed_s" not in extra["ingest"]


def test_each_run_has_a_note_with_its_counts(ingest_run, process_run):
    needs("ingest", "extract", "detect", "send_alerts")
    assert re.search(r"\*\*ingest\*\* \([\d.]+ s\): feeds polled 1, .*articles stored \d+", ingest_run["note"])
    note = process_run["note"]
    for stage in ("extract", "validate", "detect", "alerts", "snapshot"):
        assert f"**{stage}**" in note, note
    assert re.search(r"\*\*detect\*\*.*conflict [1-9]", note), note


def test_an_ingest_that_stored_nothing_does_not_update_the_asset(e2e_stack, process_run):
    """Nothing new on the feed: the run succeeds, announce_articles is skipped, no asset event, so
    news_process is not queued again (and does not replace the quality report with an empty one)."""
    needs("ingest")
    from airflow.models.asset import AssetDagRunQueue
    from airflow.utils.session import create_session

    with create_session() as session:
        session.query(AssetDagRunQueue).delete()
    before = len(articles_events())
    again = run_dag("news_ingest")
    assert again["state"] == "success", again
    assert again["tasks"] == {"poll_and_store": "success", "announce_articles": "skipped",
                              "notify_operators": "success"}
    assert len(articles_events()) == before
    with create_session() as session:
        assert session.query(AssetDagRunQueue).count() == 0
    assert "articles stored 0" in again["note"]


def test_process_dag_run_succeeds(process_run):
    assert process_run["state"] == "success", process_run
    assert set(process_run["tasks"].values()) == {"success"}, process_run
    assert set(process_run["tasks"]) == {
        "plan_extraction", "extract_batch", "store_claims", "validate_quality", "detect_contradictions",
        "send_alerts", "publish_snapshot",
    }
    # the ten demo articles in batches of four: three mapped extraction tasks, each successful
    assert process_run["batches"] == ["success"] * 3, process_run


# --- What each stage leaves behind: switches on as stages land --------------------------------


def test_every_demo_article_is_stored(e2e_stack, ingest_run):
    needs("ingest")
    corpus = pytest.importorskip("pipelines.demo.corpus")
    expected = {a.slug for a in corpus.load_corpus()}
    urls = query(e2e_stack.settings.database, "SELECT url FROM articles")
    assert {slug_of(u) for (u,) in urls} == expected
    assert len(urls) == len(expected)


def conflict_pairs(e2e_stack) -> tuple[set, set, set]:
    """(found, expected, marginal) conflicts as (attribute, {slug, slug}), the answer key's level."""
    key = answer_key()
    rows = query(
        e2e_stack.settings.database,
        "SELECT attribute, a_url, b_url FROM v_contradictions WHERE kind = ?",
        ["conflict"],
    )
    found = {(attr, frozenset({slug_of(a), slug_of(b)})) for attr, a, b in rows}
    expected = {(c["attribute"], frozenset({c["a_slug"], c["b_slug"]})) for c in key["conflicts"]}
    marginal = {(c["attribute"], frozenset({c["a_slug"], c["b_slug"]})) for c in key.get("marginal", [])}
    return found, expected, marginal


def test_every_expected_conflict_is_reported(e2e_stack, process_run):
    needs("ingest", "extract", "detect")
    found, expected, _ = conflict_pairs(e2e_stack)
    assert expected - found == set(), "missed conflicts"


def test_no_false_conflicts(e2e_stack, process_run):
    needs("ingest", "extract", "detect")
    found, expected, marginal = conflict_pairs(e2e_stack)
    assert found - expected - marginal == set(), "false conflicts"


def test_the_july_round_is_news_not_a_contradiction(e2e_stack, process_run):
    """July's 1,200 per side and its short meeting belong to their own event: they conflict with
    nothing from May (and agree with each other)."""
    needs("ingest", "extract", "detect")
    db_file = e2e_stack.settings.database
    july = query(db_file, "SELECT claim_id FROM v_claims WHERE event_label LIKE ?", ["%23 Jul 2025%"])
    assert len(july) >= 6, "the July round's claims are extracted and dated 23 July"
    assert query(db_file, "SELECT count(*) FROM v_claims WHERE event_label LIKE ? AND value_low = 1200",
                 ["%23 Jul 2025%"])[0][0] >= 2
    in_conflict = query(
        db_file,
        "SELECT count(*) FROM contradictions x JOIN events e USING (event_id) "
        "WHERE x.kind = ? AND e.occurrence_date = DATE '2025-07-23'",
        ["conflict"],
    )[0][0]
    assert in_conflict == 0


def test_one_email_per_conflict_fingerprint(e2e_stack, process_run):
    needs("ingest", "extract", "detect", "send_alerts")
    fingerprints = {
        fp for (fp,) in query(e2e_stack.settings.database, "SELECT DISTINCT fingerprint FROM contradictions WHERE kind = ?", ["conflict"])
    }
    assert fingerprints, "the demo corpus has conflicts: expected at least one"
    # Every article arrived in one run: one alert per conflict, each in its final state.
    alerts = dict(query(e2e_stack.settings.database, "SELECT fingerprint, conflict_fingerprint FROM alerts "
                        "WHERE status = ? AND follow_up_of IS NULL", ["sent"]))
    assert sorted(alerts.values()) == sorted(fingerprints)
    received = mails(e2e_stack.mail_folder)
    headers = [m["X-Newswatch-Fingerprint"] for m in received]
    if e2e_stack.settings.alert_mode == "each":
        assert sorted(headers) == sorted(alerts)
    sent = query(e2e_stack.settings.database, "SELECT count(*) FROM alerts WHERE status = ?", ["sent"])[0][0]
    assert sent == len(fingerprints)


def test_stages_record_their_counts_under_the_airflow_run_id(e2e_stack, process_run):
    needs("extract", "validate", "detect", "send_alerts", "publish_snapshot")
    rows = query(
        e2e_stack.settings.database, "SELECT stage FROM pipeline_runs WHERE run_id = ?", [process_run["run_id"]]
    )
    assert sorted(r[0] for r in rows) == ["alerts", "detect", "extract", "snapshot", "validate"], rows


def test_snapshot_is_published_and_readable(e2e_stack, process_run):
    needs("ingest", "publish_snapshot")
    snapshot = e2e_stack.settings.snapshot
    assert snapshot.is_file()
    live = query(e2e_stack.settings.database, "SELECT count(*) FROM articles")[0][0]
    assert query(snapshot, "SELECT count(*) FROM articles")[0][0] == live


def test_rerunning_both_dags_changes_nothing(e2e_stack, process_run):
    """Idempotence end to end: a second pass adds no article, claim or contradiction, sends no email."""
    needs("ingest")
    db_file = e2e_stack.settings.database
    tables = ["articles", "claims", "contradictions", "alerts"]

    def counts() -> dict[str, int]:
        return {t: query(db_file, "SELECT count(*) FROM " + t)[0][0] for t in tables}  # noqa: S608 - fixed names

    before, mail_before = counts(), len(mails(e2e_stack.mail_folder))
    again = [run_dag("news_ingest"), run_dag("news_process")]
    assert [r["state"] for r in again] == ["success", "success"], again
    assert counts() == before
    assert len(mails(e2e_stack.mail_folder)) == mail_before


def test_a_task_that_fails_emails_the_operators(e2e_stack, process_run, tmp_path, monkeypatch):
    """Last in this module: it breaks the feeds file on purpose to make poll_and_store fail."""
    from pipelines.settings import get_settings

    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds: [{name: no-url-here}]\n")
    monkeypatch.setenv("NEWSWATCH_FEEDS", str(bad))
    get_settings.cache_clear()
    before = {p.name for p in e2e_stack.mail_folder.glob("*.eml")}
    try:
        result = run_dag("news_ingest")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert result["state"] == "failed", result
    new = [m for p in sorted(e2e_stack.mail_folder.glob("*.eml")) if p.name not in before
           for m in mails_from([p])]
    subjects = [m["Subject"] for m in new]
    assert subjects == ["[newswatch] task failed: news_ingest.poll_and_store"], subjects
    body = new[0].get_body(("html", "plain")).get_content()
    assert "news_ingest.poll_and_store" in body
    assert "feeds.yaml" in body, "the exception (which names the bad file) belongs in the email"
    # The log link of the failed try, as the Airflow UI serves it.
    link = re.search(r'href="([^"]+)"', body)
    assert link, body
    assert re.search(r"/dags/news_ingest/runs/[^/]+/tasks/poll_and_store(\?try_number=\d+)?$", link.group(1)), link
    assert new[0]["To"] == e2e_stack.settings.operator_email
