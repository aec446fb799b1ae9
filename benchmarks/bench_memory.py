"""Peak memory of one very large article through every stage that reads it.

    .venv/bin/python benchmarks/bench_memory.py [--mb 5] [--limit-mb 400]

Writes a synthetic article of --mb megabytes (the demo corpus's paragraphs repeated) as plain text and as
HTML, then measures the peak resident set size (RSS) of a fresh process for each route:
  analyze-text   `newswatch analyze` on a folder holding the text article (load, validate, extract)
  analyze-html   the same with the HTML article (load, validate, clean, extract)
  ingest-page    what ingestion does with a fetched page of that size: decode, clean, extract
Each child also reports the RSS of its imports alone (the NLP model), so the article's own cost is
visible. Target: every route under --limit-mb (400 MB). Exit 1 when one is over.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    sys.path.insert(0, sys.argv[1])
    route, path = sys.argv[2], sys.argv[3]

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    from pipelines.claims.catalog import load_catalog
    from pipelines.claims.extract import extract_article
    from pipelines.claims.nlp import get_nlp
    get_nlp()
    catalog = load_catalog()
    baseline = rss_mb()
    t0 = time.perf_counter()
    if route.startswith("analyze"):
        from pipelines.analyze import analyze_articles, read_articles
        folder = read_articles(__import__("pathlib").Path(path))
        assert not folder.skipped, folder.skipped
        analysis = analyze_articles(folder.articles, catalog)
        claims = len(analysis.claims)
    else:
        from pipelines.clean import clean_html
        from pipelines.ingest.content import decode_html
        from pipelines.models import ArticleInput
        raw = open(path, "rb").read()  # a body at the fetch limit, as the fetcher hands it over
        decoded = decode_html(raw, "utf-8")
        del raw
        page = clean_html(decoded.text, url="https://example.com/big")
        del decoded
        claims = len(extract_article(ArticleInput("big-page", page.text, page.title), catalog).claims)
    print(json.dumps({"route": route, "baseline_mb": round(baseline), "peak_mb": round(rss_mb()),
                      "claims": claims, "seconds": round(time.perf_counter() - t0, 1)}))
    """
)


def article_text(megabytes: float) -> str:
    """The demo corpus's paragraphs (our own reporting), repeated to the size asked for."""
    sys.path.insert(0, str(ROOT))
    from pipelines.demo.corpus import load_corpus

    paragraphs = [p for a in load_corpus() for p in a.paragraphs]
    parts, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        parts.append(paragraphs[i % len(paragraphs)])
        size += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts)


def write_inputs(folder: Path, megabytes: float) -> dict[str, Path]:
    text = article_text(megabytes)
    html = "<html lang='en'><head><title>Istanbul talks</title></head><body><article><h1>Istanbul talks</h1>" + "".join(
        f"<p>{p}</p>" for p in text.split("\n\n")) + "</article></body></html>"
    (folder / "text").mkdir()
    (folder / "html").mkdir()
    base = {"publisher": "Bench Wire", "url": "https://example.com/big", "published": "2025-05-17T10:00:00Z",
            "title": "Istanbul talks"}
    (folder / "text" / "big.json").write_text(json.dumps({"id": "big-text", "text": text, **base}))
    (folder / "html" / "big.json").write_text(json.dumps({"id": "big-html", "html": html, **base}))
    (folder / "page.html").write_text(html)
    return {"analyze-text": folder / "text", "analyze-html": folder / "html", "ingest-page": folder / "page.html"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="article size in megabytes")
    parser.add_argument("--limit-mb", type=float, default=400.0, help="peak RSS allowed per route")
    args = parser.parse_args()
    over = []
    with tempfile.TemporaryDirectory() as tmp:
        for route, path in write_inputs(Path(tmp), args.mb).items():
            size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.iterdir()))
            proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), route, str(path)], capture_output=True,
                                  text=True, check=False)
            if proc.returncode:
                print(f"{route}: failed\n{proc.stderr[-2000:]}")
                over.append(route)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            ok = r["peak_mb"] <= args.limit_mb
            print(f"{route:<13} input {size / 1e6:.1f} MB  peak RSS {r['peak_mb']} MB (imports alone "
                  f"{r['baseline_mb']} MB)  claims {r['claims']}  {r['seconds']} s  {'ok' if ok else 'OVER'}")
            if not ok:
                over.append(route)
    print(f"target: peak RSS <= {args.limit_mb:g} MB per input: " + ("met" if not over else f"missed ({', '.join(over)})"))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
