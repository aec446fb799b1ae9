"""The DuckDB system of record: connect, create the schema, and run named SQL.

The pipeline is the only writer. Analysts read a snapshot (see ``pipelines.snapshot``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipelines.sqlfiles import SQL_DIR, sql


def schema_files() -> list[str]:
    """Every ``sql/schema/*.sql``, in name order (tables before views: name files accordingly)."""
    return [f"schema/{p.stem}" for p in sorted((SQL_DIR / "schema").glob("*.sql"))]


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, creating its folder and schema when writing."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        ensure_schema(con)
    return con


@contextmanager
def session(path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is always closed, so the file lock is released for the next task."""
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and views if missing (every statement is idempotent)."""
    for name in schema_files():
        con.execute(sql(name))


def run(con: duckdb.DuckDBPyConnection, name: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
    """Execute ``sql/<name>.sql`` with bound parameters."""
    return con.execute(sql(name), params or [])


def rows(con: duckdb.DuckDBPyConnection, name: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts."""
    cur = con.execute(sql(name), params or [])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def run_many(con: duckdb.DuckDBPyConnection, name: str, params: Sequence[Sequence[Any]]) -> None:
    """Execute a named statement once per parameter row, inside one transaction."""
    if not params:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany(sql(name), params)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
