"""The alert outbox: queue one email per new conflict fingerprint, send pending ones.

Queueing and sending are separate so that a failed SMTP delivery never loses an alert (it stays
``pending`` and the next run retries it) and a re-run never queues or sends a fingerprint twice
(the fingerprint is the outbox's primary key; only ``pending`` rows are ever sent).

Digest mode (``settings.alert_mode == "digest"``): queueing is unchanged (one outbox row per
fingerprint, with its own single-conflict rendering, so the outbox stays one row per alert key);
``send_pending`` then sends every pending row of the run as ONE email, re-rendered from the
database with all groups, and marks all of them sent (or counts one failed attempt on each).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import duckdb

from pipelines.alerts.chart import interval_chart
from pipelines.alerts.render import ConflictGroup, build_group, build_message, render_bodies, subject_for
from pipelines.db import rows, run
from pipelines.settings import Settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # after this many failed deliveries an alert is marked ``failed`` and left alone

Send = Callable[[EmailMessage], None]


def load_group(con: duckdb.DuckDBPyConnection, fingerprint: str, event_id: str, attribute: str) -> ConflictGroup:
    """Everything the email for one fingerprint shows, read from claims, articles, events, contradictions."""
    label_rows = rows(con, "alerts/event_label", [event_id])
    claims = rows(con, "alerts/group_claims", [event_id, attribute])
    pairs = rows(con, "alerts/group_pairs", [fingerprint, event_id, attribute])
    label = label_rows[0]["label"] if label_rows else None
    return build_group(fingerprint, event_id, label, attribute, claims, pairs)


def charts_for(groups: Sequence[ConflictGroup]) -> list[tuple[str, str, bytes]]:
    """(cid, filename, png) per group. A chart that cannot be drawn is left out: the alert still goes."""
    charts = []
    for g in groups:
        try:
            charts.append((g.chart_cid, g.chart_filename, interval_chart(g)))
        except Exception:  # the figures and quotes matter more than the picture
            log.exception("could not draw the chart for %s", g.fingerprint)
    return charts


def queue_alerts(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Render and queue (status ``pending``) one alert per conflict fingerprint not yet in the outbox.

    Returns how many alerts were queued.
    """
    recipients = ", ".join(settings.alert_recipients)
    queued = 0
    for fp in rows(con, "alerts/new_fingerprints"):
        group = load_group(con, fp["fingerprint"], fp["event_id"], fp["attribute"])
        text, html = render_bodies([group])
        cur = run(
            con,
            "alerts/insert_alert",
            [
                group.fingerprint,
                group.event_id,
                group.attribute,
                subject_for([group]),
                text,
                html,
                recipients,
                datetime.now(UTC),
            ],
        )
        queued += _rowcount(cur)
    log.info("alerts queued=%d", queued)
    return queued


def _rowcount(cur: duckdb.DuckDBPyConnection) -> int:
    # DuckDB reports the affected row count as the single result row of a DML statement.
    res = cur.fetchone()
    return int(res[0]) if res else 0


def _recipients(row: dict[str, Any], settings: Settings) -> list[str]:
    stored = [x.strip() for x in (row.get("recipients") or "").split(",") if x.strip()]
    return stored or settings.alert_recipients


def _deliver(
    con: duckdb.DuckDBPyConnection,
    send: Send,
    msg: EmailMessage,
    fingerprints: Sequence[str],
    stats: dict[str, int],
) -> None:
    """Send one message; record the outcome on every outbox row it carries."""
    try:
        send(msg)
    except Exception as exc:  # any delivery error: keep the alert for the next run
        error = f"{type(exc).__name__}: {exc}"[:1000]
        log.warning("alert delivery failed for %s: %s", ", ".join(fingerprints), error)
        for fp in fingerprints:
            run(con, "alerts/mark_attempt_failed", [error, MAX_ATTEMPTS, fp])
        stats["errors"] += 1
        return
    now = datetime.now(UTC)
    for fp in fingerprints:
        run(con, "alerts/mark_sent", [now, fp])
    stats["emails"] += 1
    stats["sent"] += len(fingerprints)


def send_pending(con: duckdb.DuckDBPyConnection, settings: Settings, send: Send) -> dict[str, int]:
    """Send every pending alert with ``send``; one failure does not stop the others.

    Returns counts: ``emails`` delivered, ``sent`` fingerprints marked sent, ``errors`` failed
    deliveries, and the outbox totals ``pending`` / ``failed`` afterwards.
    """
    pending = rows(con, "alerts/pending")
    stats = {"emails": 0, "sent": 0, "errors": 0}
    if settings.alert_mode == "digest" and pending:
        groups = [load_group(con, r["fingerprint"], r["event_id"], r["attribute"]) for r in pending]
        text, html = render_bodies(groups)
        recipients = sorted({addr for r in pending for addr in _recipients(r, settings)})
        fps = [r["fingerprint"] for r in pending]
        msg = build_message(settings, subject_for(groups), text, html, recipients, fps, charts_for(groups))
        _deliver(con, send, msg, fps, stats)
    else:
        for r in pending:
            # The bodies are the ones queued; the chart is drawn now, from the same rows.
            group = load_group(con, r["fingerprint"], r["event_id"], r["attribute"])
            msg = build_message(
                settings, r["subject"], r["body_text"], r["body_html"], _recipients(r, settings), [r["fingerprint"]],
                charts_for([group]),
            )
            _deliver(con, send, msg, [r["fingerprint"]], stats)
    totals = {x["status"]: int(x["n"]) for x in rows(con, "alerts/status_counts")}
    stats["pending"] = totals.get("pending", 0)
    stats["failed"] = totals.get("failed", 0)
    log.info("alerts %s", ", ".join(f"{k}={v}" for k, v in stats.items()))
    return stats
