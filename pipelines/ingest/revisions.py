"""Silent edits: figures that changed between two versions of one article. Pure."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

# A sentence ends at . ! or ? followed by space and a capital, quote or digit; good enough to line
# versions up, since both versions are cut the same way.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(A-Z0-9])")
_FIGURE = re.compile(r"\d(?:[\d,.]*\d)?")


@dataclass(frozen=True)
class FigureChange:
    old_sentence: str
    new_sentence: str
    old_figures: tuple[str, ...]
    new_figures: tuple[str, ...]


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for paragraph in text.splitlines():
        out.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return out


def figures(text: str) -> tuple[str, ...]:
    """Digit figures as written, separators removed ("1,000" and "1000" are the same figure)."""
    return tuple(m.group().replace(",", "") for m in _FIGURE.finditer(text))


def figure_changes(old: str, new: str) -> list[FigureChange]:
    """Changed passages whose figures differ; rewording that keeps every figure is not reported."""
    a, b = sentences(old), sentences(new)
    changes: list[FigureChange] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "replace":  # added or removed passages are news, not an edited figure
            continue
        before, after = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        old_figs, new_figs = figures(before), figures(after)
        if Counter(old_figs) != Counter(new_figs):
            changes.append(FigureChange(before, after, old_figs, new_figs))
    return changes
