"""Benchmark: the claims quality gate on 10,000 staged claims (target: under 2 s).

Builds a fresh DuckDB file with synthetic articles and staged claims (1 % of them broken in
different ways), then times, per repeat, on a freshly re-staged batch:

- ``gx``: Great Expectations validating the claims DataFrame (the suite from expectations/),
- ``gate``: the whole gate for the table: the SQL that builds the DataFrame (quote/offset/as_of
  checks against 500 article texts), GX, publishing passing rows and quarantining failing ones.

Importing Great Expectations (once per process, ~2 s here) is reported separately.

    .venv/bin/python benchmarks/bench_validate.py [--claims 10000] [--repeats 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ARTICLES = 500


def article_text(i: int) -> str:
    # Synthetic text: one sentence per claim slot, so quotes and offsets are real substrings.
    return " ".join(f"In district {i}-{k}, officials said {k + 3} people died and {k + 10} were hurt."
                    for k in range(25))


def build(con: duckdb.DuckDBPyConnection, claims: int) -> list[list[object]]:
    from pipelines import db
    from pipelines.ids import content_hash

    texts = {}
    for i in range(ARTICLES):
        text = article_text(i)
        texts[f"a{i}"] = text
        db.run(con, "ingest/upsert_article", {
            "article_id": f"a{i}", "url": f"https://bench.example.org/{i}", "canonical_url": f"https://bench.example.org/{i}",
            "feed_name": "bench", "publisher": f"Outlet {i % 7}", "title": f"Report {i}", "author": None,
            "published": T0 + timedelta(minutes=i), "language": "en", "text": text, "content_hash": content_hash(text),
            "raw_html_gz": None, "fetched_at": T0 + timedelta(minutes=i + 5), "encoding": "utf-8", "ingest_note": None,
        })
    rows: list[list[object]] = []
    for n in range(claims):
        article = f"a{n % ARTICLES}"
        k = (n // ARTICLES) % 25
        quote = f"{k + 3} people died"
        text = texts[article]
        start = text.find(f"district {n % ARTICLES}-{k},")
        start = text.find(quote, start)
        low = high = float(k + 3)
        attribute, unit, scope = "death_toll", "people", "whole"
        if n % 100 == 7:
            low, high = high + 5, low  # reversed interval
        elif n % 100 == 33:
            start += 2  # offsets point next to the quote
        elif n % 100 == 71:
            attribute = "mood.index"
        elif n % 100 == 91:
            scope = "galaxy"
        rows.append([f"c{n}", article, f"ev{n % 50}", attribute, "cumulative", unit, low, high, "exact", quote, scope,
                     T0.date(), None, quote, start, start + len(quote), quote, T0 + timedelta(hours=2)])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    from pipelines.quality import GxRunner, check_table, load_suites, suite_parameters
    import_s = time.perf_counter() - t

    from pipelines import db
    from pipelines.claims.catalog import load_catalog
    from pipelines.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp), languages="en")
        suite = load_suites(settings.expectations_dir)["claims"]
        params = suite_parameters(settings, load_catalog(settings.catalog))
        runner = GxRunner()
        gx_times, gate_times = [], []
        outcome = None
        with db.session(settings.database) as con:
            staged = build(con, args.claims)
            for _ in range(args.repeats):
                con.execute("DELETE FROM claims; DELETE FROM quarantine; DELETE FROM stg_claims;")
                con.executemany(db.sql("quality/stage_claim"), staged)
                frame = con.execute(db.sql("quality/batch_claims")).df()
                t = time.perf_counter()
                runner.run(suite, frame, params)
                gx_times.append(time.perf_counter() - t)
                t = time.perf_counter()
                outcome = check_table(con, runner, suite, params, "bench")
                gate_times.append(time.perf_counter() - t)
        assert outcome is not None
        result = {
            "claims": args.claims,
            "repeats": args.repeats,
            "gx_import_s": round(import_s, 3),
            "gx_validate_s_median": round(statistics.median(gx_times), 3),
            "gate_s_median": round(statistics.median(gate_times), 3),
            "gate_s_max": round(max(gate_times), 3),
            "published": outcome.rows_published,
            "quarantined": outcome.rows_quarantined,
            "expectations": len(outcome.expectations),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "target_s": 2.0,
        }
    result["meets_target"] = result["gate_s_median"] < result["target_s"]
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
