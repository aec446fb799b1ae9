"""How sure we are of a claim (0..1) and why: the reasons are stable tokens, their weights and cue
words are data (confidence.yaml). A claim starts at 1.0 and each reason multiplies in its weight.

Alerts need both sides above a threshold (``Settings.alert_min_confidence``); analysts see every
claim with its confidence and reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from pipelines.claims import sessions, sides
from pipelines.claims.casing import HEADLINE, in_headline
from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.figures import Draft
from pipelines.claims.spans import text_of

DEFAULT_CONFIDENCE = Path(__file__).with_name("confidence.yaml")
PART_UNCLEAR = "occasion.part_unclear"  # a length naming no part in an article that describes several


class ConfidenceError(ValueError):
    pass


@dataclass(frozen=True)
class Phrases:
    words: frozenset[str]           # single words: matched on lemma or surface form
    phrases: tuple[str, ...]        # several words: matched on the lower-cased text

    def found_in(self, tokens: Sequence[Token]) -> bool:
        if any({t.lower_, (t.lemma_ or t.text).lower()} & self.words for t in tokens):
            return True
        text = " " + " ".join(t.lower_ for t in tokens) + " "
        return any(f" {p} " in text for p in self.phrases)


@dataclass(frozen=True)
class ConfidenceRules:
    weights: dict[str, float]
    cues: dict[str, Phrases]

    def weight(self, reason: str) -> float:
        return self.weights.get(reason, 1.0)


def parse_rules(data: Any, source: str = "confidence") -> ConfidenceRules:
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise ConfidenceError(f"{source}: needs a 'weights' mapping of reason -> weight")
    weights: dict[str, float] = {}
    for reason, weight in data["weights"].items():
        if not isinstance(weight, (int, float)) or not 0 < float(weight) <= 1:
            raise ConfidenceError(f"{source}: weight of {reason} must be in (0, 1], got {weight!r}")
        weights[str(reason)] = float(weight)
    cues: dict[str, Phrases] = {}
    for reason, words in (data.get("cues") or {}).items():
        if reason not in weights:
            raise ConfidenceError(f"{source}: cues for {reason}, which has no weight")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ConfidenceError(f"{source}: cues of {reason} must be a list of words")
        lowered = [w.lower() for w in words]
        cues[str(reason)] = Phrases(frozenset(w for w in lowered if " " not in w),
                                    tuple(w for w in lowered if " " in w))
    return ConfidenceRules(weights, cues)


@lru_cache(maxsize=4)
def load_rules(path: Path | str = DEFAULT_CONFIDENCE) -> ConfidenceRules:
    path = Path(path)
    return parse_rules(read_yaml(path, ConfidenceError), str(path))


def scope_reason(d: Draft) -> str | None:
    if d.marked:
        return "scope.marked"
    if d.place_named:
        return "scope.place_named"
    if d.scope != "whole" and sides.applies_to(d):
        # "1,000 prisoners" read as per side with no "each"; a count of bodies is one side's
        # handover by definition, nothing is assumed
        return "scope.assumed"
    return None


def on_headline(d: Draft, ctx: ArticleContext) -> bool:
    """The figure sits on the article's headline line: the title repeated as the text's first line,
    a first line without closing punctuation, or a title-case line above the first line of prose."""
    text = text_of(ctx.doc)
    start = d.q.start  # the figure's own line: a headline without a full stop runs into the lead's parse
    if in_headline(text, start):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if text[:line_start].strip():
        return False
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else None].strip()
    title = (ctx.article.title or "").strip()
    return bool(line) and (line == title or line[-1] not in ".!?\"'”’:")


def reasons_of(d: Draft, ctx: ArticleContext, rules: ConfidenceRules) -> list[str]:
    reasons = [f"attribute.{d.reading.basis}"]
    scope = scope_reason(d)
    if scope:
        reasons.append(scope)
    for reason, phrases in rules.cues.items():
        if phrases.found_in(d.tokens):
            reasons.append(reason)
    if on_headline(d, ctx):
        reasons.append(HEADLINE)
    if sessions.part_unclear(d, ctx):
        reasons.append(PART_UNCLEAR)
    return reasons


def confidence_of(reasons: tuple[str, ...], rules: ConfidenceRules | None = None) -> float:
    rules = rules or load_rules()
    value = 1.0
    for reason in reasons:
        value *= rules.weight(reason)
    return round(value, 3)


def assess(d: Draft, ctx: ArticleContext, rules: ConfidenceRules | None = None) -> tuple[float, tuple[str, ...]]:
    """(confidence, reasons) of one drafted figure."""
    rules = rules or load_rules()
    reasons = tuple(reasons_of(d, ctx, rules))
    return confidence_of(reasons, rules), reasons
