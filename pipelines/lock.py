"""One pipeline writer at a time: an advisory file lock next to the database (by default
``<home>/newswatch.lock``).

DuckDB itself admits one process per file and fails the second at once; a run that waits for the
lock instead finishes after the other one. The holder writes its pid, command line and start time
into the lock file, so a run that gives up can say who holds it. The kernel drops the lock when its
holder dies, even by SIGKILL: a stale lock file never blocks anything.

The lock is re-entrant within a process (``run-once`` holds it for the whole run while each stage
takes it again around its own database session).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from pipelines.errors import NewswatchError


class PipelineBusy(NewswatchError):
    """Another process held the pipeline lock for longer than the timeout."""


_held: dict[Path, tuple[IO[str], int]] = {}  # lock path -> (open file, depth) in this process


def lock_path(database: Path) -> Path:
    return Path(database).with_suffix(".lock")


def describe_holder(path: Path) -> str:
    """'pid 123 (newswatch run-once) since 2026-01-01 10:00:00 UTC', from what the holder wrote."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info.get("pid"):
        return "an unknown process"
    return f"pid {info['pid']} ({info.get('command') or '?'}) since {info.get('since') or '?'}"


@contextmanager
def pipeline_lock(database: Path, timeout: float) -> Iterator[None]:
    """Hold the pipeline lock of ``database`` for the block, waiting up to ``timeout`` seconds."""
    path = lock_path(database).resolve()
    if path in _held:
        fh, depth = _held[path]
        _held[path] = (fh, depth + 1)
        try:
            yield
        finally:
            _release(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (kept open while the lock is held)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                fh.close()
                raise PipelineBusy(
                    f"{path} is held by {describe_holder(path)}; waited {timeout:g} s "
                    "(NEWSWATCH_LOCK_TIMEOUT). Only one newswatch run writes at a time: try again when it ends."
                ) from None
            time.sleep(0.2)
    fh.seek(0)
    fh.truncate()
    fh.write(json.dumps({"pid": os.getpid(), "command": " ".join(_command()),
                         "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}))
    fh.flush()
    _held[path] = (fh, 1)
    try:
        yield
    finally:
        _release(path)


def _release(path: Path) -> None:
    fh, depth = _held[path]
    if depth > 1:
        _held[path] = (fh, depth - 1)
        return
    del _held[path]
    fh.close()  # closing the descriptor releases the flock


def _command() -> list[str]:
    args = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else ["python"]
    return [a if len(a) < 80 else a[:77] + "..." for a in args][:8]


def process_command(pid: int) -> str | None:
    """The command line of a running process (Linux /proc), or None."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:200] or None
