"""Scope once the event is known: a whole's figure said of one of the event's several areas is a part.

An article often names only one of the areas an occurrence struck: one country of the three a
cyclone hit, the one state a report is about, one county. Read alone, "139 died in Zimbabwe" is
the toll; beside the event's other reports, which give figures for Mozambique and Malawi, it is
Zimbabwe's part. Extraction stores the one area each running count is said of (``Claim.area``,
pipelines/claims/areas.py); here, after event assignment, the areas of all the event's claims are
the event's known areas, and a whole's figure whose area lies apart from another of them (another
country, another state, a county of another state, a sibling county) becomes that area's part
(attribute ``<attribute>.<area>``, scope ``subset``, ``event_part``). A figure of a place that holds
the others (the country of its provinces) or of a region stays the whole.

The result depends only on the set of the event's claims, never on the order they came in: a claim
made a part is read back as extracted (``extracted``) before the event is judged again, so a
stream processed in batches and a full reprocess agree, and an area that disappears (a
re-extracted article) turns its parts back into wholes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from pipelines.claims.areas import apart, place_from_text, place_text, within
from pipelines.claims.catalog import Catalog
from pipelines.claims.places import REGION, Place, PlacesError
from pipelines.models import Claim

SUBSET = "subset"


class Scoped(NamedTuple):
    """What judging a claim's scope by its event needs (a stored claim's columns, or a Claim)."""

    claim_id: str
    event_id: str | None
    attribute: str
    scope: str
    area: str | None
    area_place: str | None
    event_part: bool = False


class Revision(NamedTuple):
    claim_id: str
    event_id: str
    old_attribute: str
    attribute: str
    scope: str
    event_part: bool


def scoped(c: Claim) -> Scoped:
    return Scoped(c.claim_id, c.event_id, c.attribute, c.scope, c.area, c.area_place, c.event_part)


def extracted(row: Scoped, catalog: Catalog) -> tuple[str, str]:
    """The attribute and scope extraction gave the claim, before its event made it a part."""
    if not row.event_part or row.area is None:
        return row.attribute, row.scope
    base = row.attribute.removesuffix(f".{row.area}")
    attr = catalog.attributes.get(base)
    return base, attr.scope_default if attr is not None else row.scope


def _place(row: Scoped) -> Place | None:
    if row.area is None or row.area_place is None:
        return None
    try:
        place = place_from_text(row.area_place)
    except PlacesError:
        return None  # a place written by other rules: it names no area to compare
    return place if place.country is not None and place.level != REGION else None


def _is_whole(attribute: str, scope: str, catalog: Catalog) -> bool:
    attr = catalog.attributes.get(attribute)
    return attr is not None and attr.kind == "cumulative" and scope == attr.scope_default


def event_places(rows: Sequence[Scoped]) -> dict[str, Place]:
    """The place each of the event's areas is. Articles read a name of several places alone ("Lee
    County", a county of a dozen states, in a report that names no state): where the event's claims
    read one name as several places, it is the one lying in another of the event's areas (Lee County
    in Florida), else the one most claims read; ties go to the first in a fixed order, so the
    answer never depends on the order the claims came in."""
    readings: dict[str, Counter[Place]] = defaultdict(Counter)
    for row in rows:
        place = _place(row)
        if place is not None and row.area is not None:
            readings[row.area][place] += 1
    settled = {key: next(iter(found)) for key, found in readings.items() if len(found) == 1}
    out = dict(settled)
    for key, found in readings.items():
        if key in settled:
            continue
        holders = [p for k, p in settled.items() if k != key]
        inside = [p for p in found if any(within(p, h) and p != h for h in holders)]
        out[key] = min(inside or found, key=lambda p: (-found[p], place_text(p)))
    return out


def event_revisions(rows: Sequence[Scoped], catalog: Catalog) -> list[Revision]:
    """The claims of one event whose scope its areas change: a whole's figure of an area lying
    apart from another of the event's areas becomes that area's part; a part made so whose area no
    longer has such a sibling is the whole again."""
    areas = event_places(rows)
    out = []
    for row in rows:
        place = areas.get(row.area or "") if _place(row) is not None else None
        if place is None or row.event_id is None:
            continue
        attribute, scope = extracted(row, catalog)
        part = _is_whole(attribute, scope, catalog) and any(
            key != row.area and apart(place, other) for key, other in areas.items())
        new = (f"{attribute}.{row.area}", SUBSET, True) if part else (attribute, scope, False)
        if new != (row.attribute, row.scope, row.event_part):
            out.append(Revision(row.claim_id, row.event_id, row.attribute, *new))
    return out


def revisions(rows: Iterable[Scoped], catalog: Catalog) -> list[Revision]:
    """``event_revisions`` for every event of ``rows`` (each event's rows must all be there)."""
    by_event: dict[str, list[Scoped]] = defaultdict(list)
    for row in rows:
        if row.event_id is not None and row.area is not None:
            by_event[row.event_id].append(row)
    return [r for event_rows in by_event.values() for r in event_revisions(event_rows, catalog)]


def revise_claims(claims: Sequence[Claim], catalog: Catalog) -> list[Claim]:
    """The claims with each one's scope judged by its event's areas, in their order."""
    changed = {r.claim_id: r for r in revisions((scoped(c) for c in claims), catalog)}
    return [replace(c, attribute=r.attribute, scope=r.scope, event_part=r.event_part)
            if (r := changed.get(c.claim_id)) is not None else c for c in claims]
