"""The evaluation gate: score named eval sets and compare them with stored floors.

Floors live in ``tests/eval/floors.json``. They are only ever raised: ``tests/unit/test_eval_gate.py``
fails when a score falls below its floor, and when the file holds a floor lower than any earlier
committed version of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.analyze import analyze_articles, load_articles, predictions_json
from pipelines.claims.catalog import Catalog
from pipelines.evaluation import realdev
from pipelines.evaluation.score import score

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "tests" / "eval" / "floors.json"
DEV = ROOT / "tests" / "fixtures" / "dev"
SEEDS = ROOT.parent / "shared" / "eval" / "seeds"
REALDEV = ROOT / "tests" / "fixtures" / "realdev"

# metric name in floors.json -> how to read it from score()'s result; "max" metrics are ceilings
METRICS = {
    "claims_f1": ("claims", "f1"),
    "events_f1": ("events", "f1"),
    "conflicts_precision": ("conflicts", "precision"),
    "conflicts_recall": ("conflicts", "recall"),
    "false_alarms_max": ("conflicts", "false_alarms"),
    # unrelated news: vocabulary claims that are no gold figure, per 10 articles; conflicts reported
    "spurious_claims_per_10_pages_max": ("claims", "spurious_per_10_pages"),
    "conflicts_predicted_max": ("conflicts", "predicted"),
}


@dataclass(frozen=True)
class EvalSet:
    name: str
    dirs: tuple[Path, ...]

    def available(self) -> bool:
        # A real-reporting set is only scored when its texts are rebuilt (CI has none).
        return bool(self.dirs) and all(
            realdev.texts_present(d) if realdev.is_realdev_set(d) else (d / "gold.json").is_file() for d in self.dirs
        )


# Sets that report the same real occurrences as another set under their own event labels: pooling
# them would turn one occurrence into two gold events. They are scored on their own only.
NOT_POOLED = {"blind"}
# The real-reporting sets that make up ``realdev/all``; sets collected later are scored on their
# own: ``transport``, ``regions`` and ``politics-2`` (figures of parts, nationals and other spans,
# lengths of one meeting among several, for development), ``negatives-2`` (unrelated news of more
# genres, for development), and ``holdout``, which is kept out of development as a measure of how
# the engine generalises to occurrences nobody tuned it on.
REALDEV_POOLED = ("disasters", "politics", "negatives")


def eval_sets() -> list[EvalSet]:
    dev_dirs = tuple(sorted(p for p in DEV.iterdir() if (p / "gold.json").is_file())) if DEV.is_dir() else ()
    sets = [EvalSet("seeds", (SEEDS,))]
    sets += [EvalSet(f"dev/{d.name}", (d,)) for d in dev_dirs]
    # all development stories in one stream: events must also be told apart across story types
    sets.append(EvalSet("dev/all", tuple(d for d in dev_dirs if d.name not in NOT_POOLED)))
    # real reporting: each set alone, and the planned sets in one stream (negatives among the
    # stories); pooled only once all of them exist, and a set added later stays out of the pool,
    # so that its floors never meet a growing pool
    real_dirs = tuple(realdev.realdev_sets(REALDEV))
    sets += [EvalSet(f"realdev/{d.name}", (d,)) for d in real_dirs]
    pooled = tuple(d for d in real_dirs if d.name in REALDEV_POOLED)
    if {d.name for d in pooled} >= set(REALDEV_POOLED):
        sets.append(EvalSet("realdev/all", pooled))
    return sets


def _merge(dirs: Iterable[Path]) -> tuple[list[Any], list[dict[str, Any]], dict[str, list[Any]]]:
    articles: list[Any] = []
    gold: list[dict[str, Any]] = []
    pairs: dict[str, list[Any]] = {"conflicts": [], "updates": [], "ambiguous": []}
    for d in dirs:
        articles += load_articles(d / "articles")
        if realdev.is_realdev_set(d):
            gold += realdev.gold_with_quotes(d)
        else:
            gold += json.loads((d / "gold.json").read_text(encoding="utf-8"))
        part = json.loads((d / "expected_conflicts.json").read_text(encoding="utf-8"))
        for key in pairs:
            pairs[key] += part.get(key, [])
    return articles, gold, pairs


def run_set(eval_set: EvalSet, catalog: Catalog) -> dict[str, Any]:
    from pipelines.analyze import stream_order

    articles, gold, pairs = _merge(eval_set.dirs)
    articles = stream_order(articles)
    predictions = predictions_json(analyze_articles(articles, catalog))
    return score(predictions, gold, pairs, [{"id": a.article_id, "text": a.text} for a in articles])


def read_metric(result: dict[str, Any], name: str) -> float:
    section, key = METRICS[name]
    return float(result[section][key])


def load_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def below_floor(result: dict[str, Any], floors: dict[str, float]) -> list[str]:
    problems = []
    for name, floor in floors.items():
        value = read_metric(result, name)
        if name.endswith("_max"):
            if value > floor:
                problems.append(f"{name} = {value:g} > ceiling {floor:g}")
        elif value + 1e-9 < floor:
            problems.append(f"{name} = {value:.3f} < floor {floor:.3f}")
    return problems


def lowered_floors(old: dict[str, dict[str, float]], new: dict[str, dict[str, float]]) -> list[str]:
    """Floors an edit lowered (or dropped) compared with an earlier version of the file."""
    problems = []
    for set_name, metrics in old.items():
        for name, value in metrics.items():
            current = new.get(set_name, {}).get(name)
            if current is None:
                problems.append(f"{set_name}.{name} was removed (was {value:g})")
            elif name.endswith("_max") and current > value:
                problems.append(f"{set_name}.{name} ceiling raised {value:g} -> {current:g}")
            elif not name.endswith("_max") and current < value:
                problems.append(f"{set_name}.{name} floor lowered {value:g} -> {current:g}")
    return problems
