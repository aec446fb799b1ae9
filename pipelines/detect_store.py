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

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines import db
from pipelines.claims.catalog import Catalog
from pipelines.detect import KINDS, Rules, detect, source_key
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


def _stored_by_group(stored: dict[str, dict[str, Any]],
                     groups: list[tuple[str, str, bool]]) -> dict[tuple[str, str], list[Contradiction]]:
    """The stored contradictions of each group that only gained claims (not dirty)."""
    out: dict[tuple[str, str], list[Contradiction]] = {(e, a): [] for e, a, dirty in groups if not dirty}
    for r in stored.values():
        key = (r["event_id"], r["attribute"])
        if key in out:
            out[key].append(Contradiction(**{k: r[k] for k in CONTRADICTION_FIELDS}))
    return out


def _recompute(con: duckdb.DuckDBPyConnection, catalog: Catalog, rules: Rules, groups: list[tuple[str, str, bool]],
               now: datetime, counts: Counter[str]) -> None:
    con.register("detection_groups", pd.DataFrame([g[:2] for g in groups], columns=["event_id", "attribute"],
                                                  dtype="object"))
    try:
        rows = db.rows(con, "claims/claims_for_detection")
        sources = {r["article_id"]: source_key(r["publisher"], r["article_id"]) for r in rows}
        stored = {r["contradiction_id"]: r for r in db.rows(con, "claims/contradictions_in_groups")}
        found = detect([claim_from_row(r) for r in rows], catalog, sources, rules,
                       stored=_stored_by_group(stored, groups), new_ids={r["claim_id"] for r in rows if r["is_new"]})
        changed = _changed(found, stored)
        stale = sorted(stored.keys() - {x.contradiction_id for x in found})
        con.register("detection_staged", _staged_frame(changed, now))
        con.register("detection_stale", pd.DataFrame({"contradiction_id": pd.Series(stale, dtype="object")}))
        db.run(con, "quality/clear_staged_contradictions")
        db.run(con, "quality/stage_contradictions")
        db.run(con, "claims/delete_stale_contradictions")
    finally:
        for name in ("detection_groups", "detection_staged", "detection_stale"):
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
    publishes those that pass their suite. Counts are over the recomputed groups."""
    rules = rules or Rules()
    groups = [(r[0], r[1], bool(r[2])) for r in db.run(con, "claims/detection_groups_all" if full
                                                       else "claims/detection_groups_touched").fetchall()]
    now = datetime.now(UTC)
    counts: Counter[str] = Counter({k: 0 for k in ("claims", "contradictions", "staged", "removed", *KINDS)})
    con.execute("BEGIN TRANSACTION")
    try:
        for chunk in _chunks(groups, GROUP_CHUNK):
            _recompute(con, catalog, rules, chunk, now, counts)
        db.run(con, "claims/mark_detected", {"now": now})
        db.run(con, "claims/clear_dirty_groups")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"groups": len(groups), **counts}
