"""Which occurrence a running count is of: this event's, or another, older one.

"The deadliest since 2018, when 189 died" and "the 1989 disaster that killed 97" give figures of
other occurrences; an anniversary feature recounts an old one. Such a figure is not the event's
toll: it is stored as ``<attribute>.history`` (a trap of the eval contract), kept for analysts and
never compared with the event's own figures. A count over a period ("1,700 people die on the roads
each year", "in 2009, 2,222 people died", "56 murders per 100,000 people") is of no occurrence:
``<attribute>.statistic``. The
thresholds and cues are data (reference.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipelines.claims.catalog import Attribute, read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.spans import text_of
from pipelines.models import EventHint

DEFAULT_REFERENCE = Path(__file__).with_name("reference.yaml")
TITLE_WEIGHT = 3
LEAD_WEIGHT = 2
BODY_WEIGHT = 1
HISTORY = "history"
STATISTIC = "statistic"
YEAR = re.compile(r"(19|20)\d\d")


class ReferenceError(ValueError):
    pass


@dataclass(frozen=True)
class ReferenceRules:
    history_min_days: int
    comparison_heads: frozenset[str]
    retrospective_cues: tuple[re.Pattern[str], ...]
    lead_sentences: int
    min_score: int
    lead_min_words: int = 1
    period_nouns: frozenset[str] = frozenset()
    rate_determiners: frozenset[str] = frozenset()
    rate_words: frozenset[str] = frozenset()
    period_preps: frozenset[str] = frozenset()
    not_rate_after: frozenset[str] = frozenset()
    rate_bases: frozenset[str] = frozenset()
    season_nouns: frozenset[str] = frozenset()
    season_determiners: frozenset[str] = frozenset()


RATE_FIELDS = ("period_nouns", "rate_determiners", "rate_words", "period_preps", "not_rate_after", "rate_bases",
               "season_nouns", "season_determiners")


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
            lead_min_words=int(data.get("retrospective_lead_min_words", 1)),
            **{f: frozenset(str(w).lower() for w in data.get(f) or ()) for f in RATE_FIELDS},
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ReferenceError(f"{path}: {exc}") from exc


def lead_sentences(doc: Doc, rules: ReferenceRules) -> list[Span]:
    """The article's first sentences, with the short ones among them (page furniture, a photo
    credit) read but not counted."""
    out: list[Span] = []
    counted = 0
    for sent in doc.sents:
        if counted >= rules.lead_sentences:
            break
        out.append(sent)
        counted += sum(t.is_alpha for t in sent) >= rules.lead_min_words
    return out


def retrospective(ctx: ArticleContext, rules: ReferenceRules | None = None) -> bool:
    """The article looks back at an old occurrence (its title or lead speaks of an anniversary,
    a centenary, "a century ago", a season's end): its running counts are that occurrence's, not
    news. A cue found only further down the body weighs least: it confirms the lead, it does not
    make a report history on its own."""
    cache = ctx.doc.user_data.setdefault("newswatch.retrospective", {})
    if "value" not in cache:
        rules = rules or load_reference()
        lead = " ".join(s.text for s in lead_sentences(ctx.doc, rules))
        title = ctx.article.title or ""
        score = 0
        for p in rules.retrospective_cues:
            placed = TITLE_WEIGHT * bool(p.search(title)) + LEAD_WEIGHT * bool(p.search(lead))
            score += placed or BODY_WEIGHT * bool(p.search(text_of(ctx.doc)))
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


def _per_period(tok: Token, rules: ReferenceRules) -> bool:
    """"each year", "a year", "per year", "every day"; not "a day after the storm", "in a year"."""
    if tok.lower_ not in rules.period_nouns and (tok.lemma_ or "").lower() not in rules.period_nouns:
        return False
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if after is not None and after.lower_ in rules.not_rate_after:
        return False
    if tok.dep_ == "pobj":  # "per year"; not "the worst in a year", "for a week"
        return tok.head.lower_ in rules.rate_determiners
    return any(c.dep_ in {"det", "amod"} and c.lower_ in rules.rate_determiners for c in tok.children)


def figure_verbs(anchor: Token) -> set[int]:
    """The figure's verb, and the verb it is joined to: a time put before the first of two joined
    clauses is the time of both ("This season, 12 died, and five are missing")."""
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return set()
    return {verb.i, verb.head.i} if verb.dep_ == "conj" else {verb.i}


def _whole_year(tok: Token, verbs: set[int], rules: ReferenceRules) -> bool:
    """"In 2009, 2,222 people died on the roads": a year as the time of the figure's own verb."""
    if tok.dep_ != "pobj" or not YEAR.fullmatch(tok.text) or tok.head.lower_ not in rules.period_preps:
        return False
    # "prior to the race and since 2012, there has been one": the preposition may be the conjunct
    # of another one on the verb
    prep = tok.head
    while prep.dep_ in {"conj", "prep", "advmod"} and prep.head.i != prep.i and prep.head.i not in verbs:
        prep = prep.head
    return prep.head.i in verbs


CLAUSE_DEPS = {"conj", "advcl", "ccomp", "relcl", "parataxis"}


def own_clause(anchor: Token) -> list[Token]:
    """The words of the figure's clause: its verb's subtree without the clauses hanging from it
    (another figure's time words, such as "a year" as a length, are still the clause's)."""
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in {"VERB", "AUX"}), anchor)
    out: list[Token] = []
    stack = [verb]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack += [c for c in tok.children if not (c.dep_ in CLAUSE_DEPS and c.pos_ in {"VERB", "AUX"})]
    return out


def _rate_base(tok: Token, rules: ReferenceRules) -> bool:
    """"per 100,000 people", "for every 100,000 residents": the base of a rate."""
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.lower_ in rules.rate_bases and after is not None and after.like_num


def _season(tok: Token, verbs: set[int], rules: ReferenceRules) -> bool:
    """"This season, 12 people died", "died during this season": a season's tally, said of the
    figure's own verb (not "the deadliest storm this season", which ranks one storm)."""
    if tok.lower_ not in rules.season_nouns or not any(
            c.dep_ == "det" and c.lower_ in rules.season_determiners for c in tok.children):
        return False
    head = tok.head.head if tok.dep_ == "pobj" else tok.head
    return head.i in verbs


def statistic(anchor: Token, rules: ReferenceRules | None = None) -> bool:
    """A count over a period, not of one occurrence: a rate ("road crashes kill 1,700 people each
    year", "the annual death toll", "per year", "five for every 100,000 people"), a season's ("this
    season, 12 people died") or a whole year's count ("in 2009, 2,222 people died", "since 2012
    there has been one fatality")."""
    rules = rules or load_reference()
    verbs = figure_verbs(anchor)
    for tok in own_clause(anchor):
        if (tok.lower_ in rules.rate_words or _per_period(tok, rules)) and tok.i != anchor.i:
            return True
        if _whole_year(tok, verbs, rules) or _rate_base(tok, rules) or _season(tok, verbs, rules):
            return True
    joined = verbs - {t.i for t in own_clause(anchor)}
    # the time put before the clause the figure's own is joined to
    fronted = [t for i in joined for c in anchor.doc[i].children if c.i < i and c.dep_ in {"npadvmod", "prep"}
               for t in c.subtree]
    return any(_whole_year(t, verbs, rules) or _season(t, verbs, rules) for t in fronted)


def history_attribute(attr: Attribute, attribute: str, hint: EventHint, anchor: Token, sentence: str,
                      ctx: ArticleContext) -> str:
    """``attribute`` unless the figure is a running count of another occurrence, or of a period."""
    if attr.kind != "cumulative" or attr.derived:
        return attribute
    if statistic(anchor):
        return f"{attr.name}.{STATISTIC}"
    if of_another_occurrence(hint, sentence) or in_comparison(anchor) or retrospective(ctx):
        return f"{attr.name}.{HISTORY}"
    return attribute
