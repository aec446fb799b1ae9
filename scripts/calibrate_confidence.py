"""How well claim confidence separates right claims from wrong ones, per evaluation set.

Usage: python scripts/calibrate_confidence.py [SET_NAME ...]
(defaults to every evaluation set whose gold file is present: seeds, tests/fixtures/dev/*,
tests/fixtures/realdev/*).

Runs the real analysis on each set, matches its in-vocabulary predictions against the gold claims
(the scorer's one-to-one matching), and prints for each confidence band how many predictions fell
in it and what share were right; then precision and recall of the claims kept at or above each
candidate threshold, and which reasons the wrong claims carried. This is what chose the default
of ``Settings.alert_min_confidence``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.analyze import analyze_articles, predictions_json, stream_order  # noqa: E402
from pipelines.claims.catalog import load_catalog  # noqa: E402
from pipelines.evaluation.gate import _merge, eval_sets  # noqa: E402
from pipelines.evaluation.matching import VOCABULARY  # noqa: E402
from pipelines.evaluation.score import score  # noqa: E402

BANDS = [(0.0, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
THRESHOLDS = [0.0, 0.4, 0.5, 0.6, 0.7, 0.8]


def labelled(name: str, dirs: tuple[Path, ...]) -> tuple[list[tuple[dict[str, Any], bool]], int]:
    """Each in-vocabulary prediction with whether it matched a gold claim; and the gold count."""
    articles, gold, pairs = _merge(dirs)
    articles = stream_order(articles)
    predictions = predictions_json(analyze_articles(articles, load_catalog()))
    result = score(predictions, gold, pairs, [{"id": a.article_id, "text": a.text} for a in articles])
    right = {m["prediction"] for m in result["claims"]["matches"]}
    seen: set[tuple[str, str, Any, Any]] = set()
    out = []
    for p in predictions["claims"]:
        key = (p["article"], p["attribute"], p["value_low"], p["value_high"])
        if p["attribute"] not in VOCABULARY or key in seen:
            continue
        seen.add(key)
        out.append((p, p["id"] in right))
    return out, int(result["claims"]["gold"])


def report(name: str, rows: list[tuple[dict[str, Any], bool]], gold: int) -> None:
    print(f"\n== {name}: {len(rows)} predictions, {sum(ok for _, ok in rows)} right, {gold} gold")
    for lo, hi in BANDS:
        band = [ok for p, ok in rows if lo <= p["confidence"] < hi]
        if band:
            print(f"  confidence [{lo:.1f}, {min(hi, 1.0):.1f}): {len(band):4d} claims, {sum(band) / len(band):.2f} right")
    for t in THRESHOLDS:
        kept = [ok for p, ok in rows if p["confidence"] >= t]
        dropped = [ok for p, ok in rows if p["confidence"] < t]
        precision = sum(kept) / len(kept) if kept else 1.0
        recall = sum(kept) / gold if gold else 1.0
        below = f"{sum(dropped) / len(dropped):.2f}" if dropped else "-"
        print(f"  threshold {t:.1f}: kept {len(kept):4d} P={precision:.3f} R={recall:.3f} | below: {len(dropped):3d}, right {below}")
    wrong = Counter(r for p, ok in rows if not ok for r in p["confidence_reasons"])
    good = Counter(r for p, ok in rows if ok for r in p["confidence_reasons"])
    print("  reasons (on wrong / right claims):",
          ", ".join(f"{r} {wrong[r]}/{good[r]}" for r in sorted(set(wrong) | set(good))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="set names as the evaluation gate lists them (default: all present)")
    args = parser.parse_args(argv)
    sets = [s for s in eval_sets() if s.available() and (not args.sets or s.name in args.sets)]
    everything: list[tuple[dict[str, Any], bool]] = []
    total_gold = 0
    for s in sets:
        rows, gold = labelled(s.name, s.dirs)
        report(s.name, rows, gold)
        if not s.name.endswith("/all"):
            everything += rows
            total_gold += gold
    if len(sets) > 1:
        report("every set", everything, total_gold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
