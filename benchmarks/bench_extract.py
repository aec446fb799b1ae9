"""Extraction speed on one core, next to the NLP library's own parse of the same text.

    .venv/bin/python benchmarks/bench_extract.py [--repeat 3]

Reads every development article (tests/fixtures/dev) and the demo corpus, then times, per pass:
  parse    spaCy's pipeline alone over each article's text and title (what extraction must pay anyway)
  extract  the full claims extraction (parse + quantities + readings + scope + dates)
and reports articles/s, words/s and the overhead of extraction on top of the parse. Target: at most
25 %. Times are process CPU time (time.process_time), best of --repeat passes, so other load on the
machine disturbs them little.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.analyze import load_articles  # noqa: E402
from pipelines.claims.catalog import load_catalog  # noqa: E402
from pipelines.claims.entities import Resolver  # noqa: E402
from pipelines.claims.extract import extract_article  # noqa: E402
from pipelines.claims.nlp import get_nlp  # noqa: E402
from pipelines.models import ArticleInput  # noqa: E402

TARGET_OVERHEAD = 0.25


def corpus() -> list[ArticleInput]:
    from pipelines.demo.corpus import load_corpus

    articles: list[ArticleInput] = []
    for folder in sorted((ROOT / "tests" / "fixtures" / "dev").glob("*/articles")):
        articles += load_articles(folder)
    articles += [ArticleInput(a.slug, a.text, a.title, a.publisher, None, a.published) for a in load_corpus()]
    return articles


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = corpus()
    catalog = load_catalog()
    nlp = get_nlp()
    words = sum(len(a.text.split()) + len((a.title or "").split()) for a in articles)
    extract_article(articles[0], catalog, Resolver())  # warm caches (model, grammar, catalog)

    def parse() -> None:
        for a in articles:
            nlp(a.text)
            if a.title:
                nlp(a.title)

    def extract() -> None:
        resolver = Resolver()
        for a in articles:
            extract_article(a, catalog, resolver)

    t_parse = best_of(args.repeat, parse)
    t_extract = best_of(args.repeat, extract)
    overhead = (t_extract - t_parse) / t_parse
    print(f"{len(articles)} articles, {words} words")
    print(f"parse    {t_parse:7.3f} s  {len(articles) / t_parse:7.1f} articles/s  {words / t_parse:9.0f} words/s")
    print(f"extract  {t_extract:7.3f} s  {len(articles) / t_extract:7.1f} articles/s  {words / t_extract:9.0f} words/s")
    print(f"overhead of extraction on top of the parse: {overhead:.1%} (target <= {TARGET_OVERHEAD:.0%})")

    # Scaling: one long article must cost about its length, not its length squared (each figure
    # once rescanned the whole document: spaCy's Token.sent and Doc.text are linear).
    para = "Talks lasted about 90 minutes and the sides agreed to swap 1,000 prisoners each. " * 5 + "\n"

    def one(n: int) -> float:
        article = ArticleInput("long", para * n, "talks")
        return best_of(args.repeat, lambda: extract_article(article, catalog, Resolver()))

    small, large = one(10), one(80)
    growth = large / small
    print(f"scaling  8x longer article costs {growth:.1f}x (linear ~8x, quadratic ~64x; target <= 16x)")
    return 0 if overhead <= TARGET_OVERHEAD and growth <= 16 else 1


if __name__ == "__main__":
    raise SystemExit(main())
