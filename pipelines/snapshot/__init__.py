"""The analysts' copy of the database, published after each processing run.

DuckDB lets one process hold a file open for writing and nobody else open it at all, so analysts
never touch the live file. Instead each publish makes a new *generation* of an analyst copy:

    snapshot/
      newswatch.duckdb -> generations/<gen>.duckdb    the stable name analysts open (a symlink)
      current.json                                    the newest generation's tables and files
      generations/<gen>.duckdb                        views over that generation's parts (no data)
      generations/<gen>.json                          its manifest: every table's parts
      parts/<table>/<part>-<fingerprint>.parquet      immutable Parquet parts, shared by generations

Only parts whose rows changed are written (see ``parts``), so a publish costs what the run
changed, not what the history holds. Parquet opens in pandas, Polars, Spark or any DuckDB; the
views file is written in a storage format DuckDB clients from 1.4 on read. Switching the symlink
is atomic: a connection opened before keeps its generation (whose files stay for
``retention``), the next connection, even in the same process, sees the newest one.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines import db
from pipelines.snapshot.housekeeping import remove_expired, remove_stale_temp_files
from pipelines.snapshot.parts import Part, prepare, table_parts, tables_to_publish, write_parts
from pipelines.snapshot.views import write_views_file

DEFAULT_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Published:
    generation: str
    tables: int
    parts: int
    parts_written: int
    rows_written: int
    bytes_written: int
    stale_removed: int
    expired_removed: int

    def counts(self) -> dict[str, int | float]:
        return {"tables": self.tables, "parts": self.parts, "parts_written": self.parts_written,
                "rows_written": self.rows_written, "bytes": self.bytes_written,
                "stale_files_removed": self.stale_removed, "expired_files_removed": self.expired_removed}


def _generation_name(now: datetime) -> str:
    # sortable, and unique even for two publishes in one second
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def _manifest(generation: str, now: datetime, parts: dict[str, list[Part]]) -> dict[str, object]:
    return {
        "generation": generation,
        "published_at": now.isoformat(),
        "views_file": f"generations/{generation}.duckdb",
        "tables": {
            table: {"rows": sum(p.rows for p in ps), "files": [f"parts/{p.filename}" for p in ps]}
            for table, ps in parts.items()
        },
    }


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _point_at(pointer: Path, target: Path) -> None:
    """Atomically make ``pointer`` a relative symlink to ``target`` (replacing a file or an older link)."""
    tmp = pointer.with_name(f".{pointer.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(os.path.relpath(target, pointer.parent))
    os.replace(tmp, pointer)


def publish(database: Path, snapshot: Path, retention: timedelta = DEFAULT_RETENTION) -> Published:
    """Publish a new generation of the analyst copy of ``database``; ``snapshot`` is the stable name."""
    if not database.exists():
        raise FileNotFoundError(f"no database at {database} yet: run the pipeline first")
    folder = snapshot.parent.resolve()
    generations, store = folder / "generations", folder / "parts"
    generations.mkdir(parents=True, exist_ok=True)
    stale = remove_stale_temp_files(folder)
    now = datetime.now(UTC)
    generation = _generation_name(now)
    written = rows = size = 0
    with db.session(database, read_only=True) as con:
        prepare(con, int(now.timestamp()) // 86400)
        parts = {table: table_parts(con, table) for table in tables_to_publish(con)}
        for ps in parts.values():
            sizes = write_parts(con, ps, store)
            for part in ps:
                if sizes.get(part.filename):
                    written, rows, size = written + 1, rows + part.rows, size + sizes[part.filename]
        views_file = generations / f"{generation}.duckdb"
        # written under a temp name: a crash leaves a file the next publish knows to remove
        tmp = views_file.with_name(f".{views_file.name}.{os.getpid()}.tmp")
        try:
            write_views_file(con, tmp, {t: [store / p.filename for p in ps] for t, ps in parts.items()})
            os.replace(tmp, views_file)
        finally:
            tmp.unlink(missing_ok=True)
    manifest = _manifest(generation, now, parts)
    _write_json(generations / f"{generation}.json", manifest)
    _point_at(snapshot, views_file)
    _write_json(folder / "current.json", manifest)
    expired = remove_expired(folder, keep=generation, older_than=time.time() - retention.total_seconds())
    return Published(generation, len(parts), sum(len(ps) for ps in parts.values()), written, rows,
                     size + views_file.stat().st_size, stale, expired)
