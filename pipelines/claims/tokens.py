"""The number grammar's tokenizer: words, numbers, dashes and symbols with character offsets.

Dates ("16/05/2025"), times of day ("14:30"), codes ("AI171", "F-16") and ordinals ("3rd") come
out as their own kinds so that nothing downstream mistakes them for quantities. The scale
abbreviations and fraction characters a number may carry are read from numbers.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pipelines.claims.numbers import FRACTION_CHARS, WORDS, WRITTEN_FRACTION, alternation

V = TypeVar("V")

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_TOKEN = re.compile(
    r"(?P<date>\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d))"
    r"|(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?!\d))"
    # Codes: AI171, MH17, G7, A320, M7.7, F-16, Su-25, Covid-19 (hyphen only: "Russia\u2013500"
    # with an en dash is a word and a number).
    r"|(?P<code>[^\W\d_]+\d+(?:\.\d+)?[^\W_]*|[A-Z][A-Za-z]{0,5}[-\u2011]\d+[^\W_]*)"
    r"|(?P<ord>\d+(?:st|nd|rd|th)(?![^\W_]))"
    r"|(?P<num>(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?!\d)|\d+)"
    r"(?:\.\d+)?|(?<![\d.])\.\d+)(?:[" + FRACTION_CHARS + r"]|" + WRITTEN_FRACTION + r")?"
    r"(?:(?:" + alternation(WORDS.attached_scales) + r")(?![^\W\d_]))?|[" + FRACTION_CHARS + r"])"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)?)"
    r"|(?P<dash>[" + DASHES + r"])"
    r"|(?P<sym>\S)"
)


@dataclass(frozen=True, slots=True)
class Tok:
    text: str
    low: str  # lower case, curly apostrophe straightened, every dash "-"
    start: int
    end: int
    kind: str  # date | time | code | ord | num | word | dash | sym
    gap: bool  # whitespace (or start of text) right before this token


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    prev_end = -1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "sym"
        s = m.group(0)
        low = "-" if kind == "dash" else s.lower().replace("\u2019", "'")
        toks.append(Tok(s, low, m.start(), m.end(), kind, m.start() != prev_end))
        prev_end = m.end()
    return toks


def surface(form: object) -> tuple[str, ...]:
    """A grammar file's surface form as the tokens it must match ("per-cent" -> per, -, cent)."""
    return tuple(t.low for t in tokenize(str(form)))


def low(toks: Sequence[Tok], k: int) -> str:
    """The lower-case text of toks[k], or "" outside the text."""
    return toks[k].low if 0 <= k < len(toks) else ""


def word_window(toks: Sequence[Tok], i: int, limit: int = 16) -> tuple[list[str], list[int]]:
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


class Forms(dict[tuple[str, ...], V]):
    """Surface forms (token tuples) with what each stands for, matched longest first."""

    def __init__(self, table: Mapping[tuple[str, ...], V] | None = None) -> None:
        super().__init__(table or {})
        self.lengths = tuple(sorted({len(f) for f in self}, reverse=True))

    def longest(self, words: Sequence[str]) -> tuple[str, ...] | None:
        """The longest form that the word list starts with."""
        for n in self.lengths:
            if n <= len(words) and tuple(words[:n]) in self:
                return tuple(words[:n])
        return None

    def at(self, toks: Sequence[Tok], j: int) -> tuple[V, int] | None:
        """The longest form starting at token j: (what it stands for, index after it)."""
        for n in self.lengths:
            if j + n <= len(toks):
                key = tuple(t.low for t in toks[j : j + n])
                if key in self:
                    return self[key], j + n
        return None

    def ending(self, toks: Sequence[Tok], s: int) -> tuple[V, int] | None:
        """The longest form ending right before token s: (what it stands for, its first index)."""
        for n in self.lengths:
            if n <= s:
                key = tuple(t.low for t in toks[s - n : s])
                if key in self:
                    return self[key], s - n
        return None
