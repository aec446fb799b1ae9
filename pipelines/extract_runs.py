"""Extraction spread over separate tasks (Airflow's mapped tasks): plan, extract each batch, store.

    <home>/batches/<run>/<n>.input.parquet   the articles of batch n, written by the plan (DuckDB writer)
    <home>/batches/<run>/<n>.parquet         what extraction found in them, written by a batch task

Only the plan and the store open DuckDB; a batch task reads its input file and writes its result
file, so batch tasks can run at once on any worker that shares ``NEWSWATCH_HOME``. The store loads
the result files in batch order (publication order), assigns events and stores each batch in one
transaction, then removes the batch's files.

Every step can be re-run: the plan starts its run's folder afresh and removes folders left by
earlier runs (their articles are still pending unless stored, so they are planned again); a batch
task rewrites its result atomically; the store skips what an earlier try already stored. A batch
whose result is missing stops the store there, so events are never assigned out of order: that
batch and the ones after it stay pending for the next run.
"""

from __future__ import annotations

import logging
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import db
from pipelines.claims.catalog import Catalog
from pipelines.claims.entities import Resolver
from pipelines.events import EventIndex
from pipelines.extract_batches import (
    PendingArticle,
    extract_batch,
    read_batch_file,
    split,
    write_batch_file,
)
from pipelines.extract_store import StoreCounts, store_batch
from pipelines.models import ArticleInput
from pipelines.sqlfiles import sql

log = logging.getLogger(__name__)

# Airflow refuses to map a task over more than [core] max_map_length (1024) items: a long backlog
# gets larger batches instead of more of them.
MAX_BATCHES = 512


def run_folder(home: Path, run_id: str) -> Path:
    """The run's batch folder; the run id made safe as a folder name."""
    return home / "batches" / re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)


def input_file(folder: Path, batch: int) -> Path:
    return folder / f"{batch}.input.parquet"


def result_file(folder: Path, batch: int) -> Path:
    return folder / f"{batch}.parquet"


def planned_batches(folder: Path) -> list[int]:
    return sorted(int(p.name.split(".")[0]) for p in folder.glob("*.input.parquet"))


def plan(con: duckdb.DuckDBPyConnection, home: Path, run_id: str, batch_size: int) -> list[int]:
    """Write the pending articles, in publication order, as consecutive batch input files; return the
    batch numbers to map over."""
    batches_root = home / "batches"
    folder = run_folder(home, run_id)
    if batches_root.is_dir():
        for stale in batches_root.iterdir():
            log.info("removing batch folder %s left by an earlier run or try", stale)
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
    ids = [r["article_id"] for r in db.rows(con, "claims/unprocessed_articles")]
    if not ids:
        return []
    size = max(batch_size, math.ceil(len(ids) / MAX_BATCHES))
    folder.mkdir(parents=True)
    numbers = []
    for n, chunk in enumerate(split(ids, size)):
        tmp = folder / f".{n}.input.tmp"
        con.sql(sql("claims/article_texts"), params={"ids": chunk}).write_parquet(str(tmp))
        tmp.replace(input_file(folder, n))
        numbers.append(n)
    return numbers


def _read_input(path: Path) -> list[PendingArticle]:
    with duckdb.connect() as con:
        cur = con.execute(sql("extract/read_input"), {"path": str(path)})
        cols = [d[0] for d in cur.description or []]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    return [PendingArticle(ArticleInput(
        article_id=r["article_id"], text=r["text"], title=r["title"], publisher=r["publisher"], url=r["url"],
        published=r["published"],
    ), r["content_hash"]) for r in rows]


@dataclass
class BatchCounts:
    articles: int
    claims: int
    failed: int


def extract_planned(home: Path, run_id: str, batch: int, catalog: Catalog) -> BatchCounts:
    """The NLP of one planned batch: reads its input file, writes its result file. No database."""
    folder = run_folder(home, run_id)
    source = input_file(folder, batch)
    if not source.is_file():
        raise FileNotFoundError(f"batch {batch} of run {run_id} has no input file {source}: "
                                "re-run the plan (clear the plan_extraction task)")
    results = extract_batch(_read_input(source), catalog, Resolver())
    write_batch_file(results, result_file(folder, batch))
    return BatchCounts(len(results), sum(len(r.claims) for r in results),
                       sum(1 for r in results if r.error is not None))


def store_planned(con: duckdb.DuckDBPyConnection, home: Path, run_id: str,
                  catalog: Catalog) -> dict[str, int | float]:
    """Store every batch result of the run in batch order, then remove the run's folder."""
    folder = run_folder(home, run_id)
    numbers = planned_batches(folder) if folder.is_dir() else []
    index = EventIndex(catalog, lazy=True)  # loads the stored events each batch may match
    gazetteer = Resolver().aliases()
    total = StoreCounts()
    stored = missing = 0
    for n in numbers:
        path = result_file(folder, n)
        if not path.is_file():
            missing = len(numbers) - stored
            log.warning("batch %d of run %s has no result: it and %d later batches stay pending", n, run_id,
                        missing - 1)
            break
        total.add(store_batch(con, read_batch_file(path), index, gazetteer_aliases=gazetteer))
        path.unlink()
        input_file(folder, n).unlink(missing_ok=True)
        stored += 1
    if not missing and folder.is_dir():
        shutil.rmtree(folder)
    return {"articles": total.articles, "claims": total.claims, "events_new": index.created,
            "articles_failed": total.failed, "articles_stale": total.stale, "batches": stored,
            "batches_missing": missing}
