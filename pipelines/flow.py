"""The pipeline's stages as plain functions: what every DAG task and the CLI call.

Each stage opens the DuckDB file, does its work, closes the file (so the next task can take the
single writer lock) and returns ``StageCounts`` for the task log.

Write, audit, publish: extraction writes claims to staging and ``validate`` runs the quality suites
(``pipelines.quality``) before anything is published; detection reads published claims only and
stages contradictions, which pass their own suite before the alert outbox can read them.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines import db
from pipelines.claims.catalog import Catalog, load_catalog
from pipelines.claims.entities import Resolver
from pipelines.detect import Rules
from pipelines.detect_store import detect_stored
from pipelines.events import EventIndex
from pipelines.extract_batches import PendingArticle, split
from pipelines.extract_store import StoreCounts, store_batch
from pipelines.models import ArticleInput, StageCounts
from pipelines.parallel import ExtractionPool
from pipelines.settings import Settings

if TYPE_CHECKING:
    from pipelines.alerts.outbox import Chart, DrawCharts
    from pipelines.alerts.render import ConflictGroup
    from pipelines.quality import SuiteOutcome

SendEmail = Callable[[EmailMessage], None]
log = logging.getLogger(__name__)


def _record(con: duckdb.DuckDBPyConnection, run_id: str | None, counts: StageCounts, started: datetime) -> None:
    if run_id:
        db.run(con, "claims/record_stage", [run_id, counts.stage, started, datetime.now(UTC), json.dumps(counts.counts)])


class ReadAhead:
    """Ingest's hook that hands the stored articles to the extraction workers. Best effort: the
    workers help here but are not needed, so a failure (a worker that died) is logged once and
    ends the read-ahead; ingest goes on, and extract reads whatever was not read ahead."""

    def __init__(self, pool: ExtractionPool) -> None:
        self.pool = pool
        self.failed = False

    def prepare(self, pages: int) -> None:
        """Ingest has ``pages`` to fetch: start the workers, so the model loads meanwhile."""
        if self.failed:
            return
        try:
            self.pool.prepare()
        except Exception:
            log.exception("starting the extraction workers failed; the run's articles wait for extract")
            self.failed = True

    def __call__(self, con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
        if self.failed:
            return
        try:
            # read back as extraction reads them, so a result is used only for exactly this text
            self.pool.read_ahead(pending_articles(con, article_ids))
        except Exception:
            log.exception("reading ahead failed; the run's remaining articles wait for extract")
            self.failed = True


def ingest(settings: Settings, run_id: str | None = None, read_ahead: ExtractionPool | None = None) -> StageCounts:
    """Poll every feed (conditional GET), fetch new entries' pages, clean and store them. With
    ``read_ahead``, each stored article goes to its extraction workers at once, so the NLP runs
    while the fetching goes on (``extract`` with the same pool uses those results)."""
    from pipelines.ingest.run import run_ingest

    started = datetime.now(UTC)
    hook = ReadAhead(read_ahead) if read_ahead is not None else None
    counts = run_ingest(settings, on_stored=hook, before_fetch=hook.prepare if hook else None)
    if run_id:
        with db.session(settings.database) as con:
            _record(con, run_id, counts, started)
    return counts


def _pending_batches(con: duckdb.DuckDBPyConnection, batch_size: int) -> Iterator[list[PendingArticle]]:
    """Unprocessed articles in publication order, in consecutive batches; each batch's texts are read
    only when the batch is due, so a long backlog is never in memory at once."""
    pending = db.rows(con, "claims/unprocessed_articles")
    for ids in split([r["article_id"] for r in pending], batch_size):
        yield pending_articles(con, ids)


def pending_articles(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[PendingArticle]:
    return [PendingArticle(ArticleInput(
        article_id=r["article_id"], text=r["text"], title=r["title"], publisher=r["publisher"],
        url=r["url"], published=r["published"],
    ), r["content_hash"]) for r in db.rows(con, "claims/article_texts", {"ids": ids})]


def extract_pending(con: duckdb.DuckDBPyConnection, catalog: Catalog, workers: int = 1,
                    batch_size: int = 50, pool: ExtractionPool | None = None) -> dict[str, int | float]:
    """Extract claims from every unprocessed article, in publication order: ``workers`` processes
    run the NLP, this process assigns events and stores each batch in one transaction, so a crash
    leaves finished batches done and the rest pending. An article whose extraction fails stays
    pending. ``pool`` (its catalog is used) brings the results of articles read ahead during
    ingest."""
    index = EventIndex(catalog, lazy=True)  # loads the stored events each batch may match
    gazetteer = Resolver().aliases()
    total = StoreCounts()
    batches = 0
    with ExitStack() as stack:
        pool = pool or stack.enter_context(ExtractionPool(catalog, workers))
        ahead_before = pool.used_ahead
        places = pool.places()  # for the event labels: a worker's copy when the workers are up
        for results in pool.extract_batches(_pending_batches(con, batch_size)):
            total.add(store_batch(con, results, index, gazetteer_aliases=gazetteer, places=places()))
            batches += 1
        read_ahead = pool.used_ahead - ahead_before
    return {"articles": total.articles, "claims": total.claims, "events_new": index.created,
            "articles_failed": total.failed, "articles_stale": total.stale, "batches": batches,
            "articles_read_ahead": read_ahead}


def _preload_quality() -> None:
    """Import the quality gate (Great Expectations: one to two seconds of CPU) in a background
    thread. For a run that validates in this same process after extraction: the import then runs
    while the extraction workers do, instead of on its own between extraction and validation.
    Best effort: if it fails, ``validate`` imports the gate itself and reports what is wrong."""
    def load() -> None:
        try:
            import pipelines.quality  # noqa: F401
        except Exception:  # noqa: BLE001
            log.debug("preloading the quality gate failed", exc_info=True)

    threading.Thread(target=load, name="preload-quality", daemon=True).start()


def extract(settings: Settings, run_id: str | None = None, pool: ExtractionPool | None = None) -> StageCounts:
    """Extract claims from articles not yet processed and assign them to events; ``pool`` is the one
    ingest read ahead into (see ``read_ahead_pool``), in a run whose stages all run in this process:
    the quality gate is imported while the workers extract."""
    started, t0 = datetime.now(UTC), time.perf_counter()
    if pool is not None and pool.workers > 1:
        _preload_quality()
    with db.session(settings.database) as con:
        catalog = pool.catalog if pool is not None else load_catalog(settings.catalog)
        counts = StageCounts("extract", extract_pending(con, catalog, settings.extract_workers,
                                                        settings.extract_batch_size, pool=pool))
        counts.counts["workers"] = settings.extract_workers
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


@contextmanager
def read_ahead_pool(settings: Settings) -> Iterator[ExtractionPool | None]:
    """The extraction workers of a run that does ingest and extraction in one process (``run_once``,
    the throughput benchmark), for ``ingest(read_ahead=...)``, ``extract(pool=...)`` and then
    ``send_alerts(pool=...)``. None when the catalog cannot be read: ingest still runs, and
    ``extract`` reports the catalog's error."""
    try:
        catalog = load_catalog(settings.catalog)
    except Exception:  # noqa: BLE001 - extract() raises it with its own message
        yield None
        return
    # the same workers draw the run's alert charts: they import the chart module after extraction
    with ExtractionPool(catalog, settings.extract_workers, later=["pipelines.alerts.chart"]) as pool:
        yield pool


def plan_extraction(settings: Settings, run_id: str) -> list[int]:
    """Write the pending articles as batch files for the mapped extraction tasks; returns the batch
    numbers (none when nothing is pending). Removes batch files left by earlier runs."""
    from pipelines.extract_runs import plan

    t0 = time.perf_counter()
    with db.session(settings.database) as con:
        batches = plan(con, settings.home, run_id, settings.extract_batch_size)
    log.info(StageCounts("extract_plan", {"batches": len(batches),
                                          "elapsed_s": round(time.perf_counter() - t0, 2)}).line())
    return batches


def extract_batch(settings: Settings, run_id: str, batch: int) -> StageCounts:
    """The NLP of one planned batch: its input file in, its result file out; never opens DuckDB, so
    batches run at once on any worker that shares ``NEWSWATCH_HOME``."""
    from pipelines.extract_runs import extract_planned

    t0 = time.perf_counter()
    found = extract_planned(settings.home, run_id, batch, load_catalog(settings.catalog))
    counts = StageCounts("extract_batch", {"batch": batch, "articles": found.articles, "claims": found.claims,
                                           "articles_failed": found.failed,
                                           "elapsed_s": round(time.perf_counter() - t0, 2)})
    log.info(counts.line())
    return counts


def store_extraction(settings: Settings, run_id: str) -> StageCounts:
    """Load every batch result of the run in batch (publication) order, assign events, store each
    batch in one transaction and remove its files; records the ``extract`` stage."""
    from pipelines.extract_runs import store_planned

    started, t0 = datetime.now(UTC), time.perf_counter()
    with db.session(settings.database) as con:
        counts = StageCounts("extract", store_planned(con, settings.home, run_id, load_catalog(settings.catalog)))
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


def quality_run_id(run_id: str | None, stage: str) -> str:
    # Per stage, so validate and detect of one pipeline run keep separate results; a retried task
    # overwrites its own.
    return f"{run_id}:{stage}" if run_id else f"{stage}-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")


def gate(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, tables: list[str] | None = None,
         all_rows: bool = False, catalog: Catalog | None = None) -> list[SuiteOutcome]:
    """Run the quality suites over pending rows of ``tables`` (default: all, in dependency order),
    publish the passing rows, quarantine the failing ones, record the results."""
    from pipelines.quality import TABLES, load_suites, run_gate, suite_parameters

    catalog = catalog or load_catalog(settings.catalog)
    return run_gate(con, load_suites(settings.expectations_dir), suite_parameters(settings, catalog), run_id,
                    tables=tables or list(TABLES), all_rows=all_rows)


def _quality_outputs(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str,
                     outcomes: list[SuiteOutcome], send: SendEmail | None, report_id: str | None = None,
                     report_outcomes: list[SuiteOutcome] | None = None) -> tuple[Path, int]:
    """Write the HTML report (of ``report_outcomes``, default ``outcomes``, kept under ``report_id``,
    default ``run_id``) and, when ``outcomes`` fail beyond the threshold, email operators; returns
    (report, emails sent)."""
    from pipelines.quality import operator_message, render_report, summary_line
    from pipelines.reports import write_report

    report_id = report_id or run_id
    html = render_report(report_id, report_outcomes if report_outcomes is not None else outcomes,
                         db.rows(con, "quality/open_quarantine_counts"),
                         db.rows(con, "quality/open_quarantine", {"limit": 200}))
    path = write_report(settings.quality_folder, report_id, html)
    log.info("%s; report: %s", summary_line(outcomes), path)
    msg = operator_message(settings, run_id, outcomes, html, path)
    if msg is None:
        return path, 0
    if send is None:
        log.warning("data quality beyond threshold but no mail sender was given: %s", msg["Subject"])
        return path, 0
    try:
        send(msg)
    except Exception:  # a mail outage must not fail the gate; the report and tables have it all
        log.exception("could not email operators about data quality")
        return path, 0
    return path, 1


def _before_detection(outcomes: list[SuiteOutcome]) -> list[SuiteOutcome]:
    """Validation's suites without the contradictions suite when it had nothing to check: in a
    pipeline run contradictions are found (and checked) by detection, which adds that suite to the
    run's report; '0 rows checked' there would hide the real check."""
    return [o for o in outcomes if not (o.table == "contradictions" and o.rows_checked == 0 and o.success)]


def _quality_counts(outcomes: list[SuiteOutcome]) -> dict[str, int | float]:
    return {
        "suites": len(outcomes),
        "suites_failed": sum(1 for o in outcomes if not o.success),
        "checked": sum(o.rows_checked for o in outcomes),
        "published": sum(o.rows_published for o in outcomes),
        "quarantined": sum(o.rows_quarantined for o in outcomes),
        "held": sum(o.rows_held for o in outcomes),
    }


def validate(settings: Settings, send: SendEmail | None = None, run_id: str | None = None,
             all_rows: bool = False) -> StageCounts:
    """The quality gate between extraction and detection: validate new feed entries and articles
    and the staged claims (and any staged contradictions), publish what passes, quarantine the rest,
    write ``<home>/quality/report.html`` and email operators (with ``send``) beyond the threshold.
    ``all_rows`` re-validates every published row too (an audit after a suite or catalog change).
    ``counts["suites_failed"]`` > 0 means some suite failed (rows were quarantined or held)."""
    started, t0 = datetime.now(UTC), time.perf_counter()
    qrun = quality_run_id(run_id, "validate")
    with db.session(settings.database) as con:
        outcomes = gate(con, settings, qrun, all_rows=all_rows)
        # One report per pipeline run (kept under quality/runs/): detection completes it.
        _, emails = _quality_outputs(con, settings, qrun, outcomes, send, report_id=run_id,
                                     report_outcomes=_before_detection(outcomes))
        counts = StageCounts("validate", {**_quality_counts(outcomes), "operator_emails": emails})
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


def detect(settings: Settings, run_id: str | None = None, send: SendEmail | None = None) -> StageCounts:
    """Compare published claims per event and attribute; stage conflicts, updates and revisions and
    publish those that pass the contradictions suite. Claims still in staging (``validate`` did not
    run before this task) go through their suite first: detection never reads unvalidated rows."""
    started, t0 = datetime.now(UTC), time.perf_counter()
    qrun = quality_run_id(run_id, "detect")
    with db.session(settings.database) as con:
        catalog = load_catalog(settings.catalog)
        outcomes: list[SuiteOutcome] = []
        staged = db.rows(con, "quality/staged_counts")[0]
        if staged["claims"]:
            log.warning("%d claims still staged: validating them before detection", staged["claims"])
            outcomes += gate(con, settings, qrun, tables=["articles", "claims"], catalog=catalog)
        counts = StageCounts("detect", detect_stored(con, catalog, Rules.of(settings)))
        outcomes += gate(con, settings, qrun, tables=["contradictions"], catalog=catalog)
        contradiction_gate = outcomes[-1]
        counts.counts["published"] = contradiction_gate.rows_published
        counts.counts["quarantined"] = contradiction_gate.rows_quarantined
        # The run's report, complete: validation's suites as recorded, then detection's checks
        # (operators are emailed about detection's own failures only; validation emailed its own).
        from pipelines.quality.history import stored_outcomes

        checked_here = {o.suite for o in outcomes}
        earlier = stored_outcomes(con, quality_run_id(run_id, "validate")) if run_id else []
        report = [o for o in _before_detection(earlier) if o.suite not in checked_here] + outcomes
        _quality_outputs(con, settings, qrun, outcomes, send, report_id=run_id, report_outcomes=report)
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    return counts


def send_alerts(settings: Settings, send: SendEmail, run_id: str | None = None,
                pool: ExtractionPool | None = None) -> StageCounts:
    """Queue an alert per new state of a conflict (a first alert or a follow-up) and send the due ones with ``send``.
    With ``pool`` (the run's workers, idle once extraction is done) the charts are drawn there, a
    few emails ahead of the one being sent, instead of one by one here.

    Raises ``AlertsNotDelivered`` (after recording the counts) when a delivery failed this run or an
    alert was given up: the CLI exits non-zero with the reason, an Airflow task fails and retries,
    and operators hear of it through the task-failure email. The alerts stay queued either way."""
    from pipelines.alerts import queue_alerts, send_pending
    from pipelines.errors import AlertsNotDelivered

    started, t0 = datetime.now(UTC), time.perf_counter()
    with db.session(settings.database) as con:
        queued = queue_alerts(con, settings)
        if pool is not None and pool.workers > 1:
            result = send_pending(con, settings, send, draw=_drawn_by(pool), ahead=2 * pool.workers)
        else:
            result = send_pending(con, settings, send)
        counts = StageCounts("alerts", {"queued": queued, **result})
        counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 2)
        _record(con, run_id, counts, started)
    log.info(counts.line())
    if result["errors"] or result["failed"]:
        raise AlertsNotDelivered(
            f"alerts: {result['errors']} delivery attempt(s) failed this run, {result['pending']} alert(s) "
            f"pending, {result['failed']} given up; see `newswatch alerts list`, `newswatch alerts retry` "
            "sends them now", counts.counts)
    return counts


def _drawn_by(pool: ExtractionPool) -> DrawCharts:
    """Each chart of an email drawn by a worker of ``pool``; one the worker could not give (a worker
    that died) is drawn here instead."""
    from pipelines.alerts.outbox import charts_for

    def draw(groups: Sequence[ConflictGroup]) -> Callable[[], list[Chart]]:
        futures = [(g, pool.submit(charts_for, [g])) for g in groups]

        def charts() -> list[Chart]:
            found: list[Chart] = []
            for group, future in futures:
                try:
                    found += future.result() if future is not None else charts_for([group])
                except Exception:  # noqa: BLE001 - the worker, not the chart: draw it here
                    log.warning("a worker could not draw the chart of %s; drawing it here", group.fingerprint,
                                exc_info=True)
                    found += charts_for([group])
            return found

        return charts

    return draw


def notify_operators(settings: Settings, send: SendEmail) -> StageCounts:
    """Email operators what ingestion queued for them (a feed paused after repeated failures, a
    silent edit of a figure in a published article); each message goes out once."""
    from email.message import EmailMessage

    from pipelines.ingest import operator_alerts

    sent = failed = 0
    t0 = time.perf_counter()
    with db.session(settings.database) as con:
        for alert in operator_alerts.pending(con):
            msg = EmailMessage()
            msg["Subject"] = f"[newswatch ops] {alert['subject']}"
            msg["From"] = settings.alert_from
            msg["To"] = ", ".join(settings.operator_recipients)
            msg["Message-ID"] = f"<newswatch.ops.{alert['alert_id']}@{settings.alert_from.split('@')[-1]}>"
            msg.set_content(alert["body"])
            try:
                send(msg)
            except Exception as exc:  # the next run retries; one bad message must not block the rest
                log.warning("operator alert %s not sent: %s", alert["alert_id"], exc)
                failed += 1
                continue
            operator_alerts.mark_sent(con, alert["alert_id"])
            sent += 1
    counts = StageCounts("operator_alerts", {"sent": sent, "failed": failed,
                                             "elapsed_s": round(time.perf_counter() - t0, 2)})
    log.info(counts.line())
    return counts


def publish_snapshot(settings: Settings, run_id: str | None = None) -> StageCounts:
    """Publish a new generation of the analysts' copy (Parquet parts that changed + a views file)."""
    from datetime import timedelta

    from pipelines.lock import pipeline_lock
    from pipelines.snapshot import publish

    started, t0 = datetime.now(UTC), time.perf_counter()
    with pipeline_lock(settings.database, settings.lock_timeout):  # no other writer changes the file mid-copy
        published = publish(settings.database, settings.snapshot, timedelta(hours=settings.snapshot_retention_hours))
    counts = StageCounts("snapshot", published.counts())
    counts.counts["elapsed_s"] = round(time.perf_counter() - t0, 3)
    with db.session(settings.database) as con:
        _record(con, run_id, counts, started)
    log.info("%s -> %s (generation %s)", counts.line(), settings.snapshot, published.generation)
    return counts


def run_once(settings: Settings, send: SendEmail,
             on_stage: Callable[[StageCounts], None] | None = None) -> list[StageCounts]:
    """The whole pipeline once, in order, without Airflow; ``on_stage`` hears of each stage as it
    ends, so a run that fails later still shows the stages that finished. Undelivered alerts do not
    stop the run (the snapshot is still published): their ``AlertsNotDelivered`` is raised at the end."""
    from pipelines.errors import AlertsNotDelivered

    run_id = "cli-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    done: list[StageCounts] = []
    undelivered: AlertsNotDelivered | None = None

    def stage(counts: StageCounts) -> None:
        done.append(counts)
        if on_stage:
            on_stage(counts)

    # the workers stay for the alerts' charts, so they start once per run
    with read_ahead_pool(settings) as pool:
        stage(ingest(settings, run_id, read_ahead=pool))
        stage(notify_operators(settings, send))
        stage(extract(settings, run_id, pool=pool))
        stage(validate(settings, send, run_id))
        stage(detect(settings, run_id, send))
        try:
            stage(send_alerts(settings, send, run_id, pool=pool))
        except AlertsNotDelivered as exc:
            undelivered = exc
            stage(StageCounts("alerts", exc.counts))
    stage(publish_snapshot(settings, run_id))
    if undelivered:
        raise undelivered
    return done
