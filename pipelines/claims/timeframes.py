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
from pipelines.claims.spans import text_of

DEFAULT_TIMEFRAMES = Path(__file__).with_name("timeframes.yaml")

PERIOD_UNITS = r"(?:second|minute|hour|day|night|week|month|year|session|round)s?"


class TimeframeDataError(ValueError):
    pass


@dataclass(frozen=True)
class TimeframeWords:
    rate_after: re.Pattern[str]     # text right after a duration that makes it a rate
    rate_itself: re.Pattern[str]    # a duration mention that is the period of a rate ("a day")
    offset_words: frozenset[str]
    extend_verbs: frozenset[str]
    earlier_modifiers: frozenset[str]
    stretch_words: frozenset[str] = frozenset()
    instead_before: re.Pattern[str] | None = None  # text right before a duration that did not happen


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
            extend_verbs=frozenset(str(w).lower() for w in data["extend_verbs"]),
            earlier_modifiers=frozenset(str(w).lower() for w in data["earlier_modifiers"]),
            stretch_words=frozenset(str(w).lower() for w in data.get("stretch_words") or ()),
            instead_before=_instead_pattern(data.get("instead_openers") or ()),
        )
    except (KeyError, TypeError) as exc:
        raise TimeframeDataError(f"{path}: {exc}") from exc


def _instead_pattern(openers: object) -> re.Pattern[str] | None:
    """"instead of (the planned) 30 minutes": the opener, then at most two words before the figure."""
    if not isinstance(openers, list | tuple) or not openers:
        return None
    alternatives = "|".join(re.escape(str(w)) for w in openers)
    return re.compile(rf"\b(?:{alternatives})\s+(?:[\w-]+\s+){{0,2}}$", re.I)


def is_instead(q: Quantity, text: str, words: TimeframeWords | None = None) -> bool:
    """"ran past two hours rather than the planned 40 minutes": the length it would have had."""
    words = words or load_words()
    return words.instead_before is not None and bool(words.instead_before.search(text[max(0, q.start - 40):q.start]))


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


def count_is_rate(anchor: Token, words: TimeframeWords | None = None) -> bool:
    """"release about 12 hostages each day", "freed 30 a day": a count per period (a daily batch),
    not the count of the whole occurrence."""
    words = words or load_words()
    counted = anchor.head if anchor.dep_ in {"nummod", "quantmod"} and anchor.head.i > anchor.i else anchor
    end = counted.idx + len(counted.text)
    return bool(words.rate_after.match(text_of(counted.doc)[end:end + 24]))


# "lasted six hours, late into the night": "late" says when, not by how much
TIME_OF_DAY_PREPOSITIONS = {"into", "in", "on", "at", "until", "till"}


def is_offset(unit_tok: Token, words: TimeframeWords | None = None) -> bool:
    """"ended nearly two hours early", "an hour longer than planned": a difference, not a length."""
    words = words or load_words()
    candidates = [unit_tok.head, *unit_tok.children]
    return any(t.lower_ in words.offset_words and t.pos_ in {"ADV", "ADJ"}
               and not any(c.lower_ in TIME_OF_DAY_PREPOSITIONS for c in t.children) for t in candidates)


def is_stretch(unit_tok: Token, words: TimeframeWords | None = None) -> bool:
    """"the first three days of the truce", "the past two days": a stretch of a span, not its length."""
    words = words or load_words()
    return any(c.dep_ == "amod" and c.lower_ in words.stretch_words for c in unit_tok.children)


def not_a_length(q: Quantity, unit_tok: Token, text: str) -> bool:
    return is_rate(q, text) or is_offset(unit_tok) or is_stretch(unit_tok) or is_instead(q, text)


def extends_earlier(governor: Token | None, words: TimeframeWords | None = None) -> bool:
    """The length of a truce that is being extended, or is called initial or existing: that of the
    earlier agreement ("agreed to extend the four-day truce"), whatever day the report is from.
    ``governor`` is the noun the duration describes ("truce" in "a four-day truce")."""
    words = words or load_words()
    if governor is None or governor.pos_ not in {"NOUN", "PROPN"}:
        return False
    if any(c.dep_ == "amod" and c.lower_ in words.earlier_modifiers for c in governor.children):
        return True
    head = governor.head
    return governor.dep_ in {"dobj", "nsubjpass"} and (head.lemma_ or head.text).lower() in words.extend_verbs


def extension_of(unit_tok: Token) -> tuple[Token, Token] | None:
    """(the extending verb, what it extends) for "extend the truce by/for two (more) days"."""
    head = unit_tok.head
    if unit_tok.dep_ != "pobj" or head.lower_ not in {"by", "for"}:
        return None
    verb = head.head
    if verb.pos_ not in {"VERB", "AUX"} or (verb.lemma_ or verb.text).lower() not in load_words().extend_verbs:
        return None
    noun = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    return (verb, noun) if noun is not None else None


EXTENSION = "extension"


def is_extension(unit_tok: Token, governor: Token | None) -> bool:
    """The figure is the length of an extension ("extended by two days", "a two-day extension"):
    an occasion of its own, next to the truce it extends."""
    if extension_of(unit_tok) is not None:
        return True
    return governor is not None and (governor.lemma_ or governor.text).lower() in {"extension", "prolongation"}
