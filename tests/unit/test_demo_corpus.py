"""The demo corpus and its answer key: well-formed, self-consistent, exportable in the eval format."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from pipelines.demo.corpus import (
    CORPUS_DIR,
    export_eval_articles,
    export_eval_set,
    load_answer_key,
    load_corpus,
)

MAY, JULY = "2025-05-16", "2025-07-23"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def key():
    return load_answer_key()


def test_corpus_has_enough_well_formed_articles(corpus):
    assert len(corpus) >= 10
    for article in corpus:
        assert (CORPUS_DIR / f"{article.slug}.json").is_file()
        assert article.publisher and article.author and article.title
        assert article.published.utcoffset() is not None
        assert 250 <= article.word_count <= 500, (article.slug, article.word_count)
    assert len({a.publisher for a in corpus}) >= 5


def test_release_order_is_contiguous_and_follows_publication_time(corpus):
    assert [a.release_order for a in corpus] == list(range(1, len(corpus) + 1))
    published = [a.published for a in corpus]
    assert published == sorted(published)


def test_every_claim_quote_is_in_its_article(corpus, key):
    texts = {a.slug: a.text for a in corpus}
    for claim in key["claims"]:
        assert claim["quote"] in texts[claim["slug"]], claim["id"]
        assert claim["event"] in (MAY, JULY)
    claimed = {c["slug"] for c in key["claims"]}
    # Every article either carries claims or is listed as a deliberate no-claim article.
    assert claimed | set(key["no_claims"]) == set(texts)
    assert not claimed & set(key["no_claims"])


def _overlap(a: dict, b: dict) -> bool:
    low = max(x for x in (a["value_low"], b["value_low"], float("-inf")) if x is not None)
    high = min(x for x in (a["value_high"], b["value_high"], float("inf")) if x is not None)
    return low <= high


def test_listed_conflicts_are_exactly_the_non_overlapping_same_event_pairs(key):
    marginal = {frozenset((m["a_slug"], m["b_slug"], m["attribute"])) for m in key["marginal"]}
    computed = set()
    for a, b in combinations(key["claims"], 2):
        if (a["attribute"] == b["attribute"] and a["event"] == b["event"] and a["slug"] != b["slug"]
                and not _overlap(a, b)):
            pair = frozenset((a["slug"], b["slug"], a["attribute"]))
            if pair not in marginal:
                computed.add(pair)
    listed = {frozenset((c["a_slug"], c["b_slug"], c["attribute"])) for c in key["conflicts"]}
    assert listed == computed
    assert all(c["event"] == MAY for c in key["conflicts"])


def test_answer_key_covers_the_intended_disagreements(corpus, key):
    pairs = {(c["attribute"], frozenset((tuple(c["a_value"]), tuple(c["b_value"])))) for c in key["conflicts"]}
    per_side = "prisoner_exchange.count_per_side"
    assert (per_side, frozenset(((500, 500), (1000, 1000)))) in pairs
    durations = [c for c in key["conflicts"] if c["attribute"] == "talks.duration_minutes"]
    assert len(durations) >= 2
    # The one outlet with 500 per side conflicts with every article that reports 1,000 per side for May.
    thousand = {c["slug"] for c in key["claims"]
                if c["attribute"] == per_side and c["event"] == MAY and c["value_low"] == 1000}
    five_hundred = {c["slug"] for c in key["claims"] if c["attribute"] == per_side and c["value_low"] == 500}
    assert len(five_hundred) == 1
    conflicting = {c["a_slug"] for c in key["conflicts"] if c["attribute"] == per_side} | {
        c["b_slug"] for c in key["conflicts"] if c["attribute"] == per_side}
    assert conflicting == thousand | five_hundred


def test_july_figures_conflict_with_nothing(corpus, key):
    july_ids = {c["id"] for c in key["claims"] if c["event"] == JULY}
    assert july_ids
    for row in key["conflicts"] + key["marginal"]:
        assert row["a_claim"] not in july_ids and row["b_claim"] not in july_ids
    # A July figure for an attribute May also has is listed as a non-conflict against May.
    may_attributes = {c["attribute"] for c in key["claims"] if c["event"] == MAY}
    comparable = {c["id"] for c in key["claims"] if c["event"] == JULY and c["attribute"] in may_attributes}
    cross = [n for n in key["not_conflicts"] if n["a_event"] != n["b_event"]]
    assert comparable and {n["a_claim"] for n in cross} | {n["b_claim"] for n in cross} >= comparable


def test_recall_after_july_belongs_to_may(corpus, key):
    published = {a.slug: a.published.date().isoformat() for a in corpus}
    recalls = [c for c in key["claims"] if c["event"] == MAY and published[c["slug"]] > JULY]
    assert recalls, "one article published after the July round recalls the May swap"
    recall_slugs = {c["slug"] for c in recalls}
    assert any(c["slug"] in recall_slugs and c["event"] == JULY for c in key["claims"])


def test_not_conflicts_never_overlap_conflict_pairs(key):
    conflict_keys = {(c["a_slug"], c["b_slug"], c["attribute"]) for c in key["conflicts"]}
    for n in key["not_conflicts"]:
        assert (n["a_slug"], n["b_slug"], n["attribute"]) not in conflict_keys
        assert n["a_event"] != n["b_event"] or _overlap(
            {"value_low": n["a_value"][0], "value_high": n["a_value"][1]},
            {"value_low": n["b_value"][0], "value_high": n["b_value"][1]})


def test_export_eval_articles_writes_the_eval_format(tmp_path: Path, corpus):
    paths = export_eval_articles(tmp_path / "articles", base_url="http://127.0.0.1:9999")
    assert len(paths) == len(corpus)
    by_id = {a.slug: a for a in corpus}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"id", "url", "publisher", "published", "title", "text"}
        article = by_id[data["id"]]
        assert data["text"] == "\n".join(article.paragraphs)
        assert data["url"] == f"http://127.0.0.1:9999/articles/{article.slug}.html"
        assert data["published"] == article.published.isoformat()
    assert not list((tmp_path / "articles").glob("*.tmp"))


def test_export_eval_set_is_consistent(tmp_path: Path, key):
    out = export_eval_set(tmp_path)
    texts = {json.loads(p.read_text())["id"]: json.loads(p.read_text())["text"]
             for p in out["articles"].glob("*.json")}
    gold = json.loads(out["gold"].read_text())
    pairs = json.loads(out["pairs"].read_text())
    assert len(gold) == len(key["claims"])
    for claim in gold:
        assert claim["quote"] in texts[claim["article"]]
    events = {g["id"]: g["event"] for g in gold}
    strong = [c for c in pairs["conflicts"] if c["strength"] == "strong"]
    assert len(strong) == len(key["conflicts"])
    for c in pairs["conflicts"]:
        assert events[c["a"]] == events[c["b"]]
    assert pairs["updates"] and all(events[u["a"]] != events[u["b"]] for u in pairs["updates"])


def test_loader_rejects_malformed_articles(tmp_path: Path):
    good = json.loads(next(p for p in CORPUS_DIR.glob("*.json") if p.name != "expected.json").read_text())
    bad = dict(good)
    del bad["author"]
    (tmp_path / "a.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="author"):
        load_corpus(tmp_path)
    naive = dict(good, published="2025-05-16T10:00:00")
    (tmp_path / "a.json").write_text(json.dumps(naive))
    with pytest.raises(ValueError, match="timezone"):
        load_corpus(tmp_path)


def test_readme_answer_key_names_every_article_and_conflict(corpus, key):
    readme = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    for article in corpus:
        assert f"`{article.slug}`" in readme
    for c in key["conflicts"]:
        assert f"| {c['attribute']} | {c['a_slug']} | {c['b_slug']} |" in readme
