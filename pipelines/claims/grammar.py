"""The number grammar's vocabulary, read from the YAML files beside this module.

`units.yaml` says what a number measures and how to convert it; `mentions.yaml` says what around
a number makes a range, a pair, an age, a year, or not a quantity at all. (`numbers.yaml` is read
by `numbers.py`, `hedges.yaml` by `hedges.py`.) Each file is read once into a frozen object; a
missing or malformed table is a clear error naming the file, not a silent empty vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from pipelines.claims.numbers import fraction
from pipelines.claims.tokens import Forms, surface

UNITS_PATH = Path(__file__).with_name("units.yaml")
MENTIONS_PATH = Path(__file__).with_name("mentions.yaml")

T = TypeVar("T")


def _words(items: Iterable[object]) -> frozenset[str]:
    return frozenset(str(w).lower() for w in items)


def _forms(table: Mapping[object, T]) -> dict[tuple[str, ...], T]:
    return {surface(form): value for form, value in table.items()}


def _read(path: Path, build: Callable[[dict[str, Any]], T]) -> T:
    try:
        return build(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise ValueError(f"{path.name}: malformed grammar table ({err!r})") from err


@dataclass(frozen=True)
class UnitWords:
    durations: dict[str, float]  # form -> minutes
    attached_durations: dict[str, float]
    not_after_article: frozenset[str]
    added_before_duration: frozenset[str]
    unit_long: tuple[str, ...]
    percent_forms: Forms[str]
    percent_symbols: frozenset[str]
    percent_glued_only: frozenset[str]
    currency_symbols: dict[str, str]
    currency_codes: dict[str, str]  # lower case -> code
    currency_abbreviations: dict[str, str]
    currency_words: dict[str, str]
    dollar_prefixes: dict[str, str]
    measures: dict[str, str]
    magnitude_before: frozenset[str]
    magnitude_hedges: frozenset[str]
    length_words: frozenset[str]
    metres_from: float


def _unit_words(data: dict[str, Any]) -> UnitWords:
    durations = {
        str(form): fraction(spec["minutes"]) for spec in data["durations"].values() for form in spec["forms"]
    }
    cur, pct = data["currencies"], data["percent"]
    return UnitWords(
        durations=durations,
        attached_durations={str(k): fraction(v) for k, v in data["attached_durations"].items()},
        not_after_article=_words(data["not_after_article"]),
        added_before_duration=_words(data["added_before_duration"]),
        unit_long=tuple(str(u) for u in data["unit_long"]),
        percent_forms=Forms({k: str(v) for k, v in _forms(pct["forms"]).items()}),
        percent_symbols=frozenset(pct["symbols"]),
        percent_glued_only=_words(pct["glued_only"]),
        currency_symbols={str(k): str(v) for k, v in cur["symbols"].items()},
        currency_codes={str(c).lower(): str(c) for c in cur["codes"]},
        currency_abbreviations={str(k): str(v) for k, v in cur["abbreviations"].items()},
        currency_words={str(k): str(v) for k, v in cur["words"].items()},
        dollar_prefixes={str(k): str(v) for k, v in cur["dollar_prefixes"].items()},
        measures={str(k): str(v) for k, v in data["measures"].items()},
        magnitude_before=_words(data["magnitude_before"]),
        magnitude_hedges=_words(data.get("magnitude_hedges") or []),
        length_words=_words(data["length_words"]),
        metres_from=float(data["metres_from"]),
    )


@lru_cache(maxsize=4)
def load_units(path: Path = UNITS_PATH) -> UnitWords:
    return _read(path, _unit_words)


@dataclass(frozen=True)
class Connector:
    """A word joining the two ends of a range, and when it may."""

    digits: bool = False  # both ends must be digits ("10-12")
    prefix: str | None = None  # only after this opening word ("between 3 and 4")
    max_ratio: float | None = None  # not when the high end is this many times the low ("two or 300")


@dataclass(frozen=True)
class MentionWords:
    months: frozenset[str]
    time_words: frozenset[str]
    labels: frozenset[str]
    capital_labels: frozenset[str]
    label_symbols: frozenset[str]
    label_abbreviations: frozenset[str]
    not_a_number_start: frozenset[str]
    repetition_words: frozenset[str]
    year_prepositions: frozenset[str]
    count_nouns: frozenset[str]
    not_plural: frozenset[str]
    one_next_stop: frozenset[str]
    one_prev_stop: frozenset[str]
    one_compounds: Forms[bool]
    range_prefixes: frozenset[str]
    range_inner_hedges: frozenset[str]
    range_connectors: dict[str, Connector]
    change_verbs: frozenset[str]
    change_openers: dict[str, float]
    change_amounts: frozenset[str]
    score_separators: frozenset[str]
    pair_word: str
    pair_after: Forms[str]
    age_after: frozenset[str]
    age_before: frozenset[str]


def _connector(spec: dict[str, Any]) -> Connector:
    unknown = set(spec) - {"digits", "prefix", "max_ratio"}
    if unknown:
        raise ValueError(f"unknown range connector keys {sorted(unknown)}")
    ratio = spec.get("max_ratio")
    return Connector(
        bool(spec.get("digits", False)), spec.get("prefix"), None if ratio is None else float(ratio)
    )


def _mention_words(data: dict[str, Any]) -> MentionWords:
    ranges, pairs, one, ages = data["ranges"], data["pairs"], data["one"], data["ages"]
    connectors = {str(word): _connector(spec or {}) for word, spec in ranges["connectors"].items()}
    return MentionWords(
        months=_words(data["months"]),
        time_words=_words(data["time_words"]),
        labels=_words(data["labels"]),
        capital_labels=_words(data["capital_labels"]),
        label_symbols=frozenset(data["label_symbols"]),
        label_abbreviations=_words(data["label_abbreviations"]),
        not_a_number_start=_words(data["not_a_number_start"]),
        repetition_words=_words(data["repetition_words"]),
        year_prepositions=_words(data["year_prepositions"]),
        count_nouns=_words(data["count_nouns"]),
        not_plural=_words(data["not_plural"]),
        one_next_stop=_words(one["next_stop"]),
        one_prev_stop=_words(one["prev_stop"]),
        one_compounds=Forms({surface(form): True for form in one.get("compounds") or ()}),
        range_prefixes=_words(ranges["prefixes"]),
        range_inner_hedges=_words(ranges["inner_hedges"]),
        range_connectors=connectors,
        change_verbs=_words(ranges["change_verbs"]),
        change_openers={str(k): float(v) for k, v in ranges["change_openers"].items()},
        change_amounts=_words(ranges["change_amounts"]),
        score_separators=frozenset(ranges["score_separators"]),
        pair_word=str(pairs["word"]),
        pair_after=Forms({surface(form): "pair" for form in pairs["after"]}),
        age_after=_words(ages["after"]),
        age_before=_words(ages["before"]),
    )


@lru_cache(maxsize=4)
def load_mentions(path: Path = MENTIONS_PATH) -> MentionWords:
    return _read(path, _mention_words)
