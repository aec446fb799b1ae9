"""Syndicated copies: the same wire story on several sites is one source, not several.

Near-duplicates are found with word 5-gram shingles compared by their overlap coefficient
(|A and B| / min(|A|, |B|)), the classic near-duplicate measure (Broder 1997). Overlap rather than
Jaccard because reposting sites trim the last paragraphs or add a line of their own, which lowers
Jaccard but not overlap; a size-ratio floor keeps a short item from matching a long roundup that
quotes it. Exact shingle sets are affordable here: only articles fetched in the last few days are
compared (syndication happens within hours), and one run computes each text's shingles once.
MinHash (e.g. datasketch) would be the step up for a much larger window; it is not installed.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
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


@dataclass
class SyndicationIndex:
    """Shingles of recently stored articles, loaded once per run and extended as articles arrive."""

    threshold: float
    texts: dict[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, threshold: float, window_days: float, now: datetime) -> SyndicationIndex:
        index = cls(threshold)
        for row in db.rows(con, "ingest/recent_texts", {"since": now - timedelta(days=window_days)}):
            index.texts[row["article_id"]] = shingles(row["text"])
        return index

    def add(self, article_id: str, text: str) -> None:
        self.texts[article_id] = shingles(text)

    def original_of(self, text: str) -> tuple[str, float] | None:
        """The stored article this text copies (most similar above the threshold), or None."""
        mine = shingles(text)
        best: tuple[str, float] | None = None
        for article_id, theirs in self.texts.items():
            score = similarity(mine, theirs)
            if score >= self.threshold and (best is None or score > best[1]):
                best = (article_id, score)
        return best


def originals(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Copy article id -> original article id, for the sources of ``pipelines.detect.detect``.

    Copies are not stored as articles, so they have no claims of their own; the map lets anything
    keyed by a copy's id (its canonical-URL hash) find the one source it belongs to.
    """
    return {r["copy_id"]: r["original_id"] for r in db.rows(con, "ingest/originals")}
