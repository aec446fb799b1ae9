"""What a duration measures: the unit word ("hours"), what lasted (the talks, the truce), and the
verbs that say it lasted ("lasted", "ran for", "was over in")."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from pipelines.claims.attributes import (
    MEASURE_NOUNS,
    SUBJECT_DEPS,
    VERB_POS,
    Reading,
    is_quantity_token,
    lemma,
    words_of,
)
from pipelines.claims.catalog import Attribute
from pipelines.claims.spans import char_span, previous_sentences, sentence_of, text_of
from pipelines.claims.timeframes import extension_of

TIME_UNITS = {"second", "minute", "min", "hour", "hr", "day", "week", "month", "year", "fortnight"}


# "lasted for two hours", "ended after 40 minutes", "two hours of talks", "held over three days"
DURATION_PREPOSITIONS = {"for", "after", "of", "over", "across", "during", "throughout"}


# "within 24 hours", "since ...", "by ...": a deadline or a time since, not a length; "in" only when
# it hangs from a noun ("the first talks in three years"), since "ended in under an hour" is a length
NOT_DURATION_PREPOSITIONS = {"within", "since", "before", "until", "till", "by", "ago", "from", "to", "into"}


RELATIVE_PRONOUNS = {"which", "that", "who", "what"}


# Nouns that only name a part of what lasted: "the first half of the talks", "this part of the meeting".
PART_NOUNS = {"part", "portion", "half", "rest", "segment", "stage", "phase"}

# "the better part of an hour": the part is the figure's own hedge (hedges.yaml), not what lasted
HEDGE_PART_WORDS = {"better", "best", "greater", "larger"}

# Verbs of speaking that are a conversation, so a meeting, when two or more speak ("the two
# presidents spoke privately for two hours", "Kim spoke with Trump for an hour"), not one
# person's speech ("he spoke for 40 minutes")
CONVERSE_VERBS = {"speak", "chat", "converse"}

# How many heads above the unit word the verb that lasted may be ("talked one on one behind
# closed doors for two hours": seven)
VERB_REACH = 8


# "was over in 40 minutes", "were done within the hour": a copula saying how long something took
FINISHED = {"over", "done", "finished", "complete", "completed"}


def unit_token(doc: Doc, start: int, end: int) -> Token | None:
    """The time-unit word of a duration mention ("hour" in "24 to 48-hour"): it is what the parse
    attaches to the thing that lasted."""
    span = char_span(doc, start, end)
    if span is None or len(span) == 0:
        return None
    units = [t for t in span if lemma(t).rstrip("s") in TIME_UNITS or t.lower_.rstrip("s") in TIME_UNITS]
    return units[0] if units else span.root


def subject_words(verb: Token, depth: int = 0) -> set[str]:
    """Who or what a verb is about: its subject; for a relative clause or a participle, the noun it
    hangs from ("the talks, which lasted"); for a coordinated or adverbial verb without a subject,
    the subject of the verb it continues ("talks took place and lasted")."""
    if depth > 3:
        return set()
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ in {"relcl", "acl"}:
                break
            if child.lower_ in {"it", "they"} and verb.dep_ == "conj" and verb.head.i != verb.i:
                # "This part of the talks was scheduled for an hour, but it lasted two": the
                # pronoun is the subject of the clause it is coordinated with
                return subject_words(verb.head, depth + 1) | words_of(child)
            words = words_of(child) | {lemma(c) for c in child.children if c.dep_ == "compound"}
            if words & PART_NOUNS:  # "this part of the talks lasted": what it is a part of
                words |= {w for p in child.children if p.dep_ == "prep" and p.lower_ == "of"
                          for o in p.children if o.dep_ == "pobj" for w in words_of(o)}
            return words
    if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        head = verb.head
        return words_of(head) | {lemma(c) for c in head.children if c.dep_ == "compound"}
    if verb.dep_ in {"conj", "advcl", "xcomp", "ccomp"} and verb.head.i != verb.i:
        return subject_words(verb.head, depth + 1)
    return set()


def duration_target(unit_tok: Token) -> tuple[set[str], set[str], Token | None]:
    """What lasted, for a duration whose unit word is ``unit_tok``: (target words, verb words, governor).
    Verb words are empty when the duration modifies a noun directly ("a 30-day ceasefire")."""
    target: set[str] = set()
    verbs: set[str] = set()
    governor: Token | None = None
    head = unit_tok.head
    # "lasting 24 to 48 hours": the range's own "to" hangs from its first number or from the verb
    if unit_tok.dep_ == "pobj" and head.lower_ in {"to", "and"} and head.i > 0 and is_quantity_token(head.doc[head.i - 1]):
        unit_tok = head.head if is_quantity_token(head.head) else head
        head = unit_tok.head
    # "extended the truce by two days", "extend it for two more days": the extension's length,
    # of what was extended
    extended = extension_of(unit_tok)
    if extended is not None:
        verb, noun = extended
        return words_of(noun) | {lemma(c) for c in noun.children if c.dep_ == "compound"}, set(), verb
    # "the first talks in three years", "two weeks later", "within 24 hours": time since or until
    # something, not how long it lasted
    if unit_tok.dep_ == "pobj" and (
        head.lower_ in NOT_DURATION_PREPOSITIONS or (head.lower_ == "in" and head.head.pos_ in {"NOUN", "PROPN"})
    ):
        return set(), set(), None
    if any(c.lower_ in {"later", "ago", "earlier", "before", "after", "since"} for c in unit_tok.children):
        return set(), set(), None
    # "a period of 30 days": what the period is of
    if unit_tok.dep_ == "pobj" and head.lower_ == "of" and (
            words_of(head.head) & MEASURE_NOUNS or _hedge_part(head.head)):
        unit_tok = head.head
        head = unit_tok.head
        if unit_tok.dep_ == "pobj" and head.lower_ in DURATION_PREPOSITIONS:
            unit_tok, head = head, head.head
            if head.pos_ in {"NOUN", "PROPN"}:
                return words_of(head) | {lemma(c) for c in head.children if c.dep_ == "compound"}, set(), head
    # "hour-long talks": the unit measures an adjective that modifies the noun that lasted
    if head.lower_ == "long" and head.dep_ in {"amod", "compound"} and head.head.pos_ in {"NOUN", "PROPN"}:
        noun = head.head
        return words_of(noun) | {lemma(c) for c in noun.children if c.dep_ == "compound"}, set(), noun
    # "a 90-minute meeting", "24- to 48-hour ceasefires": the unit modifies the noun that lasted
    if unit_tok.dep_ in {"compound", "amod", "nmod", "nummod", "dep"} and head.pos_ in {"NOUN", "PROPN"}:
        return words_of(head) | {lemma(c) for c in head.children if c.dep_ == "compound"}, set(), head
    # "two hours of talks": what the hours were spent on decides, whatever verb follows
    for child in unit_tok.children:
        # not "three hours instead of 45 minutes": that "of" opens the length it would have had
        if child.dep_ == "prep" and child.lower_ == "of" and not any(c.lower_ == "instead" for c in child.children):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return words_of(pobj) | {lemma(c) for c in pobj.children if c.dep_ == "compound"}, set(), pobj
    if unit_tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in {"NOUN", "PROPN"}:
        return words_of(head.head) | {lemma(c) for c in head.head.children if c.dep_ == "compound"}, set(), head.head
    # "lasted nearly two hours", "ran for 90 minutes", "ended after 40 minutes", "met for an hour";
    # a noun passed on the way says what lasted ("held talks for three hours")
    tok = head
    for _ in range(VERB_REACH):
        if tok.pos_ in VERB_POS:
            verbs |= words_of(tok)
            if lemma(tok) in CONVERSE_VERBS and _conversation(tok):
                target.add("talk")
            if any(c.lower_ in FINISHED for c in tok.children):
                verbs.add("last")  # "the meeting was over in under two hours"
            target |= words_of(tok) | subject_words(tok)
            # "held a private meeting for two hours": the verb's object is what lasted
            target |= {w for c in tok.children if c.dep_ == "dobj" for w in words_of(c)}
            if tok.dep_ == "advcl" and tok.tag_ == "VBG":
                # "had their first summit, spending 90 minutes": the length of what the verb it
                # hangs from holds
                target |= {w for c in tok.head.children if c.dep_ == "dobj" for w in words_of(c)}
            if any(c.lower_ == "together" for c in tok.children):
                target.add("meet")  # "spent less than three hours together": they met that long
            governor = governor or tok
            break
        if tok.pos_ in {"NOUN", "PROPN"}:
            target |= words_of(tok)
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return target, verbs, governor


def _hedge_part(tok: Token) -> bool:
    return tok.lower_ in PART_NOUNS and any(c.lower_ in HEDGE_PART_WORDS for c in tok.children)


def _conversation(verb: Token) -> bool:
    """Whether more than one person speaks: a plural or coordinated subject, or "with" someone."""
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return True
    return any(c.dep_ in SUBJECT_DEPS and (c.tag_ in {"NNS", "NNPS"} or c.lower_ in {"they", "we"}
                                           or any(g.dep_ == "conj" for g in c.children))
               for c in verb.children)


PRONOUNS = {"it", "they", "this", "that"}


def referent_words(verb: Token) -> set[str]:
    """For "It lasted 38 minutes", "They spoke for two hours": the nouns of the sentence before, in
    the same paragraph, which the pronoun points back to."""
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.lower_ not in PRONOUNS:
        return set()
    sentence = sentence_of(verb)
    before = previous_sentences(sentence, 1)
    # the sentence before must end in this paragraph (a paragraph break ends it or stands alone)
    if not before or not before[0].text.strip() or "\n" in text_of(verb.doc)[before[0].end_char - 1:sentence.start_char]:
        return set()
    return {w for t in before[0] if t.pos_ in {"NOUN", "PROPN"} for w in words_of(t)}


# "should have lasted half an hour": what was meant to happen, not what did
COUNTERFACTUAL_MODALS = {"should", "would", "could", "might", "ought"}


def planned(governor: Token | None, attr: Attribute) -> bool:
    """"had been scheduled to run 75 minutes", "prepared for four hours of talks", "their scheduled
    30-minute meeting", "should have lasted half an hour according to the plan": a plan, not a length."""
    if governor is None:
        return False
    if governor.pos_ in {"NOUN", "PROPN"} and any(
            c.dep_ in {"amod", "compound"} and words_of(c) & attr.planned for c in governor.children):
        return True
    for tok in [governor, *list(governor.ancestors)[:5]]:
        if tok.pos_ in VERB_POS and (words_of(tok) & attr.planned or _counterfactual(tok) or _by_plan(tok, attr)):
            return True
        if tok.dep_ == "conj":
            return False  # "expected to meet for five hours but ended up spending four": what happened
    return False


def _counterfactual(verb: Token) -> bool:
    """"should have lasted", "would have taken": a perfect modal says what did not happen."""
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    return "have" in aux and bool(aux & COUNTERFACTUAL_MODALS)


def _by_plan(verb: Token, attr: Attribute) -> bool:
    """"according to the plan", "according to the schedule": the verb tells the plan."""
    return any(p.dep_ == "prep" and p.lower_ == "according"
               and any(words_of(t) & attr.planned for t in p.subtree if t.i != p.i) for p in verb.children)


# Verbs that tell the rest of a meeting, not all of it, when the length is counted from a moment
# ("the meeting continued for an hour after the first lady came in")
RESUMING_VERBS = {"continue", "resume", "carry", "go"}
MEASURED_FROM = {"after", "since"}


def counted_from_a_moment(unit_tok: Token, governor: Token | None) -> bool:
    """"continued for about an hour after she tried to end it": the length of what remained."""
    if governor is None or governor.pos_ not in VERB_POS or lemma(governor) not in RESUMING_VERBS:
        return False
    after = unit_tok.i + 1
    return after < len(unit_tok.doc) and unit_tok.doc[after].lower_ in MEASURED_FROM


def _of_what(noun: Token) -> set[str]:
    """What a noun that lasted is of: "a halt to the search", "a pause in production"."""
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return set()
    # the phrase may hang from the verb whose object the noun is ("forced a halt to the search")
    right_after = [p for p in noun.head.children if p.i == noun.right_edge.i + 1] if noun.dep_ == "dobj" else []
    return {w for p in [*noun.children, *right_after] if p.dep_ == "prep" and p.lower_ in {"to", "in", "of", "on"}
            for o in p.children if o.dep_ == "pobj" for w in words_of(o)}


def read_duration(unit_tok: Token, attributes: Iterable[Attribute]) -> Reading | None:
    target, verbs, governor = duration_target(unit_tok)
    if counted_from_a_moment(unit_tok, governor):
        return None
    referred = referent_words(governor) if governor is not None and governor.pos_ in VERB_POS else set()
    best: Reading | None = None
    for attr in attributes:
        if attr.dimension != "duration":
            continue
        if not (target | referred) & attr.frames or planned(governor, attr):
            continue
        if governor is not None and _of_what(governor) & attr.exclude:
            continue  # "a 15-hour halt to the search": a pause of something else
        if attr.exclude & target:
            continue  # "an 11-hour first-round match": what lasted is no occasion of the attribute
        # "talks are set to resume in two weeks": a verb that is neither a lasting verb nor the
        # activity itself says the span is not the occurrence's length.
        if verbs and not (verbs & attr.duration_verbs or verbs & attr.frames):
            continue
        score = 3.0 + (1.0 if verbs & attr.duration_verbs else 0.0)
        if not target & attr.frames:
            score -= 1.0  # what lasted is named only in the sentence before
        if best is None or score > best.score:
            basis = "frame" if target & attr.frames else "referred"
            best = Reading(attr.name, score, None, governor, basis=basis)
    return best
