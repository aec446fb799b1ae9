"""Alert delivery: at most once per accepted message, retry with back-off through a long outage,
operators told of stuck alerts, `newswatch alerts list|retry`, a non-zero run-once."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from outbox_seed import NOW, conflicts_of, outbox, seed_conflicts
from test_alerts import Collector, _free_port  # the same real SMTP sink as the outbox tests

from pipelines import cli, flow
from pipelines.alerts import queue_alerts, requeue, send_pending, smtp_sender
from pipelines.claims.catalog import load_catalog
from pipelines.db import connect
from pipelines.errors import AlertsNotDelivered
from pipelines.parallel import ExtractionPool
from pipelines.settings import Settings, get_settings

CATALOG = load_catalog()


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def settings(tmp_path: Path, port: int) -> Settings:
    return Settings(home=tmp_path, smtp_host="127.0.0.1", smtp_port=port, http_timeout=3.0,
                    alert_from="alerts@newswatch.test", operator_email="ops@newswatch.test")


@pytest.fixture
def con(settings: Settings):
    c = connect(settings.database)
    yield c
    c.close()


def start_sink(port: int) -> tuple[Controller, Collector]:
    sink = Collector()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


class Crash(BaseException):
    """Stands for the process dying: no ``except Exception`` in the outbox catches it."""


def crash_when_sent(accepted: list[EmailMessage]) -> Callable[[EmailMessage], None]:
    """A sender that dies right after the server accepted the message."""

    def send(msg: EmailMessage) -> None:
        accepted.append(msg)
        raise Crash

    return send


def test_an_outage_longer_than_five_runs_loses_nothing_and_recovery_sends_each_alert_once(con, settings, port):
    fps = seed_conflicts(con, 3)
    assert queue_alerts(con, settings) == 3
    send = smtp_sender(settings)  # nothing listens on the port yet: connection refused
    for run in range(8):  # runs two hours apart, so every back-off has passed
        stats = send_pending(con, settings, send, now=NOW + timedelta(hours=2 * run))
        assert stats["errors"] == 3 and stats["pending"] == 3 and stats["failed"] == 0
    rows = outbox(con)
    assert {r["status"] for r in rows.values()} == {"pending"}
    assert {r["attempts"] for r in rows.values()} == {8}
    assert all("ConnectionRefusedError" in str(r["last_error"]) for r in rows.values())
    # operators were told once, naming every stuck alert, through the operator path
    ops = con.execute("SELECT kind, subject, body FROM operator_alerts").fetchall()
    assert [(k, s) for k, s, _ in ops] == [("alerts_stuck", "3 alert(s) undelivered")]
    assert all(f"River flood {i}" in ops[0][2] for i in range(3))

    controller, sink = start_sink(port)
    try:
        stats = send_pending(con, settings, send, now=NOW + timedelta(hours=17))
        again = send_pending(con, settings, send, now=NOW + timedelta(hours=18))
    finally:
        controller.stop()
    assert (stats["sent"], stats["errors"], stats["pending"]) == (3, 0, 0)
    assert again["emails"] == 0
    assert sorted(conflicts_of(con, (m["X-Newswatch-Fingerprint"] for m in sink.messages))) == fps
    assert {r["attempts"] for r in outbox(con).values()} == {9}


def test_back_off_doubles_between_attempts_and_gives_up_after_the_retry_window(con, settings):
    settings = settings.model_copy(update={"alert_backoff_base": 60.0, "alert_backoff_max": 600.0,
                                           "alert_retry_hours": 1.0})
    seed_conflicts(con, 1)
    queue_alerts(con, settings)
    calls: list[EmailMessage] = []

    def down(msg: EmailMessage) -> None:
        calls.append(msg)
        raise OSError("relay down")

    first = send_pending(con, settings, down)
    assert first["errors"] == 1
    r = outbox(con)["fp-00"]
    start = r["first_failed_at"]
    assert r["next_attempt_at"] - start == pytest.approx(timedelta(seconds=60), abs=timedelta(seconds=2))
    assert send_pending(con, settings, down, now=start + timedelta(seconds=30))["errors"] == 0  # not due yet
    assert len(calls) == 1
    send_pending(con, settings, down, now=start + timedelta(seconds=61))
    r = outbox(con)["fp-00"]
    assert r["attempts"] == 2 and len(calls) == 2
    assert r["next_attempt_at"] == start + timedelta(seconds=61 + 120)  # the wait doubled
    assert r["first_failed_at"] == start
    con.execute("UPDATE alerts SET first_failed_at = first_failed_at - INTERVAL 2 HOUR, next_attempt_at = NULL")
    assert send_pending(con, settings, down)["failed"] == 1
    assert outbox(con)["fp-00"]["status"] == "failed"
    assert send_pending(con, settings, down)["errors"] == 0  # given up: not tried again by itself
    delivered: list[EmailMessage] = []
    assert requeue(con) == 1  # `newswatch alerts retry`
    assert send_pending(con, settings, delivered.append)["sent"] == 1
    assert len(delivered) == 1 and outbox(con)["fp-00"]["status"] == "sent"


def test_an_alert_in_flight_at_a_crash_is_resent_once_with_its_message_id_and_flagged(con, settings):
    seed_conflicts(con, 2)
    queue_alerts(con, settings)
    accepted: list[EmailMessage] = []
    with pytest.raises(Crash):
        send_pending(con, settings, crash_when_sent(accepted))
    rows = outbox(con)
    assert rows["fp-00"]["status"] == "sending" and rows["fp-00"]["message_id"] == accepted[0]["Message-ID"]
    assert rows["fp-01"]["status"] == "pending"

    stats = send_pending(con, settings, accepted.append)
    assert (stats["sent"], stats["resent"], stats["emails"]) == (2, 1, 2)
    first, resent, other = accepted
    assert resent["Message-ID"] == first["Message-ID"] and resent["X-Newswatch-Possibly-Duplicate"] == "yes"
    assert other["X-Newswatch-Possibly-Duplicate"] is None
    rows = outbox(con)
    assert (rows["fp-00"]["status"], rows["fp-00"]["possibly_duplicate"], rows["fp-00"]["attempts"]) == ("sent", True, 2)
    assert (rows["fp-01"]["possibly_duplicate"], rows["fp-01"]["attempts"]) == (False, 1)
    assert send_pending(con, settings, accepted.append)["emails"] == 0


def test_a_digest_in_flight_is_resent_as_the_same_digest(con, settings):
    digest = settings.model_copy(update={"alert_mode": "digest"})
    seed_conflicts(con, 2)
    queue_alerts(con, digest)
    got: list[EmailMessage] = []
    with pytest.raises(Crash):
        send_pending(con, digest, crash_when_sent(got))
    assert con.execute("SELECT count(*) FROM alerts WHERE status = 'sending'").fetchone() == (2,)
    stats = send_pending(con, digest, got.append)
    assert (stats["emails"], stats["sent"], stats["resent"]) == (1, 2, 2)
    assert got[1]["Message-ID"] == got[0]["Message-ID"]
    assert sorted(conflicts_of(con, got[1].get_all("X-Newswatch-Fingerprint"))) == ["fp-00", "fp-01"]


def test_send_alerts_stage_fails_with_one_line_when_delivery_fails(settings, port):
    with connect(settings.database) as c:
        seed_conflicts(c, 1)
    with pytest.raises(AlertsNotDelivered) as err:
        flow.send_alerts(settings, smtp_sender(settings))
    assert "\n" not in str(err.value)
    assert "1 delivery attempt(s) failed" in str(err.value) and "newswatch alerts retry" in str(err.value)
    assert err.value.counts["pending"] == 1


def test_alerts_list_and_retry_commands(settings, port, monkeypatch, capsys):
    for key, value in {"NEWSWATCH_HOME": str(settings.home), "NEWSWATCH_SMTP_PORT": str(port),
                       "NEWSWATCH_SMTP_HOST": "127.0.0.1", "NEWSWATCH_HTTP_TIMEOUT": "3"}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        with connect(settings.database) as c:
            seed_conflicts(c, 2)
            queue_alerts(c, settings)
            send_pending(c, settings, smtp_sender(settings))  # refused: both pending with an error
            key = {conflict: r["fingerprint"] for conflict, r in outbox(c).items()}
        assert cli.main(["alerts", "list"]) == 0
        out = capsys.readouterr().out
        assert f"{key['fp-00']}  pending  attempts=1" in out and "ConnectionRefusedError" in out
        assert out.rstrip().endswith("2 undelivered alert(s)")

        assert cli.main(["alerts", "retry"]) == 1  # still down: non-zero, one line on stderr
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "2 alert(s) still undelivered" in err[0]

        controller, sink = start_sink(port)
        try:
            assert cli.main(["alerts", "retry", key["fp-01"]]) == 1  # fp-00 stays in back-off
            assert cli.main(["alerts", "retry"]) == 0
        finally:
            controller.stop()
        assert sorted(m["X-Newswatch-Fingerprint"] for m in sink.messages) == sorted(key.values())
        capsys.readouterr()
        assert cli.main(["alerts", "list", "--all"]) == 0
        out = capsys.readouterr().out
        assert f"{key['fp-00']}  sent" in out and f"{key['fp-01']}  sent" in out and out.rstrip().endswith("2 alert(s)")
    finally:
        get_settings.cache_clear()


def _sent_by(settings: Settings, pool: ExtractionPool | None) -> list[list[tuple[object, ...]]]:
    """Each email as its headers and parts, the PNG charts byte for byte (not the date it was built
    or its random MIME boundaries)."""
    got: list[EmailMessage] = []
    with connect(settings.database) as c:
        seed_conflicts(c, 5)
    flow.send_alerts(settings, got.append, pool=pool)
    return [[*((k, v) for k, v in m.items() if k not in {"Date", "Content-Type"}),
             *((p.get_content_type(), p.get("Content-ID"), p.get_payload(decode=True))
               for p in m.walk() if not p.is_multipart())] for m in got]


def test_charts_drawn_by_the_run_workers_give_the_very_emails_drawn_here(tmp_path, port):
    # a run in one process (run-once) has its extraction workers draw the charts, several emails ahead
    here = Settings(home=tmp_path / "here", smtp_port=port, alert_from="alerts@newswatch.test")
    there = here.model_copy(update={"home": tmp_path / "workers"})
    expected = _sent_by(here, None)
    with ExtractionPool(CATALOG, workers=2, later=["pipelines.alerts.chart"]) as pool:
        drawn = _sent_by(there, pool)
        assert pool._pool is not None, "the charts were handed to the workers"
    assert len(expected) == 5
    assert drawn == expected
    assert all(any(part[0] == "image/png" for part in m) for m in drawn)


def test_a_chart_the_workers_cannot_give_is_drawn_here(tmp_path, port, caplog):
    class DeadWorkers(ExtractionPool):
        def submit(self, fn, *args):
            failed: Future[object] = Future()
            failed.set_exception(BrokenProcessPool("a worker died"))
            return failed

    here = Settings(home=tmp_path / "here", smtp_port=port, alert_from="alerts@newswatch.test")
    there = here.model_copy(update={"home": tmp_path / "dead"})
    expected = _sent_by(here, None)
    with DeadWorkers(CATALOG, workers=2) as pool:
        drawn = _sent_by(there, pool)
    assert drawn == expected
    assert caplog.text.count("could not draw the chart") == 5
