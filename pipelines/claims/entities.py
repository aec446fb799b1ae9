"""Canonical entity ids across spellings and transliterations.

Two mechanisms: a gazetteer (entities.yaml) for aliases that no rule can bridge, and a folding key
that erases the usual transliteration variants (accents, -iy/-i/-y endings, ie/e, doubled letters),
so unseen variants of an unlisted name still meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

GAZETTEER = Path(__file__).with_name("entities.yaml")
KIND_OF_SECTION = {"people": "person", "places": "place", "orgs": "org"}
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_LEADING_THE = re.compile(r"^the\s+", re.I)


def fold(text: str) -> str:
    """Lower case, no accents, no possessive, single spaces."""
    if not text.isascii():  # ASCII has no accents to take off (most names: tens of thousands a run)
        text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = _POSSESSIVE.sub("", text.strip())
    text = _LEADING_THE.sub("", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def translit_key(text: str) -> str:
    """A key under which common transliteration variants of one name coincide."""
    words = []
    for word in fold(text).split():
        word = re.sub(r"(iy|yy|ij|ii|yi)$", "y", word)
        word = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])i$", "y", word)  # Medinski -> Medinsky
        word = word.replace("ie", "e").replace("kh", "h").replace("ck", "k").replace("j", "y")
        word = re.sub(r"(.)\1+", r"\1", word)  # doubled letters
        words.append(word)
    return " ".join(words)


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str
    kind: str


class Resolver:
    """Maps a mention to an entity, registering unseen names under their folded key."""

    def __init__(self, gazetteer: Path = GAZETTEER) -> None:
        data = yaml.safe_load(gazetteer.read_text(encoding="utf-8")) or {}
        self.entities: dict[str, Entity] = {}
        self._by_key: dict[str, str] = {}
        self.patterns: list[dict[str, str]] = []
        for section, kind in KIND_OF_SECTION.items():
            for entity_id, aliases in (data.get(section) or {}).items():
                self.entities[entity_id] = Entity(entity_id, aliases[0], kind)
                label = {"person": "PERSON", "place": "GPE", "org": "ORG"}[kind]
                for alias in aliases:
                    self._by_key.setdefault(translit_key(alias), entity_id)
                    if kind == "person":
                        self._by_key.setdefault(translit_key(alias).split()[-1], entity_id)
                    self.patterns.append({"label": label, "pattern": alias, "id": entity_id})

    def resolve(self, mention: str, kind: str = "person") -> Entity | None:
        key = translit_key(mention)
        if not key:
            return None
        if key in self._by_key:
            return self.entities[self._by_key[key]]
        # A surname alone matches a listed full name ending with it ("Medinskiy" -> Vladimir Medinsky).
        last = key.split()[-1]
        if last in self._by_key:
            return self.entities[self._by_key[last]]
        entity_id = fold(mention).replace(" ", "-")
        if entity_id not in self.entities:
            self.entities[entity_id] = Entity(entity_id, mention.strip(), kind)
        self._by_key[key] = entity_id
        if kind == "person" and " " in key:
            # later mentions by surname alone ("Smith said") reach the full name
            self._by_key.setdefault(last, entity_id)
        return self.entities[entity_id]

    def aliases(self) -> list[tuple[str, str]]:
        return sorted(self._by_key.items())


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    return Resolver()
