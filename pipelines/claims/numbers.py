"""Low-level number parsers: digits with separators and suffixes, and English number words.

Everything here is pure: strings or lowercase word lists in, floats out. The words themselves
(cardinals, scales, "dozen", fractions, abbreviations) are data in `numbers.yaml`.
`quantities.py` builds mentions (hedges, units, ranges) on top of these readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from text_to_num import text2num

NUMBERS_PATH = Path(__file__).with_name("numbers.yaml")


def fraction(value: object) -> float:
    """A number from the grammar files: 12, 0.5, or a fraction written "1/3"."""
    if isinstance(value, str) and "/" in value:
        num, den = value.split("/")
        return float(num) / float(den)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def _values(table: Mapping[str, object]) -> dict[str, float]:
    return {str(k): fraction(v) for k, v in table.items()}


@dataclass(frozen=True)
class NumberWords:
    """numbers.yaml, read: see the comments there for what each table means."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, float]
    groups: dict[str, float]
    articles: frozenset[str]
    attached_scales: dict[str, float]
    spaced_scales: dict[str, float]
    regional_scales: dict[str, float]
    unicode_fractions: dict[str, float]
    written_fractions: dict[str, float]
    fraction_words: dict[str, float]
    fraction_plurals: dict[str, float]
    denominators: frozenset[str]
    shares: dict[str, float]
    bare_shares: frozenset[str]
    not_shares_after: frozenset[str]
    added_fractions: dict[tuple[str, ...], float]


@lru_cache(maxsize=4)
def load_number_words(path: Path = NUMBERS_PATH) -> NumberWords:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        fractions = data["fractions"]
        return NumberWords(
            units={str(w): i for i, w in enumerate(data["units"])},
            tens={str(k): int(v) for k, v in data["tens"].items()},
            scales=_values(data["scales"]),
            groups=_values(data["groups"]),
            articles=frozenset(data["articles"]),
            attached_scales=_values(data["attached_scales"]),
            spaced_scales=_values(data["spaced_scales"]),
            regional_scales=_values(data["regional_scales"]),
            unicode_fractions=_values(data["unicode_fractions"]),
            written_fractions=_values(data["written_fractions"]),
            fraction_words=_values(fractions["words"]),
            fraction_plurals=_values(fractions["plurals"]),
            denominators=frozenset(fractions["shares"]),
            shares=_values(fractions["shares"]),
            bare_shares=frozenset(fractions["bare_shares"]),
            not_shares_after=frozenset(fractions["not_shares_after"]),
            added_fractions={tuple(str(k).split()): fraction(v) for k, v in fractions["added"].items()},
        )
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise ValueError(f"{path.name}: malformed number grammar ({err!r})") from err


WORDS = load_number_words()
UNITS = WORDS.units
TENS = WORDS.tens
SCALES = WORDS.scales
# Abbreviated scales written after a number, attached ("3bn") or not ("3 bn", "2.5 mln").
SCALE_ABBREVIATIONS = {k.lower(): v for k, v in WORDS.attached_scales.items()}
UNICODE_FRACTIONS = WORDS.unicode_fractions
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation of literal forms, longest first."""
    return "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))


FRACTION_CHARS = "".join(UNICODE_FRACTIONS)
# A written fraction after a whole number: "-1/2" in "4-1/2", " 1/2" in "2 1/2" (not "1/20", "1/2/25")
WRITTEN_FRACTION = r"[ \u00a0\-\u2010\u2011](?:" + alternation(WORDS.written_fractions) + r")(?![\d/])"

# Thousands separators seen in news copy: comma, plain space, no-break space, thin spaces.
_SEPARATORS = ",\u00a0\u2009\u202f "
_DIGITS = re.compile(
    r"^(?P<body>\d{1,3}(?:[,\u00a0\u2009\u202f ]\d{3})+|\d+)?(?P<dec>\.\d+)?"
    r"(?P<frac>[" + FRACTION_CHARS + r"]|" + WRITTEN_FRACTION + r")?(?P<suffix>" + alternation(SCALE_ABBREVIATIONS) + r")?$",
    re.IGNORECASE,
)


def parse_digits(text: str) -> tuple[float, str | None] | None:
    """Read "1,000", "1 000", "7.7", "1½", "4-1/2", "50m", "3bn": returns (value, suffix) or None.

    The suffix is returned lower-cased so the caller can decide what "m" means (millions after a
    currency, metres otherwise); the value already includes the suffix's multiplier.
    """
    m = _DIGITS.match(text.strip())
    if not m or not (m.group("body") or m.group("dec")):
        return None
    # The separator inside one number must be consistent ("1,000 000" is two numbers).
    body = m.group("body") or "0"
    seps = {c for c in body if c in _SEPARATORS}
    if len(seps) > 1:
        return None
    value = float(re.sub(r"[^\d]", "", body) + (m.group("dec") or ""))
    if m.group("frac"):
        frac = m.group("frac")
        value += UNICODE_FRACTIONS[frac] if len(frac) == 1 else WORDS.written_fractions[frac[1:]]
    suffix = m.group("suffix").lower() if m.group("suffix") else None
    if suffix:
        value *= SCALE_ABBREVIATIONS[suffix]
    return value, suffix


def _text2num(words: Sequence[str]) -> float | None:
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def _read_cardinal(ws: Sequence[str], i: int) -> tuple[float, int, bool] | None:
    """A cardinal in words from ws[i]: "a thousand", "twenty four", "one hundred and five".

    Returns (value, next index, needs_unit). A lone "a"/"an" reads as 1 but only counts when a
    unit follows ("an hour"), which the caller checks.
    """
    n = len(ws)
    if i >= n:
        return None
    run: list[str] = []
    j = i
    if ws[i] in WORDS.articles:
        if i + 1 < n and (ws[i + 1] in SCALES or ws[i + 1] in WORDS.groups):
            run.append("one")
            j = i + 1
        else:
            return 1.0, i + 1, True
    while j < n:
        w = ws[j]
        if w in NUMBER_WORDS:
            run.append(w)
            j += 1
        elif (
            w == "and"
            and run
            and run[-1] in SCALES
            and j + 1 < n
            and (ws[j + 1] in UNITS or ws[j + 1] in TENS)
        ):
            run.append(w)
            j += 1
        else:
            break
    if ws[i] in WORDS.articles and run == ["one"]:
        # "a dozen": the cardinal is the implicit one, "dozen" multiplies below.
        return 1.0, i + 1, False
    # text2num rejects sequences such as "two three" or "two hundred and three hundred":
    # back off to the longest prefix it accepts.
    for k in range(len(run), 0, -1):
        if run[k - 1] == "and":
            continue
        value = _text2num(run[:k])
        if value is not None:
            # with "a thousand", "one" stands in for the article, so k counts tokens either way
            return value, i + k, False
    return None


def _read_share(ws: Sequence[str], i: int) -> tuple[float, int] | None:
    """The share word(s) that open "half a million", "a quarter of", "three quarters of"."""
    n = len(ws)
    fractions, plurals = WORDS.fraction_words, WORDS.fraction_plurals
    if i + 1 < n and ws[i] in WORDS.articles and ws[i + 1] in fractions:
        return fractions[ws[i + 1]], i + 2
    if ws[i] in fractions:
        return fractions[ws[i]], i + 1
    if i + 1 < n and ws[i] in UNITS and ws[i + 1] in plurals:
        return UNITS[ws[i]] * plurals[ws[i + 1]], i + 2
    return None


def _read_fraction_of(ws: Sequence[str], i: int) -> tuple[float, int, bool] | None:
    """ "half a million", "half an (hour)", "three quarters of an (hour)", "a quarter of an (hour)"."""
    share = _read_share(ws, i)
    if share is None:
        return None
    f, j = share
    n = len(ws)
    if j < n and ws[j] == "of":
        j += 1
    if j < n and ws[j] in WORDS.articles:
        if j + 1 < n and ws[j + 1] in SCALES:
            return f * SCALES[ws[j + 1]], j + 2, False
        if j + 1 < n and ws[j + 1] in WORDS.groups:
            return f * WORDS.groups[ws[j + 1]], j + 2, False
        return f, j + 1, True
    # "half hour", "quarter hour": only meaningful with a unit right after.
    if ws[j - 1] != "of":
        return f, j, True
    return None


def added_fraction(words: Sequence[str], j: int) -> tuple[float, int] | None:
    """ "and a half", "and three quarters" at words[j]: (the fraction, index after it)."""
    for form, value in WORDS.added_fractions.items():
        if tuple(words[j : j + len(form)]) == form:
            return value, j + len(form)
    return None


def read_words(ws: Sequence[str], i: int = 0) -> tuple[float, int, bool] | None:
    """Read a number written in words from lowercase tokens ws[i:] (hyphens already dropped).

    Returns (value, index after the number, needs_unit) or None. needs_unit is True when the
    words only make a quantity together with a following unit ("an", "half an").
    """
    if i >= len(ws):
        return None
    frac = _read_fraction_of(ws, i)
    if frac is not None:
        return frac
    card = _read_cardinal(ws, i)
    if card is None:
        return None
    value, j, needs_unit = card
    n = len(ws)
    if j < n and ws[j] in WORDS.denominators:
        return None  # "two-thirds", "one fifth": a share, not a count
    added = added_fraction(ws, j)
    if added is not None:
        value, j = value + added[0], added[1]
        if j < n and ws[j] in SCALES:
            # "two and a half million"
            value *= SCALES[ws[j]]
            j += 1
    if j < n and ws[j] in WORDS.groups:
        value *= WORDS.groups[ws[j]]
        j += 1
        needs_unit = False
    return value, j, needs_unit


_WORD_SPLIT = re.compile(
    r"[^\W\d_]+|\d[\d,.\u00a0\u2009\u202f]*[" + FRACTION_CHARS + r"]?[a-z]*", re.IGNORECASE
)


def parse_number(text: str) -> float | None:
    """The value of a whole string that is one number, in digits or words, else None.

    "1,000" -> 1000, "2.5 million" -> 2500000, "twenty-four" -> 24, "a dozen" -> 12,
    "half a million" -> 500000, "one and a half" -> 1.5. Vague plurals ("dozens") are not
    numbers: see `read_vague` in quantities. Unit-only forms ("an", "half an") give None.
    """
    text = text.strip()
    if not text:
        return None
    whole = parse_digits(text)
    if whole is not None:
        return whole[0]
    parts = _WORD_SPLIT.findall(text.replace("-", " ").replace("\u2011", " "))
    if not parts:
        return None
    first = parse_digits(parts[0]) if parts[0][0].isdigit() else None
    if first is not None:
        value = first[0]
        rest = [p.lower() for p in parts[1:]]
        if not rest:
            return value
        if len(rest) == 1 and (rest[0] in SCALES or rest[0] in SCALE_ABBREVIATIONS) and first[1] is None:
            return value * (SCALES.get(rest[0]) or SCALE_ABBREVIATIONS[rest[0]])
        return None
    ws = [p.lower() for p in parts]
    got = read_words(ws, 0)
    if got is None:
        return None
    value, j, needs_unit = got
    if j != len(ws) or needs_unit:
        return None
    return value
