"""The analysts' copy of the database, published atomically after each processing run.

DuckDB lets one process hold a file open for writing and nobody else open it at all, so analysts
never touch the live file. The pipeline checkpoints it, copies it next to the snapshot, and renames
the copy over the snapshot: an analyst who has the old snapshot open keeps reading the old file
(the rename does not disturb an open file), and the next connection sees the new one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def publish(database: Path, snapshot: Path) -> int:
    """Copy ``database`` to ``snapshot`` atomically; returns the snapshot's size in bytes."""
    if not database.exists():
        raise FileNotFoundError(f"no database at {database} yet: run the pipeline first")
    con = duckdb.connect(str(database))
    try:
        con.execute("CHECKPOINT")  # fold the write-ahead log into the file before copying it
    finally:
        con.close()
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(database, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, snapshot)
    finally:
        tmp.unlink(missing_ok=True)
    return snapshot.stat().st_size
