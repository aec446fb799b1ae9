"""One writer at a time: the pipeline lock waits for another run, DuckDB opening retries while a
reader holds the live file, and every such failure is one line naming the file and the holder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import cli, db
from pipelines.db import DatabaseBusy
from pipelines.lock import PipelineBusy, lock_path, pipeline_lock
from pipelines.settings import get_settings

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    kind, target, ready, seconds = sys.argv[1], sys.argv[2], Path(sys.argv[3]), float(sys.argv[4])
    if kind == "lock":
        from pipelines.lock import pipeline_lock
        with pipeline_lock(Path(target), 5):
            ready.write_text("held")
            time.sleep(seconds)
    else:  # an analyst's client on the live file
        import duckdb
        con = duckdb.connect(target, read_only=True)
        ready.write_text("held")
        time.sleep(seconds)
        con.close()
    """
)


def hold(kind: str, target: Path, seconds: float, tmp_path: Path) -> subprocess.Popen[bytes]:
    """Another process holding the pipeline lock or the DuckDB file for ``seconds``."""
    ready = tmp_path / f"ready-{kind}"
    ready.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, kind, str(target), str(ready), str(seconds)],
                            cwd=Path(__file__).resolve().parents[2])
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "holder did not start"
        time.sleep(0.05)
    return proc


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "newswatch.duckdb"
    db.connect(path).close()
    return path


def test_a_second_writer_waits_for_the_lock_and_then_runs(database, tmp_path):
    holder = hold("lock", database, 1.5, tmp_path)
    t0 = time.monotonic()
    with pipeline_lock(database, timeout=20):
        waited = time.monotonic() - t0
    holder.wait(timeout=10)
    assert waited > 0.5  # it did wait for the other process instead of failing


def test_a_lock_held_past_the_timeout_names_the_holder(database, tmp_path):
    holder = hold("lock", database, 30, tmp_path)
    try:
        with pytest.raises(PipelineBusy) as err, pipeline_lock(database, timeout=0.5):
            pass
    finally:
        holder.kill()
        holder.wait()
    message = str(err.value)
    assert str(lock_path(database).resolve()) in message
    assert f"pid {holder.pid} (-c lock" in message and " since " in message and "\n" not in message


def test_the_lock_is_reentrant_in_one_process_and_freed_by_a_killed_holder(database, tmp_path):
    with pipeline_lock(database, timeout=1), pipeline_lock(database, timeout=1):
        pass
    holder = hold("lock", database, 60, tmp_path)
    holder.kill()  # SIGKILL: the kernel drops its lock, the stale file blocks nothing
    holder.wait()
    with pipeline_lock(database, timeout=2):
        pass


def test_opening_retries_while_a_reader_holds_the_live_file(database, tmp_path):
    reader = hold("duckdb", database, 1.5, tmp_path)
    con = db.connect(database, open_timeout=20)
    con.close()
    reader.wait(timeout=10)


def test_a_reader_held_past_the_open_timeout_gives_one_line_naming_file_and_holder(database, tmp_path):
    reader = hold("duckdb", database, 30, tmp_path)
    try:
        with pytest.raises(DatabaseBusy) as err:
            db.connect(database, open_timeout=0.5)
    finally:
        reader.kill()
        reader.wait()
    message = str(err.value)
    assert str(database) in message and f"pid {reader.pid} (" in message and "-c" in message
    assert isinstance(err.value.__cause__, duckdb.IOException)


def test_cli_failure_is_one_newswatch_line_not_a_traceback(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_HOME", str(tmp_path))
    monkeypatch.setenv("NEWSWATCH_DB_OPEN_TIMEOUT", "0.5")
    get_settings.cache_clear()
    reader = hold("duckdb", database, 30, tmp_path)
    try:
        assert cli.main(["alerts", "retry"]) == 1  # a writer: a reader's lock keeps it out
    finally:
        reader.kill()
        reader.wait()
        get_settings.cache_clear()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("newswatch alerts: error: ") and str(database) in err[0]
    assert f"pid {reader.pid}" in err[0] and "Traceback" not in err[0]


def test_an_unexpected_error_is_one_line_too(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_HOME", str(tmp_path))
    get_settings.cache_clear()
    (tmp_path / "newswatch.duckdb").write_bytes(b"this is not a database" * 100)
    try:
        assert cli.main(["alerts", "list"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("newswatch alerts: error: ") and "-v" in err[0], err
    assert os.path.exists(tmp_path / "newswatch.duckdb")
