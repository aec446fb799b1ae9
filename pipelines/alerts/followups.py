"""When a conflict is alerted again, and what the follow-up says changed.

A conflict (one event and attribute) is alerted in a *state*: the conflicting values, each with the
outlets that report it and their claims. The alert key (``alerts.fingerprint``) hashes that state,
so an alert goes out once per state, and a new one (a follow-up, threaded to the first email)
whenever the set of values changes or the set of outlets on any side does: one outlet against four is
news to the desk when the first alert was one against one. Another article from an outlet that
already reports the same value changes nothing and sends nothing.

Pure functions; ``outbox`` reads the rows and stores each state as JSON beside its alert.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.detect import source_key
from pipelines.ids import stable_id


@dataclass(frozen=True)
class Side:
    """One conflicting value (an interval) and who reports it."""

    low: float | None
    high: float | None
    value_text: str  # as the earliest report wrote it
    outlets: tuple[str, ...]
    claims: tuple[str, ...]

    @property
    def key(self) -> tuple[float | None, float | None]:
        return (self.low, self.high)


@dataclass(frozen=True)
class ConflictState:
    event_id: str
    attribute: str
    conflict_fingerprint: str  # contradictions.fingerprint: event, attribute, set of values
    sides: tuple[Side, ...]

    @property
    def fingerprint(self) -> str:
        """The alert key: the set of values and, per value, the set of outlets (not the claims: a
        repeat by an outlet already counted is no news)."""
        return stable_id(self.event_id, self.attribute, [[s.low, s.high, list(s.outlets)] for s in self.sides])

    @property
    def claim_ids(self) -> set[str]:
        return {c for s in self.sides for c in s.claims}

    def to_json(self) -> str:
        return json.dumps([{"low": s.low, "high": s.high, "value": s.value_text, "outlets": list(s.outlets),
                            "claims": list(s.claims)} for s in self.sides])


def _order(key: tuple[float | None, float | None]) -> tuple[float, float]:
    low, high = key
    return (float("-inf") if low is None else low, float("inf") if high is None else high)


def states_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[ConflictState]:
    """One state per (event, attribute) from ``sql/alerts/conflict_claims`` rows (one row per claim
    on either side of a conflicting pair, in first-detection order)."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        g = grouped.setdefault((r["event_id"], r["attribute"]), {"fp": r["fingerprint"], "sides": {}})
        g["fp"] = r["fingerprint"]  # rows come oldest pair first: the newest detection names the set
        side = g["sides"].setdefault((r["value_low"], r["value_high"]),
                                     {"text": r["value_text"], "outlets": {}, "claims": set()})
        # one name per independent source, as detection counts them (an outlet's reports are one)
        key = source_key(r["publisher"], r["article_id"])
        name = r["publisher"] or "(unknown outlet)"
        side["outlets"][key] = min(side["outlets"].get(key, name), name)
        side["claims"].add(r["claim_id"])
    states = []
    for (event_id, attribute), g in grouped.items():
        sides = tuple(Side(low, high, s["text"], tuple(sorted(s["outlets"].values())), tuple(sorted(s["claims"])))
                      for (low, high), s in sorted(g["sides"].items(), key=lambda kv: _order(kv[0])))
        states.append(ConflictState(event_id, attribute, g["fp"], sides))
    return states


def state_from_json(event_id: str, attribute: str, conflict_fingerprint: str, text: str | None) -> ConflictState | None:
    if not text:
        return None
    sides = tuple(Side(d["low"], d["high"], d["value"], tuple(d["outlets"]), tuple(d["claims"]))
                  for d in json.loads(text))
    return ConflictState(event_id, attribute, conflict_fingerprint, sides)


def _outlets(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def changes(previous: ConflictState | None, current: ConflictState, show: Any = str) -> list[str]:
    """What is new since the previous alert, one sentence each (empty for a first alert).

    ``show(side)`` writes a value (the interval in words); defaults to the value as written.
    """
    if previous is None:
        return []
    before = {s.key: s for s in previous.sides}
    now = {s.key: s for s in current.sides}
    lines: list[str] = []
    for key, side in now.items():
        if key not in before:
            lines.append(f"New value: {show(side)}, reported by {_outlets(side.outlets)}.")
            continue
        joined = [o for o in side.outlets if o not in before[key].outlets]
        left = [o for o in before[key].outlets if o not in side.outlets]
        if joined:
            lines.append(f"{_outlets(joined)} now also {'report' if len(joined) > 1 else 'reports'} "
                         f"{show(side)} ({len(side.outlets)} independent outlets in all).")
        if left:
            lines.append(f"{_outlets(left)} no longer {'report' if len(left) > 1 else 'reports'} {show(side)}.")
    for key, side in before.items():
        if key not in now:
            lines.append(f"No longer in the conflict: {show(side)} ({_outlets(side.outlets)}).")
    return lines

