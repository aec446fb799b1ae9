"""Crash tests of alert delivery: a real `newswatch alerts retry` process, SIGKILLed at exact points
(``NEWSWATCH_FAULT_PAUSE_AT``, see pipelines.faults) while sending to a real SMTP sink; the emails
that arrive are counted."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from outbox_seed import conflicts_of, outbox, seed_conflicts

from pipelines.alerts import queue_alerts
from pipelines.db import connect
from pipelines.faults import ANNOUNCEMENT
from pipelines.mailsink import list_messages, read_message, start_mail_sink
from pipelines.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
ALERTS = 12


def run_alerts_retry(env: dict[str, str], fault: str | None) -> str | None:
    """Run `newswatch alerts retry`; with a fault point, SIGKILL it as soon as it pauses there.
    Returns the point it was killed at (None: it ran to the end)."""
    run_env = {**os.environ, **env, "NEWSWATCH_FAULT_PAUSE_AT": fault or ""}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "alerts", "retry"], cwd=REPO_ROOT,
                            env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 90
    err = ""
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1.0)
            if ready:
                line = proc.stderr.readline()
                if not line and proc.poll() is not None:
                    break
                err += line
                if line.startswith(ANNOUNCEMENT):
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=30)
                    assert proc.returncode == -signal.SIGKILL
                    return line.split()[-2]
            elif proc.poll() is not None:
                break
        else:
            pytest.fail(f"alerts retry neither paused nor ended in time; stderr:\n{err}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out, rest = proc.communicate()
    assert fault is None, f"the run should have paused at {fault}:\n{err}{rest}"
    assert proc.returncode == 0, f"{out}\n{err}{rest}"
    return None


def test_sigkill_at_the_acceptance_point_resends_only_that_alert_with_its_message_id(tmp_path):
    home, mail = tmp_path / "home", tmp_path / "mail"
    controller = start_mail_sink(mail, "127.0.0.1", 0)
    try:
        settings = Settings(home=home, alert_from="alerts@newswatch.test")
        with connect(settings.database) as con:
            fingerprints = seed_conflicts(con, ALERTS)
            assert queue_alerts(con, settings) == ALERTS
        env = {"NEWSWATCH_HOME": str(home), "NEWSWATCH_SMTP_HOST": "127.0.0.1",
               "NEWSWATCH_SMTP_PORT": str(controller.port), "NEWSWATCH_ALERT_FROM": "alerts@newswatch.test"}
        # Run 1 dies right after the server accepted the first alert; each later run first resends the
        # alert left in flight (its first acceptance) and dies after accepting the next one.
        plan = ["alert_accepted:1"] + ["alert_accepted:2"] * 9 + ["alert_sent:2", "alert_in_flight:1"]
        killed = [run_alerts_retry(env, fault) for fault in plan]
        assert killed == [p.split(":")[0] for p in plan]  # 12 real SIGKILLs, each at its point
        assert run_alerts_retry(env, None) is None  # the last run ends cleanly
    finally:
        controller.stop()

    messages = [read_message(p) for p in list_messages(mail)]
    with connect(settings.database, read_only=True) as con:
        rows = outbox(con)
        conflict = dict(zip((m["X-Newswatch-Fingerprint"] for m in messages),
                            conflicts_of(con, (m["X-Newswatch-Fingerprint"] for m in messages)), strict=True))
    copies = Counter(conflict[m["X-Newswatch-Fingerprint"]] for m in messages)
    killed_after_acceptance = fingerprints[:10]
    # exactly one extra copy per kill between acceptance and the sent mark, none otherwise
    assert copies == {fp: 2 if fp in killed_after_acceptance else 1 for fp in fingerprints}
    assert len(messages) == ALERTS + 10
    ids: dict[str, set[str]] = {}
    for m in messages:
        ids.setdefault(conflict[m["X-Newswatch-Fingerprint"]], set()).add(m["Message-ID"])
    assert all(len(v) == 1 for v in ids.values())  # a resent copy carries the Message-ID of the first
    assert len({next(iter(v)) for v in ids.values()}) == ALERTS
    resent = [m for m in messages if m["X-Newswatch-Possibly-Duplicate"] == "yes"]
    assert sorted(conflict[m["X-Newswatch-Fingerprint"]] for m in resent) == sorted([*killed_after_acceptance, fingerprints[11]])

    assert {r["status"] for r in rows.values()} == {"sent"}
    flagged = sorted(fp for fp, r in rows.items() if r["possibly_duplicate"])
    # the alert killed after its sent mark is not flagged; the one killed before sending is (it may have gone)
    assert flagged == sorted([*killed_after_acceptance, fingerprints[11]])
    assert rows[fingerprints[10]]["attempts"] == 1 and rows[fingerprints[0]]["attempts"] == 2
