"""The pipeline's stages as plain functions: what every DAG task and the CLI call.

Each stage opens the DuckDB file, does its work, closes the file (so the next task can take the
single writer lock) and returns ``StageCounts`` for the task log.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from pipelines.models import StageCounts
from pipelines.settings import Settings

SendEmail = Callable[[EmailMessage], None]


def ingest(settings: Settings) -> StageCounts:
    """Poll every feed (conditional GET), fetch new entries' pages, clean and store them."""
    from pipelines.ingest.run import run_ingest

    return run_ingest(settings)


def extract(settings: Settings) -> StageCounts:
    """Extract claims from articles not yet processed and assign them to events."""
    raise NotImplementedError


def detect(settings: Settings) -> StageCounts:
    """Compare claims per event and attribute; store conflicts, updates and revisions."""
    raise NotImplementedError


def send_alerts(settings: Settings, send: SendEmail) -> StageCounts:
    """Queue an alert per new contradiction fingerprint and send pending ones with ``send``."""
    raise NotImplementedError


def publish_snapshot(settings: Settings) -> StageCounts:
    """Publish an atomic read-only copy of the database for analysts."""
    raise NotImplementedError
