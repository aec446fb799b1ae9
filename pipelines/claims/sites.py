"""One site of several: in an attack at more than one place, the dead or injured of one site are a
part of the occurrence's count ("the blast at the airport killed 12" beside "a second bomb hit a
subway station, where 16 died"), not the whole; a figure said of all the sites ("at both mosques")
stays the whole. The words are data (sites.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from pipelines.claims.attributes import VERB_POS, words_of
from pipelines.claims.catalog import read_word_lists
from pipelines.claims.figures import Draft

SITES_DATA = Path(__file__).with_name("sites.yaml")
FIELDS = ("stories", "attack_nouns", "sites", "several_words", "plural_counters", "whole_words")
COUNT_DEPS = {"det", "nummod", "amod", "predet", "quantmod", "compound"}
# Clauses through which a figure is still said of the verb above it ("bombs went off at the
# airport, killing nine"), and those hanging from the noun they tell of ("the station, where 16 died").
CHAINED_CLAUSES = {"advcl", "xcomp", "conj"}
NOUN_CLAUSES = {"relcl", "acl"}
MAX_CLIMB = 8
PHRASE_PREPOSITIONS = {"at", "in", "inside", "on", "near", "outside", "through", "into"}


class SitesError(ValueError):
    pass


@dataclass(frozen=True)
class SiteWords:
    stories: frozenset[str]
    attack_nouns: frozenset[str]
    sites: frozenset[str]
    several_words: frozenset[str]
    plural_counters: frozenset[str]
    whole_words: frozenset[str]


@lru_cache(maxsize=2)
def load_site_words(path: Path = SITES_DATA) -> SiteWords:
    return SiteWords(**read_word_lists(path, FIELDS, SitesError))


def _is(tok: Token, nouns: frozenset[str]) -> bool:
    return tok.pos_ in {"NOUN", "PROPN"} and bool(words_of(tok) & nouns)


def _counted_several(tok: Token, words: SiteWords) -> bool:
    counters = words.several_words | words.plural_counters if tok.tag_ in {"NNS", "NNPS"} else words.several_words
    return any(c.dep_ in COUNT_DEPS and c.lower_ in counters for c in tok.children)


def tells_several_sites(doc: Doc, words: SiteWords) -> bool:
    """The article tells of an attack at more than one place: an attack or site noun counted as
    more than one ("two explosions", "a second blast", "both mosques", "a second mosque")."""
    return any((_is(t, words.attack_nouns) or _is(t, words.sites)) and _counted_several(t, words) for t in doc)


def _site_in(tok: Token, words: SiteWords) -> Token | None:
    """A site in the place phrases of a word: "at the airport", "through the hall of the airport"."""
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in PHRASE_PREPOSITIONS):
        found = next((t for t in prep.subtree if _is(t, words.sites)), None)
        if found is not None:
            return found
    return None


def _site_of_noun(noun: Token, words: SiteWords) -> Token | None:
    """The site a noun a figure's clause tells of is, or names: "the station, where 16 died",
    "the attack at the airport that killed 11"."""
    if _is(noun, words.sites):
        return noun
    if _is(noun, words.attack_nouns):
        named = next((c for c in noun.children if c.dep_ == "compound" and _is(c, words.sites)), None)
        return named or _site_in(noun, words)  # "the subway attack", "the attack at the airport"
    return None


def _site_of_verb(verb: Token, words: SiteWords) -> Token | None:
    """A site a verb's place phrases, subject or object name: "went off at the airport", "a second
    blast hit a subway station"."""
    return _site_in(verb, words) or next(
        (s for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}
         for s in [_site_of_noun(c, words)] if s is not None), None)


def figure_site(d: Draft, words: SiteWords) -> Token | None:
    """The site the figure is said of: in its own place phrases, those of the verbs its clause hangs
    from, or the noun its relative clause tells of (or, when the parser hangs that clause from a
    nearer noun, "a subway station near the parliament, which left 15 dead", the verb above it)."""
    found = _site_in(d.reading.counted or d.anchor, words)
    tok = d.anchor
    for _ in range(MAX_CLIMB):
        if found is not None or tok.head.i == tok.i:
            break
        dep, tok = tok.dep_, tok.head
        if tok.pos_ in VERB_POS:
            found = _site_of_verb(tok, words)
            if tok.dep_ not in CHAINED_CLAUSES | NOUN_CLAUSES | {"prep", "pcomp"} and found is None:
                break
        elif dep in NOUN_CLAUSES:
            found = _site_of_noun(tok, words)
    return found


def _name(site: Token) -> str:
    """The proper name a site is written with ("Lakeside airport": lakeside), else ""; the same
    place is often given by other nouns ("the Manchester Arena", "the Manchester venue")."""
    names = [t.lower_ for t in site.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    return " ".join(names) if names else ""


def _whole(d: Draft, site: Token, words: SiteWords) -> bool:
    """Said of all the sites: a whole word in the figure's words, or the site counted as several or
    joined with another ("at the airport and a metro station")."""
    if any(t.lower_ in words.whole_words and t.i != d.anchor.i for t in d.local):
        return True
    if any(c.dep_ in COUNT_DEPS and c.lower_ in words.whole_words for c in site.children):
        return True
    return site.dep_ == "conj" or any(c.dep_ == "conj" and _is(c, words.sites) for c in site.children)


def settle_sites(drafts: list[Draft], doc: Doc, story: str | None) -> None:
    """Mark one site's figures as parts in an attack at several sites: an article that says so, or
    gives figures for two sites of other names."""
    words = load_site_words()
    if story not in words.stories:
        return
    candidates = [(d, figure_site(d, words)) for d in drafts
                  if d.attr.kind == "cumulative" and not d.attr.derived and d.scope == d.attr.scope_default]
    found = [(d, s) for d, s in candidates if s is not None and not _whole(d, s, words)]
    if not found or (len({_name(s) for _, s in found} - {""}) < 2 and not tells_several_sites(doc, words)):
        return  # several sites: told so, or figures given for two sites of other names
    for d, site in found:
        d.scope, d.marked, d.place = "subset", True, site.lemma_.lower()
