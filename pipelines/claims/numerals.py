"""One number at a token, and what the words around it say about it.

`read_number` reads digits ("1,000", "3bn", "2.5 million"), number words ("twenty-four",
"half a million"), vague plurals ("dozens", "tens of thousands") and vague multipliers
("several hundred"). The predicates below tell a figure from a label ("Flight 171"), a day of
a month ("May 16"), a time of day ("5 pm"), a year ("in 2019") or a pronoun ("one of the").
All vocabulary is data: numbers.yaml, mentions.yaml, hedges.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.claims.grammar import load_mentions, load_units
from pipelines.claims.hedges import load_grammar
from pipelines.claims.numbers import SCALES, WORDS, added_fraction, parse_digits, read_words
from pipelines.claims.tokens import Tok, low, word_window

MENTIONS = load_mentions()
UNITS_WORDS = WORDS.units  # "two" in "two-thirds"
UNITS = load_units()


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    i: int  # first token
    j: int  # one past the last token
    kind: str  # digit | word | vague | multiplier | bare_scale | share
    needs_unit: bool = False
    suffix: str | None = None
    hedge: str | None = None  # vague/multiplier canonical hedge
    high: float | None = None  # multiplier upper end
    plain_int: bool = False  # bare digits: may be a year, a day of month, a time
    hedge_j: int = 0  # multipliers: one past the last token of "several" / "a few"
    scale: float = 1.0  # the scale word that ends the number ("4 billion"), shared by a range


def _scale_after(toks: Sequence[Tok], j: int) -> float:
    """The scale word written after digits: "2.5 million", "Rs 2 lakh", "3 bn"; else 1."""
    if j >= len(toks) or toks[j].kind != "word":
        return 1.0
    w = toks[j].low
    if w in SCALES:
        return SCALES[w]
    if w in WORDS.regional_scales:
        return WORDS.regional_scales[w]
    if w in WORDS.spaced_scales and toks[j].gap:
        return WORDS.spaced_scales[w]
    return 1.0


def _read_digits(toks: Sequence[Tok], i: int) -> Num | None:
    parsed = parse_digits(toks[i].text)
    if parsed is None:
        return None
    value, suffix = parsed
    j = i + 1
    plain = toks[i].text.isdigit()
    scale = 1.0
    if suffix is None:
        scale = _scale_after(toks, j)
        if scale != 1.0:
            value, j, plain = value * scale, j + 1, False
    added = added_fraction([t.low for t in toks[j : j + 3]], 0)
    if added is not None:
        value, j, plain = value + added[0], j + added[1], False  # "1 and a half"
    return Num(value, i, j, "digit", suffix=suffix, plain_int=plain, scale=scale)


def _read_multiplier(ws: Sequence[str], idx: Sequence[int], i: int) -> Num | None:
    """ "several hundred", "a few dozen", "a couple of days": a multiplier before a scale, a group
    word or a time unit, never before a plain noun ("several people" is not a figure)."""
    form = load_grammar().multipliers.longest(ws)
    if form is None or len(ws) <= len(form):
        return None
    name, lo, hi = load_grammar().multipliers[form]
    nxt = ws[len(form)]
    end = idx[len(form) - 1] + 1
    scale = SCALES.get(nxt) or WORDS.groups.get(nxt)
    if scale is not None:
        return Num(lo * scale, i, end + 1, "multiplier", hedge=name, high=hi * scale, hedge_j=end)
    if nxt in UNITS.durations:
        return Num(lo, i, end, "multiplier", hedge=name, high=hi, hedge_j=end)
    return None


def _read_share(toks: Sequence[Tok], ws: Sequence[str], idx: Sequence[int], i: int) -> Num | None:
    """ "a third of", "two-thirds of", "half the": a share of something, not a count."""
    k, numerator = 0, 1.0
    if ws[0] in WORDS.articles or ws[0] in UNITS_WORDS:
        k, numerator = 1, float(UNITS_WORDS.get(ws[0], 1))
    if k >= len(ws) - 1 or ws[k] not in WORDS.shares or ws[k + 1] not in ("of", "the"):
        return None
    if ws[k + 1] == "of" and k + 2 < len(ws) and ws[k + 2] in WORDS.articles:
        return None  # "three quarters of an hour", "half of a million": a number, read elsewhere
    if k == 0 and (ws[0] not in WORDS.bare_shares or (i > 0 and toks[i - 1].low in WORDS.not_shares_after)):
        return None
    return Num(numerator * WORDS.shares[ws[k]], i, idx[k] + 1, "share")


def _read_word_number(toks: Sequence[Tok], i: int) -> Num | None:
    ws, idx = word_window(toks, i)
    share = _read_share(toks, ws, idx, i)
    if share is not None:
        return share
    grammar = load_grammar()
    form = grammar.vague.longest(ws)
    if form is not None:
        name, value = grammar.vague[form]
        if i > 0 and toks[i - 1].low in grammar.vague_not_after[name]:
            return None  # "the scores were level"
        return Num(value, i, idx[len(form) - 1] + 1, "vague", hedge=name)
    multiplier = _read_multiplier(ws, idx, i)
    if multiplier is not None:
        return multiplier
    got = read_words(ws, 0)
    if got is None:
        return None
    value, k, needs_unit = got
    kind = "bare_scale" if k == 1 and ws[0] in SCALES else "word"
    scale = SCALES.get(ws[k - 1], 1.0) if k > 1 else 1.0
    return Num(value, i, idx[k - 1] + 1, kind, needs_unit=needs_unit, scale=scale)


def read_number(toks: Sequence[Tok], i: int) -> Num | None:
    """The number that starts at token i, if one does."""
    t = toks[i]
    if t.kind == "num":
        return _read_digits(toks, i)
    if t.kind != "word" or t.low in MENTIONS.not_a_number_start:
        return None
    return _read_word_number(toks, i)


# ---------------------------------------------------------------------------------------------
# What the words around a number say about it


def is_time_suffix(toks: Sequence[Tok], j: int) -> bool:
    """A time of day follows: "5 pm", "10 GMT", "5 p.m."."""
    if j >= len(toks):
        return False
    if toks[j].low in MENTIONS.time_words:
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


def is_month(t: Tok) -> bool:
    return t.kind == "word" and t.low in MENTIONS.months and t.text[0].isupper()


def prev_word_index(toks: Sequence[Tok], k: int) -> int:
    """Index of the word before position k, skipping one abbreviation dot ("Sept. 5")."""
    p = k - 1
    if p >= 0 and toks[p].low == "." and p - 1 >= 0 and toks[p - 1].kind == "word":
        return p - 1
    return p


def is_label_before(toks: Sequence[Tok], i: int) -> bool:
    """The number is a label: "Flight 171", "#3", "No. 1", "Day 3"."""
    p = i - 1
    if p < 0:
        return False
    if toks[p].low in MENTIONS.label_symbols:
        return True
    if toks[p].low == "." and p >= 1 and toks[p - 1].low in MENTIONS.label_abbreviations:
        return True
    t = toks[p]
    if t.kind != "word":
        return False
    if t.low in MENTIONS.labels:
        return True
    return t.low in MENTIONS.capital_labels and t.text[0].isupper()


def is_date_day(toks: Sequence[Tok], n: Num) -> bool:
    """A day of a month: "May 16", "16 May", "16th of May"."""
    if not n.plain_int or not 1 <= n.value <= 31:
        return False
    p = prev_word_index(toks, n.i)
    if p >= 0 and is_month(toks[p]):
        return True
    j = n.j
    if j < len(toks) and is_month(toks[j]):
        return True
    return j + 1 < len(toks) and toks[j].low == "of" and is_month(toks[j + 1])


def _dashed_pair_around(toks: Sequence[Tok], k: int, step: int) -> bool:
    """A glued digits-dash-digits pair ends (step -1) or starts (step 1) at token k."""
    ks = [k, k + step, k + 2 * step]
    if min(ks) < 0 or max(ks) >= len(toks):
        return False
    a, dash, b = (toks[x] for x in sorted(ks))
    return a.kind == "num" and dash.kind == "dash" and b.kind == "num" and not dash.gap and not b.gap


def in_score_list(toks: Sequence[Tok], i: int, end: int) -> bool:
    """The dashed pair toks[i:end] stands next to another, across separators and tie-break points:
    "7-6, 1-6, 7-6 (7-4)", "6-7 (8), 9-7" list scores."""
    for step, k in ((-1, i - 1), (1, end)):
        for _ in range(5):
            if not 0 <= k < len(toks):
                break
            if _dashed_pair_around(toks, k, step):
                return True
            if toks[k].low not in MENTIONS.score_separators and toks[k].kind != "num":
                break
            k += step
    return False


def is_tiebreak(toks: Sequence[Tok], i: int, j: int) -> bool:
    """ "7-6 (5)": a number in brackets right after a score is the tie-break's, not a figure."""
    return low(toks, i - 1) == "(" and low(toks, j) == ")" and _dashed_pair_around(toks, i - 2, -1)


def skip_date_tail(toks: Sequence[Tok], j: int) -> int:
    # "May 16-17": the second day belongs to the same date.
    if j + 1 < len(toks) and toks[j].kind == "dash" and toks[j + 1].kind == "num":
        return j + 2
    return j


def looks_plural_noun(t: Tok) -> bool:
    if t.kind != "word" or not t.text.islower():
        return False
    if t.low in MENTIONS.count_nouns:
        return True
    return (
        t.low.endswith("s")
        and len(t.low) > 3
        and t.low not in MENTIONS.not_plural
        and not t.low.endswith("ss")
    )


def is_year(toks: Sequence[Tok], n: Num) -> bool:
    """A four-digit 1900..2100 after "in", "since", a month..., unless a count noun follows."""
    if not n.plain_int or len(toks[n.i].text) != 4 or not 1900 <= n.value <= 2100:
        return False
    p = prev_word_index(toks, n.i)
    if p >= 0 and (toks[p].low in MENTIONS.year_prepositions or is_month(toks[p])):
        return True
    if p >= 0 and toks[p].low == "," and p - 1 >= 0 and toks[p - 1].kind == "num":
        return True  # "May 16, 2025"
    j = n.j
    if j < len(toks) and toks[j].kind == "dash" and not toks[j].gap and j + 1 < len(toks):
        j += 2  # "2014-22 conflict": look past the range
    return not (j < len(toks) and looks_plural_noun(toks[j]))
