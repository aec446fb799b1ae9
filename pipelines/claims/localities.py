"""Places the article itself says are parts of the occurrence's area.

The gazetteer (places.py) knows countries, their subdivisions, cities and US counties; a village,
a hamlet, a small town or a district is often missing from it. The article says what they are:
"the town of Amatrice", "in the village of Saletta", "Balasore district", "in Amatrice alone". A
place so named anywhere in the article at a level below the main place's, or given as a part by
one figure, is a part in every figure of the article ("15 missing in Amatrice" in the headline).
The admin words are data (places.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token

from pipelines.claims.attributes import words_of
from pipelines.claims.context import ArticleContext
from pipelines.claims.entities import fold
from pipelines.claims.figures import Draft, reconcile_places
from pipelines.claims.places import PLACE_PREPOSITIONS, load_gazetteer, relation, said_of_figure, story_cues


def place_key(name: str) -> str:
    """The key a figure's place is stored under (entity ids and unnamed places alike)."""
    return fold(name).replace(" ", "-")


def compound_name(tok: Token) -> str:
    """A proper noun with the proper nouns compounded to it: "Sri Lanka", "Lee County"."""
    words = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def locates_occurrence(tok: Token, cues: frozenset[str]) -> bool:
    """The phrase says where the occurrence happened: "floods in the Libyan city of Derna", "trains
    derailed at a station in Balasore district", "the quake that struck the town of Amatrice". That
    place is the story's, not a part of it."""
    for above in tok.ancestors:
        if words_of(above) & cues:
            return True
        if above.pos_ in {"VERB", "AUX"}:
            related = [c for c in above.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if above.dep_ in {"conj", "relcl", "acl"}:
                related.append(above.head)
            return any(words_of(t) & cues for t in related)
    return False


def admin_named(doc: Doc, admin_words: dict[str, int], cues: frozenset[str]) -> list[tuple[str, int]]:
    """Names the article writes with an admin word, and the level that word gives them: "the town
    of Amatrice" -> ("Amatrice", 3), "Balasore district" -> ("Balasore", 2); not where the
    occurrence happened."""
    found: list[tuple[str, int]] = []
    for tok in doc:
        level = admin_words.get(tok.lower_)
        if level is None or tok.pos_ not in {"NOUN", "PROPN"} or locates_occurrence(tok, cues):
            continue
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                found += [(compound_name(p), level) for p in prep.children if p.dep_ == "pobj" and p.pos_ == "PROPN"]
        names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names:
            name = " ".join(t.text for t in sorted(names, key=lambda t: t.i))
            found += [(name, level), (f"{name} {tok.text}", level)]
    return found


def alone_named(doc: Doc) -> list[str]:
    """Places the article gives a figure for "alone": "61 people in Saletta alone"."""
    return [compound_name(doc[t.i - 1]) for t in doc if t.lower_ == "alone" and t.i > 0 and doc[t.i - 1].pos_ == "PROPN"]


def article_parts(drafts: Sequence[Draft], ctx: ArticleContext) -> set[str]:
    """Keys of the places the article gives as parts: written with an admin word below the main
    place, or given as a part by a figure ("218 in Amatrice alone")."""
    cache = ctx.doc.user_data.setdefault("newswatch.article_parts", {})
    if "named" not in cache:
        gazetteer = load_gazetteer()
        mains = [ctx.resolver.entities[m].name for m in ctx.main_places if m in ctx.resolver.entities]
        main_keys = {place_key(m) for m in mains}
        named = admin_named(ctx.doc, gazetteer.admin_words, story_cues(ctx))
        parts = {place_key(name) for name, level in named if relation(name, mains, level, gazetteer) == "part"}
        cache["named"] = (parts | {place_key(name) for name in alone_named(ctx.doc)}) - main_keys
    given: Iterable[str] = (d.place for d in drafts if d.scope == "subset" and d.marked and d.place)
    return set(cache["named"]) | set(given)


def name_admin_phrases(drafts: Sequence[Draft], admin_words: dict[str, int]) -> None:
    """A running count given "in the village of Saletta" names Saletta as its place (a candidate
    part), as "in Saletta" would."""
    for d in drafts:
        if d.attr.kind != "cumulative" or d.marked or d.place is not None or d.scope != d.attr.scope_default:
            continue
        for tok in d.local:
            if (tok.lower_ in admin_words and tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPOSITIONS
                    and said_of_figure(tok.head, d.anchor)):
                names = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" and p.pos_ == "PROPN"]
                if names:
                    d.place = place_key(compound_name(names[0]))
                    break


def another_figure_above(tok: Token, anchor: Token) -> bool:
    """The place hangs from another figure's phrase: "forty missing, among them 10 campers from a
    camp in Hunt" gives Hunt for the ten, not the forty."""
    for above in tok.ancestors:
        if above.i == anchor.i or above.pos_ in {"VERB", "AUX"}:
            return False
        if above.like_num or any(c.dep_ == "nummod" and c.i != anchor.i for c in above.children):
            return True
    return False


def own_place(d: Draft, ctx: ArticleContext) -> bool:
    """The figure's candidate place is said of the figure itself."""
    for tok in d.local:
        key = ctx.place_id.get(tok.i) or (place_key(tok.text) if tok.pos_ == "PROPN" else None)
        if key is not None and d.place is not None and (key == d.place or d.place.startswith(key + "-")) \
                and said_of_figure(tok, d.anchor):
            return not another_figure_above(tok, d.anchor)
    return False


def settle_localities(drafts: list[Draft], ctx: ArticleContext) -> None:
    """Decide the candidate parts: a place the article gives as a part anywhere is one in every
    figure said of it; otherwise a place's figure is a part only beside a larger figure
    (figures.reconcile_places)."""
    name_admin_phrases(drafts, load_gazetteer().admin_words)
    known = article_parts(drafts, ctx)
    for d in drafts:
        if (d.attr.kind == "cumulative" and not d.marked and d.scope == d.attr.scope_default
                and d.place in known and own_place(d, ctx)):
            d.scope, d.marked = "subset", True
    reconcile_places(drafts)
