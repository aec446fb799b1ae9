"""Score predicted claims, events and contradictions against a gold set.

A pure function of three JSON documents (predictions, gold claims, gold pairs) plus, optionally,
the articles (only used to locate quotes). The metrics follow the evaluation contract:

claims
    A prediction matches a gold claim when article and attribute are equal, the intervals overlap,
    and the prediction's representative value (midpoint, or its finite bound) lies inside the gold
    interval widened by 10 % of its magnitude (at least 1). ``null`` bounds are unbounded.
    Predictions are de-duplicated per (article, attribute, interval), first one kept. The matching
    is one-to-one and of maximum size (each gold claim and each prediction used at most once);
    among candidates the closest value is tried first, which only decides ties.
    Precision counts only predictions whose attribute is in ``VOCABULARY``; recall counts only gold
    claims whose attribute is in it.

traps (gold claims whose attribute is not in the vocabulary, e.g. a city's toll)
    Never counted for recall. A vocabulary prediction "matches a trap under another name" when it
    is in the same article, its value matches the trap by the rule above (attribute aside) and its
    quote overlaps the trap's quote. Quote overlap means overlapping character ranges in the
    article text when both quotes can be found there; without article text (or when a quote cannot
    be found) one normalised quote containing the other; when a prediction has no quote, the value
    match alone decides. Such a prediction may still match a vocabulary gold claim whose quote it
    also overlaps (the sentence states both figures); otherwise it cannot match any gold claim and
    is a false positive, reported as a trap hit. Without quote evidence a prediction is not taken
    away from a vocabulary gold claim it matches; if it stays unmatched it is a trap hit.

events
    Over all unordered pairs of matched gold claims, "same predicted event" (of the matched
    predictions) is scored against "same gold event"; a null event is never the same as anything.
    With fewer than two matched claims F1 is 0.0 if the gold set has any same-event pair among its
    scored claims, else 1.0; with pairs but no positive on either side it is 1.0.

conflicts
    At the level of (article pair, attribute), over predicted contradictions of kind ``conflict``.
    A predicted key counts as a true positive if it is a ``strong`` gold conflict; it is neutral
    (neither rewarded nor penalised) if it is a ``marginal`` or ``ambiguous`` pair; otherwise a
    false positive, and also a false alarm when it is a gold ``update``. A gold conflict without
    ``strength`` is taken as strong. As for claims, predicted conflicts on attributes outside the
    vocabulary are not counted (they are reported as ``out_of_vocabulary``); references to
    unknown claim ids are counted in ``unknown_claim_refs`` and skipped.

spurious claims
    ``claims.spurious_per_10_pages``: unmatched vocabulary predictions per 10 articles (only when
    the articles are given; else null). On a set of unrelated news, where no gold claim exists,
    every vocabulary prediction counts.

empty sides
    precision = 0.0 when nothing was predicted but there was something to find, 1.0 when there was
    nothing to find either; recall = 1.0 when there is nothing to find; F1 = 0.0 when P + R = 0.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pipelines.evaluation.matching import (
    IN_VOCABULARY,
    ConflictKey,
    Interval,
    interval,
    max_matching,
    quotes_overlap,
    representative,
    value_matches,
)

# --- helpers -------------------------------------------------------------------------------------


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall, F1 with the conventions in the module docstring."""
    precision = _ratio(tp, tp + fp, 1.0 if tp + fn == 0 else 0.0)
    recall = _ratio(tp, tp + fn, 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _texts(articles: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    return {str(a["id"]): a["text"] for a in articles or () if a.get("text")}


def _brief(c: dict[str, Any]) -> dict[str, Any]:
    return {k: c.get(k) for k in ("id", "article", "event", "attribute", "value_low", "value_high", "quote")}


# --- claims --------------------------------------------------------------------------------------


def _dedupe(preds: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    seen: set[tuple[str, str, Interval]] = set()
    kept: list[dict[str, Any]] = []
    for p in preds:
        key = (str(p.get("article")), str(p.get("attribute")), interval(p.get("value_low"), p.get("value_high")))
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    return kept, len(preds) - len(kept)


def _score_claims(
    preds_all: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]], texts: dict[str, str]
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any]]]]:
    preds, duplicates = _dedupe(preds_all)
    scored_preds = [p for p in preds if p.get("attribute") in IN_VOCABULARY]
    scored_gold = [g for g in gold if g.get("attribute") in IN_VOCABULARY]
    traps = [g for g in gold if g.get("attribute") not in IN_VOCABULARY]

    edges: dict[int, list[int]] = {}
    trap_of: dict[int, dict[str, Any]] = {}
    for i, p in enumerate(scored_preds):
        art, text = str(p.get("article")), texts.get(str(p.get("article")))
        hits = [(t, quotes_overlap(p, t, text)) for t in traps
                if str(t.get("article")) == art and value_matches(p, t)]
        hits = [(t, ov) for t, ov in hits if ov is not False]
        cands = [j for j, g in enumerate(scored_gold)
                 if str(g.get("article")) == art and g.get("attribute") == p.get("attribute") and value_matches(p, g)]
        if hits:
            trap_of[i] = hits[0][0]
            if any(ov for _, ov in hits):
                # The prediction's quote is a trap's sentence: only keep gold claims it also quotes.
                cands = [j for j in cands if quotes_overlap(p, scored_gold[j], text)]
        rep = representative(p.get("value_low"), p.get("value_high")) or 0.0

        def distance(j: int, rep: float = rep, p: dict[str, Any] = p, text: str | None = text) -> tuple[int, float, str]:
            # Ties between gold claims of equal value in one article (the same figure for two
            # occasions) go to the one whose quote the prediction covers.
            g = scored_gold[j]
            grep = representative(g.get("value_low"), g.get("value_high"))
            covered = 0 if quotes_overlap(p, g, text) else 1
            return (covered, abs(rep - grep) if grep is not None else math.inf, str(g.get("id")))

        edges[i] = sorted(cands, key=distance)

    owner = max_matching(edges)
    matched_preds = set(owner.values())
    matches = [(scored_gold[j], scored_preds[i]) for j, i in sorted(owner.items())]

    per_attr: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for g, _ in matches:
        per_attr[g["attribute"]]["tp"] += 1
    false_positives = []
    for i, p in enumerate(scored_preds):
        if i not in matched_preds:
            per_attr[p["attribute"]]["fp"] += 1
            trap = trap_of.get(i)
            false_positives.append({**_brief(p), "trap": None if trap is None else _brief(trap)})
    missed = []
    for j, g in enumerate(scored_gold):
        if j not in owner:
            per_attr[g["attribute"]]["fn"] += 1
            missed.append(_brief(g))

    tp = len(matches)
    fp, fn = len(scored_preds) - tp, len(scored_gold) - tp
    result: dict[str, Any] = {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        **_prf(tp, fp, fn),
        "predicted": len(scored_preds),
        "gold": len(scored_gold),
        "duplicates_removed": duplicates,
        "out_of_vocabulary_predictions": len(preds) - len(scored_preds),
        "trap_gold": len(traps),
        "trap_hits": sum(1 for x in false_positives if x["trap"] is not None),
        "per_attribute": {a: {**c, **_prf(c["tp"], c["fp"], c["fn"])} for a, c in sorted(per_attr.items())},
        "matches": [{"gold": g.get("id"), "prediction": p.get("id")} for g, p in matches],
        "missed": missed,
        "false_positives": false_positives,
    }
    return result, matches


# --- events --------------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    return a is not None and a == b


def _score_events(
    matches: Sequence[tuple[dict[str, Any], dict[str, Any]]], scored_gold: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    tp = fp = fn = pairs = 0
    for i in range(len(matches)):
        for j in range(i + 1, len(matches)):
            (gi, pi), (gj, pj) = matches[i], matches[j]
            pairs += 1
            g_same, p_same = _same(gi.get("event"), gj.get("event")), _same(pi.get("event"), pj.get("event"))
            tp += g_same and p_same
            fp += p_same and not g_same
            fn += g_same and not p_same
    if pairs == 0:
        events = [g.get("event") for g in scored_gold]
        has_gold_pairs = any(_same(a, b) for k, a in enumerate(events) for b in events[k + 1:])
        f1 = 0.0 if has_gold_pairs else 1.0
        return {"tp": 0, "fp": 0, "fn": 0, "pairs": 0, "precision": f1, "recall": f1, "f1": f1}
    return {"tp": tp, "fp": fp, "fn": fn, "pairs": pairs, **_prf(tp, fp, fn)}


# --- conflicts -----------------------------------------------------------------------------------


def _key(a: dict[str, Any], b: dict[str, Any]) -> ConflictKey:
    arts = tuple(sorted({str(a.get("article")), str(b.get("article"))}))
    attr_a, attr_b = str(a.get("attribute")), str(b.get("attribute"))
    # Two attributes in one "conflict" can never equal a gold key; keep both names visible.
    attr = attr_a if attr_a == attr_b else "|".join(sorted((attr_a, attr_b)))
    return (arts, attr)


def _gold_keys(entries: Iterable[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> set[ConflictKey]:
    keys = set()
    for e in entries:
        a, b = by_id.get(str(e.get("a"))), by_id.get(str(e.get("b")))
        if a is None or b is None:
            raise ValueError(f"pairs file refers to a gold claim that does not exist: {e!r}")
        keys.add(_key(a, b))
    return keys


def _key_json(key: ConflictKey) -> dict[str, Any]:
    return {"articles": list(key[0]), "attribute": key[1]}


def _score_conflicts(
    predictions: dict[str, Any], gold: Sequence[dict[str, Any]], pairs: dict[str, Any]
) -> dict[str, Any]:
    gold_by_id = {str(g["id"]): g for g in gold}
    conflicts = pairs.get("conflicts") or []
    strong = _gold_keys((c for c in conflicts if c.get("strength", "strong") == "strong"), gold_by_id)
    neutral = _gold_keys((c for c in conflicts if c.get("strength", "strong") != "strong"), gold_by_id)
    neutral |= _gold_keys(pairs.get("ambiguous") or [], gold_by_id)
    updates = _gold_keys(pairs.get("updates") or [], gold_by_id)

    pred_by_id = {str(p["id"]): p for p in predictions.get("claims") or [] if p.get("id") is not None}
    predicted: set[ConflictKey] = set()
    unknown_refs = out_of_vocab = 0
    for x in predictions.get("contradictions") or []:
        if x.get("kind") != "conflict":
            continue
        a, b = pred_by_id.get(str(x.get("a"))), pred_by_id.get(str(x.get("b")))
        if a is None or b is None:
            unknown_refs += 1
            continue
        key = _key(a, b)
        if key[1] not in IN_VOCABULARY:
            out_of_vocab += 1
            continue
        predicted.add(key)

    tp_keys = predicted & strong
    neutral_keys = (predicted - strong) & neutral
    fp_keys = predicted - strong - neutral
    false_alarm_keys = fp_keys & updates
    tp, fp, fn = len(tp_keys), len(fp_keys), len(strong - predicted)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        **_prf(tp, fp, fn),
        "predicted": len(predicted),
        "gold_strong": len(strong),
        "neutral": len(neutral_keys),
        "unknown_claim_refs": unknown_refs,
        "out_of_vocabulary": out_of_vocab,
        "false_alarms": len(false_alarm_keys),
        "missed": [_key_json(k) for k in sorted(strong - predicted)],
        "false_positives": [{**_key_json(k), "gold_update": k in updates} for k in sorted(fp_keys)],
    }


# --- public API ----------------------------------------------------------------------------------


def score(
    predictions: dict[str, Any],
    gold: list[dict[str, Any]],
    pairs: dict[str, Any],
    articles: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """All metrics of the evaluation contract, as one JSON-serialisable dict.

    ``predictions`` is the ``analyze`` output (``{"claims": [...], "contradictions": [...]}``),
    ``gold`` the gold claims list, ``pairs`` the expected-conflicts document, ``articles`` the
    article documents (optional; only their ``text`` is used, to locate quotes for traps).
    """
    claims, matches = _score_claims(predictions.get("claims") or [], gold, _texts(articles))
    # On unrelated news every vocabulary claim is spurious: how many per 10 articles read.
    pages = len(articles) if articles else 0
    claims["spurious_per_10_pages"] = round(10 * claims["fp"] / pages, 3) if pages else None
    scored_gold = [g for g in gold if g.get("attribute") in IN_VOCABULARY]
    conflicts = _score_conflicts(predictions, gold, pairs)
    return {
        "claims": claims,
        "events": _score_events(matches, scored_gold),
        "conflicts": conflicts,
        "false_alarms": conflicts["false_alarms"],
    }


