"""Constant-time lookups spaCy does linearly: the tokens under a character range and the sentence
of a token. Both are called once per figure, so on a long article the linear versions turn the
extraction quadratic. The index is built once per document and kept in ``doc.user_data``."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token

_KEY = "newswatch.span_index"


class _Index:
    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        self.ends = [t.idx + len(t.text) for t in doc]
        self.sents = list(doc.sents)
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        self.ents: list[list[Span]] = [[] for _ in self.sents]
        for ent in doc.ents:
            self.ents[self.sent_of[ent.start]].append(ent)


def _index(doc: Doc) -> _Index:
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = _Index(doc)
    return found


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens overlapping ``text[start:end]`` (spaCy's ``alignment_mode="expand"``)."""
    idx = _index(doc)
    first = bisect_right(idx.ends, start)
    stop = bisect_left(idx.starts, end)
    return doc[first:stop] if first < stop else None


def sentence_of(tok: Token) -> Span:
    idx = _index(tok.doc)
    return idx.sents[idx.sent_of[tok.i]]


def sentences(doc: Doc) -> list[Span]:
    return _index(doc).sents


def sentence_ents(sentence: Span) -> list[Span]:
    """The named entities of a sentence (``Span.ents`` rescans the whole document each time)."""
    idx = _index(sentence.doc)
    return idx.ents[idx.sent_of[sentence.start]]


def previous_sentences(sentence: Span, n: int) -> list[Span]:
    idx = _index(sentence.doc)
    k = idx.sent_of[sentence.start]
    return idx.sents[max(k - n, 0):k]


def text_of(doc: Doc) -> str:
    """``doc.text`` once: spaCy rebuilds the string from its tokens on every access."""
    return _index(doc).text
