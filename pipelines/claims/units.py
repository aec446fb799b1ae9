"""Units around a number: what it measures and the factor to its stored unit.

"90 minutes", "90-minute", "48h", "20%", "20 per cent", "3 billion dollars", "12 km" after the
number; "$", "US$", "EUR", "Rs" before it; "1 hour and 45 minutes" as one duration; "hour-long"
as one unit said without a number. The vocabulary and conversions are data (`units.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.claims.grammar import load_units
from pipelines.claims.numbers import added_fraction
from pipelines.claims.numerals import Num, read_number
from pipelines.claims.tokens import Tok, low

UNITS = load_units()


@dataclass(frozen=True, slots=True)
class Unit:
    dimension: str
    unit: str | None
    factor: float  # multiply the number by this (minutes for durations)
    j: int  # token after the unit


def _word_unit(t: Tok, toks: Sequence[Tok], j: int, k: int, n: Num) -> Unit | None:
    w = t.low
    if w in UNITS.durations and not (n.needs_unit and w in UNITS.not_after_article):
        return Unit("duration", "minutes", UNITS.durations[w], k + 1)
    if w in UNITS.attached_durations and not t.gap and k == j and n.kind == "digit" and n.suffix is None:
        return Unit("duration", "minutes", UNITS.attached_durations[w], k + 1)
    if n.needs_unit:
        return None  # "an", "half an": only a time unit makes them a number
    percent = UNITS.percent_forms.at(toks, k)
    if percent is not None:
        return Unit("percent", percent[0], 1.0, percent[1])
    if w in UNITS.percent_glued_only and not t.gap:
        return Unit("percent", "percent", 1.0, k + 1)
    if w in UNITS.currency_words:
        return Unit("money", UNITS.currency_words[w], 1.0, k + 1)
    if w in UNITS.currency_codes and t.text.isupper():
        return Unit("money", UNITS.currency_codes[w], 1.0, k + 1)
    if w in UNITS.measures:
        return Unit("other", UNITS.measures[w], 1.0, k + 1)
    return None


def read_unit(toks: Sequence[Tok], j: int, n: Num) -> Unit | None:
    """A unit right after a number: "hours", "-hour", "%", "per cent", "dollars", "km"."""
    if j >= len(toks):
        return None
    k = j
    if toks[k].low in UNITS.added_before_duration and k + 1 < len(toks) and toks[k + 1].low in UNITS.durations:
        k += 1  # "two more days"
    if toks[k].kind == "dash" and not toks[k].gap and k + 1 < len(toks) and not toks[k + 1].gap:
        k += 1  # "90-minute", "24-hour"
    t = toks[k]
    if t.kind == "word":
        unit = _word_unit(t, toks, j, k, n)
        if unit is not None or n.needs_unit:
            return unit
    if t.low in UNITS.percent_symbols:
        return Unit("percent", "percent", 1.0, k + 1)
    return None


def read_compound_duration(toks: Sequence[Tok], j: int, first_factor: float) -> tuple[float, int]:
    """Extra minutes after a duration: "and a half", "(and) 45 minutes"; returns (minutes, end)."""
    added = added_fraction([t.low for t in toks[j : j + 3]], 0)
    if added is not None:
        return added[0] * first_factor, j + added[1]
    k = j + 1 if low(toks, j) == "and" else j
    if k >= len(toks):
        return 0.0, j
    n = read_number(toks, k)
    if n is None or n.kind not in ("digit", "word") or n.needs_unit:
        return 0.0, j
    u = read_unit(toks, n.j, n)
    if u is None or u.dimension != "duration" or u.factor >= first_factor:
        return 0.0, j
    return n.value * u.factor, u.j


def read_currency_before(toks: Sequence[Tok], s: int) -> tuple[str, int] | None:
    """A currency written before the number at token s: "$", "US$", "EUR", "Rs", "Rs.";
    returns (currency code, first token of the mention)."""
    prev = low(toks, s - 1) if s > 0 else ""
    if prev in UNITS.currency_symbols:
        unit, s = UNITS.currency_symbols[prev], s - 1
        if s > 0 and toks[s - 1].kind == "word" and not toks[s].gap:
            dollar = toks[s - 1].low
            if dollar in UNITS.dollar_prefixes and toks[s].low == "$":
                return UNITS.dollar_prefixes[dollar], s - 1
        return unit, s
    if prev in UNITS.currency_codes and toks[s - 1].text.isupper():
        return UNITS.currency_codes[prev], s - 1
    if prev in UNITS.currency_abbreviations:
        return UNITS.currency_abbreviations[prev], s - 1
    if s > 1 and prev == "." and toks[s - 2].low in UNITS.currency_abbreviations:
        return UNITS.currency_abbreviations[toks[s - 2].low], s - 2
    return None


# "hour-long talks", "a day-long truce": one unit, said without a number
_UNIT_LONG = re.compile(
    r"\b(" + "|".join(map(re.escape, UNITS.unit_long)) + r")[-\u2010\u2011]long\b", re.IGNORECASE
)


def unit_long_spans(text: str) -> list[tuple[int, int, int, float]]:
    """Every "hour-long" in text: (start, end, end of the unit word, minutes)."""
    return [
        (m.start(), m.end(), m.end(1), UNITS.durations[m.group(1).lower()]) for m in _UNIT_LONG.finditer(text)
    ]
