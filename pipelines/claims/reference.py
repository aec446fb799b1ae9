"""Which occurrence a running count is of: this event's, or another, older one.

"The deadliest since 2018, when 189 died" and "the 1989 disaster that killed 97" give figures of
other occurrences; an anniversary feature recounts an old one. Such a figure is not the event's
toll: it is stored as ``<attribute>.history`` (a trap of the eval contract), kept for analysts and
never compared with the event's own figures. The thresholds and cues are data (reference.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipelines.claims.catalog import Attribute, read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.models import EventHint

DEFAULT_REFERENCE = Path(__file__).with_name("reference.yaml")
TITLE_WEIGHT = 3
LEAD_WEIGHT = 2
HISTORY = "history"


class ReferenceError(ValueError):
    pass


@dataclass(frozen=True)
class ReferenceRules:
    history_min_days: int
    comparison_heads: frozenset[str]
    retrospective_cues: tuple[re.Pattern[str], ...]
    lead_sentences: int
    min_score: int


@lru_cache(maxsize=4)
def load_reference(path: Path = DEFAULT_REFERENCE) -> ReferenceRules:
    data = read_yaml(path, ReferenceError) or {}
    try:
        return ReferenceRules(
            history_min_days=int(data["history_min_days"]),
            comparison_heads=frozenset(str(w).lower() for w in data.get("comparison_heads") or ()),
            retrospective_cues=tuple(re.compile(p, re.I) for p in data.get("retrospective_cues") or ()),
            lead_sentences=int(data.get("retrospective_lead_sentences", 5)),
            min_score=int(data.get("retrospective_min_score", 2)),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ReferenceError(f"{path}: {exc}") from exc


def retrospective(ctx: ArticleContext, rules: ReferenceRules | None = None) -> bool:
    """The article looks back at an old occurrence (its title or lead speaks of an anniversary,
    a centenary, "a century ago"): its running counts are that occurrence's, not news."""
    cache = ctx.doc.user_data.setdefault("newswatch.retrospective", {})
    if "value" not in cache:
        rules = rules or load_reference()
        lead = " ".join(s.text for _, s in zip(range(rules.lead_sentences), ctx.doc.sents, strict=False))
        title = ctx.article.title or ""
        score = sum(TITLE_WEIGHT * bool(p.search(title)) + LEAD_WEIGHT * bool(p.search(lead))
                    for p in rules.retrospective_cues)
        cache["value"] = score >= rules.min_score
    return bool(cache["value"])


def of_another_occurrence(hint: EventHint, sentence: str, rules: ReferenceRules | None = None) -> bool:
    """The figure's sentence recalls an occurrence dated well before the article's own, and says its
    year: a weekday and month alone ("Sunday, March 5") may have been resolved into the wrong year."""
    if not hint.recalled or hint.occurrence_date is None:
        return False
    if not re.search(rf"\b{hint.occurrence_date.year}\b", sentence):
        return False
    if hint.reference_date is None:
        # an undated article: only a year of its own ("in 1999") says the figure is old
        return hint.date_precision == "year"
    rules = rules or load_reference()
    return (hint.reference_date - hint.occurrence_date).days >= rules.history_min_days


def in_comparison(anchor: Token, rules: ReferenceRules | None = None) -> bool:
    """A comparison word stands above the figure: it is said of the occurrence compared with."""
    heads = (rules or load_reference()).comparison_heads
    return any(t.lower_ in heads and t.dep_ in {"prep", "mark"} for t in anchor.ancestors)


def history_attribute(attr: Attribute, attribute: str, hint: EventHint, anchor: Token, sentence: str,
                      ctx: ArticleContext) -> str:
    """``attribute`` unless the figure is a running count of another occurrence."""
    if attr.kind != "cumulative" or attr.derived:
        return attribute
    if of_another_occurrence(hint, sentence) or in_comparison(anchor) or retrospective(ctx):
        return f"{attr.name}.{HISTORY}"
    return attribute
