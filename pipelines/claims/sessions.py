"""Which part of one meeting a duration measures: the one-on-one, the session with the delegations,
the second sit-down, or the whole summit. Each part is its own occasion, so that the length of the
one-on-one never "contradicts" the length of the summit. The words are data (sessions.yaml).

A duration that names no part, in an article that describes several, may be any of them: it is
kept (and scored) but doubted, so that it does not alert (confidence reason
``occasion.part_unclear``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from pipelines.claims.catalog import read_yaml
from pipelines.claims.context import ArticleContext
from pipelines.claims.dates import ORDINALS
from pipelines.claims.figures import Draft
from pipelines.claims.spans import previous_sentences, sentence_of, sentences

DEFAULT_SESSIONS = Path(__file__).with_name("sessions.yaml")
WHOLE = "whole"


class SessionDataError(ValueError):
    pass


def words_text(tokens: Sequence[Token]) -> str:
    """The tokens' text as written ("one-on-one" stays one word), a space where they are apart."""
    out: list[str] = []
    last = None
    for t in sorted(tokens, key=lambda t: t.i):
        if last is not None and t.i != last + 1:
            out.append(" ")
        out.append(t.text_with_ws)
        last = t.i
    return "".join(out).lower()


@dataclass(frozen=True)
class Cues:
    pattern: re.Pattern[str] | None

    def found_in(self, tokens: Sequence[Token]) -> bool:
        return self.pattern is not None and self.pattern.search(words_text(tokens)) is not None


def _cues(words: object, where: str) -> Cues:
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise SessionDataError(f"{where}: expected a list of words")
    if not words:
        return Cues(None)
    alternatives = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
    return Cues(re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"))


@dataclass(frozen=True)
class SessionWords:
    attributes: frozenset[str]
    formats: tuple[tuple[str, Cues], ...]
    part_re: re.Pattern[str]
    part_nouns: frozenset[str]
    whole: Cues
    numbered_formats: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=2)
def load_words(path: Path | str = DEFAULT_SESSIONS) -> SessionWords:
    data = read_yaml(Path(path), SessionDataError)
    if not isinstance(data, dict) or not isinstance(data.get("formats"), dict):
        raise SessionDataError(f"{path}: needs 'formats', 'part_nouns', 'whole' and 'attributes'")
    try:
        nouns = "|".join(re.escape(str(n)) for n in data["part_nouns"])
        return SessionWords(
            attributes=frozenset(str(a) for a in data["attributes"]),
            formats=tuple((str(name), _cues(words, f"{path}: formats.{name}")) for name, words in data["formats"].items()),
            part_re=re.compile(rf"\b({'|'.join(ORDINALS)})\s+(?:{nouns})\b", re.I),
            part_nouns=frozenset(str(n).lower() for n in data["part_nouns"]),
            whole=_cues(data["whole"], f"{path}: whole"),
            numbered_formats={str(k): str(v) for k, v in (data.get("numbered_formats") or {}).items()},
        )
    except (KeyError, TypeError) as exc:
        raise SessionDataError(f"{path}: {exc}") from exc


def part_named(tokens: Sequence[Token], words: SessionWords | None = None) -> str | None:
    """The part these words name: ``part:2`` for "the second sit-down", a format ("one_on_one",
    "expanded"), ``whole`` for the whole meeting, else None. A numbered part comes first: "the
    second sit-down, with aides present" is the second part, whatever its format."""
    words = words or load_words()
    numbered = words.part_re.search(words_text(tokens))
    if numbered:
        part = f"part:{ORDINALS[numbered.group(1).lower()]}"
        return words.numbered_formats.get(part, part)
    for name, cues in words.formats:
        if cues.found_in(tokens):
            return name
    if words.whole.found_in(tokens):
        return WHOLE
    return None


POINTING = {"it", "that", "this", "these", "those", "they"}


def points_back(anchor: Token, part_nouns: frozenset[str] = frozenset()) -> bool:
    """"It lasted 38 minutes", "That meeting lasted 35 minutes", "the session, which lasted":
    the subject of the duration's verb is a pronoun or a noun with a pointing determiner."""
    for tok in [anchor, *anchor.ancestors]:
        if tok.pos_ in {"VERB", "AUX"}:
            subject = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if tok.dep_ == "relcl" and (subject is None or subject.lower_ in {"which", "that", "who"}):
                subject = tok.head  # "the session, which lasted": the noun the clause hangs from
            if subject is None:
                return False
            dets = {c.lower_ for c in subject.children if c.dep_ == "det"}
            # "the session" points back; "the talks" names the meeting itself
            return subject.lower_ in POINTING or bool(dets & POINTING) or (
                "the" in dets and (subject.lemma_ or subject.text).lower() in part_nouns)
    return False


# How far back a pointing subject ("It lasted 38 minutes", "the session, which lasted") may find
# the part it points to: news paragraphs are often one sentence long, so paragraphs are crossed.
LOOK_BACK_SENTENCES = 3


def session_of(anchor: Token, tokens: Sequence[Token], words: SessionWords | None = None) -> str | None:
    """The part of the meeting a duration measures: named in its own words, or, when its subject
    points back, in the rest of its sentence or the three sentences before."""
    words = words or load_words()
    own = part_named(tokens, words)
    if own is not None or not points_back(anchor, words.part_nouns):
        return own
    sentence = sentence_of(anchor)
    for earlier in [sentence, *reversed(previous_sentences(sentence, LOOK_BACK_SENTENCES))]:
        found = part_named(list(earlier), words)
        if found is not None and found != WHOLE:
            return found
    return None


def article_has_parts(doc: Doc, meeting_words: frozenset[str], words: SessionWords | None = None) -> bool:
    """The article describes parts of a meeting (a one-on-one, a second session): a part named in
    a sentence about a meeting, not "a private camp" or "private health centres"."""
    words = words or load_words()
    # asked for every duration: read the article once per meeting vocabulary
    key = f"newswatch.article_has_parts:{id(words)}:{','.join(sorted(meeting_words))}"
    if key not in doc.user_data:
        doc.user_data[key] = any(part_named(list(s), words) not in {None, WHOLE} for s in sentences(doc)
                                 if any((t.lemma_ or t.text).lower() in meeting_words for t in s))
    return bool(doc.user_data[key])


def draft_session(d: Draft, words: SessionWords | None = None) -> str | None:
    """The part of the meeting a drafted figure measures (``whole`` when it says so); None when
    the attribute has no parts or nothing is said."""
    words = words or load_words()
    if d.attr.name not in words.attributes:
        return None
    # the governing verb's whole phrase: "one-on-one" is spelt with numbers, which the figure's
    # own clause leaves to them
    around = {t.i: t for t in d.tokens}
    governor = d.reading.governor
    if governor is not None:
        around.update((t.i, t) for t in governor.subtree if d.sentence.start <= t.i < d.sentence.end)
        # "spending 90 minutes plus a working lunch": what is added to the length is not its part
        for added in (c for c in governor.children if c.dep_ == "conj"):
            for t in added.subtree:
                around.pop(t.i, None)
        around.update((t.i, t) for t in described_occasion(governor))
    return session_of(d.anchor, [around[i] for i in sorted(around)], words)


def described_occasion(governor: Token) -> list[Token]:
    """The meeting a participle's length describes: "held a one-on-one meeting, lasting 40
    minutes", "had their first one-on-one summit, spending 90 minutes": the object of the verb the
    participle hangs from; "one-on-one talks lasting 40 minutes": the noun it hangs from, with the
    words before it."""
    if governor.dep_ == "acl" and governor.tag_ == "VBG" and governor.head.pos_ in {"NOUN", "PROPN"}:
        return [*(t for c in governor.head.lefts for t in c.subtree), governor.head]
    if governor.dep_ != "advcl" or governor.tag_ != "VBG":
        return []
    return [t for c in governor.head.children if c.dep_ in {"dobj", "nsubjpass"} for t in c.subtree]


def hint_session(d: Draft) -> str | None:
    """The session an event hint carries: a named part; the whole meeting is no part."""
    found = draft_session(d)
    return None if found == WHOLE else found


def part_unclear(d: Draft, ctx: ArticleContext) -> bool:
    """A duration that names no part in an article that describes several: it may be any of them."""
    words = load_words()
    return (d.attr.name in words.attributes and draft_session(d, words) is None
            and article_has_parts(ctx.doc, d.attr.frames, words))
