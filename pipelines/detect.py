"""Contradictions: pairs of claims about one event and attribute whose intervals do not overlap.

fixed attributes: any non-overlap between two articles is a conflict.
cumulative attributes: a figure with a later as_of is an update (higher) or a revision (lower);
non-overlapping figures with the same as_of conflict (two sources disagreeing on the day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import combinations

from pipelines.claims.catalog import Catalog
from pipelines.ids import stable_id
from pipelines.models import Claim, Contradiction

SEVERITY_STEPS = ((0.3, "high"), (0.1, "medium"), (0.0, "low"))
INF = float("inf")


def bounds(c: Claim) -> tuple[float, float]:
    return (-INF if c.value_low is None else c.value_low, INF if c.value_high is None else c.value_high)


def gap_between(a: Claim, b: Claim) -> float:
    """Distance between two intervals; 0 when they overlap or touch."""
    lo_a, hi_a = bounds(a)
    lo_b, hi_b = bounds(b)
    if hi_a < lo_b:
        return lo_b - hi_a
    if hi_b < lo_a:
        return lo_a - hi_b
    return 0.0


def magnitude(c: Claim) -> float:
    finite = [v for v in (c.value_low, c.value_high) if v is not None]
    return max((abs(v) for v in finite), default=0.0)


def representative(c: Claim) -> float:
    finite = [v for v in (c.value_low, c.value_high) if v is not None]
    return sum(finite) / len(finite) if finite else 0.0


def severity(relative_gap: float) -> str:
    return next(name for floor, name in SEVERITY_STEPS if relative_gap >= floor)


def _order_key(c: Claim) -> tuple[str, datetime, str]:
    published = c.published or datetime.min
    if published.tzinfo is not None:
        published = published.replace(tzinfo=None) - (published.utcoffset() or timedelta(0))
    return (c.as_of.isoformat() if c.as_of else "", published, c.claim_id)


def _fmt(c: Claim) -> str:
    return f"{c.value_text!r} ({c.value_low if c.value_low is not None else '-inf'}..{c.value_high if c.value_high is not None else 'inf'} {c.unit})"


def classify_pair(a: Claim, b: Claim, kind: str) -> tuple[str, str] | None:
    """(contradiction kind, reason) for two claims on one event+attribute, a before b; None if they agree."""
    if gap_between(a, b) <= 0:
        return None
    if kind == "fixed":
        return "conflict", f"{_fmt(a)} and {_fmt(b)} describe the same occurrence but do not overlap"
    if a.as_of and b.as_of and a.as_of != b.as_of:
        if representative(b) > representative(a):
            return "update", f"the figure rose from {_fmt(a)} on {a.as_of} to {_fmt(b)} on {b.as_of}"
        return "revision", f"the figure was revised from {_fmt(a)} on {a.as_of} down to {_fmt(b)} on {b.as_of}"
    return "conflict", f"{_fmt(a)} and {_fmt(b)} are given for the same day and do not overlap"


def detect(claims: Iterable[Claim], catalog: Catalog, independent: dict[str, str] | None = None) -> list[Contradiction]:
    """All contradictions among the claims. ``independent`` maps article ids to the original they
    copy (syndication), so copies of one story never contradict or corroborate each other."""
    vocabulary = catalog.vocabulary()
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.event_id and c.attribute in vocabulary and c.scope not in {"projection", "subset"}:
            groups[(c.event_id, c.attribute)].append(c)
    origin = independent or {}
    found: list[Contradiction] = []
    for (event_id, attribute), members in sorted(groups.items()):
        kind = catalog.kind_of(attribute)
        pairs: list[tuple[Claim, Claim, str, str]] = []
        for x, y in combinations(sorted(members, key=_order_key), 2):
            if origin.get(x.article_id, x.article_id) == origin.get(y.article_id, y.article_id):
                continue
            verdict = classify_pair(x, y, kind)
            if verdict:
                pairs.append((x, y, *verdict))
        conflicting = sorted({(c.value_low, c.value_high) for x, y, k, _ in pairs if k == "conflict" for c in (x, y)},
                             key=lambda v: (v[0] if v[0] is not None else -INF, v[1] if v[1] is not None else INF))
        group_print = stable_id(event_id, attribute, conflicting)
        for x, y, k, reason in pairs:
            gap = gap_between(x, y)
            scale = max(magnitude(x), magnitude(y), 1.0)
            found.append(
                Contradiction(
                    contradiction_id=stable_id(x.claim_id, y.claim_id),
                    event_id=event_id,
                    attribute=attribute,
                    kind=k,
                    claim_a=x.claim_id,
                    claim_b=y.claim_id,
                    gap=gap,
                    relative_gap=round(gap / scale, 4),
                    severity=severity(gap / scale),
                    reason=reason,
                    fingerprint=group_print if k == "conflict" else stable_id(k, x.claim_id, y.claim_id),
                )
            )
    return found
