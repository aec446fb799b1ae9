"""Low-level number parsers: digits with separators and suffixes, and English number words.

Everything here is pure: strings or lowercase word lists in, floats out. `quantities.py` builds
mentions (hedges, units, ranges) on top of these readers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from text_to_num import text2num

UNITS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS: dict[str, int] = {
    w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
SCALES: dict[str, float] = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
# Abbreviated scales written after a number, attached ("3bn") or not ("3 bn", "2.5 mln").
SCALE_ABBREVIATIONS: dict[str, float] = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "tn": 1e12,
}
UNICODE_FRACTIONS: dict[str, float] = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)

# Thousands separators seen in news copy: comma, plain space, no-break space, thin spaces.
_SEPARATORS = ",\u00a0\u2009\u202f "
_DIGITS = re.compile(
    r"^(?P<body>\d{1,3}(?:[,\u00a0\u2009\u202f ]\d{3})+|\d+)?(?P<dec>\.\d+)?"
    r"(?P<frac>[½¼¾⅓⅔])?(?P<suffix>k|m|mn|mln|b|bn|tn)?$",
    re.IGNORECASE,
)


def parse_digits(text: str) -> tuple[float, str | None] | None:
    """Read "1,000", "1 000", "7.7", "1½", "50m", "3bn": returns (value, suffix) or None.

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
        value += UNICODE_FRACTIONS[m.group("frac")]
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
    if ws[i] in ("a", "an"):
        if i + 1 < n and (ws[i + 1] in SCALES or ws[i + 1] == "dozen"):
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
    if ws[i] in ("a", "an") and run == ["one"]:
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


_FRACTION_WORDS: dict[str, float] = {"half": 0.5, "quarter": 0.25}
_FRACTION_PLURALS: dict[str, float] = {"quarters": 0.25, "thirds": 1 / 3}
_FRACTION_DENOMINATORS = frozenset(
    "half halves third thirds quarter quarters fifth fifths sixth sixths eighth eighths tenth tenths".split()
)


def _read_fraction_of(ws: Sequence[str], i: int) -> tuple[float, int, bool] | None:
    """ "half a million", "half an (hour)", "three quarters of an (hour)", "a quarter of an (hour)"."""
    n = len(ws)
    j = i
    if j + 1 < n and ws[j] in ("a", "an") and ws[j + 1] in _FRACTION_WORDS:
        f = _FRACTION_WORDS[ws[j + 1]]
        j += 2
    elif ws[j] in _FRACTION_WORDS:
        f = _FRACTION_WORDS[ws[j]]
        j += 1
    elif j + 1 < n and ws[j] in UNITS and ws[j + 1] in _FRACTION_PLURALS:
        f = UNITS[ws[j]] * _FRACTION_PLURALS[ws[j + 1]]
        j += 2
    else:
        return None
    if j < n and ws[j] == "of":
        j += 1
    if j < n and ws[j] in ("a", "an"):
        if j + 1 < n and ws[j + 1] in SCALES:
            return f * SCALES[ws[j + 1]], j + 2, False
        if j + 1 < n and ws[j + 1] == "dozen":
            return f * 12, j + 2, False
        return f, j + 1, True
    # "half hour", "quarter hour": only meaningful with a unit right after.
    if ws[j - 1] != "of":
        return f, j, True
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
    if j < n and ws[j] in _FRACTION_DENOMINATORS:
        return None  # "two-thirds", "one fifth": a share, not a count
    added_fraction = False
    if ws[j : j + 3] in (["and", "a", "half"], ["and", "one", "half"]):
        value += 0.5
        j += 3
        added_fraction = True
    elif ws[j : j + 3] == ["and", "a", "quarter"]:
        value += 0.25
        j += 3
        added_fraction = True
    elif ws[j : j + 3] == ["and", "three", "quarters"]:
        value += 0.75
        j += 3
        added_fraction = True
    if added_fraction and j < n and ws[j] in SCALES:
        # "two and a half million"
        value *= SCALES[ws[j]]
        j += 1
    if j < n and ws[j] == "dozen":
        value *= 12
        j += 1
        needs_unit = False
    return value, j, needs_unit


_WORD_SPLIT = re.compile(r"[^\W\d_]+|\d[\d,.\u00a0\u2009\u202f]*[½¼¾⅓⅔]?[a-z]*", re.IGNORECASE)


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
