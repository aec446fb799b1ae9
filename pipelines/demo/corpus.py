"""The bundled demo corpus: articles written for this project, stored as JSON data next to this module.

The answer key (``corpus/expected.json``) lists the claims a correct pipeline extracts and the
contradictions it must (and must not) report. Both can be exported in the eval formats so that
``newswatch eval`` can score the demo stream like any other gold set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
ANSWER_KEY = "expected.json"
DEFAULT_BASE_URL = "http://127.0.0.1:8765"

_REQUIRED = ("slug", "publisher", "author", "published", "title", "paragraphs", "release_order")


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    publisher: str
    author: str
    published: datetime  # always timezone-aware
    title: str
    paragraphs: tuple[str, ...]
    release_order: int

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def url(self, base_url: str = DEFAULT_BASE_URL) -> str:
        return f"{base_url.rstrip('/')}/articles/{self.slug}.html"


def _article_from_dict(data: dict[str, Any], source: Path) -> DemoArticle:
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise ValueError(f"{source.name}: missing fields {missing}")
    published = datetime.fromisoformat(data["published"])
    if published.tzinfo is None:
        # A naive time would sort and render differently depending on the machine's zone.
        raise ValueError(f"{source.name}: 'published' needs a timezone offset")
    paragraphs = tuple(str(p) for p in data["paragraphs"])
    if not paragraphs or any(not p.strip() for p in paragraphs):
        raise ValueError(f"{source.name}: empty paragraph list or empty paragraph")
    return DemoArticle(
        slug=str(data["slug"]),
        publisher=str(data["publisher"]),
        author=str(data["author"]),
        published=published,
        title=str(data["title"]),
        paragraphs=paragraphs,
        release_order=int(data["release_order"]),
    )


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> list[DemoArticle]:
    """All demo articles, in release order. Raises ValueError on a malformed or duplicated file."""
    articles = [
        _article_from_dict(json.loads(path.read_text(encoding="utf-8")), path)
        for path in sorted(corpus_dir.glob("*.json"))
        if path.name != ANSWER_KEY
    ]
    slugs = [a.slug for a in articles]
    if len(set(slugs)) != len(slugs):
        raise ValueError("duplicate slugs in demo corpus")
    orders = [a.release_order for a in articles]
    if len(set(orders)) != len(orders):
        raise ValueError("duplicate release_order in demo corpus")
    return sorted(articles, key=lambda a: a.release_order)


def load_answer_key(corpus_dir: Path = CORPUS_DIR) -> dict[str, Any]:
    """The parsed ``expected.json``: claims, conflicts, marginal and not_conflicts."""
    data: dict[str, Any] = json.loads((corpus_dir / ANSWER_KEY).read_text(encoding="utf-8"))
    return data


def eval_article(article: DemoArticle, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """One article in the eval article format."""
    return {
        "id": article.slug,
        "url": article.url(base_url),
        "publisher": article.publisher,
        "published": article.published.isoformat(),
        "title": article.title,
        "text": article.text,
    }


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def export_eval_articles(out_dir: Path, base_url: str = DEFAULT_BASE_URL) -> list[Path]:
    """Write one eval JSON per demo article into ``out_dir`` (created if needed); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in load_corpus():
        path = out_dir / f"{article.slug}.json"
        _write_json(path, eval_article(article, base_url))
        paths.append(path)
    return paths


def export_eval_set(out_dir: Path, base_url: str = DEFAULT_BASE_URL) -> dict[str, Path]:
    """The demo corpus as a complete eval set: ``articles/``, ``gold.json``, ``expected_conflicts.json``.

    Run ``newswatch eval --articles OUT/articles --gold OUT/gold.json --pairs OUT/expected_conflicts.json``.
    """
    key = load_answer_key()
    export_eval_articles(out_dir / "articles", base_url)
    gold = [
        {
            "id": c["id"],
            "article": c["slug"],
            "event": c["event"],
            "attribute": c["attribute"],
            "value_low": c["value_low"],
            "value_high": c["value_high"],
            "quote": c["quote"],
            # Every figure here describes a round of talks, so it refers to the day that round was held.
            "as_of": c["event"],
        }
        for c in key["claims"]
    ]
    pairs = {
        "conflicts": [{"a": c["a_claim"], "b": c["b_claim"], "strength": "strong", "why": c["why"]}
                      for c in key["conflicts"]]
        + [{"a": c["a_claim"], "b": c["b_claim"], "strength": "marginal", "why": c["why"]}
           for c in key["marginal"]],
        "updates": [{"a": n["a_claim"], "b": n["b_claim"], "why": n["why"]}
                    for n in key["not_conflicts"] if n["a_event"] != n["b_event"]],
        "ambiguous": [],
    }
    gold_path, pairs_path = out_dir / "gold.json", out_dir / "expected_conflicts.json"
    _write_json(gold_path, gold)
    _write_json(pairs_path, pairs)
    return {"articles": out_dir / "articles", "gold": gold_path, "pairs": pairs_path}
