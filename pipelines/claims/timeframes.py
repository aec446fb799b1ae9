"""Durations that are not the length of the occurrence they are said about: rates ("six hours a
day" during a truce) and differences from another time ("ended nearly two hours early"). The
words are data (timeframes.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipelines.claims.catalog import read_yaml
from pipelines.claims.quantities import Quantity

DEFAULT_TIMEFRAMES = Path(__file__).with_name("timeframes.yaml")

PERIOD_UNITS = r"(?:second|minute|hour|day|night|week|month|year|session|round)s?"


class TimeframeDataError(ValueError):
    pass


@dataclass(frozen=True)
class TimeframeWords:
    rate_after: re.Pattern[str]     # text right after a duration that makes it a rate
    rate_itself: re.Pattern[str]    # a duration mention that is the period of a rate ("a day")
    offset_words: frozenset[str]


@lru_cache(maxsize=2)
def load_words(path: Path | str = DEFAULT_TIMEFRAMES) -> TimeframeWords:
    data = read_yaml(Path(path), TimeframeDataError)
    try:
        openers = "|".join(re.escape(str(w)) for w in data["rate_openers"])
        words = "|".join(re.escape(str(w)) for w in data["rate_words"])
        return TimeframeWords(
            rate_after=re.compile(rf"^\s*(?:(?:{openers})\s+{PERIOD_UNITS}\b|(?:{words})\b)", re.I),
            rate_itself=re.compile(rf"^(?:{openers})\s+{PERIOD_UNITS}$", re.I),
            offset_words=frozenset(str(w).lower() for w in data["offset_words"]),
        )
    except (KeyError, TypeError) as exc:
        raise TimeframeDataError(f"{path}: {exc}") from exc


# A duration just before the period word, in characters: "six hours a day" has one space between.
RATE_GAP = 3
DURATION_BEFORE_RE = re.compile(rf"{PERIOD_UNITS}\s*$", re.I)


def is_rate(q: Quantity, text: str, words: TimeframeWords | None = None) -> bool:
    """"halt for six hours a day": six hours is a daily span and "a day" its period."""
    words = words or load_words()
    if words.rate_after.match(text[q.end:q.end + 24]):
        return True
    before = text[max(0, q.start - 40):q.start]
    return bool(words.rate_itself.match(q.text.strip())) and bool(DURATION_BEFORE_RE.search(before)) and (
        len(before) - len(before.rstrip()) <= RATE_GAP)


# "lasted six hours, late into the night": "late" says when, not by how much
TIME_OF_DAY_PREPOSITIONS = {"into", "in", "on", "at", "until", "till"}


def is_offset(unit_tok: Token, words: TimeframeWords | None = None) -> bool:
    """"ended nearly two hours early", "an hour longer than planned": a difference, not a length."""
    words = words or load_words()
    candidates = [unit_tok.head, *unit_tok.children]
    return any(t.lower_ in words.offset_words and t.pos_ in {"ADV", "ADJ"}
               and not any(c.lower_ in TIME_OF_DAY_PREPOSITIONS for c in t.children) for t in candidates)


def not_a_length(q: Quantity, unit_tok: Token, text: str) -> bool:
    return is_rate(q, text) or is_offset(unit_tok)
