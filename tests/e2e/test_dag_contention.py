"""An Airflow task that meets a busy database fails cleanly: the newswatch message naming the lock
file and the process holding it is the task's error, which the failure email carries to operators."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"
HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipelines.lock import pipeline_lock
    with pipeline_lock(Path(sys.argv[1]), 5):
        Path(sys.argv[2]).write_text("held")
        time.sleep(300)
    """
)


def test_a_task_facing_a_held_lock_fails_with_the_holder_in_the_operator_email(newswatch_environment, tmp_path):
    from airflow.dag_processing.dagbag import DagBag

    home = tmp_path / "home"
    with newswatch_environment(home, "http://127.0.0.1:9/feed.xml", {"NEWSWATCH_LOCK_TIMEOUT": "1"}) as settings:
        ready = tmp_path / "ready"
        holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(settings.database), str(ready)],
                                  cwd=DAGS_FOLDER.parent)
        try:
            while not ready.exists():
                assert holder.poll() is None
                time.sleep(0.05)
            dag = DagBag(dag_folder=str(DAGS_FOLDER)).get_dag("news_ingest")
            for task in dag.tasks:
                task.retries = 0
            dr = dag.test()
        finally:
            holder.kill()
            holder.wait()
        states = {ti.task_id: str(ti.state) for ti in dr.get_task_instances()}
        assert states["poll_and_store"] == "failed", states
        parser = BytesParser(policy=policy.default)
        failures = [m for m in (parser.parsebytes(p.read_bytes()) for p in settings.mail_folder.glob("*.eml"))
                    if m["Subject"] == "[newswatch] task failed: news_ingest.poll_and_store"]
        assert len(failures) == 1
        body = failures[0].get_body(("html", "plain")).get_content()
        assert "newswatch.lock is held by pid" in body and str(holder.pid) in body, body
