"""The DuckDB system of record: connect, create the schema, and run named SQL.

The pipeline is the only writer. Analysts read a snapshot (see ``pipelines.snapshot``).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.errors import NewswatchError
from pipelines.lock import pipeline_lock, process_command
from pipelines.settings import get_settings
from pipelines.sqlfiles import SQL_DIR, sql


def schema_files() -> list[str]:
    """Every ``sql/schema/*.sql``, in name order (tables before views: name files accordingly)."""
    return [f"schema/{p.stem}" for p in sorted((SQL_DIR / "schema").glob("*.sql"))]


class DatabaseBusy(NewswatchError):
    """The DuckDB file stayed locked by another process for longer than the open timeout."""


# DuckDB's message when another process holds the file: "... Conflicting lock is held in <exe> (PID 123)"
_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


def _holder(error: Exception) -> str:
    m = _HOLDER.search(str(error))
    if not m:
        return "another process"
    pid = int(m["pid"])
    return f"pid {pid} ({process_command(pid) or m['exe']})"


def connect(path: Path | str, read_only: bool = False, open_timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database file, creating its folder and schema when writing.

    While another process holds the file (DuckDB lets one process open it at a time), opening is
    retried for ``open_timeout`` seconds (default ``NEWSWATCH_DB_OPEN_TIMEOUT``); then
    ``DatabaseBusy`` names the file and the process holding it."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    timeout = get_settings().db_open_timeout if open_timeout is None else open_timeout
    deadline, delay = time.monotonic() + timeout, 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"{path} is locked by {_holder(exc)}; retried for {timeout:g} s (NEWSWATCH_DB_OPEN_TIMEOUT). "
                    "Analysts read the snapshot, never the live file."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    if not read_only:
        ensure_schema(con)
    return con


@contextmanager
def session(path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is always closed, so the file lock is released for the next task.

    A writing session holds the pipeline lock (``pipelines.lock``) too: a second newswatch writer
    waits for it instead of failing on DuckDB's lock."""
    with ExitStack() as stack:
        if not read_only:
            stack.enter_context(pipeline_lock(Path(path), get_settings().lock_timeout))
        con = connect(path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


def schema_fingerprint() -> str:
    """SHA-256 of the schema files' names and texts: it changes whenever the DDL does."""
    digest = hashlib.sha256()
    for name in schema_files():
        digest.update(name.encode("utf-8") + b"\0" + sql(name).encode("utf-8") + b"\0")
    return digest.hexdigest()


def _applied_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        found = con.execute(sql("meta/schema_fingerprint")).fetchone()
    except duckdb.CatalogException:  # a new file, or one written before the schema was recorded
        return None
    return str(found[0]) if found else None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and views if missing (every statement is idempotent). Skipped when the file
    already has this exact schema: the check is one small query, the DDL hundreds of statements.

    One transaction: the ``COMMENT ON`` statements cost half a second when each commits on its
    own, and the fingerprint is recorded with the schema it stands for or not at all."""
    fingerprint = schema_fingerprint()
    if _applied_fingerprint(con) == fingerprint:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for name in schema_files():
            con.execute(sql(name))
        run(con, "meta/record_schema", {"fingerprint": fingerprint, "applied_at": datetime.now(UTC)})
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def run(con: duckdb.DuckDBPyConnection, name: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
    """Execute ``sql/<name>.sql`` with bound parameters."""
    return con.execute(sql(name), params or [])


def rows(con: duckdb.DuckDBPyConnection, name: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts."""
    cur = con.execute(sql(name), params or [])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frames: dict[str, Any]) -> Iterator[None]:
    """DataFrames (or Arrow tables) readable by name in the named SQL for the duration of the block."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


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
