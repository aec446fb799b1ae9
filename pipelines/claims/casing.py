"""Title-case headlines parsed as if written in sentence case.

"Death Toll Rises To 275 As Rescuers Search Rubble": the small model reads every capitalised word
as a proper noun, so the figure counts nothing, the verb is a name and the places are lost among
them. Lower-casing the whole line loses what must stay a name ("Turkey Quake: Thousands Killed",
"Trump-Kim Summit") and with it the places and parties that tell events apart. So only the words
that are no name are lower-cased, and the line is parsed in that sentence case:

- a word the gazetteer or the entity aliases know as (part of) a place, person or organisation
  keeps its capital, and so does a people's name ("Ukrainian", "Korean");
- the article itself says what the other words are: one it writes in lower case elsewhere is a
  common word; one it capitalises inside a sentence, and never writes in lower case, is a name;
- else a function word, or a word the model's dictionary knows (its lemmatizer's word lists,
  with the usual inflections), is common; any other word ("Haiyan", "Surfside") stays a name.

Lower-casing the first letter of a word keeps the text's length and every offset, so the parse of
the sentence-cased text is put back on the original words (``with_words``): quotes, offsets and
what a reader sees stay exactly the article's.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from pipelines.claims.entities import Resolver, fold
from pipelines.claims.nlp import get_nlp

# A line is a title-case heading when at least this share of its words longer than three letters
# start with a capital (as ``figures.is_heading`` judges body subheadings), and it is short.
TITLE_CASE_SHARE = 0.6
MAX_HEADING_CHARS = 160
MIN_LONG_WORDS = 2
WORD = re.compile(r"[^\W\d_]+")
# Names of several words ("Sri Lanka", "South Korean", "Grenfell Tower") are looked up whole.
MAX_NAME_WORDS = 4
# Inflections taken off before a word is looked up in the dictionary ("Rises", "Killed", "Searches").
SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
            ("ied", "y"), ("er", ""), ("est", ""))
# What a country's name adds to the stem of its people's name: Korea-n, Ital(y)-ian, Ukrain(e)-ian.
STEM_TAILS = ("", "a", "e", "y", "o")
ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


def title_case(line: str) -> bool:
    """A short line written in title case ("Death Toll Rises To 275 As Rescuers Search Rubble")."""
    line = line.strip()
    if not line or len(line) > MAX_HEADING_CHARS:
        return False
    words = [w for w in WORD.findall(line) if len(w) > 3]
    if len(words) < MIN_LONG_WORDS:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= TITLE_CASE_SHARE


def title_case_lines(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of the text's title-case lines."""
    start = 0
    for line in text.splitlines(keepends=True):
        if title_case(line):
            yield start, start + len(line)
        start += len(line)


# The page's headline: a title-case line among its first lines, before the first line of prose
# (what stands above the headline is a section name, a date, a link: "Natural Disasters").
HEADLINE_LINES = 5
HEADLINE = "position.headline"  # the confidence reason of a figure on the headline
PROSE_WORDS = 12
PROSE_END = re.compile(r"[.!?][\"'”’)]?$")


def _prose(line: str) -> bool:
    words = line.split()
    return len(words) >= PROSE_WORDS or (len(words) >= MIN_LONG_WORDS * 3 and bool(PROSE_END.search(line)))


def in_headline(text: str, at: int) -> bool:
    """Offset ``at`` lies on a title-case line above the first line of prose, among the page's first
    lines: the article's headline, not a subheading, a table row or a related link in its body."""
    start = 0
    seen = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        if line.strip():
            if _prose(line.strip()) or seen >= HEADLINE_LINES:
                return False
            if start <= at < end:
                return title_case(line)
            seen += 1
        start = end
    return False


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """The common words the model's lemmatizer knows (nouns, verbs, adjectives, adverbs), its
    function words and the words of the (default) catalog."""
    nlp = get_nlp()
    words: set[str] = {w.lower() for w in nlp.Defaults.stop_words}
    lemmatizer = nlp.get_pipe("lemmatizer")
    lookups = lemmatizer.lookups  # type: ignore[attr-defined]
    index, exceptions = lookups.get_table("lemma_index"), lookups.get_table("lemma_exc")
    for key in index:
        words.update(w for w in index[key] if "_" not in w)
    for key in exceptions:  # irregular forms: "met", "fled", "children"
        words.update(w for w in exceptions[key] if "_" not in w)
    # the catalog's words are common words by definition ("unaccounted", "toll", "quake")
    from pipelines.claims.catalog import load_catalog

    catalog = load_catalog()
    for attr in catalog.attributes.values():
        words.update(attr.counted | attr.counted_weak | attr.frames | attr.duration_verbs | attr.modifiers)
    for story in catalog.stories.values():
        words.update(story.cues)
    return frozenset(w.lower() for w in words if " " not in w)


@lru_cache(maxsize=1)
def alias_keys() -> frozenset[str]:
    """Folded names of every listed person, place and organisation, and each word of them."""
    keys: set[str] = set()
    for key, _ in Resolver().aliases():
        keys.add(key)
    return frozenset(keys)


def is_dictionary_word(word: str) -> bool:
    lower = word.lower()
    words = dictionary()
    if lower in words:
        return True
    return any(lower.endswith(end) and lower[:-len(end)] + add in words
               for end, add in SUFFIXES if len(lower) - len(end) >= 3)


def known_name(words: list[str]) -> bool:
    """``words`` together name a place, person or organisation the gazetteer or aliases know. A
    single dictionary word names a place only when the place is prominent (a country, a province,
    a large town): GeoNames has a Summit, a Rescue and a Search somewhere."""
    from pipelines.claims.places import (  # places needs the context, which needs this
        FIRST,
        LARGE_TOWN,
        load_gazetteer,
    )

    name = " ".join(words)
    if fold(name) in alias_keys():
        return True
    gazetteer = load_gazetteer()
    places = gazetteer.lookup(name)
    if len(words) > 1 or not places or not is_dictionary_word(name):
        return bool(places)
    return any(p.level <= FIRST or gazetteer.population.get(p.code or "", 0) >= LARGE_TOWN for p in places)


def is_demonym(word: str) -> bool:
    """A people's name: "Ukrainian", "Korean", "Italian" (the event labels' reading, or a
    country's name with the ending for its people)."""
    from pipelines.claims.places import load_gazetteer
    from pipelines.headlines import DEMONYM_ENDINGS
    from pipelines.headlines import is_demonym as labels_demonym

    if labels_demonym(word):
        return True
    gazetteer = load_gazetteer()
    for ending in DEMONYM_ENDINGS:
        stem = word[:-len(ending)]
        if word.lower().endswith(ending) and len(stem) >= 3 and any(
                gazetteer.country(stem + tail) for tail in STEM_TAILS):
            return True
    return False


@dataclass(frozen=True)
class Usage:
    """How the article writes each word outside its headings: in lower case, or capitalised inside
    a sentence (not its first word)."""

    lower: frozenset[str]
    named: frozenset[str]


SENTENCE_END = re.compile(r"[.!?:;\"'“‘(\[\n—–-]\s*$")


def usage(text: str, headings: list[tuple[int, int]]) -> Usage:
    lower: set[str] = set()
    named: set[str] = set()
    spans = iter([*headings, (len(text) + 1, len(text) + 1)])
    skip = next(spans)
    for m in WORD.finditer(text):
        while m.start() >= skip[1]:
            skip = next(spans)
        if skip[0] <= m.start():
            continue
        word = m.group()
        if word.islower():
            lower.add(word)
        elif word[0].isupper() and word[1:].islower():
            before = text[max(0, m.start() - 3):m.start()]
            if before.strip() and not SENTENCE_END.search(before):
                named.add(word.lower())
    return Usage(frozenset(lower), frozenset(named - lower))


@lru_cache(maxsize=1)
def calendar_names() -> frozenset[str]:
    """Months and weekdays, which English capitalises in any case ("October 30", "on Friday")."""
    names = {*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name}
    return frozenset(n.lower() for n in names) - MONTH_WORDS | {"sept"}


# Months that are also common words ("Toll May Rise", "March On Capital"): a month only next to a number.
MONTH_WORDS = frozenset({"may", "march", "mar"})
NEXT_TO_NUMBER = re.compile(r"\d\W{0,2}$")


def _month_by_number(text: str, m: re.Match[str]) -> bool:
    return m.group().lower() in MONTH_WORDS and (
        bool(re.match(r"\W{0,2}\d", text[m.end():m.end() + 3])) or bool(NEXT_TO_NUMBER.search(text[max(0, m.start() - 3):m.start()])))


def _is_name(word: str, usage_: Usage) -> bool:
    lower = word.lower()
    if lower in calendar_names():
        return True
    if lower in usage_.named:
        return True
    if lower in usage_.lower:
        return False
    if lower in get_nlp().Defaults.stop_words:
        return False
    if is_demonym(word):
        return True
    return not is_dictionary_word(word)


def _names_in(line: list[re.Match[str]]) -> set[int]:
    """Indexes of the line's words that belong to a name the gazetteer or aliases know, longest first."""
    kept: set[int] = set()
    i = 0
    while i < len(line):
        for n in range(min(MAX_NAME_WORDS, len(line) - i), 0, -1):
            words = [m.group() for m in line[i:i + n]]
            if all(w[0].isupper() for w in words) and known_name(words):
                if n == 1 and words[0].lower() in get_nlp().Defaults.stop_words:
                    break
                kept.update(range(i, i + n))
                i += n - 1
                break
        i += 1
    return kept


def sentence_cased(text: str, lines: list[tuple[int, int]] | None = None,
                   headings: list[tuple[int, int]] | None = None) -> str:
    """``text`` with ``lines`` (by default its title-case lines) in sentence case: the first letter of
    each word that is no name lower-cased, every other character and the length unchanged. How the
    rest of the text, outside ``headings`` (by default ``lines``), writes a word decides."""
    lines = list(title_case_lines(text)) if lines is None else lines
    if not lines:
        return text
    seen = usage(text, lines if headings is None else headings)
    chars = list(text)
    for start, end in lines:
        words = [m for m in WORD.finditer(text, start, end)]
        names = _names_in(words)
        for n, m in enumerate(words):
            word = m.group()
            if n == 0 or n in names or not (word[0].isupper() and word[1:].islower()):
                continue
            if len(word[0].lower()) == 1 and not _is_name(word, seen) and not _month_by_number(text, m):
                chars[m.start()] = word[0].lower()
    return "".join(chars)


def title_cased(title: str, body: str) -> str:
    """A title in sentence case, its words judged by how the article's ``body`` writes them."""
    if not title_case(title):
        return title
    joined = sentence_cased(f"{title}\n{body}", [(0, len(title))])
    return joined[:len(title)]


@dataclass(frozen=True)
class ParseInput:
    """What the parser is given for a text: the text with its title-case lines in sentence case, and
    where sentences must start: after the page's headline (``in_headline``, or a first line that
    repeats the title), which has no full stop to end it and would run into the lead ("... For One
    and a Half Hours / Presidents Donald Trump and ...")."""

    text: str
    starts: frozenset[int]


def parse_input(text: str, title: str | None = None) -> ParseInput:
    """The headline in sentence case (a title-case subheading, table head or link in the body keeps
    its case: its figures are not read, see ``figures.is_heading``), and a sentence after it."""
    titled = list(title_case_lines(text))
    headline = [span for span in titled if in_headline(text, span[0])]
    first_end = text.find("\n")
    ends = {end for _, end in headline}
    if title and first_end > 0 and text[:first_end].strip() == title.strip():
        ends.add(first_end + 1)
    starts = set()
    for end in ends:
        rest = len(text[end:]) - len(text[end:].lstrip())
        if end + rest < len(text):
            starts.add(end + rest)
    return ParseInput(sentence_cased(text, headline, titled), frozenset(starts))


def with_words(doc: Doc, text: str) -> Doc:
    """``doc``'s annotations on the words of ``text``, which has the same length and differs only in
    the case of some letters: the parse of a sentence-cased text, put back on the original."""
    if doc.text == text:
        return doc
    words = [text[t.idx:t.idx + len(t.text)] for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    restored = Doc(doc.vocab, words=words, spaces=spaces)
    restored.from_array(ATTRS, doc.to_array(ATTRS))  # type: ignore[arg-type]  # to_array is typed as floats
    return restored
