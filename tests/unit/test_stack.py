"""The ``newswatch stack`` supervisor: its environment, and stopping every child by process group.

The supervision tests run the real ``run_stack`` in a separate interpreter with stand-in commands (a
tiny HTTP server posing as the Airflow API, sleepers posing as the demo feed and mail sink), then send
it SIGTERM as a terminal or service manager would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipelines.settings import Settings
from pipelines.stack import (
    DUCKDB_POOL,
    PASSWORD_FILE,
    StackConfig,
    banner,
    child_specs,
    pool_command,
    read_admin_password,
    setup_commands,
    smtp_connection_json,
    stack_env,
)


def make_config(tmp_path: Path, **settings_kwargs) -> StackConfig:
    # Explicit Nones: the derived paths must not come from whatever NEWSWATCH_* the environment holds.
    settings_kwargs = {"db_path": None, "snapshot_path": None, "mail_dir": None, **settings_kwargs}
    settings = Settings(home=tmp_path / "var", feeds=tmp_path / "feeds.yaml", **settings_kwargs)
    return StackConfig(settings=settings, repo_root=tmp_path / "repo", api_port=18080)


def test_env_points_airflow_and_newswatch_at_the_home(tmp_path):
    config = make_config(tmp_path, smtp_port=2525, allowed_hosts="feeds.internal")
    env = stack_env(config, {"PATH": "/usr/bin", "AIRFLOW__CORE__LOAD_EXAMPLES": "True"})

    home = (tmp_path / "var").resolve()
    assert env["PATH"] == "/usr/bin"
    assert env["AIRFLOW_HOME"] == str(home / "airflow")
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"  # ours win over the caller's
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(tmp_path / "repo" / "dags")
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    assert env["AIRFLOW__CORE__PARALLELISM"] == "4"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == f"sqlite:///{home / 'airflow' / 'airflow.db'}"
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__CORE__PLUGINS_FOLDER"] == str(tmp_path / "repo" / "plugins")
    assert env["AIRFLOW__API__PORT"] == "18080"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:18080/execution/"
    assert env["AIRFLOW__API__BASE_URL"] == "http://127.0.0.1:18080"  # log links in failure emails
    assert env["NEWSWATCH_HOME"] == str(home)
    assert env["NEWSWATCH_FEEDS"] == str((tmp_path / "feeds.yaml").resolve())
    assert set(env["NEWSWATCH_ALLOWED_HOSTS"].split(",")) == {"127.0.0.1", "feeds.internal"}
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path / "repo")

    conn = json.loads(env["AIRFLOW_CONN_SMTP_DEFAULT"])
    assert (conn["host"], conn["port"]) == ("127.0.0.1", 2525)


def test_cli_hands_stack_options_to_the_stack(monkeypatch):
    import pipelines.stack
    from pipelines import cli

    seen = []
    monkeypatch.setattr(pipelines.stack, "main", lambda argv=None: seen.append(argv) or 0)
    assert cli.main(["stack", "--port", "18080", "--api-timeout", "5"]) == 0
    assert seen == [["--port", "18080", "--api-timeout", "5"]]


def test_demo_poll_interval_is_short_unless_the_caller_chose_one(tmp_path):
    config = make_config(tmp_path)
    assert float(stack_env(config, {})["NEWSWATCH_POLL_MAX_INTERVAL"]) <= 60
    # The demo's ingest runs every minute; the production default (Settings) stays 10.
    assert stack_env(config, {})["NEWSWATCH_INGEST_INTERVAL_MINUTES"] == "1"
    assert Settings().ingest_interval_minutes == 10
    assert stack_env(config, {"NEWSWATCH_INGEST_INTERVAL_MINUTES": "5"})["NEWSWATCH_INGEST_INTERVAL_MINUTES"] == "5"
    chosen = stack_env(config, {"NEWSWATCH_POLL_MAX_INTERVAL": "900"})
    assert chosen["NEWSWATCH_POLL_MAX_INTERVAL"] == "900"


def test_smtp_connection_extras_stay_booleans():
    conn = json.loads(smtp_connection_json("127.0.0.1", 8025, "nw@example.com"))
    assert conn["conn_type"] == "smtp"
    assert conn["extra"] == {"disable_ssl": True, "disable_tls": True, "from_email": "nw@example.com"}


def test_virtualenv_bin_goes_first_on_path(tmp_path):
    # airflow standalone launches its components as `airflow ...` through PATH.
    config = StackConfig(settings=Settings(home=tmp_path), bin_dir=tmp_path / "venv" / "bin")
    env = stack_env(config, {"PATH": "/usr/bin:/bin"})
    assert env["PATH"].split(os.pathsep) == [str(tmp_path / "venv" / "bin"), "/usr/bin", "/bin"]


def test_children_and_pool_commands(tmp_path):
    specs = {s.name: s.argv for s in child_specs(tmp_path / "bin")}
    assert specs["demo-feed"] == [str(tmp_path / "bin" / "newswatch"), "demo-feed"]
    assert specs["mail-sink"] == [str(tmp_path / "bin" / "newswatch"), "mail-sink"]
    airflow = str(tmp_path / "bin" / "airflow")
    # Airflow's four components, as standalone runs them, but without the log servers standalone's
    # scheduler and triggerer open on every interface: the logs are read from the local folder.
    assert specs["airflow-api-server"] == [airflow, "api-server"]
    assert specs["airflow-scheduler"] == [airflow, "scheduler", "--skip-serve-logs"]
    assert specs["airflow-dag-processor"] == [airflow, "dag-processor"]
    assert specs["airflow-triggerer"] == [airflow, "triggerer", "--skip-serve-logs"]
    assert setup_commands(tmp_path / "bin") == [[airflow, "db", "migrate"]]
    assert pool_command(tmp_path / "bin")[1:5] == ["pools", "set", DUCKDB_POOL, "1"]


def test_admin_password_read_from_the_generated_file(tmp_path):
    assert read_admin_password(tmp_path) is None
    (tmp_path / PASSWORD_FILE).write_text("not json")
    assert read_admin_password(tmp_path) is None
    (tmp_path / PASSWORD_FILE).write_text(json.dumps({"admin": "s3cret"}))
    assert read_admin_password(tmp_path) == "s3cret"


def test_banner_says_where_to_look(tmp_path):
    config = make_config(tmp_path)
    text = banner(config, "s3cret")
    home = (tmp_path / "var").resolve()
    assert "http://127.0.0.1:18080" in text
    assert "admin / s3cret" in text
    assert str(home / "snapshot" / "newswatch.duckdb") in text
    assert str(home / "mail") in text
    assert "Ctrl-C" in text
    assert PASSWORD_FILE in banner(config, None)


# --- supervision, with stand-in children ------------------------------------------------------

FAKE_API = textwrap.dedent(
    """
    import http.server, os, subprocess, sys, pathlib
    out = pathlib.Path(sys.argv[1])
    # A grandchild that ignores SIGTERM, as airflow standalone's workers may: only the group kill gets it.
    g = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
    (out / "grandchild.pid").write_text(str(g.pid))
    (out / "api.pid").write_text(str(os.getpid()))
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/api/v2/monitor/health" else 404)
            self.end_headers()
        def log_message(self, *a):
            pass
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
    """
)

SLEEPER = "import os, sys, time, pathlib; pathlib.Path(sys.argv[1]).write_text(str(os.getpid())); time.sleep(600)"

RUNNER = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from pipelines.settings import Settings
    from pipelines.stack import ChildSpec, StackConfig, run_stack
    a = json.loads(sys.argv[1])
    cfg = StackConfig(settings=Settings(home=Path(a["home"])), repo_root=Path(a["repo"]), api_port=a["port"])
    specs = [ChildSpec(n, argv) for n, argv in a["specs"]]
    sys.exit(run_stack(cfg, specs, a["pool"], base_env=os.environ, api_timeout=60, stop_timeout=3,
                       out=lambda s: print(s, flush=True), setup=a.get("setup", [])))
    """
)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes: it waits only for its parent to reap it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_sigterm_stops_every_child_and_grandchild_and_exits_0(tmp_path):
    out = tmp_path / "pids"
    out.mkdir()
    port = free_port()
    specs = [
        ["demo-feed", [sys.executable, "-c", SLEEPER, str(out / "feed.pid")]],
        ["mail-sink", [sys.executable, "-c", SLEEPER, str(out / "mail.pid")]],
        ["airflow", [sys.executable, "-c", FAKE_API, str(out), str(port)]],
    ]
    pool_marker = tmp_path / "pool-created"
    pool = [sys.executable, "-c", f"import pathlib; pathlib.Path({str(pool_marker)!r}).write_text('ok')"]
    # The set-up step (airflow db migrate) finishes before any child starts.
    setup_marker = tmp_path / "migrated"
    setup = [[sys.executable, "-c", f"import pathlib, os; assert not os.listdir({str(out)!r}); "
                                    f"pathlib.Path({str(setup_marker)!r}).write_text('ok')"]]
    proc = start_runner(tmp_path, specs, pool, port, setup)
    try:
        lines: list[str] = []
        assert wait_for(lambda: _read_until(proc, lines, "Press Ctrl-C")), "".join(lines)
        pids = {f.stem: int(f.read_text()) for f in out.glob("*.pid")}
        assert set(pids) == {"feed", "mail", "api", "grandchild"}
        assert all(alive(p) for p in pids.values())
        assert pool_marker.read_text() == "ok"
        assert setup_marker.read_text() == "ok"
        assert "admin /" in "".join(lines)

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert wait_for(lambda: not any(alive(p) for p in pids.values()), timeout=30), {
            n: p for n, p in pids.items() if alive(p)
        }
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_a_child_that_dies_stops_the_rest_and_exits_1(tmp_path):
    out = tmp_path / "pids"
    out.mkdir()
    port = free_port()
    specs = [
        ["mail-sink", [sys.executable, "-c", SLEEPER, str(out / "mail.pid")]],
        ["airflow", [sys.executable, "-c", FAKE_API, str(out), str(port)]],
        ["demo-feed", [sys.executable, "-c", "import time; time.sleep(3); raise SystemExit(3)"]],
    ]
    proc = start_runner(tmp_path, specs, None, port)
    try:
        assert proc.wait(timeout=90) == 1
        output = proc.stdout.read() if proc.stdout else ""
        assert "demo-feed" in output
        pids = {f.stem: int(f.read_text()) for f in out.glob("*.pid")}
        assert pids and wait_for(lambda: not any(alive(p) for p in pids.values()), timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def start_runner(tmp_path: Path, specs: list, pool: list | None, port: int,
                 setup: list | None = None) -> subprocess.Popen:
    args = {
        "setup": setup or [],
        "home": str(tmp_path / "var"),
        "repo": str(Path(__file__).resolve().parents[2]),
        "port": port,
        "specs": specs,
        "pool": pool,
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", RUNNER, json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc


def _read_until(proc: subprocess.Popen, lines: list[str], marker: str) -> bool:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line and proc.poll() is not None:
        raise AssertionError("stack exited early:\n" + "".join(lines))
    lines.append(line)
    return marker in line


def test_main_rejects_unknown_options_and_ignores_the_callers_argv(monkeypatch, capsys):
    from pipelines import stack

    with pytest.raises(SystemExit):
        stack.main(["--no-such-option"])
    # Called by the CLI as main(): sys.argv there is ["newswatch", "stack"], which is not ours to parse.
    seen = {}
    monkeypatch.setattr(sys, "argv", ["newswatch", "stack"])
    monkeypatch.setattr(stack, "run_stack", lambda config, specs, pool, **kw: seen.update(port=config.api_port) or 0)
    assert stack.main() == 0
    assert seen == {"port": 8080}
    assert stack.main(["--port", "9999"]) == 0
    assert seen == {"port": 9999}
