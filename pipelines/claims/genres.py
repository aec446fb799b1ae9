"""Genres of article that tell no occurrence of the catalog although they share its words: a race
report's crash, a match report's injured players. In an article whose genre cues weigh at least as
much as its story's, a count of the genre's own participants ("three riders have been taken to
hospital") is no count of victims. The words are data (genres.yaml)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from pipelines.claims.attributes import words_of
from pipelines.claims.catalog import read_yaml
from pipelines.claims.stories import weighted_tokens

GENRES_DATA = Path(__file__).with_name("genres.yaml")


class GenresError(ValueError):
    pass


@dataclass(frozen=True)
class Genre:
    name: str
    cues: frozenset[str]
    participants: frozenset[str]


@lru_cache(maxsize=2)
def load_genres(path: Path = GENRES_DATA) -> tuple[Genre, ...]:
    data = read_yaml(path, GenresError) or {}
    genres = []
    for name, spec in data.items():
        if not isinstance(spec, dict) or not all(isinstance(spec.get(f), list) for f in ("cues", "participants")):
            raise GenresError(f"{path}: genre {name!r} needs word lists cues and participants")
        genres.append(Genre(str(name), frozenset(str(w).lower() for w in spec["cues"]),
                            frozenset(str(w).lower() for w in spec["participants"])))
    return tuple(genres)


def genre_scores(doc: Doc, title_doc: Doc | None) -> Counter[str]:
    """Each genre's cue weight in the article, weighed as story cues are."""
    scores: Counter[str] = Counter()
    genres = load_genres()
    for tok, weight in weighted_tokens(doc, title_doc):
        words = words_of(tok)
        for genre in genres:
            if words & genre.cues:
                scores[genre.name] += weight
    return scores


def participants_of(genres: Counter[str], story_score: int) -> frozenset[str]:
    """The participant nouns of the genres that weigh at least as much as the article's story."""
    found: frozenset[str] = frozenset()
    for genre in load_genres():
        if genres[genre.name] and genres[genre.name] >= story_score:
            found |= genre.participants
    return found


def is_participant(noun: Token | None, participants: frozenset[str]) -> bool:
    return noun is not None and bool(words_of(noun) & participants)
