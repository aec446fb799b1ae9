"""Extraction split over tasks as Airflow maps it (plan, one task per batch, one writer): the same
claims as one sequential run, and safe to re-run after a crash at any step."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from test_extract_parallel import _tables  # the same tables compared the same way

from pipelines import db
from pipelines.claims.catalog import load_catalog
from pipelines.demo.corpus import load_corpus
from pipelines.events import EventIndex
from pipelines.extract_batches import read_batch_file
from pipelines.extract_runs import extract_planned, plan, result_file, run_folder, store_planned
from pipelines.extract_store import known_events, store_batch
from pipelines.flow import extract_pending
from pipelines.ids import content_hash

CATALOG = load_catalog()


def _new_store(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    db.ensure_schema(con)
    for a in load_corpus():
        url = a.url("http://127.0.0.1")
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, language, text,"
            " content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?)",
            [a.slug, url, url, a.publisher, a.title, a.published, a.text, content_hash(a.text), datetime.now(UTC)],
        )
    return con


@pytest.fixture(scope="module")
def sequential(tmp_path_factory) -> dict[str, list[tuple]]:
    with _new_store(tmp_path_factory.mktemp("seq") / "x.duckdb") as con:
        extract_pending(con, CATALOG, workers=1)
        return _tables(con)


def test_planned_batches_store_what_one_sequential_run_stores(tmp_path, sequential):
    home = tmp_path / "home"
    with _new_store(tmp_path / "x.duckdb") as con:
        batches = plan(con, home, "run-1", batch_size=3)
        assert batches == [0, 1, 2, 3]  # ten demo articles
        for n in reversed(batches):  # mapped tasks finish in any order
            counts = extract_planned(home, "run-1", n, CATALOG)
            assert counts.articles == (1 if n == 3 else 3)
        result = store_planned(con, home, "run-1", CATALOG)
        assert (result["articles"], result["batches"], result["batches_missing"]) == (10, 4, 0)
        assert _tables(con) == sequential
    assert not run_folder(home, "run-1").exists(), "stored batch files are removed"


def test_a_batch_that_never_ran_keeps_it_and_later_batches_pending(tmp_path, sequential):
    home = tmp_path / "home"
    with _new_store(tmp_path / "x.duckdb") as con:
        plan(con, home, "run-1", batch_size=3)
        extract_planned(home, "run-1", 0, CATALOG)
        extract_planned(home, "run-1", 2, CATALOG)  # batch 1 crashed: 2 must wait, or events go out of order
        result = store_planned(con, home, "run-1", CATALOG)
        assert (result["articles"], result["batches"], result["batches_missing"]) == (3, 1, 3)
        assert len(_tables(con)["pending"]) == 7
        # the next run cleans the crashed run's leftovers and plans what is still pending
        assert plan(con, home, "run-2", batch_size=3) == [0, 1, 2]
        assert not run_folder(home, "run-1").exists()
        for n in range(3):
            extract_planned(home, "run-2", n, CATALOG)
        assert store_planned(con, home, "run-2", CATALOG)["articles"] == 7
        assert _tables(con) == sequential


def test_a_retried_writer_and_retried_batch_tasks_duplicate_nothing(tmp_path, sequential):
    home = tmp_path / "home"
    with _new_store(tmp_path / "x.duckdb") as con:
        plan(con, home, "run-1", batch_size=4)
        for n in range(3):
            extract_planned(home, "run-1", n, CATALOG)
        extract_planned(home, "run-1", 1, CATALOG)  # a retried batch task rewrites its result
        # the first try of the writer committed batch 0 and died before removing its file
        index = EventIndex(CATALOG, known_events(con))
        store_batch(con, read_batch_file(result_file(run_folder(home, "run-1"), 0)), index)
        result = store_planned(con, home, "run-1", CATALOG)
        assert (result["articles"], result["articles_stale"]) == (6, 4)
        assert _tables(con) == sequential
        # and a writer with nothing left to store stores nothing
        assert store_planned(con, home, "run-1", CATALOG)["articles"] == 0


def test_a_batch_without_its_input_file_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="clear the plan_extraction task"):
        extract_planned(tmp_path, "run-1", 0, CATALOG)


def test_nothing_pending_plans_no_batch(tmp_path):
    with _new_store(tmp_path / "x.duckdb") as con:
        con.execute("UPDATE articles SET processed_at = now()")
        assert plan(con, tmp_path / "home", "run-1", batch_size=3) == []
        assert store_planned(con, tmp_path / "home", "run-1", CATALOG)["articles"] == 0


def test_a_batch_task_never_opens_the_database(tmp_path):
    """What lets batch tasks run outside the writer pool, on any worker: flow.extract_batch reads and
    writes batch files only."""
    from pipelines import flow
    from pipelines.settings import Settings

    home = tmp_path / "home"
    with _new_store(tmp_path / "x.duckdb") as con:
        plan(con, home, "run-1", batch_size=20)
    settings = Settings(home=home, db_path=tmp_path / "absent" / "newswatch.duckdb")
    counts = flow.extract_batch(settings, "run-1", 0)
    assert counts.counts["articles"] == 10 and counts.counts["claims"] > 0
    assert not (tmp_path / "absent").exists()
    assert result_file(run_folder(home, "run-1"), 0).is_file()
