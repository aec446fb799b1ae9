"""What publishing the analysts' copy costs as the store grows.

Builds a live database with N claims written over the past weeks (articles with their text,
contradictions, entity mentions), publishes it once (the first publish writes everything), then
simulates one processing run: a batch of new articles and claims in the current hour plus an edit
of an old article, and times the publish that follows. A publish rewrites only the parts the run
changed, so its cost should stay flat from 10K to 1M stored claims.

    python benchmarks/bench_publish.py --stored 10000 --batch 500 [--json]

With --json the last line is one JSON object: stored, batch, first_publish_s, publish_s (median
of --repeat runs), parts_written, bytes_written, peak_rss_mb.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines import db  # noqa: E402
from pipelines.snapshot import publish  # noqa: E402

# Generated rows: an article every few claims, spread over DAYS days up to the benchmark's start.
DAYS = 30
ARTICLES = """
INSERT INTO articles (article_id, url, canonical_url, feed_name, publisher, title, published, language, text,
                      content_hash, raw_html_gz, fetched_at, processed_at)
SELECT 'a' || i, 'https://news.example/' || i, 'https://news.example/' || i, 'feed' || (i % 40), 'Outlet ' || (i % 70),
       'Report ' || i, ts, 'en', repeat('Rescuers searched the rubble through the night. ', 60), md5(i::VARCHAR),
       NULL, ts, ts
FROM (SELECT i, $start::TIMESTAMPTZ + to_seconds(i * $span / $n) AS ts FROM range($first, $first + $n) t(i))
"""
CLAIMS = """
INSERT INTO claims (claim_id, article_id, event_id, attribute, kind, unit, value_low, value_high, hedge, value_text,
                    scope, as_of, quote, quote_start, quote_end, sentence, extracted_at)
SELECT 'c' || i, 'a' || (i // 5), 'e' || (i // 400), 'death_toll', 'cumulative', 'people', i % 900, i % 900 + 10,
       'about', 'about ' || (i % 900), 'whole', CAST(ts AS DATE), 'about ' || (i % 900) || ' people died', 10, 40,
       'Officials said about ' || (i % 900) || ' people died in the disaster.', ts
FROM (SELECT i, $start::TIMESTAMPTZ + to_seconds(i * $span / $n) AS ts FROM range($first, $first + $n) t(i))
"""
CONTRADICTIONS = """
INSERT INTO contradictions (contradiction_id, event_id, attribute, kind, claim_a, claim_b, gap, relative_gap,
                            severity, reason, fingerprint, detected_at)
SELECT 'x' || i, 'e' || (i * 10 // 400), 'death_toll', 'update', 'c' || (i * 10), 'c' || (i * 10 + 1), 1, 0.01,
       'low', 'the figure rose', 'f' || i, ts
FROM (SELECT i, $start::TIMESTAMPTZ + to_seconds(i * 10 * $span / $n) AS ts FROM range($first // 10, ($first + $n) // 10) t(i))
"""


def add_rows(con, first: int, n: int, start: str, span_s: float) -> None:
    params = {"first": first, "n": n, "start": start, "span": span_s}
    con.execute(ARTICLES, {**params, "first": first // 5, "n": max(n // 5, 1)})
    con.execute(CLAIMS, params)
    con.execute(CONTRADICTIONS, params)


def run(stored: int, batch: int, repeat: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        live, snap = Path(tmp) / "live.duckdb", Path(tmp) / "snapshot" / "newswatch.duckdb"
        now = time.time()
        with db.session(live) as con:
            history_start = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(now - DAYS * 86400))
            add_rows(con, 0, stored, history_start, DAYS * 86400 - 3600)
        t0 = time.perf_counter()
        publish(live, snap)
        first = time.perf_counter() - t0
        timings, result = [], None
        for r in range(repeat):
            with db.session(live) as con:  # one run: a batch this hour, and an old article revised
                hour = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(now - 60 + r))
                add_rows(con, stored + r * batch, batch, hour, 30.0)
                con.execute("UPDATE articles SET processed_at = now() WHERE article_id = 'a' || ?", [r * 7])
            t0 = time.perf_counter()
            result = publish(live, snap)
            timings.append(time.perf_counter() - t0)
        assert result is not None
        return {
            "stored": stored, "batch": batch, "first_publish_s": round(first, 3),
            "publish_s": round(statistics.median(timings), 3), "parts_written": result.parts_written,
            "bytes_written": result.bytes_written,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=10_000, help="claims in the store before the run")
    parser.add_argument("--batch", type=int, default=500, help="new claims in the run")
    parser.add_argument("--repeat", type=int, default=3, help="runs to time (the median is reported)")
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    args = parser.parse_args()
    figures = run(args.stored, args.batch, args.repeat)
    for key, value in figures.items():
        print(f"{key:>16}: {value}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
