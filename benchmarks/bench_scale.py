"""Cost of one batch of new claims as the store grows: event assignment, quality gate, detection,
writes and publishing, against N stored claims.

    .venv/bin/python benchmarks/bench_scale.py --stored 200000 --batch 500 [--json] [--workdir DIR]

First (once per --stored and --seed; kept in --workdir, default var/bench-scale) it builds a store of
N published claims over realistic events: many small stories (1-6 reports on one to three
attributes: tolls, injured, missing, talks' length, prisoners per side) and three big disasters with
thousands of reports of a rising toll, written in bulk; then the real stages validate the
articles and detect the store's contradictions. The store is written as a stream writes it: each
story breaks on one of the 60 days before yesterday and every row carries the time its report
came (fetched, extracted, detected), so the analyst copy is cut into the parts a live store has.
The timed part runs in a fresh process on a copy of that store: --batch new claims in new articles
published in the last hour and fetched now (a fifth of them about the big stories, most about
stored events, some about new ones; the same batch on every run) go through the real stage
functions:

  store    the extraction writer (pipelines.extract_store.store_batch, batches of 50 articles)
           assigns every claim to an event with pipelines.events.EventIndex, loading the stored events
           each batch may match, and stores claims, events and entities in staging, one statement per table
  gate     the quality gate on the new articles and claims (pipelines.flow.validate)
  detect   incremental detection and the contradictions gate (pipelines.flow.detect)
  publish  the analyst copy (pipelines.flow.publish_snapshot)

With --json the last line is one JSON object: stored, batch, batch_seconds (the four stages),
batch_cpu_seconds (their CPU time, all threads: less swayed by other work on the machine),
peak_rss_mb (of the timed process), seconds and CPU seconds per stage, import_seconds (importing Great
Expectations, once per process whatever the store holds: not part of the batch) and what
detection read and staged.

Target: a batch of 500 costs at most 1.5x as much at 200K stored claims as at 10K, at most 5 s.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from pipelines import db, flow  # noqa: E402
from pipelines.claims.catalog import Catalog, load_catalog  # noqa: E402
from pipelines.claims.context import country_keys  # noqa: E402
from pipelines.events import EventIndex  # noqa: E402
from pipelines.extract_batches import ArticleResult, split  # noqa: E402
from pipelines.extract_store import relabel_all, store_batch  # noqa: E402
from pipelines.ids import stable_id  # noqa: E402
from pipelines.models import Claim, EventHint  # noqa: E402
from pipelines.settings import Settings  # noqa: E402

STORE_FORMAT = 2               # bumped when the built store changes (a store of an older format is built anew)
BIG_STORIES = 3
BIG_REPORTS = 3000            # reports per big story (fewer when the store is small)
OUTLETS = [f"Outlet {i:03}" for i in range(300)]
DISASTERS = ("earthquake", "flood", "storm")
TOLLS = ("death_toll", "injured", "missing")
TALKS = ("talks.duration_minutes", "prisoner_exchange.count_per_side")
START = date(1990, 1, 1)
STREAM_DAYS = 60              # the store's reporting: stories break over these days, then their reports follow
FILLER = ("Rescue teams worked through the night, local officials said, and aid agencies asked for more "
          "tents, water and medicine as roads to the worst-hit districts remained blocked by debris.")


@dataclass
class Report:
    """One generated article with its claims, before it is stored."""

    article: dict[str, Any]
    claims: list[Claim]


class Generator:
    """Articles, events and claims that look like a news stream: small stories, a few big ones.

    Occurrences are spread over decades (one country's disasters 45 days apart, its talks 3 days
    apart, so that each is its own event however many there are), but the reporting is a stream:
    each story breaks on one day of the store's ``STREAM_DAYS`` (its event's ``created_at``) and
    its reports follow it, each stored a few minutes after it was published, as the pipeline
    would have written them. The timed batch is published in the last hour and fetched now."""

    def __init__(self, catalog: Catalog, seed: int, stream_start: datetime, stream_days: int = STREAM_DAYS) -> None:
        self.catalog = catalog
        self.rng = random.Random(seed)
        self.countries = sorted(k.replace(" ", "-") for k in country_keys())
        self.stream_start = stream_start
        self.stream_days = stream_days
        self.events: list[dict[str, Any]] = []
        self.slot = 0

    def new_event(self, story: str) -> dict[str, Any]:
        # disasters of one country are 45 days apart and talks 3 days apart, so each is its own occurrence
        self.slot += 1
        country = self.countries[self.slot % len(self.countries)]
        spacing = 3 if story == "negotiation" else 45
        when = START + timedelta(days=spacing * (self.slot // len(self.countries)) + self.slot % 7)
        event = {"event_id": stable_id(story, country, when.isoformat(), None), "story_type": story,
                 "label": f"{story}, {country}, {when}", "occurrence_date": when, "location": country,
                 "round_ordinal": None, "created_at": self.stream_start + timedelta(days=self.slot % self.stream_days)}
        self.events.append(event)
        return event

    def report(self, n: str, event: dict[str, Any], attributes: tuple[str, ...], day: int, level: float,
               published: datetime | None = None) -> Report:
        """An article about ``event`` published ``day`` days after its story broke (or at ``published``),
        with one figure per attribute: the official count as of its publication (it rises every three
        hours), or now and then the previous one (an outlet that has not caught up) or another
        source's lower count."""
        when = event["occurrence_date"]
        broke = pd.Timestamp(event["created_at"]).to_pydatetime().astimezone(UTC)
        published = published or broke + timedelta(days=day, minutes=self.rng.randint(0, 18 * 60))
        sentences, claims = [], []
        article_id = stable_id("bench", n)
        offset = 0
        step = int((published - broke).total_seconds() // 10_800)
        for attribute in attributes:
            lag = 1 if self.rng.random() < 0.03 else 0
            value = float(max(1, round(level * (1 + (step - lag) / 8) ** 1.2)))
            if self.rng.random() < 0.01:
                value = float(max(1, round(value * 0.8)))
            if attribute.startswith("talks"):
                value = float(self.rng.choice([60, 90, 90, 90, 105]))
            sentence = f"Officials said the figure for {attribute.replace('_', ' ')} stood at {value:g} on that day."
            sentences.append(sentence)
            kind = self.catalog.kind_of(attribute)
            claims.append(Claim(
                claim_id=stable_id(article_id, attribute, offset), article_id=article_id, attribute=attribute,
                kind=kind, unit=self.catalog.unit_of(attribute), value_low=value, value_high=value, hedge="exact",
                value_text=f"{value:g}", scope="whole", as_of=published.date() if kind == "cumulative" else when,
                quote=sentence, quote_start=offset, quote_end=offset + len(sentence), sentence=sentence,
                hint=EventHint(story_type=event["story_type"], occurrence_date=when, location=event["location"],
                               reference_date=when),
                event_id=event["event_id"], published=published))
            offset += len(sentence) + 1
        text = " ".join([*sentences, FILLER])
        url = f"https://news.example.org/{article_id}"
        article = {"article_id": article_id, "url": url, "canonical_url": url, "feed_name": "bench",
                   "publisher": self.rng.choice(OUTLETS), "title": f"Report {n}", "author": None,
                   "published": published, "language": "en", "text": text, "content_hash": stable_id(text, n),
                   "raw_html_gz": None, "fetched_at": published + timedelta(minutes=5),
                   "processed_at": published + timedelta(minutes=6)}
        return Report(article, claims)

    def small_story(self, tag: str, published: datetime | None = None) -> list[Report]:
        story = self.rng.choice(("negotiation", *DISASTERS))
        event = self.new_event(story)
        pool = TALKS if story == "negotiation" else TOLLS
        attributes = tuple(self.rng.sample(pool, self.rng.randint(1, len(pool))))
        level = self.rng.choice([5, 20, 80, 300])
        return [self.report(f"{tag}-{k}", event, attributes, k // 3, level, published)
                for k in range(self.rng.randint(1, 6))]

    def big_story_report(self, tag: str, event: dict[str, Any], k: int, published: datetime | None = None) -> Report:
        attributes = tuple(self.rng.sample(TOLLS, self.rng.randint(1, 2)))
        return self.report(tag, event, attributes, min(k // 150, 40), 50, published)


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    """The claims as extraction stored them: each when its article was processed (see ``report``)."""
    cols = ("claim_id", "article_id", "event_id", "attribute", "kind", "unit", "value_low", "value_high", "hedge",
            "value_text", "scope", "as_of", "source_entity", "quote", "quote_start", "quote_end", "sentence")
    frame = pd.DataFrame([[getattr(c, k) for k in cols] for c in claims], columns=list(cols))
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    # every generated claim has its article's publication time
    frame["extracted_at"] = pd.Series([(c.published or datetime.now(UTC)) + timedelta(minutes=6) for c in claims],
                                      dtype="datetime64[us, UTC]")
    return frame


def build(path: Path, stored: int, seed: int) -> None:
    """A store of ``stored`` published claims, its articles validated and its contradictions detected."""
    catalog = load_catalog()
    # The store is written as a stream would have written it: each row when its report came (the
    # analyst copy cuts its parts by those times), over the STREAM_DAYS before yesterday.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    stream_start = today - timedelta(days=STREAM_DAYS + 1)
    gen = Generator(catalog, seed, stream_start + timedelta(hours=6))
    big = [gen.new_event(DISASTERS[i % len(DISASTERS)]) for i in range(BIG_STORIES)]
    per_big = min(BIG_REPORTS, stored // 10)
    reports: list[Report] = []
    count = 0
    for i, event in enumerate(big):
        for k in range(per_big):
            reports.append(gen.big_story_report(f"big{i}-{k}", event, k))
    count = sum(len(r.claims) for r in reports)
    n = 0
    while count < stored:
        for r in gen.small_story(f"s{n}"):
            reports.append(r)
            count += len(r.claims)
        n += 1
    settings = Settings(home=path.parent, db_path=path, snapshot_path=path.parent / "snapshot" / "store.duckdb")
    with db.session(path) as con:
        con.register("bench_articles", pd.DataFrame([r.article for r in reports]))
        con.register("bench_events", pd.DataFrame(gen.events))
        con.register("bench_claims", claims_frame([c for r in reports for c in r.claims]))
        con.execute("BEGIN TRANSACTION")
        db.run(con, "bench/store_articles")
        db.run(con, "bench/store_events")
        db.run(con, "bench/store_claims")
        con.execute("COMMIT")
    flow.validate(settings)
    flow.detect(settings)
    with db.session(path) as con:
        db.run(con, "bench/backdate_detection")
        # events carry the headline labels the extraction writer gives them, so a batch relabels
        # only the events whose reports now name something new (as in a live store)
        relabel_all(con, catalog)
    meta = {"stored": count, "seed": seed, "articles": len(reports), "events": len(gen.events),
            "big_stories": [e["event_id"] for e in big], "slot": gen.slot,
            "stream_start": gen.stream_start.isoformat()}
    path.with_suffix(".json").write_text(json.dumps(meta, default=str), encoding="utf-8")


def batch_reports(path: Path, size: int, seed: int) -> list[Report]:
    """``size`` new claims: a fifth about the big stories, most about stored events, some new events."""
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    catalog = load_catalog()
    # the batch's stories break now: its reports are published in the last hour
    now = datetime.now(UTC)
    gen = Generator(catalog, seed + 1, now - timedelta(hours=1), stream_days=1)
    gen.slot = meta["slot"] + 1
    with db.session(path, read_only=True) as con:
        # a sample drawn with the seed, so that every run of one store times the same batch
        ids = [r["event_id"] for r in db.rows(con, "bench/event_ids")]
        sample = gen.rng.sample(ids, min(2000, len(ids)))
        events = db.rows(con, "bench/events_by_id", {"ids": sample})
        big = db.rows(con, "bench/events_by_id", {"ids": meta["big_stories"]})
    for e in events + big:
        e["occurrence_date"] = pd.Timestamp(e["occurrence_date"]).date()
    out: list[Report] = []
    count = n = 0
    while count < size:
        roll = gen.rng.random()
        published = now - timedelta(minutes=gen.rng.randint(5, 60))
        if roll < 0.2:
            r = [gen.big_story_report(f"b{n}", gen.rng.choice(big), 5000 + n, published)]
        elif roll < 0.8:
            e = gen.rng.choice(events)
            pool = TALKS if e["story_type"] == "negotiation" else TOLLS
            r = [gen.report(f"b{n}", e, tuple(gen.rng.sample(pool, 1)), 0, 100, published)]
        else:
            r = gen.small_story(f"b{n}", published)
        out += r
        count += sum(len(x.claims) for x in r)
        n += 1
    return out


def _cpu() -> float:
    """CPU time of this process so far, all threads (DuckDB's included)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def timed_batch(path: Path, size: int, seed: int) -> dict[str, Any]:
    work = path.parent / "run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    live = work / "newswatch.duckdb"
    shutil.copyfile(path, live)
    settings = Settings(home=work, db_path=live)
    flow.publish_snapshot(settings)  # the analyst copy as the previous run left it (not timed)
    reports = batch_reports(path, size, seed)
    fetched = datetime.now(UTC)
    with db.session(live) as con:  # the articles arrive as ingestion stores them, fetched now (not timed)
        for r in reports:
            db.run(con, "ingest/upsert_article", {**{k: r.article[k] for k in (
                "article_id", "url", "canonical_url", "feed_name", "publisher", "title", "author", "published",
                "language", "text", "content_hash", "raw_html_gz")}, "fetched_at": fetched, "encoding": "utf-8",
                "ingest_note": None})
    catalog = load_catalog()
    # Importing Great Expectations (the quality gate's library) costs seconds once per process,
    # whatever the store holds: it is reported on its own, not as part of the batch.
    t = time.perf_counter()
    importlib.import_module("pipelines.quality")
    import_seconds = time.perf_counter() - t
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}
    start_cpu = cpu = _cpu()
    t = time.perf_counter()
    with db.session(live) as con:
        index = EventIndex(catalog, lazy=True)
        results = [ArticleResult(r.article["article_id"], r.article["content_hash"], r.article["published"],
                                 claims=r.claims) for r in reports]
        stored = sum(store_batch(con, part, index).claims for part in split(results, 50))
        seconds["store"] = time.perf_counter() - t
    cpu_seconds["store"], cpu = _cpu() - cpu, _cpu()
    t = time.perf_counter()
    flow.validate(settings)
    seconds["gate"] = time.perf_counter() - t
    cpu_seconds["gate"], cpu = _cpu() - cpu, _cpu()
    t = time.perf_counter()
    detected = flow.detect(settings)
    seconds["detect"] = time.perf_counter() - t
    cpu_seconds["detect"], cpu = _cpu() - cpu, _cpu()
    t = time.perf_counter()
    flow.publish_snapshot(settings)
    seconds["publish"] = time.perf_counter() - t
    cpu_seconds["publish"], cpu = _cpu() - cpu, _cpu()
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return {
        "stored": meta["stored"], "batch": stored,
        "batch_seconds": round(sum(seconds.values()), 3),
        # CPU time of the batch (all threads): less swayed than wall time when others load the machine
        "batch_cpu_seconds": round(cpu - start_cpu, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stage_seconds": {k: round(v, 3) for k, v in seconds.items()},
        "stage_cpu_seconds": {k: round(v, 3) for k, v in cpu_seconds.items()},
        "import_seconds": round(import_seconds, 3),
        "detect_groups": detected.counts.get("groups"), "detect_claims_read": detected.counts.get("claims"),
        "detect_staged": detected.counts.get("staged"), "store_events": meta["events"],
        "store_articles": meta["articles"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, required=True, help="claims in the store")
    parser.add_argument("--batch", type=int, default=500, help="new claims processed in the timed batch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-scale")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--timed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    store = args.workdir / f"store-{args.stored}-{args.seed}-v{STORE_FORMAT}" / "store.duckdb"
    if args.build_only:
        store.parent.mkdir(parents=True, exist_ok=True)
        build(store, args.stored, args.seed)
        return 0
    if args.timed_only:
        print(json.dumps(timed_batch(store, args.batch, args.seed)))
        return 0
    me = [sys.executable, str(Path(__file__).resolve()), "--stored", str(args.stored), "--batch", str(args.batch),
          "--seed", str(args.seed), "--workdir", str(args.workdir)]
    if not store.with_suffix(".json").exists():
        t = time.perf_counter()
        print(f"building a store of {args.stored} claims in {store.parent} ...", file=sys.stderr)
        subprocess.run([*me, "--build-only"], check=True)
        print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    # the timed batch runs in a fresh process: its peak RSS is the batch's, not the build's
    out = subprocess.run([*me, "--timed-only"], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not args.json:
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in result["stage_seconds"].items())
        print(f"{result['batch']} new claims against {result['stored']} stored: {result['batch_seconds']:.2f} s "
              f"({stages}); peak RSS {result['peak_rss_mb']:.0f} MB")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
