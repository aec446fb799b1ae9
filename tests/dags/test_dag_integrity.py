"""Every DAG imports cleanly and carries what operators rely on: owner, retries, tags, docs, pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO_ROOT / "dags"
EXPECTED_DAGS = {"news_ingest", "news_process"}
DUCKDB_POOL = "duckdb_writer"
# Tasks whose stage opens the DuckDB file take the writer pool; a task that does not is listed here.
TASKS_WITHOUT_DB: set[tuple[str, str]] = {("news_process", "extract_batch"), ("news_ingest", "announce_articles")}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dagbag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    # known_pools makes the bag itself reject a task that names a pool we do not create.
    return DagBag(dag_folder=str(DAGS_FOLDER), known_pools={"default_pool", DUCKDB_POOL})


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == EXPECTED_DAGS


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_has_tags_docs_and_no_catchup(dagbag, dag_id):
    dag = dagbag.get_dag(dag_id)
    assert "newswatch" in dag.tags
    assert dag.doc_md and len(dag.doc_md.strip()) > 80
    assert "fail" in dag.doc_md.lower(), "the DAG doc must say what to do when it fails"
    assert dag.catchup is False
    assert dag.max_active_runs == 1


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_has_a_description_for_the_dag_list(dagbag, dag_id):
    # The DAG list shows `description`, not doc_md: one line saying what the DAG does.
    description = dagbag.get_dag(dag_id).description
    assert description and 40 < len(description) < 200 and "\n" not in description


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_every_task_has_owner_retries_docs_and_pool(dagbag, dag_id):
    dag = dagbag.get_dag(dag_id)
    assert dag.tasks
    for t in dag.tasks:
        assert t.owner == "newswatch", t.task_id
        assert t.retries == 2, t.task_id
        assert t.retry_delay.total_seconds() > 0, t.task_id
        assert t.doc_md and "fail" in t.doc_md.lower(), f"{t.task_id} needs doc_md with failure advice"
        assert t.on_failure_callback, f"{t.task_id} must email operators when it fails"
        if (dag_id, t.task_id) not in TASKS_WITHOUT_DB:
            assert t.pool == DUCKDB_POOL, t.task_id


def test_ingest_schedule_and_outlet(dagbag):
    from airflow.sdk import Asset
    from airflow.serialization.encoders import coerce_to_core_timetable

    dag = dagbag.get_dag("news_ingest")
    # The scheduler's view of the schedule, whatever form the DAG file wrote it in.
    assert coerce_to_core_timetable(dag.timetable).summary == "0:10:00"
    assert {t.task_id for t in dag.tasks} == {"poll_and_store", "announce_articles", "notify_operators"}
    # Only announce_articles updates the asset, and only when something new was stored (it skips
    # otherwise); the operators' emails go out whatever it decides.
    assert dag.get_task("poll_and_store").outlets == []
    assert Asset("newswatch://articles") in dag.get_task("announce_articles").outlets
    assert dag.get_task("poll_and_store").downstream_task_ids == {"announce_articles", "notify_operators"}


def test_ingest_interval_comes_from_the_settings(airflow_db):
    # The demo (`make run`) shortens it; parsing the DAG file with the variable set shows the effect.
    # The child process parses against the session's metadata DB, so it must exist first.
    code = (
        "from airflow.dag_processing.dagbag import DagBag; "
        "from airflow.serialization.encoders import coerce_to_core_timetable; "
        f"bag = DagBag(dag_folder={str(DAGS_FOLDER / 'news_ingest.py')!r}); "
        "print(coerce_to_core_timetable(bag.get_dag('news_ingest').timetable).summary)"
    )
    env = {**os.environ, "NEWSWATCH_INGEST_INTERVAL_MINUTES": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "0:01:00"


def test_process_is_scheduled_on_the_articles_asset(dagbag):
    from airflow.sdk import Asset
    from airflow.sdk.definitions.asset import AssetAll

    dag = dagbag.get_dag("news_process")
    condition = dag.timetable.asset_condition
    assert isinstance(condition, AssetAll)
    assert list(condition.objects) == [Asset("newswatch://articles")]


def test_process_task_chain(dagbag):
    dag = dagbag.get_dag("news_process")
    order = ["plan_extraction", "extract_batch", "store_claims", "validate_quality", "detect_contradictions",
             "send_alerts", "publish_snapshot"]
    assert {t.task_id for t in dag.tasks} == set(order)
    for up, down in zip(order, order[1:], strict=False):
        assert dag.get_task(up).downstream_task_ids == {down}


def test_extraction_is_mapped_over_the_planned_batches(dagbag):
    """One extract_batch task per batch the plan returns, outside the writer pool, and one writer
    after them that also runs when there was nothing to extract."""
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    dag = dagbag.get_dag("news_process")
    mapped = dag.get_task("extract_batch")
    assert isinstance(mapped, MappedOperator)
    source = mapped.op_kwargs_expand_input.value["batch"]  # what the decorated task is expanded over
    assert source.operator.task_id == "plan_extraction"
    assert mapped.pool != DUCKDB_POOL
    writer = dag.get_task("store_claims")
    assert writer.pool == DUCKDB_POOL and dag.get_task("plan_extraction").pool == DUCKDB_POOL
    assert writer.trigger_rule == "none_failed"



PARSE_WITHOUT_NETWORK = textwrap.dedent(
    """
    import json, socket, sys

    def refuse(*args, **kwargs):
        raise RuntimeError("network access at DAG parse time")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    import duckdb

    def no_db(*args, **kwargs):
        raise RuntimeError("DuckDB opened at DAG parse time")

    duckdb.connect = no_db

    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=sys.argv[1])
    print(json.dumps({"errors": {k: str(v) for k, v in bag.import_errors.items()},
                      "dags": sorted(bag.dag_ids)}))
    """
)


def test_parsing_needs_no_network_and_no_database(tmp_path):
    # A fresh interpreter, so that every module the DAG files pull in is imported under the block.
    env = dict(os.environ, NEWSWATCH_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", PARSE_WITHOUT_NETWORK, str(DAGS_FOLDER)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert set(result["dags"]) == EXPECTED_DAGS
    assert not (tmp_path / "home").exists(), "parsing must not create the NEWSWATCH home or database"
