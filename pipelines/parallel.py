"""Extraction on every core: worker processes, each loading spaCy once, hand results back in batches.

The caller (the single DuckDB writer) submits batches in publication order and receives their
results in the same order, whatever order the workers finish them in, so events are assigned as a
sequential run would assign them. At most ``2 * workers`` batches are in flight, which bounds the
memory held by texts and results (articles read ahead during ingest aside: at most one ingest
run's worth, ``fetch_pending``'s limit).

Workers are started by a fork server: a clean process that has imported the NLP modules and loaded
the model and the gazetteer (``pipelines.extract_preload``), not the caller, which may hold a DuckDB
connection and threads that must not be forked.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from pipelines.claims.catalog import Catalog
from pipelines.claims.entities import Resolver
from pipelines.claims.places import Gazetteer, load_gazetteer
from pipelines.extract_batches import ArticleResult, PendingArticle, extract_batch

T = TypeVar("T")
log = logging.getLogger(__name__)
_worker: dict[str, object] = {}
READ_AHEAD_GROUP = 4  # articles per read-ahead task: a few hundred milliseconds of NLP


def _init_worker(catalog: Catalog) -> None:
    """Runs once in each worker: the model, the catalog and the gazetteer stay loaded for every batch."""
    from pipelines.claims.nlp import get_nlp

    get_nlp()
    _worker["catalog"] = catalog
    _worker["gazetteer"] = Resolver()


def _ready() -> None:
    """The empty task that makes the pool start a worker (``ExtractionPool.prepare``)."""


def _import(modules: Sequence[str]) -> list[str]:
    """Import ``modules`` in a worker (``ExtractionPool.later``); returns those it imported. A failure
    shows when a task needs the module."""
    done = []
    for name in modules:
        try:
            importlib.import_module(name)
            done.append(name)
        except Exception:  # noqa: BLE001 - see the docstring
            log.debug("importing %s in an extraction worker failed", name, exc_info=True)
    return done


def _places() -> Gazetteer:
    """A worker's place gazetteer (loaded by the fork server before the worker forked), for
    ``ExtractionPool.places``."""
    return load_gazetteer()


def _run_batch(items: Sequence[PendingArticle]) -> list[ArticleResult]:
    catalog = _worker["catalog"]
    gazetteer = _worker["gazetteer"]
    assert isinstance(catalog, Catalog) and isinstance(gazetteer, Resolver)
    return extract_batch(items, catalog, gazetteer)


class ExtractionPool:
    """Worker processes for one run's extraction, started on first use and kept until ``close``.

    ``read_ahead`` hands over articles as soon as they are stored (ingest calls it while it still
    fetches), so the NLP runs beside the fetching; ``extract_batches`` then takes each article's
    result from there when the article it reads is the very one handed over (same text, title,
    date...), and extracts the others. Events are still assigned by the writer in publication
    order, and every article is read with its own copy of the gazetteer, so the results are the
    ones a run without read-ahead stores. With ``workers <= 1`` there is nothing to overlap:
    ``read_ahead`` does nothing and batches run in this process.
    """

    def __init__(self, catalog: Catalog, workers: int, later: Sequence[str] = ()) -> None:
        self.catalog = catalog
        self.workers = workers
        # modules the work given to ``submit`` needs: the workers import them once the run's
        # extraction is handed out, when their cores would idle (not the fork server, whose imports
        # all come before the first worker)
        self.later = list(later)
        self.imports_later: list[Future[list[str]]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None  # ``prepare``'s start of the first worker
        self._ahead: dict[str, tuple[PendingArticle, Future[list[ArticleResult]]]] = {}
        self._waiting: list[PendingArticle] = []  # read ahead, not sent yet (a group fills up)
        self._queued: deque[list[PendingArticle]] = deque()  # full groups waiting for a free worker
        self._running: list[Future[list[ArticleResult]]] = []  # read-ahead groups sent, maybe done
        self.used_ahead = 0  # articles whose read-ahead result a batch took
        self.sent_ahead = 0  # articles read ahead that went to a worker

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._joined_start()
        self._ahead.clear()
        self._waiting.clear()
        self._queued.clear()
        self._running.clear()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _joined_start(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def _still_starting(self) -> bool:
        return self._starting is not None and self._starting.is_alive()

    def _started(self) -> ProcessPoolExecutor:
        # the executor's lock is held while it spawns a worker: wait for prepare's start to end first
        self._joined_start()
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["pipelines.extract_batches", "pipelines.extract_preload"])
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_init_worker, initargs=(self.catalog,))
        return self._pool

    def prepare(self) -> None:
        """Start the fork server and one worker now, with an empty task, and return at once: loading
        the model takes the fork server one to two seconds, which then pass while ingest still
        fetches the first pages instead of after the first articles are handed over. Starting a
        worker waits for the fork server to be ready, so a thread of its own does it; what is read
        ahead meanwhile waits in the queue. Ingest calls it once it knows it has pages to fetch, so
        a run with nothing new starts no process."""
        if self.workers <= 1 or self._pool is not None:
            return
        pool = self._started()  # creating the executor starts no process

        def start() -> None:
            try:
                pool.submit(_ready)
            except Exception:  # noqa: BLE001 - the next task given to the pool fails with the reason
                log.debug("starting the first extraction worker failed", exc_info=True)

        self._starting = threading.Thread(target=start, name="extraction-workers-start", daemon=True)
        self._starting.start()

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T] | None:
        """Run ``fn(*args)`` (a module-level function, pure) in a worker: more of the run's work
        that can use the cores, such as the alert charts once extraction is done. None with
        ``workers <= 1``: the caller does it itself."""
        if self.workers <= 1:
            return None
        return self._started().submit(fn, *args)

    def places(self) -> Callable[[], Gazetteer]:
        """The place gazetteer for this process (the writer labels events with it): a copy from a
        worker, which has it loaded already, when the workers are up; the copy is asked for now and
        waited for when the returned function is first called. Unpickling the copy costs this
        process about a third of building the gazetteer (0.2 against 0.6 s of CPU), and the worker
        pickles it in 0.1 s. Without started workers, or if the copy fails, it is built here
        (``load_gazetteer``, the same data)."""
        copy = self._started().submit(_places) if self.workers > 1 and self._pool is not None else None
        got: list[Gazetteer] = []

        def gazetteer() -> Gazetteer:
            if not got:
                try:
                    got.append(copy.result() if copy is not None else load_gazetteer())
                except Exception:  # noqa: BLE001 - a worker that died: the data is here too
                    log.warning("copying the place gazetteer from a worker failed; building it here",
                                exc_info=True)
                    got.append(load_gazetteer())
            return got[0]

        return gazetteer

    def read_ahead(self, items: Iterable[PendingArticle]) -> None:
        """Hand articles over for extraction. They go to the workers in groups of
        ``READ_AHEAD_GROUP`` (a task per article would need the pool's feeder thread to refill the
        workers' queue several times a second, against the busy ingest thread for the GIL), and at
        most ``workers - 1`` groups run at a time: ingest, whose thread is the run's critical path
        meanwhile, keeps a core of its own. The rest are sent as later calls find a worker free
        (and the workers started), and all of them when ``extract_batches`` begins."""
        if self.workers <= 1:
            return
        self._waiting.extend(items)
        if len(self._waiting) >= READ_AHEAD_GROUP:
            self._queued.append(self._waiting)
            self._waiting = []
        if not self._still_starting():  # else a later call sends them, never blocking ingest
            self._send_queued(limit=self.workers - 1)

    def _send_queued(self, limit: int) -> None:
        self._running = [f for f in self._running if not f.done()]
        while self._queued and len(self._running) < limit:
            group = self._queued.popleft()
            future = self._started().submit(_run_batch, group)
            self._running.append(future)
            self.sent_ahead += len(group)
            for item in group:
                self._ahead[item.article.article_id] = (item, future)

    def _send_all(self) -> None:
        if self._waiting:
            self._queued.append(self._waiting)
            self._waiting = []
        self._send_queued(limit=len(self._queued) + len(self._running))

    def _submit(self, batch: Sequence[PendingArticle]) -> Callable[[], list[ArticleResult]]:
        """Start a batch's missing extractions; returns what waits for the whole batch's results."""
        ahead: dict[int, Future[list[ArticleResult]]] = {}  # a group's future once, however many it serves
        rest: list[PendingArticle] = []
        for item in batch:
            found = self._ahead.pop(item.article.article_id, None)
            if found is not None and found[0] == item:
                ahead[id(found[1])] = found[1]
                self.used_ahead += 1
            else:  # not handed over, or changed since (a revision later in the run): read it now
                rest.append(item)
        rest_future = self._started().submit(_run_batch, rest) if rest else None

        def results() -> list[ArticleResult]:
            found = [r for f in ahead.values() for r in f.result()] + (rest_future.result() if rest_future else [])
            by_id = {r.article_id: r for r in found}
            return [by_id[item.article.article_id] for item in batch]

        return results

    def extract_batches(self, batches: Iterable[Sequence[PendingArticle]]) -> Iterator[list[ArticleResult]]:
        """Results of each batch, in the order the batches were given. Without workers (or for a
        single batch with nothing read ahead) the batches run in this process: no pool to start
        for a small run."""
        self._send_all()
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
        if self.workers <= 1 or (second is None and not self._ahead):
            gazetteer = Resolver()
            for batch in itertools.chain([first], [second] if second is not None else [], batches):
                yield extract_batch(batch, self.catalog, gazetteer)
            return
        window: deque[Callable[[], list[ArticleResult]]] = deque()
        source = itertools.chain([first], [second] if second is not None else [], batches)
        handed_out = False

        def fill() -> None:
            nonlocal handed_out
            wanted = 2 * self.workers - len(window)
            for batch in itertools.islice(source, wanted):
                window.append(self._submit(batch))
                wanted -= 1
            if wanted > 0 and not handed_out:  # every batch is with the workers: queue the imports after them
                handed_out = True
                self.imports_later = [self._started().submit(_import, self.later)
                                      for _ in range(self.workers if self.later else 0)]

        fill()
        while window:
            results = window.popleft()()
            fill()
            yield results


def extract_batches(batches: Iterable[Sequence[PendingArticle]], catalog: Catalog,
                    workers: int) -> Iterator[list[ArticleResult]]:
    """Results of each batch, in the order the batches were given, from a pool of its own (see
    ``ExtractionPool.extract_batches``)."""
    with ExtractionPool(catalog, workers) as pool:
        yield from pool.extract_batches(batches)
