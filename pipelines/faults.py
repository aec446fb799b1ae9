"""Named crash points for fault-injection tests, off unless ``NEWSWATCH_FAULT_PAUSE_AT`` is set.

A crash test cannot kill a process at an exact instruction from outside, so the process stops
itself there: at the point named in ``settings.fault_pause_at`` (``POINT`` or ``POINT:N`` for the
Nth time the point is reached in this process) it writes one line to stderr and sleeps until the
test kills it (SIGKILL: nothing in the process gets to clean up). With the setting empty, which is
the default, ``reached`` is a no-op.

Points: ``alert_in_flight`` (an alert's in-flight marker is committed, nothing sent yet),
``alert_accepted`` (the SMTP server accepted the message, not yet marked sent),
``alert_sent`` (the alert is marked sent).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

from pipelines.settings import Settings

ANNOUNCEMENT = "newswatch fault point reached:"
_hits: Counter[str] = Counter()


def reached(settings: Settings, point: str) -> None:
    """Pause forever here if the settings name this point (and this is its Nth hit)."""
    wanted = settings.fault_pause_at
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _hits[point] += 1
    if _hits[point] != (int(nth) if nth else 1):
        return
    sys.stderr.write(f"{ANNOUNCEMENT} {point} pid={os.getpid()}\n")
    sys.stderr.flush()
    while True:  # until killed
        time.sleep(3600)
