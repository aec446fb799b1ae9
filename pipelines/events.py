"""Assign claims to occurrences (events), in stream order.

An event is one story on one occasion. For stories where each date is its own occurrence (rounds
of talks), reports must agree on the day; for disasters, reports spread over the story's window
(catalog ``window_days``) describe one occurrence whose toll changes over time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, NamedTuple

from pipelines.claims.catalog import Catalog
from pipelines.headlines import headline
from pipelines.ids import stable_id
from pipelines.models import Claim, EventHint


@dataclass(frozen=True)
class Event:
    event_id: str
    story_type: str
    label: str
    occurrence_date: date | None
    location: str | None
    round_ordinal: int | None = None
    session: str | None = None  # a part of one meeting (the one-on-one, the second session)


BUCKET_DAYS = 7  # events are filed by week of their occurrence date
# An undated report of a one-day story (talks, a truce) joins a known occurrence only when it shares
# at least this many places with that occurrence's reports, and more than with any other: the
# venue and the parties, not one country that every report names.
UNDATED_MIN_SHARED_PLACES = 2


@dataclass
class _Shelf:
    """The events of one story family (or one fixed-date story), filed by week."""

    by_week: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # week -> positions
    undated: list[int] = field(default_factory=list)
    every: list[int] = field(default_factory=list)


# A day of an unknown year matches an occurrence this many days off (a report dated by the time zone
# of one side, a meeting over midnight)
MONTHDAY_SLACK_DAYS = 1


def _same_day_of_year(hint: EventHint, occurred: date) -> bool:
    """Whether an occurrence's date can be the day of an unknown year that a report names."""
    if hint.date_precision != "monthday" or hint.occurrence_date is None:
        return True
    named = hint.occurrence_date
    for year in (occurred.year - 1, occurred.year, occurred.year + 1):
        try:
            day = named.replace(year=year)
        except ValueError:  # 29 February in a common year
            continue
        if abs((day - occurred).days) <= MONTHDAY_SLACK_DAYS:
            return True
    return False


def _week(d: date) -> int:
    return d.toordinal() // BUCKET_DAYS


def _shifted(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


class EventRequest(NamedTuple):
    """Stored events a report may belong to, for an index that loads them on demand (``lazy``): the
    events of ``story_type`` (``whole``), or those of its ``week`` (a week number, see ``_week``),
    or with its ``round_ordinal``, or of one ``month`` and ``day`` in any year; or the one event
    ``event_id`` (the id a new event of the report would get). sql/claims/events_requested.sql."""

    story_type: str | None = None
    whole: bool = False
    week: int | None = None
    round_ordinal: int | None = None
    month: int | None = None
    day: int | None = None
    event_id: str | None = None


class Span(NamedTuple):
    """A figure that spans its occasion (catalog ``spans_occasion``: "a four-day truce"): how many
    days from the report's own day the occasion may be dated (its length and lead), and the
    figure's interval, which the occasion's other such figures must agree with."""

    days: float
    low: float | None
    high: float | None

    def agrees(self, other: Span) -> bool:
        return ((self.low is None or other.high is None or self.low <= other.high)
                and (other.low is None or self.high is None or other.low <= self.high))


REQUEST_FIELDS = ("story_type", "whole", "week", "round_ordinal", "month", "day", "event_id")
Rank = tuple[Any, ...]  # the order in which events became known (see EventIndex)


class EventIndex:
    """Known events, matched and extended as claims stream in.

    Candidates for a report are looked up by story (its family, for stories whose reports may span
    several days) and by the week of the occurrence date, not by scanning every known event; they
    are then checked with the same rule as before (``matches``) and kept in the order the events
    became known, so the assignment is the one a full scan gives.

    The stored events are either all given (``known``, in their stored order) or, with ``lazy``,
    loaded on demand: before a batch of reports is assigned, ``requests`` says which stored events
    they may need (their stories' weeks, rounds, days of the year; a whole story only for a report
    without a date) and ``add_stored`` files what the store returns. Every stored event that could
    match is then loaded, and the events are kept in the stored order (occurrence date, then when
    stored, then id; this run's new events after them), so the assignment is the one the whole
    list gives, at the cost of the events a batch can match rather than of every stored event."""

    def __init__(self, catalog: Catalog, known: list[Event] | None = None, lazy: bool = False) -> None:
        if lazy and known:
            raise ValueError("a lazy index loads its stored events itself (requests, add_stored)")
        self.catalog = catalog
        self.lazy = lazy
        self.events: list[Event] = []
        self.new: list[Event] = []
        self.created = 0  # events created (and not forgotten) by this index
        self._rank: list[Rank] = []  # per position: the order the event became known in
        self._by_id: dict[str, Event] = {}
        self._shelves: dict[tuple[str, str], _Shelf] = defaultdict(_Shelf)
        self._by_story: dict[str, list[int]] = defaultdict(list)
        for i, event in enumerate(known or []):
            self._file(event, (0, i))
        # places named by the reports assigned to each event this run; a stored event also names its
        # own location (kept apart: a set per stored event cost more than the rest of the index)
        self.places: dict[str, set[str]] = {}
        self._stored = {e.event_id for e in self.events}
        self._requested: set[EventRequest] = set()
        self._hints_seen: set[tuple[Any, ...]] = set()
        self._whole: set[str] = set()  # story types loaded whole
        members: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name in sorted(catalog.stories):
            members[self._shelf_key(name)].append(name)
        self._shelf_members = dict(members)
        # per event, the figures spanning its occasion that joined it this run (``_within_span``):
        # only events this run assigned have them, and a lazy index holds all of those, so it
        # needs no stored event more for them
        self._spans: dict[str, list[Span]] = defaultdict(list)

    def _shelf_key(self, story_type: str) -> tuple[str, str]:
        story = self.catalog.stories.get(story_type)
        if story is not None and not story.fixed_date:
            return ("family", story.family)  # a collapse that caught fire may be one occurrence
        return ("story", story_type)

    def _file(self, event: Event, rank: Rank) -> None:
        pos = len(self.events)
        self.events.append(event)
        self._rank.append(rank)
        self._by_id.setdefault(event.event_id, event)
        self._by_story[event.story_type].append(pos)
        shelf = self._shelves[self._shelf_key(event.story_type)]
        shelf.every.append(pos)
        if event.occurrence_date is None:
            shelf.undated.append(pos)
        else:
            shelf.by_week[_week(event.occurrence_date)].append(pos)

    def forget_new(self) -> None:
        """Drop the events created since the last store (their transaction was rolled back)."""
        kept = [(e, r) for e, r in zip(self.events, self._rank, strict=True) if e not in self.new]
        self.created -= len(self.new)
        self.events, self.new, self._rank = [], [], []
        self._by_id, self._shelves, self._by_story = {}, defaultdict(_Shelf), defaultdict(list)
        for event, rank in kept:
            self._file(event, rank)

    # --- stored events on demand (lazy) --------------------------------------------------------

    def _needs(self, hint: EventHint) -> Iterable[EventRequest]:
        """Every stored event ``assign`` may look at for reports with this hint, but the one a new
        event of the report would be (a superset of what it takes)."""
        # the stories ``candidates`` looks through: the story's shelf and those of its ``also`` stories
        types = sorted({t for s in (hint.story_type, *self._told_with(hint.story_type))
                        for t in self._shelf_members.get(self._shelf_key(s), [s])})
        if hint.round_ordinal:  # an undated event, or any event when the report has no date, by its round
            yield from (EventRequest(t, round_ordinal=hint.round_ordinal) for t in types)
        when = hint.occurrence_date
        if when is None:
            # a recalled occurrence, or the story's latest: among every event of the story
            yield EventRequest(hint.story_type, whole=True)
            return
        if hint.date_precision == "monthday":
            yield from (EventRequest(t, month=when.month, day=when.day) for t in types)
            yield EventRequest(hint.story_type, whole=True)  # no such day known: placed as if undated
            return
        if hint.date_precision == "month":
            first = when.replace(day=1)
            last = _shifted(first.replace(day=28), 4).replace(day=1) - timedelta(days=1)
        elif hint.date_precision == "year":
            first, last = when.replace(month=1, day=1), when.replace(month=12, day=31)
        else:
            reach = self.catalog.stories[hint.story_type].window_days
            first, last = _shifted(when, -reach), _shifted(when, reach)
        yield from (EventRequest(t, week=w) for t in types for w in range(_week(first), _week(last) + 1))

    def requests(self, reports: Iterable[tuple[EventHint, str]]) -> list[EventRequest]:
        """What the store must still give (``add_stored``) before these reports (hint, article id)
        are assigned: nothing for an index that holds every stored event."""
        if not self.lazy:
            return []
        out: list[EventRequest] = []
        for hint, article_id in reports:
            by_id = EventRequest(event_id=self._new_event_id(hint, article_id))
            if by_id not in self._requested:
                self._requested.add(by_id)
                out.append(by_id)
            # what else a report needs follows from these fields alone: asked once per run
            key = (hint.story_type, hint.occurrence_date, hint.date_precision, hint.round_ordinal)
            if key in self._hints_seen:
                continue
            self._hints_seen.add(key)
            for request in self._needs(hint):
                if request in self._requested or request.story_type in self._whole:
                    continue
                self._requested.add(request)
                if request.whole and request.story_type:
                    self._whole.add(request.story_type)
                out.append(request)
        return out

    def add_stored(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """File stored events: rows in ``Event``'s field order (the id first) followed by
        ``created_at``, any value that orders as the times do (epoch microseconds). An event already
        known (loaded before, or created by this run) is skipped: each batch asks again for the
        weeks it needs, mostly events loaded already. Returns how many were new."""
        added = 0
        for row in rows:
            if row[0] in self._by_id:
                continue
            *fields, created_at = row
            event = Event(*fields)
            when = event.occurrence_date
            # the stored order (sql/claims/events.sql): occurrence date (undated last), when stored, id
            self._file(event, (0, when is None, when or date.min, created_at is None,
                               0 if created_at is None else created_at, event.event_id))
            self._stored.add(event.event_id)
            added += 1
        return added

    def _in_order(self, positions: Iterable[int]) -> list[int]:
        return sorted(positions, key=self._rank.__getitem__)

    def _told_with(self, story_type: str) -> set[str]:
        """Stories outside the family whose reports may tell the same occurrence (catalog ``also``)."""
        stories = self.catalog.stories
        story = stories.get(story_type)
        mine = set(story.also) if story is not None else set()
        return mine | {name for name, s in stories.items() if story_type in s.also}

    def candidates(self, hint: EventHint, span: Span | None = None) -> list[Event]:
        """Known events the report may belong to, in the order they became known; with ``span``,
        also those its spanning figure joins (``_within_span``)."""
        keys = {self._shelf_key(s) for s in (hint.story_type, *self._told_with(hint.story_type))}
        shelves = [shelf for key in sorted(keys) if (shelf := self._shelves.get(key)) is not None]
        if hint.occurrence_date is None or hint.date_precision != "day":
            positions = self._in_order(p for shelf in shelves for p in shelf.every)
        else:
            reach = timedelta(days=max(self.catalog.stories[hint.story_type].window_days,
                                       math.ceil(span.days) if span else 0))
            first, last = _week(hint.occurrence_date - reach), _week(hint.occurrence_date + reach)
            positions = self._in_order(p for shelf in shelves for p in (
                *shelf.undated, *(p for w in range(first, last + 1) for p in shelf.by_week.get(w, ()))))
        return [self.events[p] for p in positions
                if self.matches(self.events[p], hint) or self._within_span(self.events[p], hint, span)]

    def _agreeing(self, event: Event, span: Span | None) -> bool:
        return span is not None and any(span.agrees(s) for s in self._spans.get(event.event_id, ()))

    def _within_span(self, event: Event, hint: EventHint, span: Span | None) -> bool:
        """A figure that spans its occasion ("the final day of a four-day truce") is of an occasion
        dated up to ``span.days`` from its own day, whose reports name one of its places and give
        an agreeing length: a truce agreed on Wednesday, begun on Friday and ending on Monday is one
        occasion. Truces of other lengths declared days apart (by each party of a war) stay apart."""
        if hint.occurrence_date is None or event.occurrence_date is None or not self._agreeing(event, span):
            return False
        assert span is not None
        if event.story_type != hint.story_type or event.session != hint.session or hint.date_precision != "day":
            return False
        if hint.round_ordinal and event.round_ordinal and hint.round_ordinal != event.round_ordinal:
            return False
        return (abs((hint.occurrence_date - event.occurrence_date).days) <= span.days
                and self._shared_places(event, hint) > 0)

    def _names_each_other(self, event: Event, hint: EventHint) -> bool:
        """One report names the other's main place (a Thai outlet's report on Myanmar's quake)."""
        if event.location in hint.places or (hint.location or "") in self.places.get(event.event_id, ()):
            return True
        return bool(event.location) and hint.location == event.location and event.event_id in self._stored

    def _place_fits(self, event: Event, hint: EventHint) -> bool:
        """Reports fit one occurrence unless they are about two different countries that neither
        mentions: place names are noisy (a city, a district, a stray mention), countries less so."""
        from pipelines.claims.context import country_keys

        if event.location is None or hint.location is None or event.location == hint.location:
            return True
        if self._names_each_other(event, hint):
            return True
        keys = country_keys()
        return not (event.location.replace("-", " ") in keys and hint.location.replace("-", " ") in keys)

    def _same_story(self, a: str, b: str) -> bool:
        sa, sb = self.catalog.stories.get(a), self.catalog.stories.get(b)
        if a == b:
            return True
        if sa is None or sb is None or sa.fixed_date or sb.fixed_date:
            return False
        return sa.family == sb.family or b in sa.also or a in sb.also

    def matches(self, event: Event, hint: EventHint) -> bool:
        if not self._same_story(event.story_type, hint.story_type):
            return False
        if event.story_type != hint.story_type and not self._names_each_other(event, hint):
            return False  # a fire and a flood a week apart are one occurrence only if one names the other's place
        story = self.catalog.stories[hint.story_type]
        # Rounds of talks are told apart by their date; the "main place" of a report on them may be
        # any of the parties. Disasters in one window are told apart by where they struck.
        if not story.fixed_date and not self._place_fits(event, hint):
            return False
        if hint.round_ordinal and event.round_ordinal and hint.round_ordinal != event.round_ordinal:
            return False
        if hint.session != event.session:
            return False  # the one-on-one and the whole summit are two occasions of one day
        if hint.occurrence_date is None or event.occurrence_date is None:
            return bool(hint.round_ordinal and hint.round_ordinal == event.round_ordinal)
        if hint.date_precision == "monthday":  # "May 16" in an undated explainer
            return (hint.occurrence_date.month, hint.occurrence_date.day) == (
                event.occurrence_date.month, event.occurrence_date.day)
        if hint.date_precision == "month":  # "the first round in May"
            return (hint.occurrence_date.year, hint.occurrence_date.month) == (
                event.occurrence_date.year, event.occurrence_date.month)
        if hint.date_precision == "year":  # "a truce that held for six months in 2022"
            return hint.occurrence_date.year == event.occurrence_date.year
        return abs((hint.occurrence_date - event.occurrence_date).days) <= story.window_days

    def _shared_places(self, event: Event, hint: EventHint) -> int:
        """How many places the report and the event's reports (or a stored event's own place) both name."""
        named = {p for p in (*self.places.get(event.event_id, ()), event.location) if p}
        return len(named & {p for p in (*hint.places, hint.location) if p})

    def _dated_occasions(self, hint: EventHint) -> list[Event]:
        """Dated events of the report's story that the same part of the occasion and round could be;
        for a report that names a day of an unknown year ("on Tuesday (Nov 16)"), only those on that
        day of some year: a summit in October is not the one a report of 16 November is about."""
        return [
            e for e in (self.events[p] for p in self._in_order(self._by_story.get(hint.story_type, ())))
            if e.story_type == hint.story_type and e.occurrence_date is not None
            and (hint.round_ordinal is None or e.round_ordinal in (None, hint.round_ordinal))
            and e.session == hint.session and _same_day_of_year(hint, e.occurrence_date)
        ]

    def _recalled(self, hint: EventHint, span: Span | None = None) -> Event | None:
        """The latest earlier occurrence of the story: what "last month's talks" points to. When the
        report names places, the occurrence is one whose reports name one of them: a truce recalled in
        a Gaza report is no prisoner swap between Russia and Ukraine. A figure that spans its
        occasion (``span``) recalls one whose such figures agree with it, when there is one: the
        truce, not a day's release during it."""
        ref = hint.reference_date
        earlier = [e for e in self._dated_occasions(hint) if ref is None or (e.occurrence_date or ref) < ref]
        if hint.places or hint.location:
            earlier = [e for e in earlier if self._shared_places(e, hint)]
        if any(self._agreeing(e, span) for e in earlier):
            earlier = [e for e in earlier if self._agreeing(e, span)]
        return max(earlier, key=lambda e: e.occurrence_date or date.min, default=None)

    def _most_places(self, events: Iterable[Event], hint: EventHint, *, at_least: int = 0,
                     tie_is_unknown: bool = False) -> Event | None:
        """Of the occurrences a report not dated to the day may be about, the one whose reports name
        most of the report's places (at least ``at_least``); among those, the latest. With
        ``tie_is_unknown``, two days that tie leave the report unknown (None): two rounds of talks in
        one city tie, and a wrong guess would make a false conflict."""
        scored = [(self._shared_places(e, hint), e.occurrence_date or date.min, e) for e in events]
        if not scored:
            return None
        shared, day, best = max(scored, key=lambda x: x[:2])
        if shared < at_least or (tie_is_unknown and any(n == shared and d != day for n, d, _ in scored)):
            return None
        return best

    def assign(self, hint: EventHint, article_id: str, span: Span | None = None) -> Event:
        """The event of a report: a known one it matches, else a new one. ``span``: the report is
        of a figure that spans its occasion (see ``candidates``)."""
        if hint.recalled and hint.occurrence_date is None:
            found = self._recalled(hint, span)
            if found:
                return found
        candidates = self.candidates(hint, span)
        if candidates:
            when = hint.occurrence_date
            spanned = [e for e in candidates if self._agreeing(e, span)]
            if spanned and when is not None:
                # of the occasions near, one whose spanning figures agree (the truce), not a day's
                # release during it
                return min(spanned, key=lambda e: abs(((e.occurrence_date or when) - when).days))
            if when is not None and hint.date_precision != "day":
                # "in August": of the swaps that month, the one whose reports name the report's places
                return self._most_places(candidates, hint) or candidates[-1]
            if when is not None:
                return min(candidates, key=lambda e: abs(((e.occurrence_date or when) - when).days))
            return candidates[-1]
        # a day of an unknown year that matches no known day is placed as if undated: it keeps no
        # date on its event either (``_dated``), and a page's other, undated figures must land with it
        if (hint.occurrence_date is None or hint.date_precision == "monthday") and not hint.recalled:
            if self.catalog.stories[hint.story_type].fixed_date:
                # a one-day story (talks, a truce): the one occasion of the same part and round that
                # shares clearly more places with the report than any other, else an occasion of its
                # own; of the occasions whose spanning figures agree with the report's, when some do
                # (an undated report of a 36-hour truce is of the 36-hour truce, not of a 30-day one
                # proposed in the same war)
                occasions = self._dated_occasions(hint)
                agreeing = [e for e in occasions if self._agreeing(e, span)]
                found = self._most_places(agreeing or occasions, hint,
                                          at_least=UNDATED_MIN_SHARED_PLACES, tie_is_unknown=True)
            else:
                # a disaster: the story's occurrence whose reports name most of the report's places,
                # the latest of those, not a recalled older one (an undated Karachi report of an air
                # crash is not about last week's in Tokyo)
                found = self._most_places(
                    (e for e in (self.events[p] for p in self._in_order(self._by_story.get(hint.story_type, ())))
                     if self._place_fits(e, hint)), hint)
            if found is not None:
                return found
        event = self._new_event(hint, article_id)
        existing = self._by_id.get(event.event_id)
        if existing:
            return existing
        self._file(event, (1, self.created))  # after every stored event, in the order created
        self.created += 1
        self.new.append(event)
        return event

    @staticmethod
    def _dated(hint: EventHint) -> EventHint:
        if hint.date_precision == "monthday":  # a day of an unknown year: keep no date on the event
            return replace(hint, occurrence_date=None, date_precision="day")
        return hint

    def _new_event_id(self, hint: EventHint, article_id: str) -> str:
        hint = self._dated(hint)
        key_date = hint.occurrence_date.isoformat() if hint.occurrence_date else f"undated:{article_id}"
        # a part's id differs from its meeting's; a whole meeting keeps the id it always had
        return stable_id(hint.story_type, hint.location, key_date, hint.round_ordinal,
                         *([hint.session] if hint.session else []))

    def _new_event(self, hint: EventHint, article_id: str) -> Event:
        """The event a report that matches no known one starts."""
        event_id = self._new_event_id(hint, article_id)
        hint = self._dated(hint)
        return Event(
            event_id=event_id,
            story_type=hint.story_type,
            # "Talks, 16 May 2025" until stored: the store names parties and venue from all its reports
            label=headline(self.catalog.stories[hint.story_type].label or hint.story_type, hint.occurrence_date),
            occurrence_date=hint.occurrence_date,
            location=hint.location,
            round_ordinal=hint.round_ordinal,
            session=hint.session,
        )

    def assign_claims(self, claims: list[Claim]) -> list[Claim]:
        """Events for the claims of one batch, each article's claims together: an article's recalls
        of an earlier occurrence are assigned after its other figures, so that an undated article
        whose own figures joined a known occurrence recalls one before that (the story's other
        reports date it), not the latest one known."""
        out = list(claims)
        by_article: dict[str, list[int]] = defaultdict(list)
        for i, claim in enumerate(claims):
            if claim.hint is not None:
                by_article[claim.article_id].append(i)
        for positions in by_article.values():
            recalls = [i for i in positions if _recalls_undated(claims[i])]
            own_days = []
            for i in positions:
                if i not in recalls:
                    out[i] = self._assign_claim(claims[i])
                    event = self._by_id[out[i].event_id or ""]
                    own_days.append(event.occurrence_date)
            told = max((d for d in own_days if d is not None), default=None)
            for i in recalls:
                hint = claims[i].hint
                assert hint is not None
                if hint.reference_date is None and told is not None:
                    hint = replace(hint, reference_date=told)
                out[i] = self._assign_claim(replace(claims[i], hint=hint))
        return out

    def _span(self, claim: Claim) -> Span | None:
        """The span of a figure of a whole occasion's length (catalog ``spans_occasion``): the
        length it gives and the lead, at most the catalog's most days; else None."""
        attr = self.catalog.attributes.get(claim.attribute)
        value = claim.value_high if claim.value_high is not None else claim.value_low
        if attr is None or attr.spans_occasion is None or value is None or claim.scope != "whole":
            return None
        if claim.hint is None or claim.hint.session is not None:
            return None
        lead, most = attr.spans_occasion
        return Span(lead + min(value, most), claim.value_low, claim.value_high)

    def _assign_claim(self, claim: Claim) -> Claim:
        assert claim.hint is not None
        span = self._span(claim)
        event = self.assign(claim.hint, claim.article_id, span)
        if span is not None:
            self._spans[event.event_id].append(span)
        self.places.setdefault(event.event_id, set()).update(claim.hint.places)
        as_of = claim.as_of
        if claim.kind == "fixed":
            as_of = event.occurrence_date or as_of
        return replace(claim, event_id=event.event_id, as_of=as_of)


def _recalls_undated(claim: Claim) -> bool:
    return claim.hint is not None and claim.hint.recalled and claim.hint.occurrence_date is None
