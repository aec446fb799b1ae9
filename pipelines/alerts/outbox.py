"""The alert outbox: queue one email per new state of a conflict, send pending ones.

Queueing and sending are separate so that a failed SMTP delivery never loses an alert (it stays
``pending`` and is retried with back-off for ``alert_retry_hours``) and a re-run never queues or
sends a fingerprint twice (the fingerprint is the outbox's primary key).

Delivery is at most once as far as the database can know: each message is marked in flight
(``sending``) in a committed transaction before it goes out and ``sent`` in its own transaction as
soon as the server accepts it. A crash between the two is the only way to a second copy: the next
run resends that message with the same Message-ID and flags the alert ``possibly_duplicate``.

A conflict (event + attribute) is alerted in a state: its values and the outlets reporting each
(``followups``). When the state changes (a new value, an outlet joining or leaving a side) a
follow-up is queued: marked as an update, naming what changed, and threaded (In-Reply-To,
References) to the first email about the conflict.

Digest mode (``settings.alert_mode == "digest"``): queueing is unchanged (one outbox row per
fingerprint, with its own single-conflict rendering, so the outbox stays one row per alert key);
``send_pending`` then sends every pending row of the run as ONE email, re-rendered from the
database with all groups (each update still marked with what changed), and records the outcome on
all of them.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import duckdb

from pipelines import faults
from pipelines.alerts.chart import interval_chart
from pipelines.alerts.followups import ConflictState, changes, state_from_json, states_from_rows
from pipelines.alerts.render import (
    ConflictGroup,
    Thread,
    build_group,
    build_message,
    format_interval,
    render_bodies,
    subject_for,
)
from pipelines.db import rows, run
from pipelines.ids import stable_id
from pipelines.settings import Settings

log = logging.getLogger(__name__)

Send = Callable[[EmailMessage], None]


def _show(unit: str) -> Callable[[Any], str]:
    return lambda side: format_interval(side.low, side.high, unit)


def load_group(con: duckdb.DuckDBPyConnection, fingerprint: str, event_id: str, attribute: str,
               state: ConflictState | None = None, previous: ConflictState | None = None) -> ConflictGroup:
    """Everything the email for one alert shows, read from claims, articles, events, contradictions.

    ``state``/``previous``: the conflict's state and the one alerted before (queueing knows them);
    when not given they are read back from the alert's outbox row.
    """
    label_rows = rows(con, "alerts/event_label", [event_id])
    claims = rows(con, "alerts/group_claims", [event_id, attribute])
    pairs = rows(con, "alerts/group_pairs", [event_id, attribute])
    label = label_rows[0]["label"] if label_rows else None
    if state is None:
        stored = rows(con, "alerts/alert_state", [fingerprint])
        if stored:
            r = stored[0]
            cfp = r["conflict_fingerprint"] or fingerprint
            state = state_from_json(event_id, attribute, cfp, r["sides"])
            previous = state_from_json(event_id, attribute, cfp, r["previous_sides"])
    unit = next((c.get("unit") for c in claims if c.get("unit")), "") or ""
    return build_group(fingerprint, event_id, label, attribute, claims, pairs,
                       previous_claims=previous.claim_ids if previous else None,
                       changes=changes(previous, state, _show(unit)) if state else [])


Chart = tuple[str, str, bytes]  # (cid, filename, png)


def charts_for(groups: Sequence[ConflictGroup]) -> list[Chart]:
    """(cid, filename, png) per group. A chart that cannot be drawn is left out: the alert still goes."""
    charts = []
    for g in groups:
        try:
            charts.append((g.chart_cid, g.chart_filename, interval_chart(g)))
        except Exception:  # the figures and quotes matter more than the picture
            log.exception("could not draw the chart for %s", g.fingerprint)
    return charts


# Starts drawing the charts of one email's groups; what it returns waits for them and gives them.
DrawCharts = Callable[[Sequence[ConflictGroup]], Callable[[], list[Chart]]]


def draw_here(groups: Sequence[ConflictGroup]) -> Callable[[], list[Chart]]:
    """Charts drawn in this process, when the email is built."""
    return lambda: charts_for(groups)


def queue_alerts(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Render and queue (status ``pending``) one alert per conflict state not yet in the outbox: a
    new conflict, or a follow-up when its values or the outlets on a side changed.

    Returns how many alerts were queued.
    """
    recipients = ", ".join(settings.alert_recipients)
    queued = 0
    for state in states_from_rows(rows(con, "alerts/conflict_claims")):
        latest = rows(con, "alerts/latest_alert", [state.event_id, state.attribute])
        last = latest[0] if latest else None
        if last and (last["fingerprint"] == state.fingerprint
                     # an alert queued before states were kept: keyed by the set of values alone
                     or (last["sides"] is None and last["fingerprint"] == state.conflict_fingerprint)):
            continue
        previous = None
        if last:
            previous = state_from_json(state.event_id, state.attribute, last["conflict_fingerprint"] or "",
                                       last["sides"])
        group = load_group(con, state.fingerprint, state.event_id, state.attribute, state, previous)
        if last and previous is not None and not group.changes:
            continue  # the state differs only in claims by outlets already counted
        text, html = render_bodies([group])
        # the thread is kept as alert keys; their Message-IDs are known once the emails go out
        root = (last["thread_root"] or last["fingerprint"]) if last else None
        cur = run(
            con,
            "alerts/insert_alert",
            [
                state.fingerprint,
                state.event_id,
                state.attribute,
                subject_for([group]),
                text,
                html,
                recipients,
                datetime.now(UTC),
                state.conflict_fingerprint,
                root,
                last["fingerprint"] if last else None,
                state.to_json(),
                "\n".join(group.changes) or None,
            ],
        )
        queued += _rowcount(cur)
    log.info("alerts queued=%d", queued)
    return queued


def thread_of(con: duckdb.DuckDBPyConnection, fingerprints: Sequence[str]) -> Thread:
    """In-Reply-To and References for the email carrying these alerts: the email that carried the
    first alert about each conflict (and the one that carried the alert followed up, when that was
    not the first). An email replies to a thread only when everything it carries follows up one and
    the same first email; a digest spanning several conflicts references each first email instead."""
    refs: list[str] = []
    roots: set[str | None] = set()
    for r in rows(con, "alerts/thread_headers", [list(fingerprints)]):
        roots.add(r["root_message_id"] if r["thread_root"] else None)  # None: a first alert, its own thread
        for mid in (r["root_message_id"], r["previous_message_id"]):
            if mid and mid not in refs:
                refs.append(mid)
    root = next(iter(roots)) if len(roots) == 1 else None
    return Thread(in_reply_to=root, references=refs)


def _rowcount(cur: duckdb.DuckDBPyConnection) -> int:
    # DuckDB reports the affected row count as the single result row of a DML statement.
    res = cur.fetchone()
    return int(res[0]) if res else 0


def _recipients(row: dict[str, Any], settings: Settings) -> list[str]:
    stored = [x.strip() for x in (row.get("recipients") or "").split(",") if x.strip()]
    return stored or settings.alert_recipients


def _deliver(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    send: Send,
    msg: EmailMessage,
    fingerprints: Sequence[str],
    stats: dict[str, int],
    clock: Callable[[], datetime],
    resend: bool = False,
) -> None:
    """Send one message at most once per outcome we can know of, recording it on every row it carries.

    The in-flight marker (status ``sending``, the Message-ID, the attempt) is committed before the
    message leaves, and ``sent`` in its own transaction the moment the server accepts it. Only a
    crash between those two commits leaves a row ``sending``: the next run resends it with the same
    Message-ID (so mail clients and archives can fold the copies) and flags it ``possibly_duplicate``.
    """
    fps = list(fingerprints)
    run(con, "alerts/mark_in_flight", {"sending_since": clock(), "message_id": msg["Message-ID"],
                                       "resend": resend, "fingerprints": fps})
    faults.reached(settings, "alert_in_flight")
    try:
        send(msg)
    except Exception as exc:  # any delivery error: keep the alert for a later attempt
        error = f"{type(exc).__name__}: {exc}"[:1000]
        log.warning("alert delivery failed for %s: %s", ", ".join(fps), error)
        run(con, "alerts/mark_attempt_failed", {
            "now": clock(), "last_error": error, "backoff_base_s": settings.alert_backoff_base,
            "backoff_max_s": settings.alert_backoff_max, "retry_window_s": settings.alert_retry_hours * 3600,
            "fingerprints": fps,
        })
        stats["errors"] += 1
        return
    faults.reached(settings, "alert_accepted")
    run(con, "alerts/mark_sent", {"sent_at": clock(), "fingerprints": fps})
    faults.reached(settings, "alert_sent")
    stats["emails"] += 1
    stats["sent"] += len(fps)
    if resend:
        stats["resent"] += len(fps)


def _message(con: duckdb.DuckDBPyConnection, settings: Settings, batch: Sequence[dict[str, Any]],
             draw: DrawCharts = draw_here) -> Callable[[], EmailMessage]:
    """Start the email for outbox rows sent together (each alert as queued, or one digest
    re-rendered from the database with all its groups): its groups are read and their charts begun
    now; what it returns builds the email, reading its thread then (an email sent before it in the
    same call may be the one it replies to)."""
    if settings.alert_mode == "digest":
        groups = [load_group(con, r["fingerprint"], r["event_id"], r["attribute"]) for r in batch]
        fps = [r["fingerprint"] for r in batch]
        charts = draw(groups)

        def digest() -> EmailMessage:
            text, html = render_bodies(groups)
            recipients = sorted({addr for r in batch for addr in _recipients(r, settings)})
            return build_message(settings, subject_for(groups), text, html, recipients, fps, charts(),
                                 thread_of(con, fps))

        return digest
    (r,) = batch
    # The bodies are the ones queued; the chart is drawn from the same rows.
    group = load_group(con, r["fingerprint"], r["event_id"], r["attribute"])
    chart = draw([group])
    return lambda: build_message(settings, r["subject"], r["body_text"], r["body_html"], _recipients(r, settings),
                                 [r["fingerprint"]], chart(), thread_of(con, [r["fingerprint"]]))


def _resend_message(con: duckdb.DuckDBPyConnection, settings: Settings, batch: Sequence[dict[str, Any]]) -> EmailMessage:
    """A message a crashed run may have delivered: the same Message-ID as then, and marked as such."""
    msg = _message(con, settings, batch)()
    del msg["Message-ID"]
    msg["Message-ID"] = batch[0]["message_id"]
    msg["X-Newswatch-Possibly-Duplicate"] = "yes"
    return msg


def send_pending(con: duckdb.DuckDBPyConnection, settings: Settings, send: Send,
                 now: datetime | None = None, draw: DrawCharts = draw_here, ahead: int = 0) -> dict[str, int]:
    """Send every alert that is due with ``send``; one failure does not stop the others.

    Due are alerts left in flight by a crashed run (resent first, each message as it was) and
    pending alerts whose back-off has passed. ``now`` fixes the clock of the whole call (tests
    stepping through days of outage); default the current time. Alerts that have
    failed ``alert_stuck_attempts`` times are reported to operators once (``operator_alerts``).

    ``draw`` starts the charts of an email (default: drawn here as it is built); with ``ahead``,
    the charts of that many later emails are begun before each one is sent, so a ``draw`` that
    hands them to other processes has them ready when their turn comes.

    Returns counts: ``emails`` delivered, ``sent`` alerts marked sent, ``resent`` of them possibly
    twice, ``errors`` failed deliveries, ``stuck`` alerts newly reported to operators, and the outbox
    totals ``pending`` / ``failed`` afterwards.
    """
    def clock() -> datetime:
        return now or datetime.now(UTC)

    due = rows(con, "alerts/pending", {"now": clock()})
    stats = {"emails": 0, "sent": 0, "resent": 0, "errors": 0}
    in_flight: dict[str, list[dict[str, Any]]] = {}
    for r in due:
        if r["status"] == "sending":
            in_flight.setdefault(r["message_id"] or r["fingerprint"], []).append(r)
    for batch in in_flight.values():
        _deliver(con, settings, send, _resend_message(con, settings, batch), [r["fingerprint"] for r in batch],
                 stats, clock, resend=True)
    pending = [r for r in due if r["status"] == "pending"]
    batches = [pending] if settings.alert_mode == "digest" and pending else [[r] for r in pending]
    begun: deque[tuple[list[dict[str, Any]], Callable[[], EmailMessage]]] = deque()  # in sending order
    for i in range(len(batches)):
        for later in batches[i + len(begun):i + 1 + max(ahead, 0)]:
            begun.append((later, _message(con, settings, later, draw)))
        batch, message = begun.popleft()
        _deliver(con, settings, send, message(), [r["fingerprint"] for r in batch], stats, clock)
    stats["stuck"] = report_stuck(con, settings, clock())
    totals = {x["status"]: int(x["n"]) for x in rows(con, "alerts/status_counts")}
    stats["pending"] = totals.get("pending", 0) + totals.get("sending", 0)
    stats["failed"] = totals.get("failed", 0)
    log.info("alerts %s", ", ".join(f"{k}={v}" for k, v in stats.items()))
    return stats


def report_stuck(con: duckdb.DuckDBPyConnection, settings: Settings, now: datetime) -> int:
    """Queue one operator message about alerts that keep failing (each alert is reported once);
    ``notify_operators`` emails it. Returns how many alerts it names."""
    stuck = rows(con, "alerts/stuck", {"min_attempts": settings.alert_stuck_attempts})
    if not stuck:
        return 0
    fps = [r["fingerprint"] for r in stuck]
    lines = [
        f"- {r['subject']}\n  {r['status']}, {r['attempts']} attempts, failing since {r['first_failed_at']:%Y-%m-%d %H:%M %Z}"
        f"; next try {r['next_attempt_at']:%Y-%m-%d %H:%M %Z}\n  last error: {r['last_error']}"
        for r in stuck
    ]
    body = (
        f"{len(stuck)} alert email(s) could not be delivered. They stay queued and are retried with back-off "
        f"for {settings.alert_retry_hours:g} hours after their first failure, then marked failed.\n\n"
        + "\n".join(lines)
        + "\n\nCheck the mail server settings. `newswatch alerts list` shows the outbox; "
        "`newswatch alerts retry` sends undelivered alerts now.\n"
    )
    run(con, "ingest/insert_operator_alert", {
        "alert_id": stable_id("alerts_stuck", *fps), "kind": "alerts_stuck",
        "subject": f"{len(stuck)} alert(s) undelivered", "body": body, "created_at": now,
    })
    run(con, "alerts/mark_stuck_reported", {"reported_at": now, "fingerprints": fps})
    log.warning("%d alert(s) stuck; operators will be emailed", len(stuck))
    return len(stuck)


def undelivered(con: duckdb.DuckDBPyConnection, all_rows: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    """The outbox rows ``newswatch alerts list`` shows: undelivered ones, or every row."""
    return rows(con, "alerts/undelivered", {"all_rows": all_rows, "limit": limit})


def requeue(con: duckdb.DuckDBPyConnection, fingerprints: Sequence[str] | None = None) -> int:
    """Make undelivered alerts (all, or these) due now with a fresh retry window; returns how many."""
    return _rowcount(run(con, "alerts/requeue", {"fingerprints": list(fingerprints) if fingerprints else None}))
