"""Failures newswatch explains in one line (the CLI prints the message, not a traceback; an Airflow
task fails with it and is retried)."""

from __future__ import annotations


class NewswatchError(Exception):
    """A failure whose message says what failed and what to do; no traceback needed."""


class AlertsNotDelivered(NewswatchError):
    """Some alerts could not be emailed this run (they stay queued and are retried)."""

    def __init__(self, message: str, counts: dict[str, int | float]) -> None:
        super().__init__(message)
        self.counts = counts
