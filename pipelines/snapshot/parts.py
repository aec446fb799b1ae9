"""Cut the live tables into Parquet parts and write the parts that changed since the last publish.

A table with a rule in ``sql/snapshot/tables/<table>.sql`` is cut by the UTC hour its rows were
written (a claim's extraction time, an article's fetch time, ...): a run adds rows to the newest
hour or two, so it rewrites those parts and leaves the history alone. Any other table is one part.
Whether a part changed is decided by its row count and an order-independent hash of its rows, so
an edit in an old part (a revised article, an alert that was finally sent) is published too.

Part files are immutable and named by their content (``<table>/<part>-<fingerprint>.parquet``):
a generation of the analyst copy is just a list of them, a crash mid-write leaves nothing a
reader sees, and writing the same content twice is a no-op.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import db
from pipelines.ids import stable_id
from pipelines.snapshot.views import quote_identifier
from pipelines.sqlfiles import SQL_DIR, sql

# Live tables analysts do not get: the gate's and detection's per-row bookkeeping, per-host politeness state and
# the schema fingerprint.
INTERNAL_TABLES = ["quality_checked", "host_state", "schema_state", "detection_state"]
NO_PART = "all"


@dataclass(frozen=True)
class Part:
    table: str
    key: str             # h<UTC hour> or d<UTC day> (see sql/snapshot/part_macro.sql), or "all"
    rows: int
    fingerprint: str     # hex of the rows' combined hash, with the row count

    @property
    def filename(self) -> str:
        return f"{self.table}/{self.key}-{self.fingerprint}.parquet"


def prepare(con: duckdb.DuckDBPyConnection, today: int) -> None:
    """Define how rows are cut into parts for this connection; ``today`` is the UTC day number."""
    db.run(con, "snapshot/set_today", [today])
    con.execute(sql("snapshot/part_macro"))


def tables_to_publish(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r["table_name"] for r in db.rows(con, "snapshot/tables_to_publish", {"internal": INTERNAL_TABLES})]


def _select_source(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Point the temporary view ``snapshot_source`` at ``table``'s rows with their part key."""
    # SQL texts composed here are our own files and a quoted name: no value is ever spliced in
    rule = Path("snapshot", "tables", table).as_posix()  # the table's own part rule, when it has one
    if (SQL_DIR / f"{rule}.sql").is_file():
        select = sql(rule)
    else:
        con.execute(sql("snapshot/table_view").format(table=quote_identifier(table)))
        select = sql("snapshot/whole_table")
    con.execute(sql("snapshot/source_view").format(select=select))


def _schema_signature(con: duckdb.DuckDBPyConnection) -> str:
    # a new column (a migration) changes every part's name, so the whole table is written anew
    # and every part of one generation has the same columns
    relation = con.sql(sql("snapshot/source_schema"))
    return stable_id(*(f"{c} {t}" for c, t in zip(relation.columns, relation.types, strict=True)))[:8]


def table_parts(con: duckdb.DuckDBPyConnection, table: str) -> list[Part]:
    """Every part of ``table`` as it is now; an empty table has one empty part (so its view has a schema)."""
    _select_source(con, table)
    schema = _schema_signature(con)
    parts = [
        Part(table, str(r["part"]), int(r["row_count"]),
             f"{schema}{int(r['fingerprint']) & 0xFFFFFFFFFFFFFFFF:016x}{int(r['row_count']):x}")
        for r in db.rows(con, "snapshot/fingerprints")
    ]
    return parts or [Part(table, NO_PART, 0, f"{schema}empty")]


def write_part(con: duckdb.DuckDBPyConnection, part: Part, store: Path) -> int:
    """Write ``part`` under ``store`` unless a file with its content is already there; returns bytes written."""
    target = store / part.filename
    if target.exists():
        return 0
    _select_source(con, part.table)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        con.sql(sql("snapshot/part_rows"), params={"part": part.key}).write_parquet(str(tmp), compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target.stat().st_size


def write_parts(con: duckdb.DuckDBPyConnection, parts: list[Part], store: Path) -> dict[str, int]:
    """Write the parts of one table that are not under ``store`` yet; returns bytes written per part
    file name. Several parts are written in one scan of the table (a partitioned write into a temp
    folder, then each file moved to its name): a run's changes can touch many old parts (pairs whose
    alert key changed, alerts sent), and a scan per part would cost the table times the parts."""
    missing = [p for p in parts if not (store / p.filename).exists()]
    if len(missing) < 2:
        return {p.filename: write_part(con, p, store) for p in missing}
    table = missing[0].table
    _select_source(con, table)
    folder = store / table
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{table}-parts.{os.getpid()}.tmp"  # a crash leaves it for housekeeping
    shutil.rmtree(tmp, ignore_errors=True)
    written: dict[str, int] = {}
    try:
        con.sql(sql("snapshot/parts_rows"), params={"parts": [p.key for p in missing]}).write_parquet(
            str(tmp), compression="zstd", partition_by=["part"])
        for part in missing:
            files = list((tmp / f"part={part.key}").glob("*.parquet"))
            if len(files) != 1:  # split into several files (or none): write it on its own
                written[part.filename] = write_part(con, part, store)
                continue
            target = store / part.filename
            os.replace(files[0], target)
            written[part.filename] = target.stat().st_size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written
