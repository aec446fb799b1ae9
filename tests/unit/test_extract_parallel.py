"""Extraction in batches and worker processes stores exactly what a sequential run stores; batch
files keep every field; the bulk writer is idempotent and never stores a stale result."""

from __future__ import annotations

import dataclasses
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines import db, extract_batches
from pipelines.analyze import load_articles
from pipelines.claims import context
from pipelines.claims.catalog import load_catalog
from pipelines.claims.entities import Resolver
from pipelines.claims.nlp import PARSE_CHUNK_CHARS
from pipelines.events import EventIndex
from pipelines.extract_batches import (
    ArticleResult,
    PendingArticle,
    extract_batch,
    read_batch_file,
    write_batch_file,
)
from pipelines.extract_store import known_events, store_batch
from pipelines.flow import ReadAhead, extract_pending, pending_articles
from pipelines.ids import content_hash
from pipelines.models import ArticleInput
from pipelines.parallel import ExtractionPool

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "dev"
CATALOG = load_catalog()
TABLES = {
    "claims": "SELECT * EXCLUDE (extracted_at, staged_at) FROM stg_claims ORDER BY claim_id",
    "events": "SELECT * EXCLUDE (created_at) FROM events ORDER BY event_id",
    "entities": "SELECT * FROM entities ORDER BY entity_id",
    "article_entities": "SELECT * FROM article_entities ORDER BY article_id, entity_id",
    "aliases": "SELECT * FROM entity_aliases ORDER BY alias",
    "pending": "SELECT article_id FROM articles WHERE processed_at IS NULL ORDER BY article_id",
}


def _store_articles(con: duckdb.DuckDBPyConnection, articles: list[ArticleInput]) -> None:
    db.ensure_schema(con)
    for a in articles:
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, language, text,"
            " content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?)",
            [a.article_id, f"http://127.0.0.1/{a.article_id}", f"http://127.0.0.1/{a.article_id}", a.publisher,
             a.title, a.published, a.text, content_hash(a.text), datetime.now(UTC)],
        )


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: con.execute(q).fetchall() for name, q in TABLES.items()}


@pytest.fixture(scope="module")
def dev_articles() -> list[ArticleInput]:
    return load_articles(DEV / "disasters" / "articles") + load_articles(DEV / "negotiations" / "articles")


def test_worker_processes_store_what_a_sequential_run_stores(dev_articles, tmp_path):
    stored = {}
    for name, workers, batch in [("sequential", 1, 1000), ("parallel", 2, 3)]:
        with duckdb.connect(str(tmp_path / f"{name}.duckdb")) as con:
            _store_articles(con, dev_articles)
            counts = extract_pending(con, CATALOG, workers=workers, batch_size=batch)
            stored[name] = _tables(con)
        assert counts["articles"] == len(dev_articles), (name, counts)
    assert stored["parallel"]["claims"], "the dev set has claims"
    assert stored["parallel"]["pending"] == []
    for table in TABLES:
        assert stored["parallel"][table] == stored["sequential"][table], table


def _long_article(template: ArticleInput) -> ArticleInput:
    """An article longer than one parse, so it is parsed in pieces, beside the short ones."""
    text = "\n\n".join([template.text] * (PARSE_CHUNK_CHARS // max(len(template.text), 1) + 2))
    assert len(text) > PARSE_CHUNK_CHARS
    return dataclasses.replace(template, article_id="long", text=text)


def test_a_batch_parsed_together_gives_what_each_article_parsed_alone_gives(dev_articles):
    # the batch's texts and titles go through the model together (cheaper); every result must be the
    # one of the article read on its own: same claims, entities, aliases, in the same order
    articles = [*dev_articles, _long_article(dev_articles[0]),
                dataclasses.replace(dev_articles[1], article_id="untitled", title=None),
                dataclasses.replace(dev_articles[2], article_id="empty", text="")]
    items = [PendingArticle(a, content_hash(a.text)) for a in articles]
    gazetteer = Resolver()
    alone = [extract_batches.extract_one(item, CATALOG, gazetteer) for item in items]
    together = extract_batch(items, CATALOG, gazetteer)
    assert sum(len(r.claims) for r in alone) > 20, "the dev set has claims"
    assert [r.article_id for r in together] == [a.article_id for a in articles]
    for a, b in zip(alone, together, strict=True):
        assert a == b, a.article_id


def test_a_batch_whose_joint_parse_fails_is_parsed_article_by_article(dev_articles, monkeypatch, caplog):
    items = [PendingArticle(a, content_hash(a.text)) for a in dev_articles[:3]]
    expected = extract_batch(items, CATALOG)

    def fails(texts):
        raise MemoryError("no room for the batch")

    monkeypatch.setattr(context, "parse_many", fails)
    assert extract_batch(items, CATALOG) == expected
    assert "parsing them one by one" in caplog.text


def test_a_batch_file_keeps_every_field(dev_articles, tmp_path):
    items = [PendingArticle(a, content_hash(a.text)) for a in dev_articles[:4]]
    results = extract_batch(items, CATALOG)
    results.append(ArticleResult("broken", "h", None, error="ValueError: unreadable"))
    assert any(c.hint and c.hint.places for r in results for c in r.claims)
    path = write_batch_file(results, tmp_path / "batches" / "run" / "0.parquet")
    assert [p.name for p in path.parent.iterdir()] == ["0.parquet"], "no temporary file is left behind"
    back = read_batch_file(path)
    assert [r.article_id for r in back] == [r.article_id for r in results]
    for original, read in zip(results, back, strict=True):
        assert read.published == original.published
        assert read.claims == original.claims
        assert read.entities == original.entities and read.aliases == original.aliases
        assert dataclasses.replace(read, claims=[], published=None) == dataclasses.replace(
            original, claims=[], published=None)


def _one_batch(con: duckdb.DuckDBPyConnection, articles: list[ArticleInput]) -> list[ArticleResult]:
    rows = con.execute("SELECT article_id, content_hash FROM articles").fetchall()
    hashes = dict(rows)
    return extract_batch([PendingArticle(a, hashes[a.article_id]) for a in articles], CATALOG)


def test_storing_a_batch_twice_duplicates_nothing(dev_articles, tmp_path):
    articles = dev_articles[:5]
    with duckdb.connect(str(tmp_path / "x.duckdb")) as con:
        _store_articles(con, articles)
        results = _one_batch(con, articles)
        first = store_batch(con, results, EventIndex(CATALOG, known_events(con)))
        before = _tables(con)
        assert first.articles == 5 and first.claims == len(before["claims"]) > 0
        # a retried writer (the first try committed, then crashed before it could tell)
        again = store_batch(con, results, EventIndex(CATALOG, known_events(con)))
        assert again.articles == 0 and again.stale == 5
        assert _tables(con) == before


def test_a_result_for_an_older_text_is_not_stored(dev_articles, tmp_path):
    articles = dev_articles[:2]
    with duckdb.connect(str(tmp_path / "x.duckdb")) as con:
        _store_articles(con, articles)
        results = _one_batch(con, articles)
        # a new version of the first article arrived while its batch was being extracted
        con.execute("UPDATE articles SET text = text || ' Updated.', content_hash = 'v2' WHERE article_id = ?",
                    [articles[0].article_id])
        counts = store_batch(con, results, EventIndex(CATALOG, known_events(con)))
        assert (counts.articles, counts.stale) == (1, 1)
        pending = con.execute("SELECT article_id FROM articles WHERE processed_at IS NULL").fetchall()
        assert pending == [(articles[0].article_id,)], "the new version waits for its own extraction"
        assert con.execute("SELECT count(*) FROM stg_claims WHERE article_id = ?",
                           [articles[0].article_id]).fetchone() == (0,)


def test_an_article_that_fails_stays_pending_and_the_batch_goes_on(dev_articles, tmp_path, monkeypatch):
    articles = dev_articles[:3]
    real = extract_batches.extract_article

    def fails_on_second(article, catalog, resolver=None, parsed=None):
        if article.article_id == articles[1].article_id:
            raise ValueError("unreadable text")
        return real(article, catalog, resolver, parsed)

    monkeypatch.setattr(extract_batches, "extract_article", fails_on_second)
    with duckdb.connect(str(tmp_path / "x.duckdb")) as con:
        _store_articles(con, articles)
        counts = extract_pending(con, CATALOG, workers=1)
        assert (counts["articles"], counts["articles_failed"]) == (2, 1)
        pending = con.execute("SELECT article_id FROM articles WHERE processed_at IS NULL").fetchall()
        assert pending == [(articles[1].article_id,)]


def test_articles_read_ahead_give_what_a_sequential_run_stores(dev_articles, tmp_path):
    # ingest hands each stored article to the workers at once; the writer takes those results only
    # for the very text it reads, so one revised after its read-ahead is extracted again
    with duckdb.connect(str(tmp_path / "sequential.duckdb")) as con:
        _store_articles(con, dev_articles)
        revised = dev_articles[2].article_id
        con.execute("UPDATE articles SET text = replace(text, '1', '7'), content_hash = 'v2' WHERE article_id = ?",
                    [revised])
        extract_pending(con, CATALOG, workers=1)
        expected = _tables(con)
    with duckdb.connect(str(tmp_path / "ahead.duckdb")) as con:
        _store_articles(con, dev_articles)
        ids = [a.article_id for a in reversed(dev_articles)]  # read ahead in any order, stored in stream order
        with ExtractionPool(CATALOG, workers=2) as pool:
            pool.read_ahead(pending_articles(con, ids))
            con.execute("UPDATE articles SET text = replace(text, '1', '7'), content_hash = 'v2' "
                        "WHERE article_id = ?", [revised])
            counts = extract_pending(con, CATALOG, workers=2, batch_size=3, pool=pool)
        assert _tables(con) == expected
    assert counts["articles"] == len(dev_articles)
    assert counts["articles_read_ahead"] == len(dev_articles) - 1, "all but the revised one were read ahead"


def test_without_workers_nothing_is_read_ahead(dev_articles, tmp_path):
    with duckdb.connect(str(tmp_path / "one.duckdb")) as con:
        _store_articles(con, dev_articles[:3])
        with ExtractionPool(CATALOG, workers=1) as pool:
            pool.read_ahead(pending_articles(con, [a.article_id for a in dev_articles[:3]]))
            counts = extract_pending(con, CATALOG, workers=1, pool=pool)
    assert (counts["articles"], counts["articles_read_ahead"]) == (3, 0)


def test_a_failing_read_ahead_stops_itself_and_loses_nothing(dev_articles, tmp_path, caplog):
    class DeadWorkers(ExtractionPool):
        def read_ahead(self, items):
            raise BrokenProcessPool("a worker died")

    with duckdb.connect(str(tmp_path / "dead.duckdb")) as con:
        _store_articles(con, dev_articles[:3])
        with DeadWorkers(CATALOG, workers=1) as pool:
            hook = ReadAhead(pool)
            for a in dev_articles[:3]:
                hook(con, [a.article_id])  # ingest goes on after the first failure
            assert hook.failed
            counts = extract_pending(con, CATALOG, workers=1, pool=pool)
    assert caplog.text.count("reading ahead failed") == 1
    assert (counts["articles"], counts["articles_read_ahead"]) == (3, 0)


def test_prepared_workers_start_before_any_article_and_change_no_result(dev_articles, tmp_path):
    articles = dev_articles[:5]  # a group of four and one more
    with ExtractionPool(CATALOG, workers=1) as alone:
        alone.prepare()  # one process: nothing to start, batches run in the caller
        assert alone._pool is None
    with duckdb.connect(str(tmp_path / "prepared.duckdb")) as con:
        _store_articles(con, articles)
        with ExtractionPool(CATALOG, workers=2) as pool:
            pool.prepare()
            pool.prepare()  # once is enough
            executor, starting = pool._pool, pool._starting
            assert executor is not None and starting is not None
            # it returns while the fork server still loads the model (seconds): ingest goes on, and
            # what it hands over meanwhile waits (private, but the only way to see it)
            assert starting.is_alive()
            pool.read_ahead(pending_articles(con, [a.article_id for a in articles[:4]]))
            assert pool.sent_ahead == 0, "a full group waits for the workers"
            starting.join()
            assert len(executor._processes) == 1, "one worker was forked"
            pool.read_ahead(pending_articles(con, [articles[4].article_id]))
            assert pool.sent_ahead == 4, "the waiting group went once the workers were up"
            counts = extract_pending(con, CATALOG, workers=2, pool=pool)
            assert pool._pool is executor
        prepared = _tables(con)
    with duckdb.connect(str(tmp_path / "sequential.duckdb")) as con:
        _store_articles(con, articles)
        extract_pending(con, CATALOG, workers=1)
        assert prepared == _tables(con)
    assert (counts["articles"], counts["articles_read_ahead"]) == (5, 5)


def test_ingest_keeps_a_core_while_the_workers_read_ahead(dev_articles, tmp_path):
    articles = dev_articles[:12]  # three groups of four
    with duckdb.connect(str(tmp_path / "core.duckdb")) as con:
        _store_articles(con, articles)
        with ExtractionPool(CATALOG, workers=2) as pool:
            for a in articles:
                pool.read_ahead(pending_articles(con, [a.article_id]))
            # one group on one worker (the first cannot be done: its worker is still loading spaCy)
            assert pool.sent_ahead == 4
            counts = extract_pending(con, CATALOG, workers=2, batch_size=5, pool=pool)
            assert pool.sent_ahead == 12, "the groups still waiting go when extraction begins"
    assert (counts["articles"], counts["articles_read_ahead"]) == (12, 12)


def test_the_workers_import_what_the_run_needs_later_once_extraction_is_handed_out(dev_articles, tmp_path):
    # the alerts' charts come after extraction: the workers import the chart module when their
    # extraction tasks are all given out, not the fork server before the first worker
    articles = dev_articles[:6]
    with duckdb.connect(str(tmp_path / "later.duckdb")) as con:
        _store_articles(con, articles)
        with ExtractionPool(CATALOG, workers=2, later=["pipelines.alerts.chart"]) as pool:
            # six batches, four at a time with the workers
            batches = pool.extract_batches([pending_articles(con, [a.article_id]) for a in articles])
            next(batches)
            assert pool.imports_later == [], "not while batches are still to be handed out"
            rest = list(batches)
            assert [f.result() for f in pool.imports_later] == [["pipelines.alerts.chart"]] * 2
    assert len(rest) == 5


def test_the_writer_takes_the_workers_place_gazetteer_once_they_are_up(monkeypatch, caplog):
    # the event labels need the place gazetteer in the writer too: a copy of a worker's, which the
    # fork server built, instead of a second build; before the workers are up it is built here
    from pipelines import parallel
    from pipelines.claims.places import load_gazetteer

    built = load_gazetteer()
    with ExtractionPool(CATALOG, workers=2) as pool:
        assert pool.places()() is built, "no workers started: the one built here"
        pool.prepare()
        copy = pool.places()
        got = copy()
        assert got is not built and got == built, "a copy, the same places"
        assert copy() is got, "fetched once"
    with ExtractionPool(CATALOG, workers=2) as pool:
        pool.prepare()
        monkeypatch.setattr(parallel, "_places", _no_places)  # the task a worker runs fails
        assert pool.places()() is built
    assert "copying the place gazetteer from a worker failed" in caplog.text


def _no_places() -> None:
    raise RuntimeError("the worker lost its gazetteer")
