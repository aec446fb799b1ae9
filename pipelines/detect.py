"""Contradictions: pairs of claims about one event and attribute whose intervals do not overlap.

The semantics are those of DESIGN.md ("Claims: the core idea"):

fixed attributes (a property of a past occurrence)
    Any non-overlap between reports of independent sources is a ``conflict``; every such pair is kept.
cumulative attributes (a running count)
    Reports are ordered by ``as_of``, then publication time. A ``conflict`` is a disagreement at
    one time: both figures for the same day, published within ``conflict_window`` of each other by
    independent sources, and the later report lower than the earlier one (or both published at the
    same moment). A rise is the story developing (28, then 85, then 179 within hours), so it is an
    ``update``; a fall outside the window is a ``revision``. Updates and revisions form a chain:
    each report is linked to the latest earlier report of another source, so k reports give at
    most about k links, not k squared. A pair whose order cannot be known (one side has no date at
    all, or both are for one day and one has no publication time, or only a publication day) is
    ``unordered``: kept for analysts, never alerted.

Confidence: a conflict is alerted only when both claims have at least ``min_confidence``
(Settings.alert_min_confidence); a conflict with a less certain side is stored as ``unconfirmed``,
for analysts, never alerted, and its values do not count in the alert key.

Independent sources: two reports from one outlet, or syndicated copies of one wire story, are one
source (``sources`` maps an article id to its source key); one source never contradicts itself.
Where a claim's ``as_of`` was only the report's day, ordering by ``as_of`` then publication time is
ordering by publication; a claim without any date can only be ``unordered`` against the others.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from pipelines.claims.catalog import Catalog
from pipelines.ids import stable_id
from pipelines.models import Claim, Contradiction

if TYPE_CHECKING:
    from pipelines.settings import Settings

SEVERITY_STEPS = ((0.3, "high"), (0.1, "medium"), (0.0, "low"))
INF = float("inf")
KINDS = ("conflict", "update", "revision", "unordered", "unconfirmed")
DEFAULT_CONFLICT_WINDOW = timedelta(hours=6)
EXCLUDED_SCOPES = frozenset({"projection", "subset"})


@dataclass(frozen=True)
class Rules:
    """The knobs of detection (Settings.conflict_window_hours)."""

    conflict_window: timedelta = DEFAULT_CONFLICT_WINDOW
    min_confidence: float = 0.5  # Settings.alert_min_confidence

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        return cls(conflict_window=timedelta(hours=settings.conflict_window_hours),
                   min_confidence=settings.alert_min_confidence)


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


def severity(relative_gap: float) -> str:
    return next(name for floor, name in SEVERITY_STEPS if relative_gap >= floor)


def utc(moment: datetime | None) -> datetime | None:
    """Naive UTC, so that times from different zones (and naive ones, taken as UTC) compare."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))


def time_of(c: Claim) -> datetime | None:
    """When the report was published, in UTC; None when only its day is known. A page or feed that
    gives a date without a time arrives as midnight: that says which day, not when in the day, so
    it cannot order two reports of one day."""
    p = c.published
    if p is None or (p.hour, p.minute, p.second, p.microsecond) == (0, 0, 0, 0):
        return None
    return utc(p)


def day_of(c: Claim) -> date | None:
    """The day a figure is for: its as_of, else the day it was published; None: no date at all."""
    if c.as_of is not None:
        return c.as_of
    return c.published.date() if c.published is not None else None


# --- the reason, in words ------------------------------------------------------------------------


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4g}"


def figure(c: Claim) -> str:
    """The interval as a reader would say it: "81–90 minutes", "1,000 people", "at least 5,300 people"."""
    lo, hi = c.value_low, c.value_high
    if lo is not None and hi is not None:
        text = _number(lo) if lo == hi else f"{_number(lo)}–{_number(hi)}"
    elif lo is not None:
        text = f"at least {_number(lo)}"
    elif hi is not None:
        text = f"at most {_number(hi)}"
    else:
        text = "an unbounded figure"
    return f"{text} {c.unit}".strip()


def _day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "an unknown day"


def _apart(a: Claim, b: Claim) -> str:
    ta, tb = time_of(a), time_of(b)
    if ta is None or tb is None:
        return ""
    minutes = round(abs((tb - ta).total_seconds()) / 60)
    if minutes < 1:
        return " and published at the same time"
    if minutes < 90:
        return f" and published {minutes} minutes apart"
    return f" and published {minutes / 60:.1f} hours apart".replace(".0 hours", " hours")


def reason(kind: str, a: Claim, b: Claim, attribute_kind: str) -> str:
    if kind == "conflict" and attribute_kind == "fixed":
        return f"{figure(a)} vs {figure(b)}"
    if kind == "conflict":
        return f"{figure(a)} vs {figure(b)}, both for {_day(day_of(a))}{_apart(a, b)}"
    if kind == "update":
        return f"rose from {figure(a)} ({_day(day_of(a))}) to {figure(b)} ({_day(day_of(b))})"
    if kind == "revision":
        return f"revised down from {figure(a)} ({_day(day_of(a))}) to {figure(b)} ({_day(day_of(b))})"
    if kind == "unconfirmed":
        return f"{figure(a)} vs {figure(b)}, but one of the two readings is uncertain (confidence below the alert threshold)"
    return f"{figure(a)} vs {figure(b)}; one report has no date or no time, so which came first is unknown"


# --- the verdict on one pair ---------------------------------------------------------------------


def order_key(c: Claim) -> tuple[date, int, datetime, str]:
    """Time order of dated reports: day, then publication time (reports without one last)."""
    published = time_of(c)
    return (day_of(c) or date.min, published is None, published or datetime.min, c.claim_id)


def cumulative_verdict(a: Claim, b: Claim, rules: Rules) -> str | None:
    """What two reports of a running count, ``a`` not after ``b``, are to each other; None: they agree."""
    if gap_between(a, b) <= 0:
        return None
    day_a, day_b = day_of(a), day_of(b)
    if day_a is None or day_b is None:
        return "unordered"
    rises = bounds(b)[0] > bounds(a)[1]
    if day_a != day_b:
        return "update" if rises else "revision"
    ta, tb = time_of(a), time_of(b)
    if ta is None or tb is None:
        return "unordered"  # the same day, but which came first cannot be told
    apart = abs(tb - ta)
    if apart <= rules.conflict_window and (not rises or apart == timedelta(0)):
        return "conflict"
    return "update" if rises else "revision"


# --- pairs of one (event, attribute) group --------------------------------------------------------


Pair = tuple[Claim, Claim, str]


def _fixed_pairs(members: list[Claim], source: dict[str, str]) -> Iterator[Pair]:
    ordered = sorted(members, key=order_key)
    for i, x in enumerate(ordered):
        for y in ordered[i + 1:]:
            if source[x.claim_id] != source[y.claim_id] and gap_between(x, y) > 0:
                yield x, y, "conflict"


def chain_links(dated: list[Claim], source: dict[str, str]) -> Iterator[tuple[Claim | None, Claim]]:
    """Each report with the one it links to in the chain: the latest earlier report of another
    source (None for the first report of the group, or when only its own source came before)."""
    latest: Claim | None = None  # the latest report so far
    latest_other: Claim | None = None  # the latest report of a source other than ``latest``'s
    for c in dated:
        before = latest if latest is not None and source[latest.claim_id] != source[c.claim_id] else latest_other
        yield before, c
        if latest is not None and source[latest.claim_id] != source[c.claim_id]:
            latest_other = latest
        latest = c


def _chain(dated: list[Claim], source: dict[str, str], rules: Rules) -> Iterator[Pair]:
    """Each report against the latest earlier report of another source."""
    for before, c in chain_links(dated, source):
        if before is not None:
            verdict = cumulative_verdict(before, c, rules)
            if verdict is not None:
                yield before, c, verdict


def _same_day_pairs(dated: list[Claim], source: dict[str, str], rules: Rules) -> Iterator[Pair]:
    """Conflicts (every disagreeing pair within the window) and same-day pairs missing a time."""
    by_day: dict[date, list[Claim]] = defaultdict(list)
    for c in dated:
        by_day[day_of(c) or date.min].append(c)
    for members in by_day.values():
        timed = [c for c in members if time_of(c) is not None]
        untimed = [c for c in members if time_of(c) is None]
        times = [time_of(c) or datetime.min for c in timed]
        for i, x in enumerate(timed):
            # reports within the window of x, later in order (times are sorted with the members)
            end = bisect_left(times, times[i] + rules.conflict_window + timedelta(microseconds=1))
            for y in timed[i + 1:end]:
                if source[x.claim_id] != source[y.claim_id] and cumulative_verdict(x, y, rules) == "conflict":
                    yield x, y, "conflict"
        for y in untimed:
            for x in members:
                if x is not y and source[x.claim_id] != source[y.claim_id] and order_key(x) < order_key(y) \
                        and cumulative_verdict(x, y, rules) == "unordered":
                    yield x, y, "unordered"


def undated_pairs(dated: list[Claim], undated: list[Claim], source: dict[str, str]) -> Iterator[Pair]:
    for i, y in enumerate(undated):
        for x in dated + undated[:i]:
            if source[x.claim_id] != source[y.claim_id] and gap_between(x, y) > 0:
                yield x, y, "unordered"


def group_pairs(members: Iterable[Claim], kind: str, source: dict[str, str], rules: Rules) -> list[Pair]:
    """The contradictions of one (event, attribute) group, each pair once, ``a`` before ``b``.
    ``source`` maps each claim id to its source key."""
    members = list(members)
    if kind == "fixed":
        return list(_fixed_pairs(members, source))
    dated = sorted((c for c in members if day_of(c) is not None), key=order_key)
    undated = sorted((c for c in members if day_of(c) is None), key=lambda c: c.claim_id)
    found: dict[tuple[str, str], Pair] = {}
    for x, y, k in _same_day_pairs(dated, source, rules):
        found[(x.claim_id, y.claim_id)] = (x, y, k)
    for x, y, k in _chain(dated, source, rules):
        found.setdefault((x.claim_id, y.claim_id), (x, y, k))
    for x, y, k in undated_pairs(dated, undated, source):
        found.setdefault((x.claim_id, y.claim_id), (x, y, k))
    return list(found.values())


def _value_key(v: tuple[float | None, float | None]) -> tuple[float, float]:
    return (v[0] if v[0] is not None else -INF, v[1] if v[1] is not None else INF)


def confirmed_pairs(pairs: Iterable[Pair], rules: Rules) -> list[Pair]:
    """A conflict with a side below the alert threshold is only ``unconfirmed``."""
    return [(x, y, "unconfirmed" if k == "conflict" and min(x.confidence, y.confidence) < rules.min_confidence else k)
            for x, y, k in pairs]


def alert_key(event_id: str, attribute: str, values: Iterable[tuple[float | None, float | None]]) -> str:
    """The alert key of a group's conflicts: a conflict is alerted again only when the set of
    conflicting values changes."""
    return stable_id(event_id, attribute, sorted(set(values), key=_value_key))


def make_contradiction(event_id: str, attribute: str, attribute_kind: str, pair: Pair, group_print: str) -> Contradiction:
    x, y, k = pair
    gap = gap_between(x, y)
    scale = max(magnitude(x), magnitude(y), 1.0)
    return Contradiction(
        contradiction_id=stable_id(x.claim_id, y.claim_id),
        event_id=event_id,
        attribute=attribute,
        kind=k,
        claim_a=x.claim_id,
        claim_b=y.claim_id,
        gap=gap,
        relative_gap=round(gap / scale, 4),
        severity=severity(gap / scale),
        reason=reason(k, x, y, attribute_kind),
        fingerprint=group_print if k == "conflict" else stable_id(k, x.claim_id, y.claim_id),
    )


def contradictions_of_group(event_id: str, attribute: str, kind: str, members: Iterable[Claim],
                            source: dict[str, str], rules: Rules) -> list[Contradiction]:
    pairs = confirmed_pairs(group_pairs(members, kind, source, rules), rules)
    group_print = alert_key(event_id, attribute,
                               ((c.value_low, c.value_high) for x, y, k in pairs if k == "conflict" for c in (x, y)))
    return sorted((make_contradiction(event_id, attribute, kind, p, group_print) for p in pairs),
                  key=lambda x: x.contradiction_id)


def source_key(publisher: str | None, article_id: str) -> str:
    """What makes two reports one source: the outlet's name, or the article itself when it has none."""
    return (publisher or "").strip().casefold() or article_id


def comparable(c: Claim, vocabulary: frozenset[str] | set[str]) -> bool:
    """Claims detection compares: with an event, an attribute of the catalog, not a part or a projection."""
    return bool(c.event_id) and c.attribute in vocabulary and c.scope not in EXCLUDED_SCOPES


def groups_of(claims: Iterable[Claim], catalog: Catalog,
              sources: dict[str, str] | None = None) -> Iterator[tuple[str, str, str, list[Claim], dict[str, str]]]:
    """The comparable claims by (event, attribute) group, in group order: event id, attribute, the
    attribute's kind, the members and each member's source key (``sources`` maps article ids to one)."""
    vocabulary = catalog.vocabulary()
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if comparable(c, vocabulary):
            groups[(c.event_id or "", c.attribute)].append(c)
    article_source = sources or {}
    for (event_id, attribute), members in sorted(groups.items()):
        source = {c.claim_id: article_source.get(c.article_id, c.article_id) for c in members}
        yield event_id, attribute, catalog.kind_of(attribute), members, source


def detect(claims: Iterable[Claim], catalog: Catalog, sources: dict[str, str] | None = None,
           rules: Rules | None = None) -> list[Contradiction]:
    """All contradictions among the claims. ``sources`` maps article ids to a source key (the
    outlet, or the original a syndicated copy repeats); an article without one is its own source.
    (``pipelines.detect_update.detect_updated`` gives the same from stored contradictions.)"""
    rules = rules or Rules()
    found: list[Contradiction] = []
    for event_id, attribute, kind, members, source in groups_of(claims, catalog, sources):
        found += contradictions_of_group(event_id, attribute, kind, members, source, rules)
    return found
