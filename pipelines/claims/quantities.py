"""Find quantity mentions in text and turn each into an interval.

A mention is hedge + number(s) + unit: "just under two hours", "24- to 48-hour",
"1,000-for-1,000", "$3 billion", "tens of thousands". The grammar is token based and its
vocabulary is data: `tokens.py` splits the text keeping character offsets, `numerals.py` reads
one number (numbers.yaml) and what surrounds it (mentions.yaml), `units.py` reads units
(units.yaml) and `hedges.py` the hedges with their interval rules (hedges.yaml). This module
puts a mention together, one small reader per part, in the order the words come.

What is skipped (never returned): times of day, dates, ordinals, codes and model or flight
numbers ("Flight 171", "AI171", "Boeing 787-8", "No. 1"), the pronoun and determiner "one"
("one of the", "one side"), bare fractions ("half of the"). Years are returned with
is_year=True and dimension "other" so a caller can use them as dates; magnitudes
("magnitude 7.7") are returned with dimension "other" and unit "magnitude"; ages
("45-year-old") with dimension "other" and unit "age".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.claims.hedges import HEDGES_PATH, apply_hedge, hedge_names, load_grammar, match_before
from pipelines.claims.numerals import (
    MENTIONS,
    Num,
    in_score_list,
    is_date_day,
    is_label_before,
    is_tiebreak,
    is_time_suffix,
    is_year,
    read_number,
    skip_date_tail,
)
from pipelines.claims.tokens import Tok, low, tokenize
from pipelines.claims.units import (
    UNITS,
    Unit,
    read_compound_duration,
    read_currency_before,
    read_unit,
    unit_long_spans,
)

__all__ = ["HEDGES_PATH", "Quantity", "apply_hedge", "find_quantities", "hedge_names", "load_grammar"]


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    num_start: int
    num_end: int
    value_low: float | None
    value_high: float | None
    value: float
    value_to: float | None
    dimension: str
    unit: str | None
    hedge: str
    hedge_text: str | None
    paired: bool
    is_year: bool


@dataclass(slots=True)
class _Mention:
    """A mention being read: the number at token i and what has been read around it so far."""

    text: str
    toks: Sequence[Tok]
    i: int
    n: Num
    s: int  # first token, a currency written before the number included
    j: int  # one past the last token read
    value: float
    num_end: int  # last token of the number(s)
    dimension: str = "count"
    unit: str | None = None
    u: Unit | None = None  # the unit after the (first) number
    factor: float = 1.0
    range_prefix: str | None = None  # "between" / "from", while a range may follow
    inner_hedge: bool = False  # a rounding word stands between the prefix and the number
    change: bool = False  # "rose from 300 to 400": two figures, not a range
    change_opener: str | None = None  # "from" / "by" after a change verb
    change_ratio: float | None = (
        None  # "jumped by 1,200 to 5,209": two figures if the second is this much more
    )
    magnitude: bool = False
    post_hedge: tuple[str, int, int] | None = None  # (canonical, first token, end)
    value_to: float | None = None
    paired: bool = False

    def quantity(
        self, start: int, end: int, lo: float | None, hi: float | None, hedge: str = "exact",
        hedge_text: str | None = None, is_year: bool = False,
    ) -> Quantity:  # fmt: skip
        toks = self.toks
        s, e = toks[start].start, toks[end - 1].end
        return Quantity(
            start=s, end=e, text=self.text[s:e], num_start=toks[self.n.i].start, num_end=toks[self.num_end].end,
            value_low=lo, value_high=hi, value=float(self.value),
            value_to=None if self.value_to is None else float(self.value_to), dimension=self.dimension,
            unit=self.unit, hedge=hedge, hedge_text=hedge_text, paired=self.paired, is_year=is_year,
        )  # fmt: skip

    def words(self, first: int, last: int) -> str:
        """The text from token `first` to token `last`, both included."""
        return self.text[self.toks[first].start : self.toks[last].end]


# Each reader below takes the mention read so far; one that returns an int ends the reading
# there: no quantity, and the scan resumes at that token.

# ---------------------------------------------------------------------------------------------
# Not a quantity at all


def _digits_not_a_quantity(toks: Sequence[Tok], i: int, n: Num) -> int | None:
    if is_label_before(toks, i):
        j = n.j
        if j + 1 < len(toks) and toks[j].kind == "dash" and not toks[j].gap and toks[j + 1].kind == "num":
            j += 2  # "Boeing 787-8"
        return j
    if is_time_suffix(toks, n.j):
        return n.j + 1
    nxt = toks[n.j] if n.j < len(toks) else None
    if nxt is not None and nxt.low == "/" and not nxt.gap and n.j + 1 < len(toks):
        after = toks[n.j + 1]
        if after.kind == "num" and not after.gap:
            return n.j + 2  # "9/11", "24/7", "3/4": dates, slogans, fractions
    if (
        nxt is not None
        and nxt.kind in ("word", "code")
        and not nxt.gap
        and n.j == i + 1
        and read_unit(toks, n.j, n) is None
    ):
        return n.j + 1  # "seat 11A", "1990s", "40C", "7C2216": codes, not figures
    if is_date_day(toks, n):
        return skip_date_tail(toks, n.j)
    if is_tiebreak(toks, i, n.j):
        return n.j
    return None


def _in_one_compound(toks: Sequence[Tok], i: int) -> bool:
    """ "one-on-one talks", "met one on one": the "one" at token i is a word of a compound."""
    return any((found := MENTIONS.one_compounds.at(toks, start)) is not None and found[1] > i
               for start in range(max(0, i - 4), i + 1))


def _is_pronoun_one(toks: Sequence[Tok], i: int, n: Num) -> bool:
    """ "one of the", "one side", "no one", "the one who": a pronoun or determiner, not a count."""
    if n.kind != "word" or toks[i].low != "one" or n.j != i + 1:
        return False
    if _in_one_compound(toks, i):
        return True
    nxt = toks[n.j] if n.j < len(toks) else None
    if nxt is not None and read_unit(toks, n.j, n) is not None or _pair_follows(toks, n):
        return False
    if low(toks, i - 1) == "from" and low(toks, n.j) == "to" and n.j + 1 < len(toks) \
            and read_number(toks, n.j + 1) is not None:
        return False  # "increased from one to four": the first of two figures
    return (
        nxt is None
        or nxt.kind not in ("word", "dash")
        or nxt.low in MENTIONS.one_next_stop
        or low(toks, i - 1) in MENTIONS.one_prev_stop
    )


def _not_a_quantity(toks: Sequence[Tok], i: int, n: Num) -> int | None:
    """Where to resume when the number at token i is a label, date, code, name or pronoun."""
    if n.kind == "digit":
        skip = _digits_not_a_quantity(toks, i, n)
        if skip is not None:
            return skip
    if (
        n.kind == "word"
        and toks[i].text[:1].isupper()
        and i > 0
        and toks[i - 1].kind == "word"
        and n.j < len(toks)
        and toks[n.j].kind == "word"
        and toks[n.j].text[:1].isupper()
        and read_unit(toks, n.j, n) is None
    ):
        return n.j  # "the Three Brotherhood Alliance": part of a name (not "Talks Lasted Two Hours")
    if n.kind == "bare_scale" and not _pair_follows(toks, n):
        return n.j
    if _is_pronoun_one(toks, i, n):
        return n.j
    if n.needs_unit and (
        low(toks, i - 1) in MENTIONS.repetition_words or (i > 0 and toks[i - 1].kind == "num")
    ):
        return n.j  # "once an hour", "twice a day"
    return None


# ---------------------------------------------------------------------------------------------
# Before the number: currency, range opening, magnitude


def _change_opener(toks: Sequence[Tok], s: int) -> str | None:
    """ "rose from (about) 300 to 400", "jumped by 1,200 to 5,209": the opener after a change verb
    before the number (mentions.yaml), or None."""
    hedge = match_before(toks, s)
    p = hedge[1] if hedge is not None else s
    opener = low(toks, p - 1)
    verb = p - 2
    if low(toks, verb).endswith("ly") and low(toks, verb - 1) in MENTIONS.change_verbs:
        verb -= 1  # "rose dramatically from 297 to 631"
    if opener in MENTIONS.change_openers and low(toks, verb) in MENTIONS.change_verbs:
        return opener
    return None


def _read_prefix(m: _Mention) -> None:
    toks = m.toks
    currency = read_currency_before(toks, m.s)
    if currency is not None:
        m.dimension, m.unit = "money", currency[0]
        m.s = currency[1]
    s = m.s
    m.change_opener = _change_opener(toks, s)
    m.change_ratio = MENTIONS.change_openers.get(m.change_opener or "")
    m.change = m.change_ratio == 0
    if s > 0 and toks[s - 1].low in MENTIONS.range_prefixes and not m.change:
        m.range_prefix = toks[s - 1].low
    elif s > 1 and toks[s - 1].low in MENTIONS.range_inner_hedges and toks[s - 2].low in MENTIONS.range_prefixes \
            and not m.change:
        m.range_prefix, m.inner_hedge = toks[s - 2].low, True  # "between about 95 and 101"
    # "magnitude 7.7", "magnitude-7.7", "of magnitude 6", "a magnitude of more than 7"
    p = s - 1
    while p >= 2 and toks[p].low in UNITS.magnitude_hedges:
        p -= 1
    if p >= 1 and toks[p].kind == "dash":
        p -= 1
    if p >= 1 and toks[p].low == "of":
        p -= 1
    m.magnitude = p >= 0 and toks[p].low in UNITS.magnitude_before


# ---------------------------------------------------------------------------------------------
# After the number: a hedge glued to it, its unit, the rest of a compound duration


def _read_tail(m: _Mention) -> int | None:
    toks, n = m.toks, m.n
    tail = load_grammar().before_unit.at(toks, m.j)
    if tail is not None and n.kind in ("digit", "word"):
        m.post_hedge = (tail[0], m.j, tail[1])  # "10,000-plus people", "40-odd years"
        m.j = tail[1]
    u = read_unit(toks, m.j, n)
    if u is None and n.suffix == "m" and m.dimension != "money" and _says_metres(m):
        m.value, u = m.value / 1e6, Unit("other", "m", 1.0, m.j)
    if n.needs_unit and (u is None or u.dimension != "duration"):
        return n.j
    m.u = u
    if u is not None:
        if m.dimension != "money":
            m.dimension, m.unit = u.dimension, u.unit
        m.j, m.factor = u.j, u.factor
    if m.magnitude:
        m.dimension, m.unit = "other", "magnitude"
    m.value *= m.factor
    if m.dimension == "duration" and u is not None:
        _add_compound_duration(m, u.factor)
    return None


def _says_metres(m: _Mention) -> bool:
    """ "50m" without a currency is millions in news copy; metres before a length word ("50m tall"),
    on a number no writer puts millions on ("1,980m") or converting a length ("6,500ft (1,980m)")."""
    toks, i = m.toks, m.i
    if low(toks, m.j) in UNITS.length_words or m.n.value / 1e6 >= UNITS.metres_from:
        return True
    return i >= 2 and toks[i - 1].low == "(" and toks[i - 2].low in UNITS.measures


def _add_compound_duration(m: _Mention, factor: float) -> None:
    """ "1 hour and 45 minutes", "two and a half hours": to the last number read."""
    extra, end = read_compound_duration(m.toks, m.j, factor)
    if end == m.j:
        return
    if m.value_to is None:
        m.value += extra
    else:
        m.value_to += extra
    m.num_end, m.j = end - 1, end


Read = tuple[Quantity | None, int]  # a finished reading: the quantity (or none) and where to resume


def _read_age(m: _Mention) -> Read | None:
    """ "45-year-old", "45 years old", "aged 45"."""
    toks, n, j = m.toks, m.n, m.j
    if m.dimension == "duration" and (
        (j + 1 < len(toks) and toks[j].kind == "dash" and toks[j + 1].low in MENTIONS.age_after)
        or low(toks, j) in MENTIONS.age_after
    ):
        end = j + 2 if toks[j].kind == "dash" else j + 1
        m.value, m.dimension, m.unit, m.num_end = n.value, "other", "age", n.j - 1
        return m.quantity(m.i, end, n.value, n.value), end
    if low(toks, m.i - 1) in MENTIONS.age_before and n.kind in ("digit", "word"):
        m.dimension, m.unit, m.num_end = "other", "age", n.j - 1
        connector = _range_connector(m, n.j)
        n2 = _range_end(m, connector[1]) if connector is not None else None
        if n2 is None or n2.value <= n.value:
            return m.quantity(m.i, n.j, m.value, m.value), n.j
        m.value_to, m.num_end = n2.value, n2.j - 1  # "aged 10-12", "aged 18 to 25"
        return m.quantity(m.i, n2.j, m.value, n2.value, hedge="range"), n2.j
    return None


# ---------------------------------------------------------------------------------------------
# Ranges: "24 to 48", "24- to 48-hour", "between $3 and $4 billion", "10-12", "two or three"


def _range_connector(m: _Mention, k: int) -> tuple[str, int, bool] | None:
    """The connector at or after token k if it may join a range here: (word, index, dash-glued)."""
    toks, n = m.toks, m.n
    dash_glued = k < len(toks) and toks[k].kind == "dash" and not toks[k].gap and low(toks, k + 1) == "to"
    if dash_glued:
        k += 1  # "24- to 48-hour"
    c = low(toks, k)
    conn = MENTIONS.range_connectors.get(c)
    if conn is None or k + 1 >= len(toks) or n.kind not in ("digit", "word") or m.change:
        return None
    nxt = toks[k + 1]
    if conn.digits and not (n.kind == "digit" and nxt.kind == "num"):
        return None
    if conn.digits and nxt.gap and not toks[k].gap:
        return None  # "10 -5" is a minus sign
    if conn.prefix is not None and m.range_prefix != conn.prefix:
        return None
    return c, k, dash_glued


def _range_end(m: _Mention, k: int) -> Num | None:
    """The number after the connector; a currency may repeat: "between $3 and $4 billion"."""
    toks = m.toks
    k2 = k + 1
    if m.range_prefix and k2 + 1 < len(toks) and toks[k2].low in MENTIONS.range_inner_hedges:
        k2 += 1  # "between 95 and about 101"
    if m.dimension == "money" and toks[k2].low in UNITS.currency_symbols:
        k2 += 1
    n2 = read_number(toks, k2) if k2 < len(toks) else None
    if n2 is None or n2.kind not in ("digit", "word") or n2.needs_unit:
        return None
    return n2


def _range_factor(m: _Mention, n2: Num, u2: Unit | None) -> float:
    """The factor of the high end; the unit of the high end may serve both: "3 to 4 hours"."""
    f2 = u2.factor if u2 is not None and u2.dimension == m.dimension else None
    if (
        m.u is None
        and u2 is not None
        and (m.dimension == "count" or (m.dimension == "money" and u2.dimension == "money"))
    ):
        if m.dimension == "count":
            m.dimension, m.unit = u2.dimension, u2.unit
        f2 = u2.factor
        m.value = m.n.value * f2
    factor = f2 if f2 is not None else m.factor
    if m.n.scale == 1.0 and n2.scale > 1.0 and m.n.value * n2.scale < n2.value:
        # "3 to 4 million", "between $3 and $4 billion": the scale word serves both ends.
        m.value = m.n.value * n2.scale * factor
    return factor


def _read_range(m: _Mention) -> Read | None:
    n = m.n
    connector = _range_connector(m, m.j if m.u is not None else n.j)
    n2 = _range_end(m, connector[1]) if connector is not None else None
    if connector is None or n2 is None:
        m.range_prefix = None
        return None
    c, _, dash_glued = connector
    u2 = read_unit(m.toks, n2.j, n2)
    v2 = n2.value * _range_factor(m, n2, u2)
    y2 = n2.value + (n.value // 100) * 100 if n2.value < 100 else n2.value
    if c == "-" and n.kind == "digit" and y2 > n.value and is_year(m.toks, n):
        # "2014-15", "2014-2022": a span of years, flagged like a single year ("2023-06" is none).
        m.value, m.value_to, m.dimension, m.unit, m.num_end = n.value, y2, "other", None, n2.j - 1
        return m.quantity(m.i, n2.j, n.value, y2, hedge="range", is_year=True), n2.j
    if c == "-" and n.kind == "digit" and n2.value < n.value and not dash_glued:
        return None, n2.j  # "787-8", "3-1": model numbers, scores
    if c == "-" and n.kind == "digit" and in_score_list(m.toks, m.i, n2.j):
        return None, n2.j  # "won 7-6, 1-6, 7-6": scores
    if m.change_ratio is not None and v2 > m.change_ratio * m.value:
        m.range_prefix = None
        return None  # "jumped by 1,200 to 5,209": the rise, then the new figure
    ratio = MENTIONS.range_connectors[c].max_ratio if c in MENTIONS.range_connectors else None
    if v2 > m.value and not (ratio is not None and v2 > ratio * max(m.value, 1)):
        m.value_to, m.num_end = v2, n2.j - 1
        if m.inner_hedge:
            m.s -= 1  # the rounding word is inside the range: the prefix opens it
        m.j = u2.j if u2 is not None else n2.j
        if u2 is not None and u2.dimension == "duration":
            _add_compound_duration(m, u2.factor)
    else:
        m.range_prefix = None
    return None


def _read_year(m: _Mention) -> Read | None:
    """A bare year ("in 2019", "May 16, 2025"), returned flagged so that callers can date with it."""
    n = m.n
    if (
        n.kind != "digit"
        or m.u is not None
        or m.dimension != "count"
        or m.value_to is not None
        or m.magnitude
    ):
        return None
    if not is_year(m.toks, n):
        return None
    m.value, m.dimension, m.num_end = n.value, "other", n.j - 1
    return m.quantity(m.i, n.j, n.value, n.value, is_year=True), n.j


# ---------------------------------------------------------------------------------------------
# Paired forms: "1,000 for 1,000", "1,000-for-1,000", "390 prisoners for 390 prisoners", "500 each"


def _pair_follows(toks: Sequence[Tok], n: Num) -> bool:
    return _pair_end(toks, n, n.j) is not None


def _pair_end(toks: Sequence[Tok], n: Num, j: int) -> int | None:
    """End of "X for X" / "X-for-X" / "X prisoners for X" right after the first number."""
    word = MENTIONS.pair_word
    k = j
    if k < len(toks) and toks[k].kind == "dash" and not toks[k].gap:
        k += 1
    noun = None
    if (
        low(toks, k) != word
        and k < len(toks)
        and toks[k].kind == "word"
        and toks[k].low not in UNITS.durations
    ):
        noun = toks[k].low
        k += 1
    if low(toks, k) != word:
        return None
    k += 1
    if k < len(toks) and toks[k].kind == "dash" and not toks[k].gap:
        k += 1
    if k >= len(toks):
        return None
    n2 = read_number(toks, k)
    if n2 is None or n2.value != n.value or n2.kind not in ("digit", "word", "bare_scale"):
        return None
    end = n2.j
    if noun is not None and low(toks, end) == noun:
        end += 1
    return end


def _read_pair(m: _Mention) -> Read | None:
    if m.value_to is not None:
        return None
    end = _pair_end(m.toks, m.n, m.j if m.u is not None else m.n.j)
    if end is None:
        after = MENTIONS.pair_after.at(m.toks, m.j)
        end = after[1] if after is not None else None
    if end is not None:
        m.paired, m.j = True, end
    elif m.n.kind == "bare_scale":
        return None, m.n.j  # "thousand" alone is a figure only in "thousand-for-thousand"
    return None


# ---------------------------------------------------------------------------------------------
# Hedges and the interval


def _read_post_hedge(m: _Mention) -> None:
    """A hedge after the unit: "two hours or so", "1,000 or more"."""
    if m.post_hedge is None and m.value_to is None:
        after = load_grammar().after.at(m.toks, m.j)
        if after is not None:
            m.post_hedge = (after[0], m.j, after[1])
            m.j = after[1]


def _read_hedge(m: _Mention) -> tuple[str, str | None, int, bool] | int:
    """The mention's hedge: (canonical, its words, first token, written before the number); or
    where to resume when a hedge shows a lone "one" is no figure ("under one agreement")."""
    toks, n = m.toks, m.n
    start = m.s - 1 if m.range_prefix else m.s
    pre = match_before(toks, start)
    lone_one = n.kind == "word" and toks[m.i].low == "one" and n.j == m.i + 1 and m.dimension == "count"
    if lone_one and (pre is not None or m.post_hedge is not None):
        return m.j  # "under one agreement", "more than one": not a figure
    if pre is None and m.range_prefix:
        pre = match_before(toks, m.s)
    hedge, hedge_text = "exact", None
    if n.kind in ("vague", "multiplier"):
        hedge = n.hedge or "exact"
        hedge_text = m.words(n.i, n.j - 1) if n.kind == "vague" else None
    if pre is not None:
        return pre[0], m.words(pre[1], start - 1), pre[1], True
    if m.post_hedge is not None:
        hedge, hedge_text = m.post_hedge[0], m.words(m.post_hedge[1], m.post_hedge[2] - 1)
    elif m.value_to is not None:
        hedge = "range"
    return hedge, hedge_text, start, False


def _finish(m: _Mention) -> Read:
    hedged = _read_hedge(m)
    if isinstance(hedged, int):
        return None, hedged
    hedge, hedge_text, start, before = hedged
    n = m.n
    if n.kind == "multiplier" and n.hedge:
        m.value_to = n.high * m.factor if n.high is not None else None
        if not before:
            hedge, hedge_text = n.hedge, m.words(n.i, n.hedge_j - 1)
    # Durations step by one minute, which is too coarse below two minutes ("less than a minute").
    integer = (
        m.dimension in ("count", "duration")
        and not (m.dimension == "duration" and m.value < 2)
        and float(m.value).is_integer()
        and (m.value_to is None or float(m.value_to).is_integer())
    )
    lo, hi = apply_hedge(hedge, m.value, m.value_to, integer)
    if m.dimension == "count" and m.change_opener in MENTIONS.change_amounts:
        m.dimension = "change"  # "the toll rose by 40": how much it rose, not a count of anything
    return m.quantity(start, m.j, lo, hi, hedge, hedge_text), m.j


# ---------------------------------------------------------------------------------------------
# The scanner


def _match_at(text: str, toks: Sequence[Tok], i: int) -> Read:
    if toks[i].kind in ("date", "time", "code", "ord"):
        return None, i + 1
    n = read_number(toks, i)
    if n is None:
        return None, i + 1
    skip = _not_a_quantity(toks, i, n)
    if skip is not None:
        return None, skip
    m = _Mention(text, toks, i, n, s=i, j=n.j, value=n.value, num_end=n.j - 1)
    if n.kind == "share":
        m.dimension, m.unit = "share", "fraction"
    _read_prefix(m)
    skip = _read_tail(m)
    if skip is not None:
        return None, skip
    for reader in (_read_age, _read_range, _read_year, _read_pair):
        done = reader(m)
        if done is not None:
            return done
    _read_post_hedge(m)
    return _finish(m)


MARKUP_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,400})?/?>")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity mention in `text`, in order, with its hedged interval.

    Durations are converted to minutes (unit "minutes"); years come back with is_year=True;
    dates, times of day, ordinals, codes and pronoun "one" are not returned.
    """
    # markup a page left in its text ('<span style="color: rgb(0, 0, 0);">') holds no figures and
    # no hedge ('>Two' is not "more than two"); blanked to the same length, offsets stay the text's
    text = MARKUP_TAG.sub(lambda m: " " * len(m.group()), text)
    toks = tokenize(text)
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        q, nxt = _match_at(text, toks, i)
        if q is not None:
            out.append(q)
        i = max(nxt, i + 1)
    return sorted(out + _unit_long(text, out), key=lambda q: q.start)


def _unit_long(text: str, found: Sequence[Quantity]) -> list[Quantity]:
    """ "hour-long talks", "a day-long truce": one unit, said without a number."""
    out = []
    for start, end, unit_end, minutes in unit_long_spans(text):
        if any(q.start < end and start < q.end for q in found):
            continue  # "two-hour-long" is already read with its number
        out.append(Quantity(
            start=start, end=end, text=text[start:end], num_start=start, num_end=unit_end,
            value_low=minutes, value_high=minutes, value=1.0, value_to=None, dimension="duration",
            unit="minutes", hedge="exact", hedge_text=None, paired=False, is_year=False,
        ))  # fmt: skip
    return out
