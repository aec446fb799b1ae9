"""Hedges: the wording around a figure that turns it into an interval ("nearly", "or more").

The vocabulary and the interval rules are data (`hedges.yaml`); this module reads them, finds a
hedge written before or after a number, and applies a hedge's rule to a stated number or range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.claims.tokens import Forms, Tok, surface

HEDGES_PATH = Path(__file__).with_name("hedges.yaml")


@dataclass(frozen=True)
class _Bound:
    rel: float
    steps: float = 0.0
    min_gap: float = 0.0


@dataclass(frozen=True)
class _Grammar:
    rules: dict[str, tuple[_Bound | None, _Bound | None]]
    before: Forms[str]
    after: Forms[str]
    vague: Forms[tuple[str, float]]
    multipliers: Forms[tuple[str, float, float]]
    # after-forms that may sit between the number and its unit: "10,000-plus people", "40-odd years"
    before_unit: Forms[str]
    vague_not_after: dict[str, frozenset[str]]  # "the scores": a noun, not a number


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
        for side, table in (("before", before), ("after", after)):
            for form in spec.get(side) or []:
                key = surface(form)
                if table.get(key, name) != name:
                    raise ValueError(f"{path.name}: {form!r} is {side} both {table[key]!r} and {name!r}")
                table[key] = name
    vague: dict[tuple[str, ...], tuple[str, float]] = {}
    vague_not_after: dict[str, frozenset[str]] = {}
    for name, spec in (data.get("vague") or {}).items():
        rules[name] = (_Bound(1.0), None)
        vague_not_after[name] = frozenset(str(w).lower() for w in spec.get("not_after") or [])
        for form in spec["forms"]:
            vague[surface(form)] = (name, float(spec["value"]))
    multipliers: dict[tuple[str, ...], tuple[str, float, float]] = {}
    for name, spec in (data.get("multipliers") or {}).items():
        rules[name] = (_Bound(1.0), _Bound(1.0))
        for form in spec["forms"]:
            multipliers[surface(form)] = (name, float(spec["low"]), float(spec["high"]))
    starts = {surface(s)[0] for s in data.get("before_unit") or []}
    before_unit = {form: name for form, name in after.items() if form[0] in starts}
    return _Grammar(
        rules,
        Forms(before),
        Forms(after),
        Forms(vague),
        Forms(multipliers),
        Forms(before_unit),
        vague_not_after,
    )


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


def match_before(toks: Sequence[Tok], s: int) -> tuple[str, int] | None:
    """The longest hedge ending right before token s: (canonical, first token index)."""
    return load_grammar().before.ending(toks, s)
