"""Shared test setup: an isolated Airflow home for the whole session.

Airflow reads its configuration when ``airflow`` is first imported, so the environment is set in
``pytest_configure``, before any test module (or DAG file) can import it. Unit tests never import
Airflow; for them these variables are inert.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = REPO_ROOT / "dags"
PLUGINS_FOLDER = REPO_ROOT / "plugins"
DUCKDB_POOL = "duckdb_writer"

_airflow_home: Path | None = None


def airflow_test_env(home: Path) -> dict[str, str]:
    """The variables that give Airflow a private SQLite metadata DB and our DAGs only."""
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS_FOLDER),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
    }


def pytest_configure(config: pytest.Config) -> None:
    global _airflow_home
    _airflow_home = Path(tempfile.mkdtemp(prefix="newswatch-airflow-"))
    os.environ.update(airflow_test_env(_airflow_home))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _airflow_home is not None:
        shutil.rmtree(_airflow_home, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_db() -> Iterator[Path]:
    """Create the Airflow metadata DB once per session, with the DuckDB writer pool."""
    assert _airflow_home is not None
    from airflow.models.pool import Pool
    from airflow.utils import db

    db.initdb()
    Pool.create_or_update_pool(
        DUCKDB_POOL, slots=1, description="DuckDB single writer", include_deferred=False
    )
    yield _airflow_home
