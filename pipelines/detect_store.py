"""Detection over the store, incrementally.

A run looks only at the (event, attribute) groups that changed since the last run: groups with
claims detection has not compared yet (``claims.detected_at`` is NULL) and groups that lost claims
(``detection_dirty``: a re-extracted article, a claim quarantined by an audit). A group that lost
claims is recomputed whole with ``pipelines.detect``; a group that only gained claims is updated
from its stored contradictions (``pipelines.detect.updated_group``: only the pairs its new reports
can change are computed, so a new report of a story with thousands costs about what one of a small
story costs). Either way the result is the one a full recompute gives; only rows that are new or
changed are staged, and rows that no longer hold are deleted. Untouched groups are neither read
nor written. ``full=True`` (reprocess) recomputes every group whole.

Writes are set-based: each chunk of groups is one registered relation per statement (stage, delete
stale), and the whole run is one transaction, so a crash leaves the previous state intact.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines import db
from pipelines.claims.catalog import Catalog
from pipelines.detect import KINDS, Rules, source_key
from pipelines.detect_update import detect_updated
from pipelines.event_scope_store import rescope_events
from pipelines.models import Claim, Contradiction

GROUP_CHUNK = 20_000  # groups read and recomputed at once: bounds memory on a full recompute
STAGED_COLUMNS = ("contradiction_id", "event_id", "attribute", "kind", "claim_a", "claim_b", "gap",
                  "relative_gap", "severity", "reason", "fingerprint")
COMPARED = ("kind", "claim_a", "claim_b", "gap", "relative_gap", "severity", "reason", "fingerprint")
CONTRADICTION_FIELDS = ("contradiction_id", "event_id", "attribute", *COMPARED)


def claim_from_row(row: dict[str, Any]) -> Claim:
    return Claim(
        claim_id=row["claim_id"], article_id=row["article_id"], attribute=row["attribute"], kind=row["kind"],
        unit=row["unit"], value_low=row["value_low"], value_high=row["value_high"], hedge=row["hedge"],
        value_text=row["value_text"], scope=row["scope"], as_of=row["as_of"], quote=row["quote"],
        quote_start=row["quote_start"], quote_end=row["quote_end"], sentence=row["sentence"],
        source_entity=row["source_entity"], event_id=row["event_id"], published=row["published"],
        confidence=row["confidence"] if row["confidence"] is not None else 1.0,
    )


def _chunks(groups: list[tuple[str, str, bool]], size: int) -> Iterator[list[tuple[str, str, bool]]]:
    for i in range(0, len(groups), size):
        yield groups[i:i + size]


def _changed(found: list[Contradiction], stored: dict[str, dict[str, Any]]) -> list[Contradiction]:
    """Rows that are new, or whose verdict, gap, wording or alert key changed."""
    out = []
    for x in found:
        old = stored.get(x.contradiction_id)
        if old is None or any(old[k] != getattr(x, k) for k in COMPARED):
            out.append(x)
    return out


def _staged_frame(rows: list[Contradiction], now: datetime) -> pd.DataFrame:
    frame = pd.DataFrame([[getattr(x, c) for c in STAGED_COLUMNS] for x in rows], columns=list(STAGED_COLUMNS))
    frame["detected_at"] = pd.Series([now] * len(rows), dtype="datetime64[us, UTC]")
    return frame.astype({c: "object" for c in STAGED_COLUMNS if c not in ("gap", "relative_gap")})


def digest(rows: Iterable[Contradiction]) -> str:
    """An order-independent hash of a group's contradictions, every column detection writes."""
    h = hashlib.sha256()
    for values in sorted(tuple(repr(getattr(x, k)) for k in CONTRADICTION_FIELDS) for x in rows):
        h.update("\x1f".join(values).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()[:32]


def _stored_by_group(stored: dict[str, dict[str, Any]], groups: list[tuple[str, str, bool]],
                     state: dict[tuple[str, str], str],
                     counts: Counter[str]) -> dict[tuple[str, str], list[Contradiction]]:
    """The stored contradictions of each group that only gained claims (not dirty) and whose stored
    rows are what detection last found (``state``: digest per group): those can be updated."""
    out: dict[tuple[str, str], list[Contradiction]] = {(e, a): [] for e, a, dirty in groups if not dirty}
    for r in stored.values():
        key = (r["event_id"], r["attribute"])
        if key in out:
            out[key].append(Contradiction(**{k: r[k] for k in CONTRADICTION_FIELDS}))
    # a group with no record and no rows is new (every group detection writes gets a record)
    diverged = [key for key, rows in out.items() if (key in state or rows) and state.get(key) != digest(rows)]
    counts["diverged"] += len(diverged)
    for key in diverged:
        del out[key]  # recomputed whole
    return out


def _state_frame(groups: list[tuple[str, str, bool]], found: list[Contradiction]) -> pd.DataFrame:
    by_group: dict[tuple[str, str], list[Contradiction]] = defaultdict(list)
    for x in found:
        by_group[(x.event_id, x.attribute)].append(x)
    keys = [(e, a) for e, a, _ in groups]
    return pd.DataFrame({"event_id": pd.Series([e for e, _ in keys], dtype="object"),
                         "attribute": pd.Series([a for _, a in keys], dtype="object"),
                         "contradictions": [len(by_group.get(k, ())) for k in keys],
                         "digest": pd.Series([digest(by_group.get(k, ())) for k in keys], dtype="object")})


def _recompute(con: duckdb.DuckDBPyConnection, catalog: Catalog, rules: Rules, groups: list[tuple[str, str, bool]],
               now: datetime, counts: Counter[str]) -> None:
    con.register("detection_groups", pd.DataFrame([g[:2] for g in groups], columns=["event_id", "attribute"],
                                                  dtype="object"))
    try:
        rows = db.rows(con, "claims/claims_for_detection")
        sources = {r["article_id"]: source_key(r["publisher"], r["article_id"]) for r in rows}
        stored = {r["contradiction_id"]: r for r in db.rows(con, "claims/contradictions_in_groups")}
        state = {(r["event_id"], r["attribute"]): r["digest"] for r in db.rows(con, "claims/detection_state_in_groups")}
        found = detect_updated([claim_from_row(r) for r in rows], catalog, sources, rules,
                               stored=_stored_by_group(stored, groups, state, counts),
                               new_ids={r["claim_id"] for r in rows if r["is_new"]})
        changed = _changed(found, stored)
        stale = sorted(stored.keys() - {x.contradiction_id for x in found})
        con.register("detection_staged", _staged_frame(changed, now))
        con.register("detection_stale", pd.DataFrame({"contradiction_id": pd.Series(stale, dtype="object")}))
        con.register("detection_found_state", _state_frame(groups, found))
        db.run(con, "quality/clear_staged_contradictions")
        db.run(con, "quality/stage_contradictions")
        db.run(con, "claims/delete_stale_contradictions")
        db.run(con, "claims/record_detection_state", {"now": now})
    finally:
        for name in ("detection_groups", "detection_staged", "detection_stale", "detection_found_state"):
            con.unregister(name)
    counts["claims"] += len(rows)
    counts["contradictions"] += len(found)
    counts["staged"] += len(changed)
    counts["removed"] += len(stale)
    counts.update(x.kind for x in found)


def detect_stored(con: duckdb.DuckDBPyConnection, catalog: Catalog, rules: Rules | None = None,
                  full: bool = False) -> dict[str, int | float]:
    """Recompute the contradictions of the groups that changed (every group with ``full``) and stage
    the new or changed ones (``stg_contradictions``); ``gate(..., tables=["contradictions"])``
    publishes those that pass their suite. The events of those groups have their claims' scope
    judged again first (``rescope_events``). Counts are over the recomputed groups."""
    rules = rules or Rules()
    now = datetime.now(UTC)
    counts: Counter[str] = Counter({k: 0 for k in ("claims", "contradictions", "staged", "removed", "diverged",
                                                   *KINDS)})
    con.execute("BEGIN TRANSACTION")
    try:
        # the events' areas first: a claim they make a part (or a whole again) changes group
        counts["rescoped"] = rescope_events(con, catalog, full)
        groups = [(r[0], r[1], bool(r[2])) for r in db.run(con, "claims/detection_groups_all" if full
                                                           else "claims/detection_groups_touched").fetchall()]
        for chunk in _chunks(groups, GROUP_CHUNK):
            _recompute(con, catalog, rules, chunk, now, counts)
        db.run(con, "claims/mark_detected", {"now": now})
        db.run(con, "claims/clear_dirty_groups")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"groups": len(groups), **counts}
