"""Extraction on every core: worker processes, each loading spaCy once, hand results back in batches.

The caller (the single DuckDB writer) submits batches in publication order and receives their
results in the same order, whatever order the workers finish them in, so events are assigned as a
sequential run would assign them. At most ``2 * workers`` batches are in flight, which bounds the
memory held by texts and results.

Workers are started by a fork server: a clean process that has imported the NLP modules, not the
caller, which may hold a DuckDB connection and threads that must not be forked.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from pipelines.claims.catalog import Catalog
from pipelines.claims.entities import Resolver
from pipelines.extract_batches import ArticleResult, PendingArticle, extract_batch

_worker: dict[str, object] = {}


def _init_worker(catalog: Catalog) -> None:
    """Runs once in each worker: the model, the catalog and the gazetteer stay loaded for every batch."""
    from pipelines.claims.nlp import get_nlp

    get_nlp()
    _worker["catalog"] = catalog
    _worker["gazetteer"] = Resolver()


def _run_batch(items: Sequence[PendingArticle]) -> list[ArticleResult]:
    catalog = _worker["catalog"]
    gazetteer = _worker["gazetteer"]
    assert isinstance(catalog, Catalog) and isinstance(gazetteer, Resolver)
    return extract_batch(items, catalog, gazetteer)


def extract_batches(batches: Iterable[Sequence[PendingArticle]], catalog: Catalog,
                    workers: int) -> Iterator[list[ArticleResult]]:
    """Results of each batch, in the order the batches were given. ``workers <= 1`` (or a single
    batch) runs in this process: no pool to start for a small run."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if workers <= 1 or second is None:
        gazetteer = Resolver()
        yield extract_batch(first, catalog, gazetteer)
        if second is not None:
            yield extract_batch(second, catalog, gazetteer)
        for batch in batches:
            yield extract_batch(batch, catalog, gazetteer)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipelines.extract_batches"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(catalog,)) as pool:
        window: deque[Future[list[ArticleResult]]] = deque()
        source = itertools.chain([first, second], batches)

        def fill() -> None:
            for batch in itertools.islice(source, 2 * workers - len(window)):
                window.append(pool.submit(_run_batch, batch))

        fill()
        while window:
            results = window.popleft().result()
            fill()
            yield results
