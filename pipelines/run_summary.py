"""What one DAG run did, in the places Airflow shows it: the asset event's ``extra`` and the run's note.

Pure functions over the counts the stages return (``StageCounts`` as XCom dictionaries:
``{"stage": ..., "counts": {...}}``); nothing here reads the database or imports Airflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Ingest counts that mean processing has something to do: new articles, new texts of known articles,
# and syndicated copies (which change which outlets count as independent).
NEW_WORK = ("articles_stored", "articles_revised", "copies_linked")

# What the note shows per stage, in this order; other counts stay in the task's XCom and log.
NOTE_COUNTS: dict[str, tuple[str, ...]] = {
    "ingest": ("feeds_polled", "not_modified", "failed_feeds", "entries_new", "articles_stored",
               "articles_revised", "pages_failed"),
    "operator_alerts": ("sent", "failed"),
    "extract": ("articles", "claims", "events_new", "articles_failed"),
    "validate": ("suites", "suites_failed", "checked", "published", "quarantined", "held"),
    "detect": ("claims", "conflict", "update", "revision", "published", "quarantined"),
    "alerts": ("queued", "follow_ups", "emails", "sent", "errors", "pending", "failed"),
    "snapshot": ("bytes",),
}


def _counts(result: Mapping[str, Any] | None) -> dict[str, Any]:
    counts = (result or {}).get("counts")
    return dict(counts) if isinstance(counts, Mapping) else {}


def stored_something(ingest_result: Mapping[str, Any] | None) -> bool:
    """True when the ingest run stored anything processing must look at."""
    counts = _counts(ingest_result)
    return any(int(counts.get(k) or 0) > 0 for k in NEW_WORK)


def asset_extra(results: Mapping[str, Mapping[str, Any] | None]) -> dict[str, Any]:
    """The asset event's ``extra``: each stage's counts (without timings), keyed by stage.

    ``{"ingest": {"feeds_polled": 3, "articles_stored": 2, ...}}``: what a consumer or an operator
    looking at the asset's events learns about the run that produced it.
    """
    extra: dict[str, Any] = {}
    for result in results.values():
        if not result:
            continue
        stage = str(result.get("stage") or "")
        counts = {k: v for k, v in _counts(result).items() if k != "elapsed_s"}
        if stage:
            extra[stage] = counts
    return extra


def merge_results(returned: Iterable[tuple[str, Any]]) -> dict[str, dict[str, Any]]:
    """Task id -> its counts, from (task id, XCom value) pairs in run order. Values that are not stage
    counts are ignored; the instances of a mapped task (one per batch) add up to one entry."""
    merged: dict[str, dict[str, Any]] = {}
    for task_id, value in returned:
        if not (isinstance(value, Mapping) and "stage" in value):
            continue
        entry = merged.setdefault(task_id, {"stage": value["stage"], "counts": {}})
        for k, v in _counts(value).items():
            old = entry["counts"].get(k)
            numeric = isinstance(v, int | float) and isinstance(old, int | float)
            # timings of parallel instances do not add up: the slowest is the stage's time
            entry["counts"][k] = (max(old, v) if k == "elapsed_s" else old + v) if numeric else v
    return merged


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def run_note(results: Mapping[str, Mapping[str, Any] | None]) -> str:
    """A short Markdown note for the DAG run: one line per stage with its main counts and seconds.

    ``results`` maps task ids to the counts they returned (missing or skipped tasks map to None).
    """
    lines = []
    order = list(NOTE_COUNTS)
    present = [(task_id, r) for task_id, r in results.items() if r]
    # pipeline order, whatever order the tasks finished in
    present.sort(key=lambda item: order.index(s) if (s := str(item[1].get("stage"))) in order else len(order))
    for task_id, result in present:
        stage = str(result.get("stage") or task_id)
        counts = _counts(result)
        shown = [f"{k.replace('_', ' ')} {_fmt(counts[k])}" for k in NOTE_COUNTS.get(stage, tuple(counts))
                 if k in counts and k != "elapsed_s" and (counts[k] or k in _ALWAYS)]
        took = f" ({float(counts['elapsed_s']):.1f} s)" if "elapsed_s" in counts else ""
        lines.append(f"- **{stage}**{took}: " + (", ".join(shown) or "nothing to do"))
    return "\n".join(lines) or "No stage reported counts."


# Shown even when zero: what an operator checks first.
_ALWAYS = {"articles_stored", "claims", "conflict", "quarantined", "sent", "feeds_polled"}
