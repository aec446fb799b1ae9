"""Incremental detection gives what a full recompute gives: on every development set streamed into
a real DuckDB file in small batches, and on a generated stream where earlier reports arrive late,
articles are re-extracted with other figures and claims disappear."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines import db
from pipelines.analyze import analyze_articles, stream_order
from pipelines.claims.catalog import load_catalog
from pipelines.detect import Rules, detect, source_key
from pipelines.detect_store import detect_stored
from pipelines.evaluation.gate import DEV, _merge
from pipelines.flow import gate
from pipelines.models import ArticleInput, Claim
from pipelines.settings import Settings

CAT = load_catalog()
COLUMNS = ("contradiction_id", "kind", "claim_a", "claim_b", "gap", "severity", "reason", "fingerprint")
CLAIM_COLUMNS = ("claim_id", "article_id", "event_id", "attribute", "kind", "unit", "value_low", "value_high",
                 "hedge", "value_text", "scope", "as_of", "source_entity", "quote", "quote_start", "quote_end",
                 "sentence", "confidence")


def add_articles(con: duckdb.DuckDBPyConnection, articles: list[ArticleInput]) -> None:
    for a in articles:
        db.run(con, "ingest/upsert_article", {
            "article_id": a.article_id, "url": f"https://news.example.org/{a.article_id}",
            "canonical_url": f"https://news.example.org/{a.article_id}", "feed_name": "test",
            "publisher": a.publisher, "title": a.title, "author": None, "published": a.published, "language": "en",
            "text": a.text, "content_hash": a.article_id, "raw_html_gz": None,
            "fetched_at": datetime(2026, 1, 1, tzinfo=UTC), "encoding": "utf-8", "ingest_note": None,
        })


def publish_claims(con: duckdb.DuckDBPyConnection, claims: list[Claim]) -> None:
    """Claims as the quality gate leaves them in ``claims`` (the gate itself is tested elsewhere)."""
    if not claims:
        return
    frame = pd.DataFrame([[getattr(c, k) for k in CLAIM_COLUMNS] for c in claims], columns=list(CLAIM_COLUMNS))
    frame["extracted_at"] = datetime(2026, 1, 1, tzinfo=UTC)
    con.register("new_claims", frame.astype({"as_of": "object"}))
    con.execute("INSERT INTO claims BY NAME SELECT * REPLACE (CAST(as_of AS DATE) AS as_of) FROM new_claims")
    con.unregister("new_claims")


def run_detection(con: duckdb.DuckDBPyConnection, settings: Settings, full: bool = False) -> dict:
    counts = detect_stored(con, CAT, Rules(), full=full)
    gate(con, settings, "test-run", tables=["contradictions"], catalog=CAT)
    return counts


def stored(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(con.execute(f"SELECT {', '.join(COLUMNS)} FROM contradictions").fetchall())  # noqa: S608


def expected(claims: list[Claim], articles: list[ArticleInput]) -> set[tuple]:
    sources = {a.article_id: source_key(a.publisher, a.article_id) for a in articles}
    return {tuple(getattr(x, k) for k in COLUMNS) for x in detect(claims, CAT, sources)}


def dev_sets() -> list[Path]:
    return sorted(p for p in DEV.iterdir() if (p / "gold.json").is_file())


@pytest.mark.parametrize("folder", dev_sets(), ids=lambda p: p.name)
def test_streamed_in_batches_equals_full_recompute_on_each_dev_set(folder, tmp_path):
    articles = stream_order(_merge([folder])[0])
    analysis = analyze_articles(articles, CAT)
    by_article: dict[str, list[Claim]] = {}
    for c in analysis.claims:
        by_article.setdefault(c.article_id, []).append(c)
    want = expected(analysis.claims, articles)
    assert want, "every development set has contradictions"

    settings = Settings(home=tmp_path / "incremental")
    with db.session(settings.database) as con:
        add_articles(con, articles)
        for i in range(0, len(articles), 3):
            publish_claims(con, [c for a in articles[i:i + 3] for c in by_article.get(a.article_id, [])])
            run_detection(con, settings)
        assert stored(con) == want
        assert run_detection(con, settings)["groups"] == 0  # nothing new: nothing read or written

    full = Settings(home=tmp_path / "full")
    with db.session(full.database) as con:
        add_articles(con, articles)
        publish_claims(con, analysis.claims)
        run_detection(con, full, full=True)
        assert stored(con) == want


def _generated_stream(rng: random.Random) -> tuple[list[ArticleInput], list[Claim]]:
    t0 = datetime(2025, 3, 28, 6, tzinfo=UTC)
    outlets = [f"Outlet {i}" for i in range(6)]
    articles, claims = [], []
    groups = [("quake", "death_toll"), ("quake", "injured"), ("quake", "missing"), ("flood", "death_toll"),
              ("talks", "talks.duration_minutes"), ("talks", "prisoner_exchange.count_per_side")]
    for n in range(60):
        published = None if rng.random() < 0.08 else t0 + timedelta(hours=rng.randint(0, 96))
        art = ArticleInput(f"art{n:02}", f"text {n}", publisher=rng.choice(outlets), published=published)
        articles.append(art)
        for k, (event, attribute) in enumerate(rng.sample(groups, rng.randint(1, 3))):
            low = float(rng.choice([20, 40, 60, 85, 90, 120, 179, 200, 250]))
            high = low if rng.random() < 0.7 else low + rng.choice([5.0, 30.0])
            as_of = None
            if CAT.kind_of(attribute) == "cumulative":
                as_of = (published or t0).date() if rng.random() < 0.85 else (
                    date(2025, 3, 28) + timedelta(days=rng.randint(0, 3)) if rng.random() < 0.5 else None)
            claims.append(Claim(
                claim_id=f"c{n:02}-{k}", article_id=art.article_id, attribute=attribute,
                kind=CAT.kind_of(attribute), unit=CAT.unit_of(attribute), value_low=low, value_high=high,
                hedge="exact", value_text=f"{low:g}", scope="whole", as_of=as_of, quote="q", quote_start=0,
                quote_end=1, sentence="q", event_id=event, published=published))
    return articles, claims


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_late_reports_reextraction_and_removal_equal_full_recompute(seed, tmp_path):
    rng = random.Random(seed)
    articles, claims = _generated_stream(rng)
    arrival = articles[:]
    rng.shuffle(arrival)  # earlier reports arrive after later ones
    settings = Settings(home=tmp_path)
    current: dict[str, list[Claim]] = {}
    with db.session(settings.database) as con:
        add_articles(con, articles)
        while arrival:
            size = rng.randint(1, 8)
            batch, arrival = arrival[:size], arrival[size:]
            for a in batch:
                current[a.article_id] = [c for c in claims if c.article_id == a.article_id]
            publish_claims(con, [c for a in batch for c in current[a.article_id]])
            if current and rng.random() < 0.8:
                # a new version of an earlier article: its claims are replaced, some figures change
                victim = rng.choice(sorted(current))
                db.run(con, "claims/mark_article_groups", [victim])
                con.execute("DELETE FROM claims WHERE article_id = ?", [victim])
                kept = current[victim][:rng.randint(0, len(current[victim]))]
                current[victim] = [replace(c, value_low=(c.value_low or 0) + 1000, value_high=(c.value_high or 0) + 1000)
                                   for c in kept]
                publish_claims(con, current[victim])
            run_detection(con, settings)
        final = [c for cs in current.values() for c in cs]
        assert stored(con) == expected(final, articles)
        run_detection(con, settings, full=True)
        assert stored(con) == expected(final, articles)


def test_a_run_reads_and_writes_only_the_groups_that_changed(tmp_path):
    settings = Settings(home=tmp_path)
    t0 = datetime(2025, 3, 29, 8, tzinfo=UTC)
    arts = [ArticleInput(f"a{i}", "t", publisher=f"P{i}", published=t0 + timedelta(hours=i)) for i in range(4)]

    def toll(cid: str, art: str, value: float, event: str) -> Claim:
        return Claim(claim_id=cid, article_id=art, attribute="death_toll", kind="cumulative", unit="people",
                     value_low=value, value_high=value, hedge="exact", value_text=f"{value:g}", scope="whole",
                     as_of=t0.date(), quote="q", quote_start=0, quote_end=1, sentence="q", event_id=event)

    with db.session(settings.database) as con:
        add_articles(con, arts)
        publish_claims(con, [toll("x1", "a0", 100, "quake"), toll("x2", "a1", 150, "quake"),
                             toll("y1", "a0", 10, "flood"), toll("y2", "a1", 5, "flood")])
        first = run_detection(con, settings)
        assert (first["groups"], first["staged"], first["update"], first["conflict"]) == (2, 2, 1, 1)
        publish_claims(con, [toll("x3", "a2", 200, "quake")])
        second = run_detection(con, settings)
        # only the quake's group is read; its existing link is unchanged, so only the new one is written
        assert (second["groups"], second["claims"], second["staged"], second["removed"]) == (1, 3, 1, 0)


def _gate_quarantining_gaps_over(limit: float, tmp_path: Path) -> Path:
    """The project's suites, with the contradictions suite also failing every pair whose gap is over ``limit``."""
    folder = tmp_path / "expectations"
    shutil.copytree(Settings().expectations_dir, folder)
    suite = json.loads((folder / "contradictions.json").read_text(encoding="utf-8"))
    suite["expectations"].append({"type": "expect_column_values_to_be_between",
                                  "kwargs": {"column": "gap", "max_value": limit}, "meta": {"name": "gap_at_most"}})
    (folder / "contradictions.json").write_text(json.dumps(suite), encoding="utf-8")
    return folder


def _tolls() -> tuple[list[ArticleInput], list[Claim], list[Claim]]:
    """One group: on day one 1,000 then 300 an hour later (a conflict of gap 700) and 950 from the
    second outlet (a conflict of gap 50 with the first); a higher figure on day two."""
    t0 = datetime(2025, 3, 29, 8, tzinfo=UTC)
    reports = [("a0", "P0", 0, 1000.0), ("a1", "P1", 1, 300.0), ("a2", "P1", 2, 950.0), ("a3", "P3", 26, 1100.0)]
    arts = [ArticleInput(a, "t", publisher=p, published=t0 + timedelta(hours=h)) for a, p, h, _ in reports]
    claims = [Claim(claim_id=f"c-{a}", article_id=a, attribute="death_toll", kind="cumulative", unit="people",
                    value_low=v, value_high=v, hedge="exact", value_text=f"{v:g}", scope="whole",
                    as_of=(t0 + timedelta(hours=h)).date(), quote="q", quote_start=0, quote_end=1, sentence="q",
                    event_id="quake", published=t0 + timedelta(hours=h)) for a, _, h, v in reports]
    return arts, claims[:3], claims[3:]


def _full(tmp_path: Path, arts: list[ArticleInput], claims: list[Claim], expectations: Path) -> set[tuple]:
    settings = Settings(home=tmp_path / "full", expectations_dir=expectations)
    with db.session(settings.database) as con:
        add_articles(con, arts)
        publish_claims(con, claims)
        run_detection(con, settings, full=True)
        return stored(con)


def test_a_group_whose_row_the_gate_quarantined_is_recomputed_not_updated(tmp_path):
    arts, day_one, day_two = _tolls()
    expectations = _gate_quarantining_gaps_over(600, tmp_path)
    settings = Settings(home=tmp_path / "incremental", expectations_dir=expectations)
    with db.session(settings.database) as con:
        add_articles(con, arts)
        publish_claims(con, day_one)
        run_detection(con, settings)
        assert con.execute("SELECT count(*) FROM quarantine WHERE table_name = 'contradictions'").fetchall() == [(1,)]
        publish_claims(con, day_two)
        counts = run_detection(con, settings)
        assert counts["diverged"] == 1
        # the alert key still counts the quarantined pair's values, as a full recompute does
        assert stored(con) == _full(tmp_path, arts, day_one + day_two, expectations)
        assert run_detection(con, settings)["groups"] == 0


def test_rows_detected_but_not_yet_published_are_not_lost_by_the_next_update(tmp_path):
    arts, day_one, day_two = _tolls()
    settings = Settings(home=tmp_path / "incremental")
    with db.session(settings.database) as con:
        add_articles(con, arts)
        publish_claims(con, day_one)
        detect_stored(con, CAT, Rules())  # staged; the run stopped before the gate published them
        publish_claims(con, day_two)
        counts = run_detection(con, settings)
        assert counts["diverged"] == 1
        assert stored(con) == _full(tmp_path, arts, day_one + day_two, Settings().expectations_dir)
        assert stored(con) == expected(day_one + day_two, arts)
