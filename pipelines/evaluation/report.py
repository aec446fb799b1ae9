"""Readable output of a scoring run: the one-line summary the eval contract prints last, and the
developer report above it (per-attribute precision and recall, missed claims, false positives)."""

from __future__ import annotations

from typing import Any


def summary_line(metrics: dict[str, Any]) -> str:
    c, e, x = metrics["claims"], metrics["events"], metrics["conflicts"]
    return (
        f"claims P={c['precision']:.2f} R={c['recall']:.2f} F1={c['f1']:.2f}"
        f" | events F1={e['f1']:.2f}"
        f" | conflicts P={x['precision']:.2f} R={x['recall']:.2f}"
        f" | false alarms {metrics['false_alarms']}"
    )


def _fmt_value(low: Any, high: Any) -> str:
    def one(v: Any) -> str:
        return "null" if v is None else f"{float(v):g}"

    return f"[{one(low)}, {one(high)}]"


def format_report(metrics: dict[str, Any]) -> str:
    """A few readable lines for developers, ending with the summary line."""
    c, e, x = metrics["claims"], metrics["events"], metrics["conflicts"]
    lines = [
        f"claims: {c['predicted']} predicted (vocabulary), {c['gold']} gold (+{c['trap_gold']} traps),"
        f" {c['tp']} matched; {c['duplicates_removed']} duplicates removed,"
        f" {c['out_of_vocabulary_predictions']} out-of-vocabulary predictions ignored, {c['trap_hits']} trap hits",
    ]
    for attr, s in c["per_attribute"].items():
        lines.append(
            f"  {attr:<34} P={s['precision']:.2f} R={s['recall']:.2f}  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
        )
    if c["missed"]:
        lines.append("missed gold claims:")
        for g in c["missed"]:
            lines.append(
                f"  {g['id']} {g['article']} {g['attribute']} {_fmt_value(g['value_low'], g['value_high'])}"
                f" \"{g['quote']}\""
            )
    if c["false_positives"]:
        lines.append("false positives:")
        for p in c["false_positives"]:
            trap = f" (matches trap {p['trap']['id']} {p['trap']['attribute']})" if p["trap"] else ""
            lines.append(
                f"  {p['id']} {p['article']} {p['attribute']} {_fmt_value(p['value_low'], p['value_high'])}"
                f" \"{p['quote']}\"{trap}"
            )
    lines.append(f"events: {e['pairs']} pairs of matched claims (tp {e['tp']}, fp {e['fp']}, fn {e['fn']})")
    lines.append(
        f"conflicts: {x['predicted']} predicted, {x['tp']}/{x['gold_strong']} strong found,"
        f" {x['neutral']} neutral, {x['fp']} false positives"
        + (f", {x['unknown_claim_refs']} unknown claim ids" if x["unknown_claim_refs"] else "")
        + (f", {x['out_of_vocabulary']} out of vocabulary" if x["out_of_vocabulary"] else "")
    )
    for k in x["missed"]:
        lines.append(f"  missed  {k['attribute']} {' / '.join(k['articles'])}")
    for k in x["false_positives"]:
        tag = "  FALSE ALARM (gold update)" if k["gold_update"] else ""
        lines.append(f"  wrong   {k['attribute']} {' / '.join(k['articles'])}{tag}")
    lines.append(summary_line(metrics))
    return "\n".join(lines)
