"""Operator messages from ingestion (a feed paused, a silent edit) waiting to be emailed.

Ingestion only queues them in ``operator_alerts``; the alert stage sends them and calls
``mark_sent`` so each goes out once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import duckdb

from pipelines import db


def pending(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Unsent messages, oldest first: ``alert_id, kind, subject, body, created_at``."""
    return db.rows(con, "ingest/pending_operator_alerts")


def mark_sent(con: duckdb.DuckDBPyConnection, alert_id: str, when: datetime | None = None) -> None:
    db.run(con, "ingest/mark_operator_alert_sent", {"alert_id": alert_id, "sent_at": when or datetime.now(UTC)})
