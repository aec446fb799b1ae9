"""Contention with real processes: two `newswatch run-once` on one home at the same time, and an
analyst's client holding the live DuckDB file. Both runs end cleanly and nothing is lost or sent
twice; a reader held past the open timeout ends the run with one line naming the file and holder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.demo.corpus import load_corpus
from pipelines.demo.server import make_server
from pipelines.mailsink import list_messages, read_message, start_mail_sink

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[2]

READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    Path(sys.argv[2]).write_text("open")
    time.sleep(float(sys.argv[3]))
    con.close()
    """
)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    server, thread = make_server("127.0.0.1", 0, release_all=True)
    sink = start_mail_sink(tmp_path / "mail", "127.0.0.1", 0)
    home = tmp_path / "home"
    home.mkdir()
    feeds = home / "feeds.yaml"
    feeds.write_text(yaml.safe_dump({"feeds": [{"name": "demo-wire", "url": server.feed_url}]}))
    try:
        yield {**os.environ, "NEWSWATCH_HOME": str(home), "NEWSWATCH_FEEDS": str(feeds),
               "NEWSWATCH_ALLOWED_HOSTS": "127.0.0.1", "NEWSWATCH_SMTP_HOST": "127.0.0.1",
               "NEWSWATCH_SMTP_PORT": str(sink.port), "NEWSWATCH_HOST_MIN_DELAY": "0",
               "NEWSWATCH_MAIL_DIR": str(tmp_path / "mail")}
    finally:
        sink.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run_once(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run-once"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def hold_live_file(env: dict[str, str], seconds: float) -> subprocess.Popen[str]:
    ready = Path(env["NEWSWATCH_HOME"]) / "reader-ready"
    ready.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", READER, str(Path(env["NEWSWATCH_HOME"]) / "newswatch.duckdb"),
                             str(ready), str(seconds)], text=True)
    while not ready.exists():
        assert proc.poll() is None
        time.sleep(0.05)
    return proc


def test_two_concurrent_runs_and_a_held_reader_end_cleanly_and_lose_nothing(env):
    first, second = run_once(env), run_once(env)
    results = [p.communicate(timeout=600) for p in (first, second)]
    for proc, (out, err) in zip((first, second), results, strict=True):
        assert proc.returncode == 0, f"{out}\n{err}"
        assert "Traceback" not in err and "IOException" not in err
        assert "\nalerts: queued=" in out and "\nsnapshot: " in out

    database = Path(env["NEWSWATCH_HOME"]) / "newswatch.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        alerts = dict(con.execute("SELECT fingerprint, status FROM alerts").fetchall())
    assert articles == len(load_corpus())
    assert alerts and set(alerts.values()) == {"sent"}
    mail = Path(env["NEWSWATCH_MAIL_DIR"])
    copies = Counter(read_message(p)["X-Newswatch-Fingerprint"] for p in list_messages(mail))
    copies.pop(None, None)  # operator messages, if any
    assert copies == dict.fromkeys(alerts, 1)

    # an analyst's client on the live file for a moment: the run retries opening it and succeeds
    reader = hold_live_file(env, 3)
    out, err = run_once(env).communicate(timeout=600)
    reader.wait(timeout=30)
    assert "\nsnapshot: " in out, err

    # held past the open timeout: one newswatch line naming the file and the holder, no traceback
    reader = hold_live_file(env, 120)
    try:
        proc = run_once({**env, "NEWSWATCH_DB_OPEN_TIMEOUT": "1"})
        out, err = proc.communicate(timeout=120)
    finally:
        reader.kill()
        reader.wait()
    assert proc.returncode == 1
    lines = err.strip().splitlines()
    assert lines[-1].startswith("newswatch run-once: error: ") and str(database) in lines[-1]
    assert f"pid {reader.pid}" in lines[-1]
    assert "Traceback" not in err
