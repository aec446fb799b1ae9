"""What a figure counts or measures, read from the sentence's dependency parse.

For a count we find the noun it counts ("1,200 prisoners"), the noun that contains it ("the bodies
of 3,000 soldiers"), and the words that govern it on the way up to the clause root ("exchange",
"killed", "the toll rose to"), including the subjects of those verbs. For a duration we find what
lasted: the noun a "90-minute" modifies, the subject of "lasted", or the talks in "two hours of
talks". The catalog says which of those words point to which attribute; nothing here names one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipelines.claims.catalog import Attribute
from pipelines.claims.spans import char_span, sentence_of

VERB_POS = {"VERB", "AUX"}
NOUN_POS = {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
COMPLEMENT_DEPS = {"acomp", "attr", "oprd", "xcomp"}
NOUN_MODIFIER_DEPS = {"compound", "amod", "nmod", "nummod"}
# How far up the tree a governing word may sit and still say what a figure is about.
MAX_FRAME_DISTANCE = 5


@dataclass(frozen=True)
class Reading:
    attribute: str
    score: float
    counted: Token | None
    governor: Token | None   # the verb or noun that says what happened to the counted thing
    partitive_of: bool = False  # "15 of the dead": a share of what the attribute counts, not all of it
    # how the attribute was decided (a confidence reason): noun | frame | cue | cue_far | apposed | referred
    basis: str = "frame"


def lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower()


def words_of(tok: Token) -> set[str]:
    """Lemma and lower-cased surface form: catalogs list either ("dead", "killed")."""
    return {lemma(tok), tok.lower_}


def span_root(doc: Doc, start: int, end: int) -> Token | None:
    span = char_span(doc, start, end)
    if span is None or len(span) == 0:
        return None
    return span.root


def is_quantity_token(tok: Token) -> bool:
    return tok.like_num or tok.pos_ == "NUM"


PARTITIVE_PRONOUNS = {"whom", "which", "them", "these", "those"}
TIME_ENTITIES = {"DATE", "TIME"}
# Nouns that only measure out another noun: "a period of 30 days", "a list of 339 children".
MEASURE_NOUNS = {"period", "duration", "length", "span", "term", "stretch", "total", "maximum", "minimum", "spell"}


@dataclass(frozen=True)
class Counted:
    noun: Token | None      # what the number counts
    base: bool = False      # the number is only a partitive base ("241 of the 242 people": 242)
    share: bool = False     # the number is a share of the noun ("15 of the dead", "793 of whom")


def counted_noun(num: Token) -> Counted:
    """The noun a number counts."""
    head = num.head
    if num.dep_ in {"nummod", "quantmod", "compound", "amod", "nmod"} and head.i != num.i and head.pos_ in NOUN_POS:
        if head.ent_type_ in TIME_ENTITIES and num.ent_type_ not in TIME_ENTITIES:
            return Counted(None)  # "rose to 233 Sunday": the day is when, not what the number counts
        if head.pos_ != "NUM":
            if head.dep_ == "pobj" and head.head.lower_ == "of":
                of, above = head.head, head.head.head
                if above.lower_ == "out" and above.dep_ == "prep":
                    above = above.head  # "five out of the six crew members": one partitive
                # "241 of the 242 people": the counted noun hangs off "of" under another number;
                # "Of the 242 passengers and crew, 241 died": a fronted partitive under the verb,
                # whose subject is the share (not "speaking of 46 dead")
                fronted = above.pos_ in VERB_POS and of.i < above.i and any(
                    c.dep_ in SUBJECT_DEPS and (is_quantity_token(c) or any(is_quantity_token(x) for x in c.children))
                    for c in above.children
                )
                if is_quantity_token(above) or fronted:
                    return Counted(head, base=True)
            return Counted(head)
    if num.dep_ == "appos" and head.pos_ in {"NOUN", "PROPN"}:
        return Counted(head)  # "1,000 soldiers—500 from each country": 500 counts soldiers too
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.lower_ in PARTITIVE_PRONOUNS:
                    return Counted(None, share=True)  # "of whom 793 were discharged"
                if pobj.pos_ in {"NOUN", "PROPN", "ADJ"}:
                    return Counted(pobj, share=True)  # "144 of the dead"
    if num.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in PARTITIVE_PRONOUNS:
        return Counted(None, share=True)
    return Counted(None)


def container(noun: Token) -> Token | None:
    """The noun whose 'of'-phrase holds this one: bodies in "the bodies of 3,000 soldiers"."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in {"NOUN", "PROPN"}:
        return noun.head.head
    return None


def noun_words(noun: Token, of_phrase: bool = True) -> set[str]:
    """A noun with what it carries: compounds and adjectives ("death toll", "captured soldiers"),
    its of-phrase ("the number of dead"), and participles hanging from either ("people killed",
    "captives freed by each side")."""
    words = words_of(noun)
    for child in noun.children:
        if child.dep_ in {"compound", "amod", "nmod"}:
            words |= words_of(child)
        elif child.dep_ in {"acl", "relcl"} and child.pos_ in VERB_POS:
            words |= words_of(child)
        elif of_phrase and child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    words |= words_of(pobj)
                    words |= {lemma(c) for c in pobj.children if c.dep_ in {"acl", "amod", "compound"}}
    return words


def _without_figures(phrase: Token) -> list[Token]:
    """A phrase's words less another figure's own phrase: in "collapse: 14 dead, 120 unaccounted for,
    search continues" the dead are the 14, not what the subject says of the 120."""
    figures = {t.i for t in phrase.subtree for c in t.children if c.dep_ == "nummod" and c.like_num}
    owned = {x.i for t in phrase.subtree if t.i in figures and t.i != phrase.i for x in t.subtree}
    return [t for t in phrase.subtree if t.i not in owned]


def path_words(start: Token) -> list[tuple[int, set[str], Token]]:
    """Words governing ``start``, nearest first, with their distance; each verb on the way brings
    its subject, object and complement ("the toll rose to 1,700": toll; "1,700 are dead": dead;
    "put the toll at 1,002": toll). The climb stops where a verb with its own subject is merely
    coordinated with another ("hospitals were full, and hundreds queued")."""
    out: list[tuple[int, set[str], Token]] = []
    tok, dist = start, 0
    seen: set[int] = set()
    came_from: Token | None = None
    while tok.i not in seen and dist <= MAX_FRAME_DISTANCE + 1:
        seen.add(tok.i)
        if dist:
            words = words_of(tok)
            # a verb with an object of its own measures that object; its subject is the source, one
            # step further: "casualty reports put the number of injured at 151"
            other_object = tok.pos_ in VERB_POS and any(c.dep_ == "dobj" and c.i not in seen for c in tok.children)
            subject_words: set[str] = set()
            for child in tok.children:
                if child.i in seen:
                    continue
                if child.dep_ in NOUN_MODIFIER_DEPS and child.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"}:
                    words |= words_of(child)
                if tok.pos_ in VERB_POS and child.dep_ == "prep" and child.lower_ == "as":
                    # "listed as missing", "confirmed as dead"
                    words |= {w for t in child.subtree for w in words_of(t)}
                elif tok.pos_ in VERB_POS and child.dep_ == "prep":
                    # "go home under the swap", "were freed in the exchange"
                    words |= {w for p in child.children if p.dep_ == "pobj" for w in words_of(p)}
                if tok.pos_ in VERB_POS and child.dep_ in SUBJECT_DEPS | COMPLEMENT_DEPS | {"dobj"}:
                    into = subject_words if other_object and child.dep_ in SUBJECT_DEPS else words
                    into |= noun_words(child)
                    if child.dep_ in SUBJECT_DEPS:
                        # the whole subject phrase: "the number of people listed as missing fell to"
                        into |= {w for t in _without_figures(child) if t.i not in seen for w in words_of(t)}
            out.append((dist, words, tok))
            if subject_words:
                out.append((dist + 1, subject_words, tok))
        if tok.head.i == tok.i:
            break
        if tok.dep_ == "conj" and tok.pos_ in VERB_POS and any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            break
        if tok.dep_ == "conj" and tok.pos_ in VERB_POS and came_from is not None and came_from.dep_ == "dobj":
            break  # "left hundreds missing and stranded tens of thousands": its own verb's object
        if tok.dep_ == "advcl" and tok.pos_ in VERB_POS and came_from is not None and came_from.dep_ in SUBJECT_DEPS \
                and any(c.dep_ == "mark" for c in tok.children):
            break  # "injured 60 as thousands gathered": a clause of its own subject, about something else
        came_from = tok
        if tok.dep_ in {"relcl", "acl"} and tok.pos_ in VERB_POS and dist:
            # a relative clause speaks of its head noun and no further up: "a hall that seats 300
            # people" is about the hall; "the exchange, which covers 1,000 prisoners" about the exchange
            out.append((dist + 1, noun_words(tok.head), tok.head))
            break
        tok, dist = tok.head, dist + 1
    return out


def _modifier_words(tok: Token) -> set[str]:
    words: set[str] = set()
    # not conj: in "31 dead and 21 missing" the missing are not a property of the dead
    for child in tok.children:
        if child.dep_ in {"amod", "compound", "acl", "relcl", "advmod", "appos", "acomp", "npadvmod"}:
            words |= words_of(child)
    return words


def _context_words(num: Token) -> set[str]:
    """Words of the figure's sentence, less the nouns other figures count ("... and 6,000 bodies"
    are those figures' own). Per-sentence parts are computed once."""
    sentence = sentence_of(num)
    cache = num.doc.user_data.setdefault("newswatch.context_words", {})
    if sentence.start not in cache:
        free: set[str] = set()
        owned: dict[int, set[str]] = {}
        for t in sentence:
            owners = [c.i for c in t.children if c.dep_ == "nummod"]
            if owners:
                for o in owners:
                    owned.setdefault(o, set()).update(words_of(t))
            else:
                free |= words_of(t)
        cache[sentence.start] = (free, owned)
    free, owned = cache[sentence.start]
    return free | owned.get(num.i, set())


def _joined_head(tok: Token) -> Token:
    """The first of the nouns a conjunct is joined to ("12 crew" in "367 passengers and 12 crew")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i and tok.head.pos_ in NOUN_POS:
        tok = tok.head
    return tok


def figure_verb_of(num: Token, counted: Token | None) -> Token | None:
    """The verb the figure (or its noun) is the subject or object of, through a noun it is joined to."""
    tok = _joined_head(counted if counted is not None else num)
    if tok.dep_ in {"nsubj", "nsubjpass", "dobj"} and tok.head.pos_ in VERB_POS:
        return tok.head
    return None


def where_said(num: Token, counted: Token | None) -> set[str]:
    """Where the sentence puts the figure's people and what they are said to need, from its verb:
    "66 victims remained in six hospitals", "it had taken 59 victims to hospitals", "left another 116
    needing treatment". Kept apart from said_of: "200 died in their homes" still reports deaths."""
    verb = figure_verb_of(num, counted)
    if verb is None:
        return set()
    words: set[str] = set()
    for child in verb.children:
        if child.dep_ == "prep":
            words |= {w for c in child.children if c.dep_ == "pobj" for w in words_of(c)}
        if child.dep_ == "xcomp" and child.pos_ in VERB_POS:
            words |= {w for c in child.children if c.dep_ == "dobj" for w in words_of(c)}
    return words


def said_of(num: Token, counted: Token | None) -> set[str]:
    """What the sentence directly says of the figure: its own modifiers ("two rescued"), its noun's
    ("survivors pulled out"), and the verb it is the subject or object of ("793 were discharged")."""
    words: set[str] = set()
    holder = container(counted) if counted is not None else None
    measure = holder if holder is not None and words_of(holder) & MEASURE_NOUNS else None
    # "a total of 164 passengers were known to have been rescued": the measure noun carries the figure
    for tok in (num, counted, measure):
        if tok is None:
            continue
        for child in tok.children:
            if child.dep_ in {"amod", "acl", "advmod", "npadvmod", "appos"}:
                words |= words_of(child)
            if child.dep_ in {"acl", "relcl"} and child.pos_ in VERB_POS:
                # "people who lost their homes": what the clause's verb does to its object
                words |= {w for c in child.children if c.dep_ == "dobj" for w in words_of(c)}
        # "all 367 passengers and 12 crew were evacuated": the crew's verb too
        verb = figure_verb_of(tok, None)
        if verb is not None:
            words |= words_of(verb)
            # "were known to have been rescued", "are believed to have survived"
            words |= {w for c in verb.children if c.dep_ == "xcomp" and c.pos_ in VERB_POS for w in words_of(c)}
            if _joined_head(tok).dep_ in {"nsubj", "nsubjpass"}:
                # "24 victims are receiving treatment", "200 people lost their homes"
                words |= {w for c in verb.children if c.dep_ == "dobj" for w in words_of(c)}
    return words


# Words between a figure and what the sentence says of it that say nothing themselves: "295 people
# were still missing", "14 have been confirmed as injured", "290, mostly students, still missing".
LINKING_WORDS = {"be", "have", "remain", "still", "now", "also", "yet", "as", "to", "so", "far", "reportedly",
                 "confirm", "report", "believe", "fear", "presume", "know", "think", "list", "declare", "feel"}
ASIDE_OPEN = {"—": "—", "–": "–", "(": ")", "-": "-"}
PREDICATE_TAGS = {"JJ", "VBN", "VBG"}
MAX_ASIDE = 8


def trailing_predicate(num: Token, counted: Token | None) -> set[str]:
    """The first word after the figure's noun that says something of it, read in text order: the
    parse often hangs "295 people were still missing" from "reported", or "290—mostly students—still
    missing" from the verb of the figure before. An aside between dashes or brackets is skipped."""
    doc = num.doc
    sentence = sentence_of(num)
    i = max(num.i, counted.i if counted is not None else num.i) + 1
    while i < sentence.end:
        tok = doc[i]
        close = ASIDE_OPEN.get(tok.text)
        if close is not None:
            end = next((k for k in range(i + 1, min(i + MAX_ASIDE + 2, sentence.end)) if doc[k].text == close), None)
            if end is None:
                return set()
            i = end + 1
            continue
        if tok.is_quote or tok.pos_ in {"ADV", "PART"} or lemma(tok) in LINKING_WORDS:
            i += 1
            continue
        # a state said of the figure ("missing", "dead", "injured"), not a verb doing something to
        # an object ("the two leaders held a meeting")
        if tok.tag_ in PREDICATE_TAGS and not any(c.dep_ == "dobj" for c in tok.children):
            return words_of(tok)
        return set()
    return set()


def _all_counted(attributes: Iterable[Attribute]) -> set[str]:
    out: set[str] = set()
    for attr in attributes:
        out |= attr.counted
    return out


def acting_on(num: Token, counted: Token | None) -> Token | None:
    """The verb whose doer the figure counts: it is the active subject of a verb that has an
    object of its own ("the two traded insults", "the two delivered remarks")."""
    tok = counted if counted is not None else num
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.pos_ not in VERB_POS:
        return None
    return verb if any(c.dep_ == "dobj" for c in verb.children) else None


# Nouns whose of-phrase says what a figure given for them counts: "put the number of injured at 151".
COUNT_NOUNS = {"number", "toll", "tally", "count", "figure", "total"}
VERB_HOPS = 2


def measured_words(num: Token) -> set[str]:
    """What a count noun that is an argument of the figure's verb is of: "the latest casualty
    reports put the number of injured at 151" counts the injured, whatever else the clause names."""
    verb = next((t for _, t in zip(range(VERB_HOPS + 1), num.ancestors, strict=False) if t.pos_ in VERB_POS), None)
    if verb is None:
        return set()
    words: set[str] = set()
    for arg in verb.children:
        if arg.dep_ in SUBJECT_DEPS | {"dobj"} and words_of(arg) & COUNT_NOUNS:
            for of in (p for p in arg.children if p.dep_ == "prep" and p.lower_ == "of"):
                words |= {w for t in of.subtree if not t.like_num for w in words_of(t)}
    return words


def read_count(num: Token, attributes: Iterable[Attribute]) -> Reading | None:  # noqa: C901
    attributes = list(attributes)
    found = counted_noun(num)
    if found.base:
        return None
    counted = found.noun
    holder = container(counted) if counted is not None else None
    holder_words = noun_words(holder, of_phrase=False) if holder is not None else set()
    if holder is not None and words_of(holder) & MEASURE_NOUNS:
        holder, holder_words = None, set()
    if holder is not None and not holder_words & _all_counted(attributes):
        frames = set().union(*(a.frames for a in attributes)) if attributes else set()
        if not holder_words & frames:
            return None  # "a list of 339 children", "a group of 40 soldiers": it counts the list
    # the counted noun's own words, not its of-phrase: "3,000 bodies of servicemen" counts bodies
    own_words = noun_words(counted, of_phrase=False) if counted is not None else set()
    mods = _modifier_words(num) | (_modifier_words(counted) if counted is not None else set())
    mods |= trailing_predicate(num, counted)
    path = path_words(holder or counted or num)
    sentence_words = _context_words(num)
    figure_words = said_of(num, counted)
    doing = acting_on(num, counted)
    where = where_said(num, counted)
    verb = figure_verb_of(num, counted)
    verb_words = words_of(verb) if verb is not None else set()
    measured = measured_words(num)
    mods |= where
    best: Reading | None = None
    for attr in attributes:
        if attr.dimension != "count":
            continue
        # the container decides when it is itself a counted word: "the bodies of 3,000 soldiers"
        noun_set = holder_words if holder_words & attr.counted or holder_words & _all_counted(attributes) else own_words
        strong = bool(noun_set & attr.counted) or bool(mods & attr.counted)
        weak = bool(noun_set & attr.counted_weak) or (counted is not None and bool(words_of(counted) & attr.counted_weak))
        modifier = bool(mods & attr.modifiers)
        noun_frame = bool((noun_set | own_words | holder_words) & attr.frames)
        if attr.exclude & figure_words:
            continue  # "two rescued", "793 had been discharged": said of the figure, it vetoes
        if attr.object_counted and doing is not None:
            continue  # "the two traded insults": it counts who acts, not what is handed over
        if attr.exclude & where and not verb_words & attr.frames:
            continue  # "66 victims remained in hospital" vetoes deaths; "two died in hospital" does not
        if counted is not None and not (strong or weak or modifier or noun_frame):
            continue  # it counts something else: buildings, groups, regions
        frame_dist = next((d for d, words, _ in path if words & attr.frames), None)
        if frame_dist is None and not noun_frame and not modifier:
            continue
        if not (strong or modifier or noun_frame) and frame_dist is not None and frame_dist > MAX_FRAME_DISTANCE:
            continue
        score = 3.0 if strong else 1.0 if weak else 0.0
        # a bare figure ("500 from each side") takes its noun from the sentence around it
        score += 0.5 if sentence_words & attr.counted else 0.0
        score += 2.5 if modifier else 0.0
        score += 2.0 if noun_frame else 0.0
        score += 1.0 if measured & (attr.counted | attr.modifiers) else 0.0
        if frame_dist is not None:
            score += 3.0 / frame_dist
        governor = next((tok for d, words, tok in path if words & attr.frames), None)
        share = found.share and (counted is None or bool(words_of(counted) & (attr.counted | attr.modifiers)))
        if best is None or score > best.score:
            basis = "noun" if strong or modifier else "frame" if noun_frame else frame_basis(path, governor)
            best = Reading(attr.name, score, counted, governor, share, basis)
    return best


# Words that only link a figure to its verb: "rose to 50", "killed in the crash", "has died".
LINK_POS = {"ADP", "PART", "AUX", "CCONJ", "PUNCT"}
# Content words between a figure and the catalog word governing it beyond which it is "far".
NEAR_HOPS = 2


def frame_basis(path: list[tuple[int, set[str], Token]], governor: Token | None) -> str:
    """How directly the governing catalog word speaks of the figure: "frame" when the figure (or its
    noun) is its subject or object, at most through a preposition ("the toll rose to 50"); "cue" a
    few words further up; "cue_far" beyond."""
    if governor is None:
        return "cue_far"
    hops = 0
    for _, _, tok in path:
        if tok.i == governor.i:
            break
        if tok.pos_ not in LINK_POS and not words_of(tok) & (MEASURE_NOUNS | {"number"}):
            hops += 1  # "a total of 40 people died": the measure noun only carries the figure
    return "frame" if hops == 0 else "cue" if hops <= NEAR_HOPS else "cue_far"


def clause_tokens(anchor: Token, sentence: Span, other_anchors: set[int]) -> list[Token]:
    """Tokens that speak about this figure: its own subtree, its counted noun's and its governing
    verb's, minus the subtrees of other figures in the sentence (their "each" is not ours)."""
    roots = [anchor]
    head = anchor.head
    hops = 0
    while head.i != anchor.i and hops < 3:
        roots.append(head)
        if head.pos_ in VERB_POS or head.head.i == head.i:
            break
        anchor_tok, head = head, head.head
        hops += 1
        if anchor_tok.i == head.i:
            break
    keep: dict[int, Token] = {}

    def visit(tok: Token) -> None:
        if tok.i in keep:
            return
        if tok.i in other_anchors and tok.i != anchor.i:
            return
        keep[tok.i] = tok
        for child in tok.children:
            visit(child)

    for root in roots:
        visit(root)
    return [keep[i] for i in sorted(keep) if sentence.start <= i < sentence.end]
