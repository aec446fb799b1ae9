"""Keep the analyst folder from growing without bound: old generations and orphaned files go.

A generation stays for the retention period after it was replaced, so an analyst who opened it
keeps a working connection that long; parts no kept generation lists are removed with it. A temp
file left by a publish that crashed (``.<name>.<pid>.tmp``) is removed once its process is gone.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's live process
        return True
    return True


def _temp_owner(path: Path) -> int | None:
    """The pid in a temp name ``.<name>.<pid>.tmp``, or None when the name is not ours."""
    if not (path.name.startswith(".") and path.name.endswith(".tmp")):
        return None
    pid = path.name[: -len(".tmp")].rsplit(".", 1)[-1]
    return int(pid) if pid.isdigit() else None


def remove_stale_temp_files(folder: Path) -> int:
    """Remove temp files under ``folder`` whose writing process no longer runs; returns how many."""
    removed = 0
    for path in list(folder.rglob(".*.tmp")):  # listed first: a removed folder is not walked
        pid = _temp_owner(path)
        if pid is not None and pid != os.getpid() and not _pid_alive(pid):
            if path.is_dir():  # the folder of a partitioned write
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_expired(folder: Path, keep: str, older_than: float) -> int:
    """Remove generations that a newer one replaced before ``older_than`` (epoch seconds; ``keep``
    always stays) and the parts no remaining generation lists; returns how many files went."""
    generations = folder / "generations"
    manifests = sorted(generations.glob("*.json"))
    removed = 0
    kept_files: set[str] = set()
    for manifest, successor in zip(manifests, [*manifests[1:], None], strict=True):
        # the age that counts is how long ago the next generation took over, not this one's own
        replaced_at = successor.stat().st_mtime if successor is not None else None
        if manifest.stem != keep and replaced_at is not None and replaced_at < older_than:
            for path in (generations / f"{manifest.stem}.duckdb", manifest):
                if path.exists():
                    path.unlink()
                    removed += 1
            continue
        tables = json.loads(manifest.read_text(encoding="utf-8")).get("tables", {})
        kept_files.update(f for t in tables.values() for f in t["files"])
    for part in (folder / "parts").rglob("*.parquet"):
        if part.relative_to(folder).as_posix() not in kept_files:
            part.unlink()
            removed += 1
    return removed
