"""``newswatch stack``: the whole embedded demo in one command (what ``make run`` starts).

Starts the demo feed, the mail sink and Airflow's four components (api-server, scheduler,
dag-processor, triggerer: what ``airflow standalone`` runs, after the same ``airflow db migrate``) as
child processes, each in its own process group, creates the DuckDB writer pool once Airflow is up,
prints where to look, and on Ctrl-C or SIGTERM stops every child by process group. Airflow is driven
through its CLI only: this module never imports it (``pipelines/`` stays free of Airflow).

The components are started one by one rather than through ``airflow standalone`` because standalone
cannot pass ``--skip-serve-logs``: its scheduler and triggerer would each open a log server on every
interface. On one machine the API server reads finished and running tasks' logs from the local log
folder, so the demo needs no log server and nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx

from pipelines.settings import PROJECT_ROOT, Settings, get_settings

DUCKDB_POOL = "duckdb_writer"
DUCKDB_POOL_DESCRIPTION = "DuckDB single writer: one task opens the database at a time"
PASSWORD_FILE = "simple_auth_manager_passwords.json.generated"


# The demo feed publishes every few seconds, so the adaptive poll interval (made for real outlets,
# up to hours) must stay short or the demo stalls after the first run, and news_ingest runs every
# minute instead of every 10 (the production schedule), so the whole story (ten articles released
# over about four minutes) arrives within about five. Applied only when the caller's environment
# does not set them.
DEMO_DEFAULTS = {
    "NEWSWATCH_POLL_MIN_INTERVAL": "30",
    "NEWSWATCH_POLL_MAX_INTERVAL": "60",
    "NEWSWATCH_INGEST_INTERVAL_MINUTES": "1",
}
SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"


@dataclass(frozen=True)
class StackConfig:
    """Where things live and listen; everything else is derived from Settings."""

    settings: Settings
    repo_root: Path = PROJECT_ROOT
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    parallelism: int = 4
    bin_dir: Path | None = None  # the virtualenv's bin, first on PATH: Airflow starts `airflow ...` by name

    @property
    def home(self) -> Path:
        return self.settings.home.resolve()

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"


def smtp_connection_json(host: str, port: int, from_email: str) -> str:
    """Airflow's ``smtp_default`` in JSON form: a local sink speaks neither SSL nor STARTTLS.

    The JSON form keeps the extras typed; in the URI form ``disable_ssl=false`` would be a non-empty
    string and therefore true.
    """
    return json.dumps(
        {
            "conn_type": "smtp",
            "host": host,
            "port": port,
            "extra": {"disable_ssl": True, "disable_tls": True, "from_email": from_email},
        }
    )


def stack_env(config: StackConfig, base: Mapping[str, str]) -> dict[str, str]:
    """The environment every child runs with: ``base`` plus Airflow and newswatch settings."""
    s = config.settings
    allowed = sorted(s.allowed_host_set | {"127.0.0.1"})
    env = {**DEMO_DEFAULTS, **base}
    env.update(
        {
            "AIRFLOW_HOME": str(config.airflow_home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(config.repo_root / "dags"),
            # The newswatch page in the UI (plugins/newswatch_ui.py).
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(config.repo_root / "plugins"),
            # What airflow standalone would set: one machine, one local executor, the simple login.
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__PARALLELISM": str(config.parallelism),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{config.airflow_home / 'airflow.db'}",
            "AIRFLOW__API__HOST": config.api_host,
            "AIRFLOW__API__PORT": str(config.api_port),
            # Links in emails (a failed task's log) must point at the port the UI really serves.
            "AIRFLOW__API__BASE_URL": config.api_url,
            # Task workers call back into the API; name the address it really binds to.
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{config.api_url}/execution/",
            "AIRFLOW_CONN_SMTP_DEFAULT": smtp_connection_json(s.smtp_host, s.smtp_port, s.alert_from),
            "NEWSWATCH_HOME": str(config.home),
            "NEWSWATCH_FEEDS": str(s.feeds.resolve()),
            "NEWSWATCH_ALLOWED_HOSTS": ",".join(allowed),
            "PATH": os.pathsep.join(
                p for p in (str(config.bin_dir) if config.bin_dir else "", base.get("PATH", "")) if p
            ),
            # The repo root first on the path, so the DAG files import this checkout's pipelines.
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(config.repo_root), base.get("PYTHONPATH", "")) if p
            ),
        }
    )
    return env


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: list[str]


def child_specs(bin_dir: Path) -> list[ChildSpec]:
    """The long-running processes of the stack, from the virtualenv's ``bin`` folder."""
    airflow = str(bin_dir / "airflow")
    return [
        ChildSpec("demo-feed", [str(bin_dir / "newswatch"), "demo-feed"]),
        ChildSpec("mail-sink", [str(bin_dir / "newswatch"), "mail-sink"]),
        ChildSpec("airflow-api-server", [airflow, "api-server"]),
        ChildSpec("airflow-scheduler", [airflow, "scheduler", "--skip-serve-logs"]),
        ChildSpec("airflow-dag-processor", [airflow, "dag-processor"]),
        ChildSpec("airflow-triggerer", [airflow, "triggerer", "--skip-serve-logs"]),
    ]


def setup_commands(bin_dir: Path) -> list[list[str]]:
    """Run to completion before the children start: create or upgrade Airflow's metadata database
    (the components would otherwise race to do it)."""
    return [[str(bin_dir / "airflow"), "db", "migrate"]]


def pool_command(bin_dir: Path) -> list[str]:
    return [str(bin_dir / "airflow"), "pools", "set", DUCKDB_POOL, "1", DUCKDB_POOL_DESCRIPTION]


def read_admin_password(airflow_home: Path, user: str = "admin") -> str | None:
    """The password Airflow's simple auth manager generated for ``user``, once the file exists."""
    try:
        data = json.loads((airflow_home / PASSWORD_FILE).read_text())
    except (OSError, ValueError):
        return None
    value = data.get(user) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def banner(config: StackConfig, password: str | None, ingest_minutes: float = 10.0) -> str:
    s = config.settings
    every = "every minute" if ingest_minutes == 1 else f"every {ingest_minutes:g} minutes"
    home = config.home
    return "\n".join(
        [
            "",
            "newswatch is running.",
            f"  Airflow UI      {config.api_url}",
            f"  newswatch page  {config.api_url}/plugin/newswatch  (menu: newswatch; feeds, runs, conflicts, quality)",
            f"  login           admin / {password or '(see ' + str(config.airflow_home / PASSWORD_FILE) + ')'}",
            f"  analyst DB      {(s.snapshot_path or home / 'snapshot' / 'newswatch.duckdb')}  (read-only snapshot)",
            f"  alert emails    {(s.mail_dir or home / 'mail')}  (.eml files)",
            f"  demo feed       http://{s.demo_host}:{s.demo_port}/feed.xml",
            f"  what to expect  news_ingest runs now and {every}, news_process follows each run that stored "
            "new articles: the first contradiction emails land in the mail folder within a few minutes, more "
            "(threaded follow-ups) as the demo feed releases articles.",
            "Press Ctrl-C to stop everything.",
            "",
        ]
    )


@dataclass
class Supervisor:
    """Children in their own process groups, so a stop reaches their whole process tree."""

    env: Mapping[str, str]
    cwd: Path
    log_dir: Path | None = None
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, spec: ChildSpec) -> subprocess.Popen[bytes]:
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{spec.name}.log", "ab")  # the child holds its own copy of the descriptor
        proc = subprocess.Popen(
            spec.argv,
            env=dict(self.env),
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
        )
        if out is not None:
            out.close()
        self.children[spec.name] = proc
        return proc

    def exited(self) -> dict[str, int]:
        """Children that have ended, with their exit codes."""
        return {n: code for n, p in self.children.items() if (code := p.poll()) is not None}

    def stop_all(self, timeout: float = 20.0) -> None:
        """SIGTERM every process group, then SIGKILL whatever is left after ``timeout`` seconds."""
        for proc in self.children.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.children.values():
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        # The group leader may be gone while its children linger (the scheduler's task workers):
        # signal the whole group regardless.
        for proc in self.children.values():
            _signal_group(proc, signal.SIGKILL)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def wait_for_api(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    """Poll Airflow's health endpoint until it answers 200, ``timeout`` passes or ``alive()`` fails."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(f"{url}/api/v2/monitor/health", timeout=3).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(1)
    return False


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def run_stack(
    config: StackConfig,
    specs: Sequence[ChildSpec],
    pool_argv: Sequence[str] | None,
    base_env: Mapping[str, str],
    api_timeout: float = 180.0,
    stop_timeout: float = 20.0,
    out: Callable[[str], None] = print,
    setup: Sequence[Sequence[str]] = (),
) -> int:
    """Run ``setup`` to completion, start ``specs``, wait for the API, create the pool, then supervise
    until a signal arrives.

    Returns 0 after a Ctrl-C/SIGTERM stop, 1 when a child dies on its own or the API never answers.
    """
    config.airflow_home.mkdir(parents=True, exist_ok=True)
    env = stack_env(config, base_env)
    sup = Supervisor(env=env, cwd=config.repo_root, log_dir=config.home / "logs")
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        for argv in setup:
            out(f"running {' '.join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv))} ...")
            res = subprocess.run(list(argv), env=env, cwd=config.repo_root, capture_output=True, text=True)
            if res.returncode != 0:
                out(f"{' '.join(argv)} failed: {(res.stderr or res.stdout).strip()[-1500:]}")
                return 1
        for spec in specs:
            sup.start(spec)
            out(f"started {spec.name} (pid {sup.children[spec.name].pid}), log {sup.log_dir}/{spec.name}.log")
        out(f"waiting for the Airflow API at {config.api_url} ...")
        if not wait_for_api(config.api_url, api_timeout, alive=lambda: not sup.exited()):
            out(f"Airflow did not come up (exited: {sup.exited() or 'none'}); see {sup.log_dir}")
            return 1
        if pool_argv:
            # Tasks in a pool that does not exist yet simply wait, so creating it now loses nothing.
            res = subprocess.run(list(pool_argv), env=env, cwd=config.repo_root, capture_output=True, text=True)
            if res.returncode != 0:
                out(f"could not create pool {DUCKDB_POOL}: {res.stderr.strip()[-500:]}")
                return 1
        # the schedule the DAG processor reads from this same environment (DEMO_DEFAULTS or the caller's)
        out(banner(config, read_admin_password(config.airflow_home), float(env["NEWSWATCH_INGEST_INTERVAL_MINUTES"])))
        while True:
            dead = sup.exited()
            if dead:
                out(f"stopping: child process ended on its own: {dead}; see {sup.log_dir}")
                return 1
            time.sleep(1)
    except _Stop:
        out("stopping newswatch ...")
        return code
    finally:
        # Signals are ignored while stopping, so a second Ctrl-C cannot leave children behind.
        for s in previous:
            signal.signal(s, signal.SIG_IGN)
        sup.stop_all(timeout=stop_timeout)
        for s, handler in previous.items():
            signal.signal(s, handler)
        out("stopped.")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``newswatch stack``; ``argv`` holds only this command's options."""
    parser = argparse.ArgumentParser(prog="newswatch stack", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="Airflow API/UI port on 127.0.0.1.")
    parser.add_argument("--api-timeout", type=float, default=180.0, help="Seconds to wait for Airflow.")
    # None means "no options", not sys.argv: the CLI that calls us has already consumed its own argv.
    args = parser.parse_args(list(argv) if argv is not None else [])
    # One line per health probe would bury the banner.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "airflow").exists() and (found := shutil.which("airflow")):
        bin_dir = Path(found).parent
    config = StackConfig(settings=get_settings(), api_port=args.port, bin_dir=bin_dir)
    return run_stack(
        config,
        child_specs(bin_dir),
        pool_command(bin_dir),
        base_env=os.environ,
        api_timeout=args.api_timeout,
        setup=setup_commands(bin_dir),
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
