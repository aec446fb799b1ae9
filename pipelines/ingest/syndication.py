"""Syndicated copies: the same wire story on several sites is one source, not several.

Near-duplicates are found with word 5-gram shingles compared by their overlap coefficient
(|A and B| / min(|A|, |B|)), the classic near-duplicate measure (Broder 1997). Overlap rather than
Jaccard because reposting sites trim the last paragraphs or add a line of their own, which lowers
Jaccard but not overlap; a size-ratio floor keeps a short item from matching a long roundup that
quotes it. Only articles fetched in the last few days are compared (syndication happens within
hours), and one run computes each text's shingles once.

The index is inverted (shingle -> the stored articles that have it), so a new text meets only the
articles it shares a shingle with, and the count of shared shingles it gathers per article is the
exact intersection: the verdicts are the ones comparing it with every stored text gives, at a cost
that follows how much the texts overlap rather than how many are stored (comparing each new text
with every stored one made a run quadratic in its articles).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from datetime import datetime, timedelta

import duckdb

from pipelines import db

SHINGLE_WORDS = 5
MIN_SHINGLES = 20     # below this, two texts share too little to call one a copy
MIN_SIZE_RATIO = 0.5  # the shorter text has at least half the longer one's shingles
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE_WORDS) -> frozenset[int]:
    """Hashed k-word shingles of the text, case and punctuation ignored."""
    words = _WORD.findall(text.casefold())
    return frozenset(zlib.crc32(" ".join(words[i:i + k]).encode("utf-8")) for i in range(len(words) - k + 1))


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Overlap coefficient of two shingle sets; 0 when either is too small or sizes are too far apart."""
    small, large = sorted((len(a), len(b)))
    if small < MIN_SHINGLES or small < MIN_SIZE_RATIO * large:
        return 0.0
    return len(a & b) / small


class SyndicationIndex:
    """Shingles of recently stored articles, loaded once per run and extended as articles arrive."""

    def __init__(self, threshold: float) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"syndication threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._ids: list[str] = []                # ref -> article id
        self._sizes: list[int] = []              # ref -> number of shingles (0 once replaced)
        self._rank: dict[str, int] = {}          # article id -> when it was first added (ties go to the earliest)
        self._postings: dict[int, list[int]] = {}  # shingle -> refs of the articles that have it
        self._last: tuple[str, frozenset[int]] = ("", frozenset())  # a text compared, then often added

    def _shingles(self, text: str) -> frozenset[int]:
        if self._last[0] is not text:
            self._last = (text, shingles(text))
        return self._last[1]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, threshold: float, window_days: float, now: datetime) -> SyndicationIndex:
        index = cls(threshold)
        for row in db.rows(con, "ingest/recent_texts", {"since": now - timedelta(days=window_days)}):
            index.add(row["article_id"], row["text"])
        return index

    def __len__(self) -> int:
        return len(self._rank)

    def add(self, article_id: str, text: str) -> None:
        """Index a stored article; adding an id again replaces its text."""
        if article_id in self._rank:
            for ref, known in enumerate(self._ids):
                if known == article_id:
                    self._sizes[ref] = 0  # the old text no longer counts
        else:
            self._rank[article_id] = len(self._rank)
        ref = len(self._ids)
        mine = self._shingles(text)
        self._ids.append(article_id)
        self._sizes.append(len(mine))
        for shingle in mine:
            self._postings.setdefault(shingle, []).append(ref)

    def forget(self, article_id: str) -> None:
        """Take an article out of the index (one that was added but then not stored)."""
        if self._rank.pop(article_id, None) is None:
            return
        for ref, known in enumerate(self._ids):
            if known == article_id:
                self._sizes[ref] = 0

    def original_of(self, text: str) -> tuple[str, float] | None:
        """The stored article this text copies (most similar above the threshold, the earliest
        stored on a tie), or None."""
        mine = self._shingles(text)
        if len(mine) < MIN_SHINGLES:
            return None
        shared: Counter[int] = Counter()
        for shingle in mine:
            refs = self._postings.get(shingle)
            if refs:
                shared.update(refs)
        best: tuple[str, float] | None = None
        for ref, count in shared.items():
            if not self._sizes[ref]:
                continue
            small, large = sorted((len(mine), self._sizes[ref]))
            if small < MIN_SHINGLES or small < MIN_SIZE_RATIO * large:
                continue  # as ``similarity``: too small, or sizes too far apart
            score = count / small
            article_id = self._ids[ref]
            if score >= self.threshold and (
                best is None or score > best[1]
                or (score == best[1] and self._rank[article_id] < self._rank[best[0]])
            ):
                best = (article_id, score)
        return best


def originals(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Copy article id -> original article id, for the sources of ``pipelines.detect.detect``.

    Copies are not stored as articles, so they have no claims of their own; the map lets anything
    keyed by a copy's id (its canonical-URL hash) find the one source it belongs to.
    """
    return {r["copy_id"]: r["original_id"] for r in db.rows(con, "ingest/originals")}
