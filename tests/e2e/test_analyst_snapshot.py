"""An analyst who keeps the snapshot open while the whole pipeline runs blocks nothing and breaks
nothing, and sees the new data after reconnecting.

The analyst is a separate process (as a real one would be: the duckdb CLI, a notebook) holding a
read-only connection to ``<home>/snapshot/newswatch.duckdb`` and querying it in a loop. Meanwhile
both DAGs run through Airflow's ``dag.test()`` against a demo feed that has just released more
articles, and publish a new snapshot.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.demo.corpus import load_corpus
from pipelines.demo.server import make_server

pytestmark = pytest.mark.slow

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"
FIRST = 3  # articles the demo feed shows before the analyst connects

ANALYST = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    snapshot, ready, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    con = duckdb.connect(snapshot, read_only=True)

    def counts():
        return {t: con.execute("SELECT count(*) FROM " + t).fetchone()[0]
                for t in ("articles", "v_claims", "v_contradictions", "v_event_timeline")}

    first = counts()
    ready.write_text(json.dumps(first))
    reads, errors = 0, []
    while not stop.exists():
        try:
            counts()
            reads += 1
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.05)
    print(json.dumps({"first": first, "last": counts(), "reads": reads, "errors": errors[:5]}))
    con.close()
    """
)


def run_dag(dag_id: str) -> dict[str, Any]:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert bag.import_errors == {}
    dag = bag.get_dag(dag_id)
    for task in dag.tasks:
        task.retries = 0
    dr = dag.test()
    return {"state": str(dr.state), "tasks": {ti.task_id: str(ti.state) for ti in dr.get_task_instances()}}


def run_pipeline() -> None:
    for dag_id in ("news_ingest", "news_process"):
        result = run_dag(dag_id)
        assert result["state"] == "success", result
        assert set(result["tasks"].values()) == {"success"}, result


def snapshot_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute("SELECT count(*) FROM " + t).fetchone()[0]  # noqa: S608 - fixed names
                for t in ("articles", "v_claims", "v_contradictions", "v_event_timeline")}


def test_an_open_analyst_connection_blocks_nothing_and_reconnecting_shows_new_data(newswatch_environment, tmp_path):
    clock = [1_000_000.0]
    server, thread = make_server("127.0.0.1", 0, release_seconds=60, start_released=FIRST, clock=lambda: clock[0])
    # The feed must be polled again at once, and the local server needs no politeness delay.
    fast = {"NEWSWATCH_POLL_MIN_INTERVAL": "0", "NEWSWATCH_POLL_MAX_INTERVAL": "0", "NEWSWATCH_HOST_MIN_DELAY": "0"}
    analyst = None
    try:
        with newswatch_environment(tmp_path / "home", server.feed_url, fast) as settings:
            run_pipeline()
            snapshot = settings.snapshot
            before = snapshot_counts(snapshot)
            assert before["articles"] == FIRST

            ready, stop = tmp_path / "ready", tmp_path / "stop"
            analyst = subprocess.Popen(
                [sys.executable, "-c", ANALYST, str(snapshot), str(ready), str(stop)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            deadline = time.monotonic() + 60
            while not ready.exists():
                assert analyst.poll() is None, analyst.communicate()
                assert time.monotonic() < deadline, "the analyst never connected"
                time.sleep(0.05)

            clock[0] += 3600  # the demo feed releases the rest of its articles
            run_pipeline()

            stop.touch()
            out, err = analyst.communicate(timeout=60)
            assert analyst.returncode == 0, err
            seen = json.loads(out)
            after = snapshot_counts(snapshot)
    finally:
        if analyst is not None and analyst.poll() is None:
            analyst.kill()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    # The analyst's connection kept working through the run, on the data it opened.
    assert seen["errors"] == []
    assert seen["reads"] > 0
    assert seen["first"] == before and seen["last"] == before
    # A new connection sees the new snapshot.
    assert after["articles"] == len(load_corpus()) > before["articles"]
    assert after["v_claims"] > before["v_claims"]
    assert after["v_event_timeline"] > before["v_event_timeline"]
