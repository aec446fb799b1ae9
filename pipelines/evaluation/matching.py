"""The matching rule of the evaluation contract: intervals, values and quotes.

Shared by the scorer (``score.py``) and the scripts that label or calibrate against gold claims,
so that "a prediction matches a gold claim" means one thing everywhere.
"""

from __future__ import annotations

import math
import re
from typing import Any

# The attribute table of the evaluation contract. The catalog may have more; these are scored.
VOCABULARY: tuple[str, ...] = (
    "talks.duration_minutes",
    "prisoner_exchange.count_per_side",
    "prisoner_exchange.total",
    "bodies_returned.count",
    "bodies_returned.total",
    "bodies_returned.cumulative",
    "ceasefire.duration_days",
    "death_toll",
    "death_toll.onboard",
    "death_toll.ground",
    "injured",
    "missing",
)
IN_VOCABULARY = frozenset(VOCABULARY)

Interval = tuple[float, float]  # -inf / +inf for unbounded sides
ConflictKey = tuple[tuple[str, ...], str]


# --- intervals -----------------------------------------------------------------------------------


def _num(x: Any) -> float | None:
    return None if x is None else float(x)


def interval(low: Any, high: Any) -> Interval:
    lo, hi = _num(low), _num(high)
    return (-math.inf if lo is None else lo, math.inf if hi is None else hi)


def representative(low: Any, high: Any) -> float | None:
    """Midpoint of a closed interval, or its finite bound; None when unbounded on both sides."""
    lo, hi = _num(low), _num(high)
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    return lo if lo is not None else hi


def overlaps(a: Interval, b: Interval) -> bool:
    return max(a[0], b[0]) <= min(a[1], b[1])


def widened(low: Any, high: Any) -> Interval:
    """The gold interval widened on each finite side by 10 % of its magnitude, at least 1."""
    lo, hi = interval(low, high)
    magnitude = max((abs(x) for x in (lo, hi) if math.isfinite(x)), default=0.0)
    tol = max(1.0, 0.1 * magnitude)
    return (lo - tol, hi + tol)


def value_matches(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """The value part of the matching rule (article and attribute are checked by the caller)."""
    if not overlaps(interval(pred.get("value_low"), pred.get("value_high")),
                    interval(gold.get("value_low"), gold.get("value_high"))):
        return False
    rep = representative(pred.get("value_low"), pred.get("value_high"))
    if rep is None:
        return False
    lo, hi = widened(gold.get("value_low"), gold.get("value_high"))
    return lo <= rep <= hi


# --- quotes --------------------------------------------------------------------------------------


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def _locate(text: str | None, quote: str | None) -> tuple[int, int] | None:
    """Character range of ``quote`` in ``text``, tolerating case and whitespace differences."""
    if not text or not quote or not quote.strip():
        return None
    i = text.find(quote)
    if i >= 0:
        return (i, i + len(quote))
    pattern = r"\s+".join(re.escape(tok) for tok in quote.split())
    m = re.search(pattern, text, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def quotes_overlap(p: dict[str, Any], g: dict[str, Any], text: str | None) -> bool | None:
    """True/False when it can be told whether two quotes cover the same text; None when it cannot."""
    pq, gq = p.get("quote") or "", g.get("quote") or ""
    if not pq.strip() or not gq.strip():
        return None
    pr, gr = _locate(text, pq), _locate(text, gq)
    if pr is not None and gr is not None:
        return pr[0] < gr[1] and gr[0] < pr[1]
    a, b = _norm(pq), _norm(gq)
    return a in b or b in a



# --- one-to-one matching -------------------------------------------------------------------------


def max_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths); returns right -> left."""
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in owner or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in edges:
        augment(left, set())
    return owner
