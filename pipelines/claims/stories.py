"""What kind of story an article tells (negotiation, earthquake, air crash...), from catalog cues."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Token

from pipelines.claims.catalog import Catalog

TITLE_WEIGHT = 3
NAME_ENTITY_TYPES = {"ORG", "FAC", "PERSON", "WORK_OF_ART", "PRODUCT", "EVENT"}
LEAD_SENTENCES = 4


def weighted_tokens(doc: Doc, title_doc: Doc | None) -> list[tuple[Token, int]]:
    """Every token of the article with the weight of where it stands: title, lead or body."""
    lead_end = 0
    for n, sent in enumerate(doc.sents):
        if n == LEAD_SENTENCES:
            break
        lead_end = sent.end
    weighted = [(tok, 2 if tok.i < lead_end else 1) for tok in doc]
    if title_doc is not None:
        weighted += [(tok, TITLE_WEIGHT) for tok in title_doc]
    return weighted


def story_scores(doc: Doc, title: str | None, catalog: Catalog, title_doc: Doc | None = None) -> Counter[str]:
    """The story type whose cue lemmas weigh most: the title and the lead count extra, because
    background paragraphs mention other things ("the deadliest crash since ...")."""
    scores: Counter[str] = Counter()
    for tok, weight in weighted_tokens(doc, title_doc):
        # a cue inside a name says nothing about the story ("the Jet Set nightclub", "Fire Island"),
        # unless it names the occurrence itself ("Typhoon Haiyan")
        in_name = tok.pos_ == "PROPN" or tok.ent_type_ in NAME_ENTITY_TYPES
        words = {(tok.lemma_ or tok.text).lower(), tok.lower_}
        for story in catalog.stories.values():
            if words & (story.name_cues if in_name else story.cues):
                scores[story.name] += weight
    return scores


def classify_story(doc: Doc, title: str | None, catalog: Catalog, title_doc: Doc | None = None) -> str | None:
    scores = story_scores(doc, title, catalog, title_doc)
    return scores.most_common(1)[0][0] if scores else None
