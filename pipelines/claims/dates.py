"""Which day a date expression means, relative to the article's publication time.

dateparser does the calendar work; it is only given spans already known to be dates (spaCy DATE
entities and datelines), because its free-text search misreads things like "48-hour" as 1948.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from spacy.tokens import Span, Token

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]
_MONTH_RE = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?", re.I)
_DAY_NUM_RE = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")s?\b", re.I)
# Spans that name a stretch of time, not a day: "the past 24 hours", "three years", "decades".
_DURATION_RE = re.compile(
    r"\b(hours?|minutes?|days|weeks|months|years|decades?|centur(y|ies)|seconds?)\b|\bdays?\s+(of|after|before)\b",
    re.I,
)
_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "earlier in the day": 0, "later in the day": 0, "later today": 0,
    "yesterday": -1, "last night": -1, "overnight": 0, "the day before": -1, "the previous day": -1,
}


@dataclass(frozen=True)
class ResolvedDate:
    day: date
    precision: str  # day | month | year | monthday (a day whose year is unknown: day.year is 1900)

    def same_period(self, other: date, window_days: int = 0) -> bool:
        if self.precision == "day":
            return abs((self.day - other).days) <= window_days
        if self.precision == "month":
            return (self.day.year, self.day.month) == (other.year, other.month)
        return self.day.year == other.year


def _base_date(published: datetime | date | None) -> date | None:
    if published is None:
        return None
    return published.date() if isinstance(published, datetime) else published


def resolve(span: str, published: datetime | date | None) -> ResolvedDate | None:
    """The day (or month/year) a date expression refers to, or None if it is not one."""
    text = " ".join(span.split()).strip(" ,.;()")
    low = text.lower()
    if not low or _DURATION_RE.search(low) and not _MONTH_RE.search(low):
        return None
    base = _base_date(published)
    for phrase, offset in _RELATIVE_DAYS.items():
        if phrase in low:
            return ResolvedDate(base + timedelta(days=offset), "day") if base else None
    has_month = bool(_MONTH_RE.search(low))
    has_year = bool(_YEAR_RE.search(low))
    day_match = _DAY_NUM_RE.search(_YEAR_RE.sub(" ", low)) if has_month else None
    weekday = _WEEKDAY_RE.search(low)
    if weekday and not (has_month and day_match):
        if base is None:
            return None
        target = WEEKDAYS.index(weekday.group(1).lower())
        forward = low.startswith("next") or "coming" in low
        delta = (target - base.weekday()) % 7 if forward else -((base.weekday() - target) % 7)
        return ResolvedDate(base + timedelta(days=delta), "day")
    if not has_month and not has_year:
        if re.search(r"\blast (week|weekend)\b", low) and base:
            return ResolvedDate(base - timedelta(days=7), "day")
        if "last month" in low and base:
            prev = base.replace(day=1) - timedelta(days=1)
            return ResolvedDate(prev.replace(day=1), "month")
        if "last year" in low and base:
            return ResolvedDate(date(base.year - 1, 1, 1), "year")
        return None
    if base is None and not has_year:
        # "May 16" in an undated article: the day is known, the year is not
        if has_month and day_match:
            parsed_md = dateparser.parse(_MONTH_RE.search(low).group(0) + " " + day_match.group(1) + " 1900",  # type: ignore[union-attr]
                                         languages=["en"])
            return ResolvedDate(parsed_md.date(), "monthday") if parsed_md else None
        return None
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    cleaned = re.sub(r"\b(on|in|of|since|by|until|from|the|early|late|mid|last|this)\b", " ", low)
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if has_month and day_match:
        day = parsed.date()
        if weekday and not has_year:
            day = year_of_weekday(day, WEEKDAYS.index(weekday.group(1).lower()), base)
        return ResolvedDate(day, "day")
    if has_month:
        return ResolvedDate(parsed.date().replace(day=1), "month")
    return ResolvedDate(date(parsed.year, 1, 1), "year")


# How far from the base a weekday may move a day of the month into another year.
WEEKDAY_YEAR_WINDOW_DAYS = 31


def year_of_weekday(day: date, weekday: int, base: date | None) -> date:
    """"Sunday, March 5" without a year, read in the year before the base: when March 5 falls on a
    Sunday in a year that puts it within a month of the base, that year. A base that was only
    guessed (an undated article dated by its occurrence) otherwise sends the days just after it into
    the year before. A weekday far from the base ("Wednesday (July 23)" in May) changes nothing."""
    if base is None or day.weekday() == weekday:
        return day
    for year in (day.year + 1, day.year - 1):
        try:
            other = day.replace(year=year)
        except ValueError:  # 29 February
            continue
        if other.weekday() == weekday and abs((other - base).days) <= WEEKDAY_YEAR_WINDOW_DAYS:
            return other
    return day


_DATELINE_RE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z .'-]{1,40},\s*)?(?:[A-Z][a-z]+,\s*)?"
    r"((?:" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+(?:"
    + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?(?:\s+\d{4})?|\d{4}-\d{2}-\d{2})",
    re.I,
)


def dateline(text: str, published: datetime | date | None) -> ResolvedDate | None:
    """A dateline at the top of a wire story: "ISTANBUL, May 16 (Wire) -" or "date 2025-07-24"."""
    head = text.lstrip()[:120]
    head = re.sub(r"^date\s+", "", head, flags=re.I)
    match = _DATELINE_RE.match(head)
    if not match:
        return None
    span = match.group(1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", span):
        return ResolvedDate(date.fromisoformat(span), "day")
    return resolve(span, published)


RECALL_RE = re.compile(
    r"\b(last|previous|earlier|prior|preceding|past)\s+(month|week|year|rounds?|meetings?|sessions?|talks|"
    r"negotiations|encounters?|summits?|exchanges?|swaps?|deals?|agreements?|truces?|ceasefires?)\b"
    r"|\blast (month|week|year)'s\b|\b(earlier|previous) (this|that) (month|year)\b",
    re.I,
)


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7}


ROUND_RE = re.compile(r"\b(" + "|".join(ORDINALS) + r")\s+(?:round|meeting|session|sitting)\b", re.I)


def date_attachment(ent: Span) -> Token:
    """The word a date expression hangs from, past its own pieces: "By Sunday night" splits into
    "Sunday" (a compound of "night") and "night" (the object of "by"); both hang from the verb."""
    tok = ent.root
    for _ in range(4):
        if tok.dep_ in {"compound", "amod", "nummod", "npadvmod"} and tok.head.ent_type_ in {"DATE", "TIME"}:
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            return tok.head.head
        else:
            break
    return tok.head


def date_phrase(ent: Span, sentence: Span) -> str:
    """The date words around a piece of a date ("Sunday" + "night" -> "Sunday night")."""
    start, end = ent.start, ent.end
    while start > sentence.start and sentence.doc[start - 1].ent_type_ in {"DATE", "TIME"}:
        start -= 1
    while end < sentence.end and sentence.doc[end].ent_type_ in {"DATE", "TIME"}:
        end += 1
    return sentence.doc[start:end].text


NOT_OCCURRENCE_PREPOSITIONS = {"since", "until", "till", "before", "by"}


def bounds_a_span(ent: Span) -> bool:
    """The date is where a span of time starts or ends, not when something happened: in a "since
    ...", "until ..." or "by ..." phrase ("the 69 released since Friday"), or in a clause such a
    word introduces ("since the truce began on Friday")."""
    if time_limit(ent, {}) is not None:
        return True
    tok = ent.root
    for _ in range(5):
        if tok.pos_ in {"VERB", "AUX"}:
            return any(c.dep_ == "mark" and c.lower_ in NOT_OCCURRENCE_PREPOSITIONS for c in tok.children)
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def time_limit(ent: Span, stop: dict[int, int], anchor: Token | None = None) -> str | None:
    """The preposition when the date sits in a "since ...", "until ..." or "by ..." phrase ("the
    first since the spring of 2022"), unless the figure itself is inside that phrase ("since an
    explosion in August 2023 killed 30")."""
    tok = ent.root
    for _ in range(5):
        if tok.dep_ == "prep" and tok.lower_ in NOT_OCCURRENCE_PREPOSITIONS:
            if anchor is not None and any(t.i == anchor.i for t in tok.subtree):
                return None
            return tok.lower_
        if tok.i in stop or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None
