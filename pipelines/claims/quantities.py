"""Find quantity mentions in text and turn each into an interval.

A mention is hedge + number(s) + unit: "just under two hours", "24- to 48-hour",
"1,000-for-1,000", "$3 billion", "tens of thousands". The grammar is token based: a regex
tokenizer keeps character offsets, `numbers.py` reads digits and number words, and the hedge
vocabulary with its interval rules is data (`hedges.yaml`).

What is skipped (never returned): times of day, dates, ordinals, codes and model or flight
numbers ("Flight 171", "AI171", "Boeing 787-8", "No. 1"), the pronoun and determiner "one"
("one of the", "one side"), bare fractions ("half of the"). Years are returned with
is_year=True and dimension "other" so a caller can use them as dates; magnitudes
("magnitude 7.7") are returned with dimension "other" and unit "magnitude"; ages
("45-year-old") with dimension "other" and unit "age".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.claims.numbers import SCALES, parse_digits, read_words

HEDGES_PATH = Path(__file__).with_name("hedges.yaml")


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


# ---------------------------------------------------------------------------------------------
# Tokens

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_TOKEN = re.compile(
    r"(?P<date>\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d))"
    r"|(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?!\d))"
    # Codes: AI171, MH17, G7, A320, M7.7, F-16, Su-25, Covid-19 (hyphen only: "Russia\u2013500"
    # with an en dash is a word and a number).
    r"|(?P<code>[^\W\d_]+\d+(?:\.\d+)?[^\W_]*|[A-Z][A-Za-z]{0,5}[-\u2011]\d+[^\W_]*)"
    r"|(?P<ord>\d+(?:st|nd|rd|th)(?![^\W_]))"
    r"|(?P<num>(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?!\d)|\d+)"
    r"(?:\.\d+)?|(?<![\d.])\.\d+)[½¼¾⅓⅔]?(?:(?:k|K|m|bn|mn|mln|b|tn)(?![^\W\d_]))?|[½¼¾⅓⅔])"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)?)"
    r"|(?P<dash>[" + _DASHES + r"])"
    r"|(?P<sym>\S)"
)


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    kind: str
    gap: bool  # whitespace (or start of text) right before this token


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = -1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "sym"
        s = m.group(0)
        low = "-" if kind == "dash" else s.lower().replace("\u2019", "'")
        toks.append(_Tok(s, low, m.start(), m.end(), kind, m.start() != prev_end))
        prev_end = m.end()
    return toks


# ---------------------------------------------------------------------------------------------
# Hedge grammar (hedges.yaml)


@dataclass(frozen=True)
class _Bound:
    rel: float
    steps: float = 0.0
    min_gap: float = 0.0


@dataclass(frozen=True)
class _Grammar:
    rules: dict[str, tuple[_Bound | None, _Bound | None]]
    before: dict[tuple[str, ...], str]
    after: dict[tuple[str, ...], str]
    vague: dict[tuple[str, ...], tuple[str, float]]
    multipliers: dict[tuple[str, ...], tuple[str, float, float]]


def _surface(form: str) -> tuple[str, ...]:
    return tuple(t.low for t in _tokenize(str(form)))


def _bound(spec: dict | None) -> _Bound | None:
    if spec is None:
        return None
    return _Bound(float(spec.get("rel", 1.0)), float(spec.get("steps", 0)), float(spec.get("min_gap", 0)))


@lru_cache(maxsize=4)
def load_grammar(path: Path = HEDGES_PATH) -> _Grammar:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules: dict[str, tuple[_Bound | None, _Bound | None]] = {}
    before: dict[tuple[str, ...], str] = {}
    after: dict[tuple[str, ...], str] = {}
    for name, spec in data["hedges"].items():
        rules[name] = (_bound(spec.get("low")), _bound(spec.get("high")))
        for form in spec.get("before") or []:
            before[_surface(form)] = name
        for form in spec.get("after") or []:
            after[_surface(form)] = name
    vague: dict[tuple[str, ...], tuple[str, float]] = {}
    for name, spec in (data.get("vague") or {}).items():
        rules[name] = (_Bound(1.0), None)
        for form in spec["forms"]:
            vague[_surface(form)] = (name, float(spec["value"]))
    multipliers: dict[tuple[str, ...], tuple[str, float, float]] = {}
    for name, spec in (data.get("multipliers") or {}).items():
        rules[name] = (_Bound(1.0), _Bound(1.0))
        for form in spec["forms"]:
            multipliers[_surface(form)] = (name, float(spec["low"]), float(spec["high"]))
    return _Grammar(rules, before, after, vague, multipliers)


def hedge_names() -> list[str]:
    return list(load_grammar().rules)


def apply_hedge(
    hedge: str, low: float, high: float | None = None, integer: bool = True
) -> tuple[float | None, float | None]:
    """The interval that `hedge` makes of the stated number `low` (or stated range low..high).

    integer=True: steps are 1 and bounds are rounded inwards (counts, minutes); otherwise steps
    are 0 and an open bound ("more than 2.5%") is approximated by the closed one.
    """
    rules = load_grammar().rules
    if hedge not in rules:
        raise ValueError(f"unknown hedge {hedge!r}; known: {sorted(rules)}")
    lo_rule, hi_rule = rules[hedge]
    step = 1.0 if integer else 0.0
    x_hi = high if high is not None else low

    lo: float | None = None
    hi: float | None = None
    if lo_rule is not None:
        lo = low * lo_rule.rel + lo_rule.steps * step
        if lo_rule.min_gap:
            lo = min(lo, low - lo_rule.min_gap * step)
    if hi_rule is not None:
        hi = x_hi * hi_rule.rel + hi_rule.steps * step
        if hi_rule.min_gap:
            hi = max(hi, x_hi + hi_rule.min_gap * step)
    if integer:
        lo = None if lo is None else float(math.ceil(lo - 1e-9))
        hi = None if hi is None else float(math.floor(hi + 1e-9))
    else:
        # 12 significant digits: keeps "about $3bn" from ending in ...0000005
        lo = None if lo is None else float(f"{lo:.12g}")
        hi = None if hi is None else float(f"{hi:.12g}")
    if lo is not None and hi is not None and lo > hi:
        # Tiny numbers: "just under 1" cannot keep both rules; keep the upper one.
        lo = hi
    return lo, hi


# ---------------------------------------------------------------------------------------------
# Vocabulary

_MINUTES: dict[str, float] = {}
for _names, _factor in (
    (("second", "seconds", "sec", "secs"), 1 / 60),
    (("minute", "minutes", "min", "mins"), 1.0),
    (("hour", "hours", "hr", "hrs"), 60.0),
    (("day", "days"), 1440.0),
    (("week", "weeks"), 10080.0),
    (("fortnight", "fortnights"), 20160.0),
    (("month", "months"), 43200.0),  # 30 days
    (("year", "years"), 525600.0),  # 365 days
    (("decade", "decades"), 5256000.0),
):
    for _n in _names:
        _MINUTES[_n] = _factor
_ATTACHED_ONLY_UNITS = {"h": 60.0, "m": 1.0}  # "48h", "90m": only glued to the number

_MEASURES: dict[str, str] = {
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "mile": "mile", "miles": "mile", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilogrammes": "kg", "tonne": "tonne",
    "tonnes": "tonne", "ton": "tonne", "tons": "tonne", "feet": "ft", "foot": "ft", "ft": "ft",
    "acre": "acre", "acres": "acre", "hectare": "hectare", "hectares": "hectare",
    "degree": "degree", "degrees": "degree", "mph": "mph", "kph": "km/h", "knots": "knot",
    "litres": "litre", "liters": "litre", "barrels": "barrel", "megawatts": "MW", "mw": "MW",
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB", "₹": "INR"}
_CURRENCY_CODES = {c.lower(): c for c in ("USD", "EUR", "GBP", "UAH", "RUB", "CNY", "JPY", "INR", "CHF")}
_CURRENCY_ABBREVIATIONS = {"rs": "INR"}  # written before the number, any case
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pounds": "GBP",
    "sterling": "GBP", "hryvnia": "UAH", "hryvnias": "UAH", "hryvnias'": "UAH", "rouble": "RUB",
    "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "yuan": "CNY", "yen": "JPY",
    "rupee": "INR", "rupees": "INR", "francs": "CHF",
}  # fmt: skip
_DOLLAR_PREFIXES = {"us": "USD", "a": "AUD", "c": "CAD", "hk": "HKD", "nz": "NZD", "s": "SGD"}
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
_TIME_WORDS = {"am", "pm", "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "est", "edt", "pst",
               "pdt", "ist", "msk", "o'clock"}  # fmt: skip
# Words after which a number is a label, not a quantity ("Flight 171", "Resolution 2334").
_LABELS = {
    "flight", "flights", "boeing", "airbus", "embraer", "article", "articles", "resolution",
    "section", "chapter", "route", "highway", "gate", "platform", "room", "page", "paragraph",
    "clause", "apollo", "model", "version", "level", "category", "stage", "phase", "round",
    "annex", "protocol", "item", "rule", "code", "tier", "grade", "vol", "volume", "episode",
    "season", "terminal", "runway", "channel", "bus", "train", "sector", "zone", "decree",
    "iphone", "windows", "nos", "cat", "ward", "bloc", "block", "unit",
}  # fmt: skip
_CAPITAL_LABELS = {"no", "day", "number", "part", "act", "bill", "line", "order", "minsk"}
_YEAR_PREPS = {"in", "since", "by", "until", "till", "during", "before", "after", "early",
               "late", "mid", "year", "summer", "winter", "spring", "autumn", "fall", "around",
               "through", "between"}  # fmt: skip
_COUNT_NOUNS = {
    "people", "men", "women", "children", "police", "staff", "personnel", "troops", "civilians",
    "prisoners", "soldiers", "bodies", "dead", "killed", "injured", "wounded", "missing",
    "homes", "houses", "buildings", "residents", "passengers", "crew", "deaths", "cases",
    "refugees", "migrants", "workers", "jobs", "votes", "voters", "students", "troop",
}  # fmt: skip
_NOT_PLURAL = {"was", "has", "is", "its", "his", "this", "thus", "as", "does", "says", "us",
               "years", "yes", "whereas", "less", "news", "across", "plus", "towards", "always"}  # fmt: skip
# "one" is a number only when it counts something; these contexts make it a pronoun or
# determiner ("one of the", "one side", "no one", "the one who").
_ONE_NEXT_STOP = {
    "of", "side", "another", "who", "that", "which", "is", "was", "has", "had", "would",
    "could", "can", "will", "may", "might", "must", "should", "does", "did", "the", "a", "an",
    "by", "in", "on", "at", "to", "for", "and", "or", "but", "thing", "way", "point", "hand",
    "more", "such", "reason", "time", "day", "another's", "else", "says", "said", "after",
    "from", "with", "as", "than", "it", "he", "she", "they", "we", "i", "you", "party",
    "direction", "question", "issue", "option", "sense",
}  # fmt: skip
_ONE_PREV_STOP = {"the", "this", "that", "which", "each", "every", "any", "no", "some", "another",
                  "only", "as", "at", "one", "anyone", "someone", "everyone", "from", "last",
                  "first", "next", "other", "single", "that's", "a"}  # fmt: skip
_CHANGE_VERBS = {
    "rose", "risen", "rising", "rises", "rise", "increased", "increase", "increases", "increasing",
    "climbed", "climbing", "climbs", "jumped", "jumps", "fell", "fallen", "falls", "falling",
    "dropped", "drops", "dropping", "decreased", "declined", "grew", "grown", "growing", "up",
    "down", "revised", "raised", "lowered", "cut", "reduced", "soared", "surged", "doubled",
    "changed", "went", "moved", "shifted", "updated", "corrected", "extended", "shortened",
}  # fmt: skip
_PAIR_AFTER = {("each",), ("apiece",), ("per", "side"), ("a", "side"), ("-", "a", "-", "side"),
               ("on", "each", "side"), ("for", "each", "side"), ("each", "way")}  # fmt: skip
_NOT_A_NUMBER_START = {"and", "of", "-"}
# South Asian copy: "Rs 2 lakh", "Rs 1 crore".
_REGIONAL_SCALES = {"lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}


# ---------------------------------------------------------------------------------------------
# Reading numbers from tokens


@dataclass(frozen=True)
class _Num:
    value: float
    i: int  # first token
    j: int  # one past the last token
    kind: str  # digit | word | vague | multiplier | bare_scale
    needs_unit: bool = False
    suffix: str | None = None
    hedge: str | None = None  # vague/multiplier canonical hedge
    high: float | None = None  # multiplier upper end
    plain_int: bool = False  # bare digits: may be a year, a day of month, a time
    hedge_j: int = 0  # multipliers: one past the last token of "several" / "a few"
    scale: float = 1.0  # the scale word that ends the number ("4 billion"), shared by a range


def _word_window(toks: Sequence[_Tok], i: int, limit: int = 16) -> tuple[list[str], list[int]]:
    """Lowercase words from toks[i], joining "twenty-four" style hyphens; with token indexes."""
    ws: list[str] = []
    idx: list[int] = []
    k = i
    while k < len(toks) and len(ws) < limit:
        t = toks[k]
        if t.kind == "word":
            ws.append(t.low)
            idx.append(k)
            k += 1
        elif (
            t.kind == "dash"
            and ws
            and not t.gap
            and k + 1 < len(toks)
            and toks[k + 1].kind == "word"
            and not toks[k + 1].gap
        ):
            k += 1
        else:
            break
    return ws, idx


def _match_seq(words: Sequence[str], table: Mapping[tuple[str, ...], object]) -> tuple[str, ...] | None:
    best = None
    for form in table:
        n = len(form)
        if tuple(words[:n]) == form and (best is None or n > len(best)):
            best = form
    return best


def _read_number(toks: Sequence[_Tok], i: int) -> _Num | None:
    t = toks[i]
    g = load_grammar()
    if t.kind == "num":
        parsed = parse_digits(t.text)
        if parsed is None:
            return None
        value, suffix = parsed
        j = i + 1
        plain = t.text.isdigit()
        scale = 1.0
        if suffix is None and j < len(toks) and toks[j].kind == "word":
            w = toks[j].low
            if w in SCALES:
                scale = SCALES[w]
            elif w in _REGIONAL_SCALES:
                scale = _REGIONAL_SCALES[w]
            elif w in ("bn", "mln", "mn", "tn") and toks[j].gap:
                scale = {"bn": 1e9, "mln": 1e6, "mn": 1e6, "tn": 1e12}[w]
            if scale != 1.0:
                value *= scale
                j += 1
                plain = False
        if j + 2 < len(toks) and [x.low for x in toks[j : j + 3]] == ["and", "a", "half"]:
            value += 0.5
            j += 3
            plain = False
        return _Num(value, i, j, "digit", suffix=suffix, plain_int=plain, scale=scale)
    if t.kind != "word" or t.low in _NOT_A_NUMBER_START:
        return None
    ws, idx = _word_window(toks, i)
    form = _match_seq(ws, g.vague)
    if form is not None:
        name, value = g.vague[form]
        return _Num(value, i, idx[len(form) - 1] + 1, "vague", hedge=name)
    form = _match_seq(ws, g.multipliers)
    if form is not None and len(ws) > len(form):
        name, lo, hi = g.multipliers[form]
        nxt = ws[len(form)]
        end = idx[len(form) - 1] + 1
        if nxt in SCALES:
            s = SCALES[nxt]
            return _Num(lo * s, i, end + 1, "multiplier", hedge=name, high=hi * s, hedge_j=end)
        if nxt == "dozen":
            return _Num(lo * 12, i, end + 1, "multiplier", hedge=name, high=hi * 12, hedge_j=end)
        if nxt in _MINUTES:
            return _Num(lo, i, end, "multiplier", hedge=name, high=hi, hedge_j=end)
    got = read_words(ws, 0)
    if got is None:
        return None
    value, k, needs_unit = got
    kind = "bare_scale" if k == 1 and ws[0] in SCALES else "word"
    scale = SCALES.get(ws[k - 1], 1.0) if k > 1 else 1.0
    return _Num(value, i, idx[k - 1] + 1, kind, needs_unit=needs_unit, scale=scale)


# ---------------------------------------------------------------------------------------------
# Context helpers


def _low(toks: Sequence[_Tok], k: int) -> str:
    return toks[k].low if 0 <= k < len(toks) else ""


def _is_time_suffix(toks: Sequence[_Tok], j: int) -> bool:
    if j >= len(toks):
        return False
    if toks[j].low in _TIME_WORDS:
        return True
    # "a.m." / "p.m." arrive as letter, dot, letter.
    letters = ""
    k = j
    while k < len(toks) and k < j + 4 and (k == j or not toks[k].gap):
        if toks[k].kind == "word":
            letters += toks[k].low
        elif toks[k].low != ".":
            break
        k += 1
    return letters in ("am", "pm") and j + 2 < len(toks) and toks[j + 1].low == "."


def _is_month(t: _Tok) -> bool:
    return t.kind == "word" and t.low in _MONTHS and t.text[0].isupper()


def _prev_word_index(toks: Sequence[_Tok], k: int) -> int:
    """Index of the word before position k, skipping one abbreviation dot ("Sept. 5")."""
    p = k - 1
    if p >= 0 and toks[p].low == "." and p - 1 >= 0 and toks[p - 1].kind == "word":
        return p - 1
    return p


def _is_label_before(toks: Sequence[_Tok], i: int) -> bool:
    p = i - 1
    if p < 0:
        return False
    if toks[p].low in ("#", "№"):
        return True
    if toks[p].low == "." and p >= 1 and toks[p - 1].low in ("no", "nos", "vol", "art", "p", "pp"):
        return True
    t = toks[p]
    if t.kind != "word":
        return False
    if t.low in _LABELS:
        return True
    return t.low in _CAPITAL_LABELS and t.text[0].isupper()


def _is_date_day(toks: Sequence[_Tok], n: _Num) -> bool:
    if not n.plain_int or not 1 <= n.value <= 31:
        return False
    p = _prev_word_index(toks, n.i)
    if p >= 0 and _is_month(toks[p]):
        return True
    j = n.j
    if j < len(toks) and _is_month(toks[j]):
        return True
    return j + 1 < len(toks) and toks[j].low == "of" and _is_month(toks[j + 1])


def _looks_plural_noun(t: _Tok) -> bool:
    if t.kind != "word" or not t.text.islower():
        return False
    if t.low in _COUNT_NOUNS:
        return True
    return t.low.endswith("s") and len(t.low) > 3 and t.low not in _NOT_PLURAL and not t.low.endswith("ss")


def _is_year(toks: Sequence[_Tok], n: _Num) -> bool:
    if not n.plain_int or len(toks[n.i].text) != 4 or not 1900 <= n.value <= 2100:
        return False
    p = _prev_word_index(toks, n.i)
    if p >= 0 and (toks[p].low in _YEAR_PREPS or _is_month(toks[p])):
        return True
    if p >= 0 and toks[p].low == "," and p - 1 >= 0 and toks[p - 1].kind == "num":
        return True  # "May 16, 2025"
    j = n.j
    if j < len(toks) and toks[j].kind == "dash" and not toks[j].gap and j + 1 < len(toks):
        j += 2  # "2014-22 conflict": look past the range
    return not (j < len(toks) and _looks_plural_noun(toks[j]))


@dataclass
class _Unit:
    dimension: str
    unit: str | None
    factor: float  # multiply the number by this (minutes for durations)
    j: int  # token after the unit


def _read_unit(toks: Sequence[_Tok], j: int, n: _Num) -> _Unit | None:
    """A unit right after a number: "hours", "-hour", "%", "per cent", "dollars", "km"."""
    if j >= len(toks):
        return None
    k = j
    if toks[k].kind == "dash" and not toks[k].gap and k + 1 < len(toks) and not toks[k + 1].gap:
        k += 1  # "90-minute", "24-hour"
    t = toks[k]
    w = t.low
    if t.kind == "word":
        if w in _MINUTES and not (n.needs_unit and w in ("second", "sec")):
            return _Unit("duration", "minutes", _MINUTES[w], k + 1)
        if w in _ATTACHED_ONLY_UNITS and not t.gap and k == j and n.kind == "digit" and n.suffix is None:
            return _Unit("duration", "minutes", _ATTACHED_ONLY_UNITS[w], k + 1)
        if n.needs_unit:
            return None
        if w == "percent" or (w in ("pc", "pct") and (not t.gap or w == "pct")):
            return _Unit("percent", "percent", 1.0, k + 1)
        if w == "per" and _low(toks, k + 1) == "cent":
            return _Unit("percent", "percent", 1.0, k + 2)
        if w == "per" and _low(toks, k + 1) == "-" and _low(toks, k + 2) == "cent":
            return _Unit("percent", "percent", 1.0, k + 3)  # "a 20-per-cent rise"
        if w == "percentage" and k + 1 < len(toks) and toks[k + 1].low in ("point", "points"):
            return _Unit("percent", "percentage_points", 1.0, k + 2)
        if w in _CURRENCY_WORDS:
            return _Unit("money", _CURRENCY_WORDS[w], 1.0, k + 1)
        if w in _CURRENCY_CODES and t.text.isupper():
            return _Unit("money", _CURRENCY_CODES[w], 1.0, k + 1)
        if w in _MEASURES:
            return _Unit("other", _MEASURES[w], 1.0, k + 1)
        if w == "magnitude":
            return _Unit("other", "magnitude", 1.0, k + 1)
    if t.low == "%" or t.low == "\uff05":
        return _Unit("percent", "percent", 1.0, k + 1)
    return None


def _read_compound_duration(toks: Sequence[_Tok], j: int, first_factor: float) -> tuple[float, int]:
    """Extra minutes after a duration: "and a half", "(and) 45 minutes"; returns (minutes, end)."""
    k = j
    if [x.low for x in toks[k : k + 3]] == ["and", "a", "half"]:
        return 0.5 * first_factor, k + 3
    if k < len(toks) and toks[k].low == "and":
        k += 1
    if k >= len(toks):
        return 0.0, j
    n = _read_number(toks, k)
    if n is None or n.kind not in ("digit", "word") or n.needs_unit:
        return 0.0, j
    u = _read_unit(toks, n.j, n)
    if u is None or u.dimension != "duration" or u.factor >= first_factor:
        return 0.0, j
    return n.value * u.factor, u.j


def _match_after(toks: Sequence[_Tok], j: int, table: dict[tuple[str, ...], str]) -> tuple[str, int] | None:
    words = [t.low for t in toks[j : j + 4]]
    form = _match_seq(words, table)
    if form is None:
        return None
    return table[form], j + len(form)


def _match_before(toks: Sequence[_Tok], s: int) -> tuple[str, int] | None:
    """The longest hedge ending right before token s: (canonical, first token index)."""
    before = load_grammar().before
    best: tuple[str, int] | None = None
    for form, name in before.items():
        n = len(form)
        if n <= s and tuple(t.low for t in toks[s - n : s]) == form:
            if best is None or s - best[1] < n:
                best = (name, s - n)
    return best


# ---------------------------------------------------------------------------------------------
# The scanner


def _skip_date_tail(toks: Sequence[_Tok], j: int) -> int:
    # "May 16-17": the second day belongs to the same date.
    if j + 1 < len(toks) and toks[j].kind == "dash" and toks[j + 1].kind == "num":
        return j + 2
    return j


def _match_at(text: str, toks: Sequence[_Tok], i: int) -> tuple[Quantity | None, int]:
    t = toks[i]
    if t.kind in ("date", "time", "code", "ord"):
        return None, i + 1
    n = _read_number(toks, i)
    if n is None:
        return None, i + 1

    # ---- things that are not quantities
    if n.kind == "digit":
        if _is_label_before(toks, i):
            j = n.j
            if j + 1 < len(toks) and toks[j].kind == "dash" and not toks[j].gap and toks[j + 1].kind == "num":
                j += 2  # "Boeing 787-8"
            return None, j
        if _is_time_suffix(toks, n.j):
            return None, n.j + 1
        if (
            n.j + 1 < len(toks)
            and toks[n.j].low == "/"
            and not toks[n.j].gap
            and toks[n.j + 1].kind == "num"
            and not toks[n.j + 1].gap
        ):
            return None, n.j + 2  # "9/11", "24/7", "3/4": dates, slogans, fractions
        glued = toks[n.j] if n.j < len(toks) else None
        if (
            glued is not None
            and glued.kind in ("word", "code")
            and not glued.gap
            and n.j == i + 1
            and _read_unit(toks, n.j, n) is None
        ):
            return None, n.j + 1  # "seat 11A", "1990s", "40C", "7C2216": codes, not figures
        if _is_date_day(toks, n):
            return None, _skip_date_tail(toks, n.j)
    if (
        n.kind == "word"
        and toks[i].text[:1].isupper()
        and i > 0
        and toks[i - 1].kind == "word"
        and n.j < len(toks)
        and toks[n.j].kind == "word"
        and toks[n.j].text[:1].isupper()
    ):
        return None, n.j  # "the Three Brotherhood Alliance": part of a name
    if n.kind == "bare_scale" and not _pair_follows(toks, n):
        return None, n.j
    if n.kind == "word" and toks[i].low == "one" and n.j == i + 1:
        nxt = toks[n.j] if n.j < len(toks) else None
        unit_follows = nxt is not None and _read_unit(toks, n.j, n) is not None
        prev = _low(toks, i - 1)
        if (
            not unit_follows
            and not _pair_follows(toks, n)
            and (
                nxt is None
                or nxt.kind not in ("word", "dash")
                or nxt.low in _ONE_NEXT_STOP
                or prev in _ONE_PREV_STOP
            )
        ):
            return None, n.j
    if n.needs_unit:
        prev = _low(toks, i - 1)
        if prev in ("once", "twice", "per", "times") or (i > 0 and toks[i - 1].kind == "num"):
            return None, n.j

    # ---- prefix: currency, from/between
    s = i
    dimension, unit = "count", None
    if s > 0 and toks[s - 1].low in _CURRENCY_SYMBOLS:
        dimension, unit = "money", _CURRENCY_SYMBOLS[toks[s - 1].low]
        s -= 1
        if toks[s - 1 : s] and toks[s - 1].kind == "word" and not toks[s].gap:
            dollar = toks[s - 1].low
            if dollar in _DOLLAR_PREFIXES and toks[s].low == "$":
                unit = _DOLLAR_PREFIXES[dollar]
                s -= 1
    elif s > 0 and toks[s - 1].low in _CURRENCY_CODES and toks[s - 1].text.isupper():
        dimension, unit = "money", _CURRENCY_CODES[toks[s - 1].low]
        s -= 1
    elif s > 0 and toks[s - 1].low in _CURRENCY_ABBREVIATIONS:
        dimension, unit = "money", _CURRENCY_ABBREVIATIONS[toks[s - 1].low]
        s -= 1
    elif s > 1 and toks[s - 1].low == "." and toks[s - 2].low in _CURRENCY_ABBREVIATIONS:
        dimension, unit = "money", _CURRENCY_ABBREVIATIONS[toks[s - 2].low]
        s -= 2
    range_prefix = None
    # "rose from 300 to 400" is a change between two figures, not a range.
    change = _low(toks, s - 1) == "from" and _low(toks, s - 2) in _CHANGE_VERBS
    if s > 0 and toks[s - 1].low in ("between", "from") and not change:
        range_prefix = toks[s - 1].low

    # ---- magnitude written before the number
    magnitude = False
    p = s - 1
    if p >= 0 and toks[p].kind == "dash" and p - 1 >= 0:
        p -= 1
    if p >= 0 and toks[p].low == "of" and p - 1 >= 0:
        p -= 1
    if p >= 0 and toks[p].low == "magnitude":
        magnitude = True

    # ---- the number's own tail: postfix hedge glued to it, unit
    j = n.j
    value = n.value
    post_hedge: tuple[str, int, int] | None = None
    after = load_grammar().after
    tail = _match_after(toks, j, {k: v for k, v in after.items() if k[0] in ("-", "+", "plus", "odd")})
    if tail is not None and n.kind in ("digit", "word"):
        post_hedge = (tail[0], j, tail[1])
        j = tail[1]
    u = _read_unit(toks, j, n)
    if u is None and n.suffix == "m" and dimension != "money":
        # "50m" without a currency: millions in news copy unless a length word follows.
        if _low(toks, j) in ("tall", "high", "long", "deep", "wide", "away", "above", "below"):
            value, u = value / 1e6, _Unit("other", "m", 1.0, j)
    if n.needs_unit and (u is None or u.dimension != "duration"):
        return None, n.j
    if u is not None:
        if u.dimension == "money" and dimension == "money":
            pass  # "$3 billion dollars": already money
        elif dimension != "money":
            dimension, unit = u.dimension, u.unit
        j = u.j
        factor = u.factor
    else:
        factor = 1.0
    if magnitude:
        dimension, unit = "other", "magnitude"
    num_end_tok = n.j - 1
    value *= factor
    if dimension == "duration" and u is not None:
        extra, j2 = _read_compound_duration(toks, j, u.factor)
        if j2 != j:
            value += extra
            num_end_tok = j2 - 1
            j = j2

    # ---- ages: "45-year-old", "aged 45"
    if (
        dimension == "duration"
        and j + 1 < len(toks)
        and toks[j].kind == "dash"
        and toks[j + 1].low == "old"
        or (dimension == "duration" and _low(toks, j) == "old")
    ):
        end = j + 2 if toks[j].kind == "dash" else j + 1
        age = n.value
        return _make(
            text, toks, i, end, n.i, n.j - 1, age, age, age, None, "other", "age", "exact", None, False, False
        ), end
    if _low(toks, i - 1) == "aged" and n.kind in ("digit", "word"):
        return _make(
            text,
            toks,
            i,
            n.j,
            n.i,
            n.j - 1,
            value,
            value,
            value,
            None,
            "other",
            "age",
            "exact",
            None,
            False,
            False,
        ), n.j

    # ---- ranges
    value_to: float | None = None
    range_end = None
    conn = j if u is not None else n.j
    k = conn
    dash_glued = False
    if k < len(toks) and toks[k].kind == "dash" and not toks[k].gap and _low(toks, k + 1) == "to":
        k += 1  # "24- to 48-hour"
        dash_glued = True
    c = _low(toks, k)
    if (
        c in ("to", "-", "or", "and", "through")
        and k + 1 < len(toks)
        and n.kind in ("digit", "word")
        and not change
    ):
        ok = c in ("to", "or") or (c == "-" and n.kind == "digit" and toks[k + 1].kind == "num")
        ok = ok or (c == "and" and range_prefix == "between") or dash_glued
        if c == "through":
            ok = range_prefix == "from"
        if (
            c == "-"
            and n.kind == "digit"
            and toks[k + 1].kind == "num"
            and toks[k + 1].gap
            and not toks[k].gap
        ):
            ok = False  # "10 -5" is a minus sign
        if ok and c == "and" and range_prefix != "between":
            ok = False
        k2 = k + 1
        if dimension == "money" and toks[k2].low in _CURRENCY_SYMBOLS:
            k2 += 1  # "between $3 and $4 billion"
        n2 = _read_number(toks, k2) if ok and k2 < len(toks) else None
        if n2 is not None and n2.kind in ("digit", "word") and not n2.needs_unit:
            u2 = _read_unit(toks, n2.j, n2)
            f2 = u2.factor if u2 is not None and u2.dimension == dimension else None
            if u is None and u2 is not None and dimension in ("count", "money"):
                if dimension == "count" or u2.dimension == "money":
                    if dimension == "count":
                        dimension, unit = u2.dimension, u2.unit
                    f2 = u2.factor
                    value = n.value * f2
            if n.scale == 1.0 and n2.scale > 1.0 and n.value * n2.scale < n2.value:
                # "3 to 4 million", "between $3 and $4 billion": the scale word serves both ends.
                value = n.value * n2.scale * (f2 if f2 is not None else factor)
            v2 = n2.value * (f2 if f2 is not None else factor)
            year_pair = _is_year(toks, n) if n.kind == "digit" else False
            if year_pair and c == "-":
                # "2014-15", "2014-2022": a span of years, flagged like a single year.
                y2 = n2.value + (n.value // 100) * 100 if n2.value < 100 else n2.value
                return _make(text, toks, i, n2.j, n.i, n2.j - 1, n.value, y2, n.value, y2, "other", None,
                             "range", None, False, True), n2.j  # fmt: skip
            if c == "-" and n.kind == "digit" and n2.value < n.value and not dash_glued:
                return None, n2.j  # "787-8", "3-1": model numbers, scores
            if v2 > value and not (c == "or" and v2 > 100 * max(value, 1)):
                value_to = v2
                j = u2.j if u2 is not None else n2.j
                num_end_tok = n2.j - 1
                range_end = j
                if u2 is not None and u2.dimension == "duration":
                    extra, j3 = _read_compound_duration(toks, j, u2.factor)
                    if j3 != j:
                        value_to += extra
                        j = j3
                        num_end_tok = j3 - 1
    if range_end is None:
        range_prefix = None

    # ---- years (returned flagged)
    if n.kind == "digit" and u is None and dimension == "count" and value_to is None and not magnitude:
        if _is_year(toks, n):
            return _make(text, toks, i, n.j, n.i, n.j - 1, n.value, n.value, n.value, None, "other", None,
                         "exact", None, False, True), n.j  # fmt: skip

    # ---- paired forms
    paired = False
    pj = _pair_end(toks, n, conn if u is None else j)
    if pj is not None and value_to is None:
        paired, j = True, pj
    elif value_to is None:
        pa = _match_after(toks, j, {f: "pair" for f in _PAIR_AFTER})
        if pa is not None:
            paired, j = True, pa[1]
    if n.kind == "bare_scale" and not paired:
        return None, n.j

    # ---- postfix hedge after the unit ("two hours or so", "1,000 or more")
    if post_hedge is None and value_to is None:
        ph = _match_after(toks, j, after)
        if ph is not None and not (
            ph[0] == "at least" and toks[j].low == "at" and _low(toks, j + 1) != "least"
        ):
            post_hedge = (ph[0], j, ph[1])
            j = ph[1]

    # ---- hedge before
    hedge_name = "exact"
    hedge_text: str | None = None
    start_tok = s - 1 if range_prefix else s
    pre = _match_before(toks, start_tok)
    lone_one = n.kind == "word" and toks[i].low == "one" and n.j == i + 1 and dimension == "count"
    if lone_one and (pre is not None or post_hedge is not None):
        return None, j  # "under one agreement", "more than one": not a figure
    if pre is None and range_prefix:
        pre = _match_before(toks, s)
        if pre is not None:
            range_prefix = None
    if n.kind in ("vague", "multiplier"):
        hedge_name = n.hedge or "exact"
        hedge_text = text[toks[n.i].start : toks[n.j - 1].end] if n.kind == "vague" else None
    if pre is not None:
        hedge_name, hedge_text = pre[0], text[toks[pre[1]].start : toks[start_tok - 1].end]
        start_tok = pre[1]
    elif post_hedge is not None:
        hedge_name, hedge_text = post_hedge[0], text[toks[post_hedge[1]].start : toks[post_hedge[2] - 1].end]
    elif value_to is not None:
        hedge_name = "range"
    if n.kind == "multiplier" and n.hedge:
        value_to = n.high * factor if n.high is not None else None
        if pre is None:
            hedge_name, hedge_text = n.hedge, text[toks[n.i].start : toks[n.hedge_j - 1].end]

    # Durations step by one minute, which is too coarse below two minutes ("less than a minute").
    integer = (
        dimension in ("count", "duration")
        and not (dimension == "duration" and value < 2)
        and float(value).is_integer()
        and (value_to is None or float(value_to).is_integer())
    )
    if n.kind == "vague" and pre is None:
        lo, hi = apply_hedge(hedge_name, value, None, integer)
    else:
        lo, hi = apply_hedge(hedge_name, value, value_to, integer)
    return _make(text, toks, start_tok, j, n.i, num_end_tok, lo, hi, value, value_to, dimension, unit,
                 hedge_name, hedge_text, paired, False), j  # fmt: skip


def _pair_follows(toks: Sequence[_Tok], n: _Num) -> bool:
    return _pair_end(toks, n, n.j) is not None


def _pair_end(toks: Sequence[_Tok], n: _Num, j: int) -> int | None:
    """End of "X for X" / "X-for-X" / "X prisoners for X" right after the first number."""
    k = j
    if k < len(toks) and toks[k].kind == "dash" and not toks[k].gap:
        k += 1
    noun = None
    if _low(toks, k) != "for" and k < len(toks) and toks[k].kind == "word" and toks[k].low not in _MINUTES:
        noun = toks[k].low
        k += 1
    if _low(toks, k) != "for":
        return None
    k += 1
    if k < len(toks) and toks[k].kind == "dash" and not toks[k].gap:
        k += 1
    if k >= len(toks):
        return None
    n2 = _read_number(toks, k)
    if n2 is None or n2.value != n.value or n2.kind not in ("digit", "word", "bare_scale"):
        return None
    end = n2.j
    if noun is not None and _low(toks, end) == noun:
        end += 1
    return end


def _make(
    text: str, toks: Sequence[_Tok], s: int, e: int, ns: int, ne: int,
    lo: float | None, hi: float | None, value: float, value_to: float | None,
    dimension: str, unit: str | None, hedge: str, hedge_text: str | None, paired: bool, is_year: bool,
) -> Quantity:  # fmt: skip
    start, end = toks[s].start, toks[e - 1].end
    return Quantity(
        start=start,
        end=end,
        text=text[start:end],
        num_start=toks[ns].start,
        num_end=toks[ne].end,
        value_low=lo,
        value_high=hi,
        value=float(value),
        value_to=None if value_to is None else float(value_to),
        dimension=dimension,
        unit=unit,
        hedge=hedge,
        hedge_text=hedge_text,
        paired=paired,
        is_year=is_year,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity mention in `text`, in order, with its hedged interval.

    Durations are converted to minutes (unit "minutes"); years come back with is_year=True;
    dates, times of day, ordinals, codes and pronoun "one" are not returned.
    """
    toks = _tokenize(text)
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        q, nxt = _match_at(text, toks, i)
        if q is not None:
            out.append(q)
        i = max(nxt, i + 1)
    return sorted(out + _unit_long(text, out), key=lambda q: q.start)


# "hour-long talks", "a day-long truce": one unit, said without a number
_UNIT_LONG = re.compile(r"\b(minute|hour|day|week|month|year)[-\u2010\u2011]long\b", re.IGNORECASE)


def _unit_long(text: str, found: Sequence[Quantity]) -> list[Quantity]:
    out = []
    for m in _UNIT_LONG.finditer(text):
        if any(q.start < m.end() and m.start() < q.end for q in found):
            continue  # "two-hour-long" is already read with its number
        minutes = _MINUTES[m.group(1).lower()]
        out.append(Quantity(
            start=m.start(), end=m.end(), text=m.group(0), num_start=m.start(), num_end=m.end(1),
            value_low=minutes, value_high=minutes, value=1.0, value_to=None, dimension="duration",
            unit="minutes", hedge="exact", hedge_text=None, paired=False, is_year=False,
        ))
    return out
