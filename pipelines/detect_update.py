"""A group's contradictions after new reports joined it, from what detection found before.

Every pair of a group is "owned" by its later report (``claim_b``): the pairs a report owns depend
only on the reports of its day before it, on the report it links to in the chain, and (for a
report without any date) on the whole group. So when reports join a group, only the pairs owned
by the reports that can see a difference are recomputed; every other stored pair stands as it
is, apart from the group's alert key, which follows the set of conflicting values. The result is
the one ``pipelines.detect.detect`` gives (tests/unit/test_detect_update.py checks generated
groups, tests/unit/test_detect_incremental.py whole streams).

This holds only if the stored pairs are what detection found last time; ``pipelines.detect_store``
checks that (a digest per group) before it hands them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date

from pipelines.claims.catalog import Catalog
from pipelines.detect import (
    Pair,
    Rules,
    alert_key,
    chain_links,
    confirmed_pairs,
    contradictions_of_group,
    cumulative_verdict,
    day_of,
    gap_between,
    groups_of,
    make_contradiction,
    order_key,
    time_of,
    undated_pairs,
)
from pipelines.models import Claim, Contradiction


def _owned_same_day(y: Claim, day: list[Claim], source: dict[str, str], rules: Rules) -> Iterator[Pair]:
    """The same-day pairs whose later report is ``y`` (``day``: the reports of its day, in order);
    the pairs ``_same_day_pairs`` gives for it."""
    ty = time_of(y)
    for x in day:
        if x is y:
            if ty is not None:
                break  # a timed report's partners are the timed reports before it
            continue
        if source[x.claim_id] == source[y.claim_id]:
            continue
        if ty is not None:
            tx = time_of(x)
            if tx is not None and ty - tx <= rules.conflict_window and cumulative_verdict(x, y, rules) == "conflict":
                yield x, y, "conflict"
        elif order_key(x) < order_key(y) and cumulative_verdict(x, y, rules) == "unordered":
            yield x, y, "unordered"


def _cumulative_changes(members: list[Claim], new_ids: set[str], source: dict[str, str],
                        rules: Rules) -> tuple[set[str], list[Pair]]:
    """The reports whose pairs may differ now that ``new_ids`` joined the group, and their pairs.

    Affected: the new reports, the reports of their days, every report whose link in the chain
    moved, and every report without a date (it pairs with all the others)."""
    dated = sorted((c for c in members if day_of(c) is not None), key=order_key)
    undated = sorted((c for c in members if day_of(c) is None), key=lambda c: c.claim_id)
    before = {c.claim_id: b for b, c in chain_links(dated, source)}
    linked = {cid: b.claim_id if b else None for cid, b in before.items()}
    linked_old = {c.claim_id: b.claim_id if b else None
                  for b, c in chain_links([c for c in dated if c.claim_id not in new_ids], source)}
    new_days = {day_of(c) for c in dated if c.claim_id in new_ids}
    affected = {c.claim_id for c in dated if c.claim_id in new_ids or day_of(c) in new_days}
    affected |= {cid for cid, b in linked_old.items() if b != linked[cid]}
    affected |= {c.claim_id for c in undated}
    by_day: dict[date, list[Claim]] = defaultdict(list)
    for c in dated:
        by_day[day_of(c) or date.min].append(c)
    mine = [c for c in dated if c.claim_id in affected]
    # the order of group_pairs: same-day verdicts first, then the chain, then undated reports
    found: dict[tuple[str, str], Pair] = {}
    for y in mine:
        for x, _, k in _owned_same_day(y, by_day[day_of(y) or date.min], source, rules):
            found[(x.claim_id, y.claim_id)] = (x, y, k)
    for y in mine:
        b = before[y.claim_id]
        verdict = cumulative_verdict(b, y, rules) if b is not None else None
        if b is not None and verdict is not None:
            found.setdefault((b.claim_id, y.claim_id), (b, y, verdict))
    for x, y, k in undated_pairs(dated, undated, source):
        found.setdefault((x.claim_id, y.claim_id), (x, y, k))
    return affected, list(found.values())


def _fixed_changes(members: list[Claim], new_ids: set[str], source: dict[str, str]) -> list[Pair]:
    """The pairs of a fixed group that include a new report (a pair of two earlier reports stands)."""
    ordered = sorted(members, key=order_key)
    found: dict[tuple[str, str], Pair] = {}
    for i, n in enumerate(ordered):
        if n.claim_id not in new_ids:
            continue
        for j, other in enumerate(ordered):
            x, y = (other, n) if j < i else (n, other)
            if j != i and source[x.claim_id] != source[y.claim_id] and gap_between(x, y) > 0:
                found[(x.claim_id, y.claim_id)] = (x, y, "conflict")
    return list(found.values())


def updated_group(event_id: str, attribute: str, kind: str, members: list[Claim], new_ids: set[str],
                  stored: list[Contradiction], source: dict[str, str], rules: Rules) -> list[Contradiction] | None:
    """The group's contradictions once the reports ``new_ids`` joined ``members`` (all its reports,
    new ones included), from ``stored`` (what detection found before they came): what
    ``contradictions_of_group`` gives, at the cost of the pairs the new reports can change.
    None when a full recompute is needed or costs no more: a group of new reports only, a new
    report without any date (it pairs with every other), or a stored pair of a report that is not a
    member (the group lost reports) or is new."""
    by_id = {c.claim_id: c for c in members}
    if all(c.claim_id in new_ids for c in members):
        return None  # a group of new reports only: recomputing it is the update
    if any(x.claim_a not in by_id or x.claim_b not in by_id or x.claim_a in new_ids or x.claim_b in new_ids
           for x in stored):
        return None
    if kind == "fixed":
        pairs, kept = _fixed_changes(members, new_ids, source), stored
    else:
        if any(day_of(by_id[cid]) is None for cid in new_ids if cid in by_id):
            return None
        affected, pairs = _cumulative_changes(members, new_ids, source, rules)
        kept = [x for x in stored if x.claim_b not in affected]
    pairs = confirmed_pairs(pairs, rules)
    values = [(c.value_low, c.value_high) for x, y, k in pairs if k == "conflict" for c in (x, y)]
    values += [(c.value_low, c.value_high) for x in kept if x.kind == "conflict"
               for c in (by_id[x.claim_a], by_id[x.claim_b])]
    group_print = alert_key(event_id, attribute, values)
    found = [replace(x, fingerprint=group_print) if x.kind == "conflict" else x for x in kept]
    found += [make_contradiction(event_id, attribute, kind, p, group_print) for p in pairs]
    return sorted(found, key=lambda x: x.contradiction_id)


def detect_updated(claims: Iterable[Claim], catalog: Catalog, sources: dict[str, str] | None = None,
                   rules: Rules | None = None, stored: Mapping[tuple[str, str], list[Contradiction]] | None = None,
                   new_ids: frozenset[str] | set[str] = frozenset()) -> list[Contradiction]:
    """What ``detect`` gives for the claims. ``stored`` gives, for groups whose only change since
    detection last ran is that the claims ``new_ids`` joined them, the contradictions found then:
    those groups are updated from them (``updated_group``); every other group is recomputed."""
    rules = rules or Rules()
    stored = stored or {}
    found: list[Contradiction] = []
    for event_id, attribute, kind, members, source in groups_of(claims, catalog, sources):
        updated = None
        if (event_id, attribute) in stored:
            updated = updated_group(event_id, attribute, kind, members, set(new_ids) & source.keys(),
                                    stored[(event_id, attribute)], source, rules)
        found += updated if updated is not None else contradictions_of_group(
            event_id, attribute, kind, members, source, rules)
    return found
