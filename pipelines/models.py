"""Plain data passed between stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ArticleInput:
    """What extraction needs from an article, whether it came from a feed or an eval file."""

    article_id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class EventHint:
    """What a claim's sentence and article say about which occurrence it belongs to."""

    story_type: str                      # negotiation | earthquake | air_crash | flood | ...
    occurrence_date: date | None = None  # the day the occurrence happened, when known
    location: str | None = None          # canonical entity id of the main place
    round_ordinal: int | None = None     # "the third round" -> 3
    recalled: bool = False               # the sentence recalls an earlier occurrence
    reference_date: date | None = None   # the article's own occurrence date (what "earlier" is relative to)
    date_precision: str = "day"           # day | month | year: how exactly occurrence_date is known
    places: frozenset[str] = frozenset()  # every place the article names (entity ids)
    session: str | None = None           # a part of one meeting ("one_on_one", "part:2"); None = the whole


@dataclass(frozen=True)
class Claim:
    claim_id: str
    article_id: str
    attribute: str
    kind: str            # fixed | cumulative
    unit: str
    value_low: float | None
    value_high: float | None
    hedge: str
    value_text: str
    scope: str           # whole | per_side | total | subset | projection | running_total
    as_of: date | None
    quote: str
    quote_start: int
    quote_end: int
    sentence: str
    source_entity: str | None = None
    hint: EventHint | None = None
    event_id: str | None = None
    published: datetime | None = None    # of the article, for ordering in detection
    confidence: float = 1.0              # 0..1, how sure extraction is of this claim
    confidence_reasons: tuple[str, ...] = ()  # stable tokens, e.g. attribute.cue, attribution.hedged
    # The one area (country, state, county, ...) a running count is said of, as areas.py reads it:
    # its key ("lee-county") and its gazetteer place (``areas.place_text``). Once the claim's event
    # is known, event_scope.py makes a whole's figure for one of several areas apart a part.
    area: str | None = None
    area_place: str | None = None
    event_part: bool = False  # the event's other areas made this figure a part (event_scope.py)


@dataclass(frozen=True)
class Contradiction:
    contradiction_id: str
    event_id: str
    attribute: str
    kind: str            # conflict | update | revision
    claim_a: str
    claim_b: str
    gap: float
    relative_gap: float
    severity: str        # low | medium | high
    reason: str
    fingerprint: str


@dataclass
class StageCounts:
    """Counts a stage reports to the task log and pipeline_runs."""

    stage: str
    counts: dict[str, int | float] = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.stage}: " + ", ".join(f"{k}={v}" for k, v in self.counts.items())
