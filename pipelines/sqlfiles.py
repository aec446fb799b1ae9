"""SQL lives in ``sql/`` as ``.sql`` files; code loads it by name and binds values as parameters."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"


@cache
def sql(name: str) -> str:
    """Text of ``sql/<name>.sql``; ``name`` may contain a subfolder, e.g. ``"schema/10_tables"``."""
    path = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR not in path.parents:
        raise ValueError(f"SQL name outside sql/: {name!r}")
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file named {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")
