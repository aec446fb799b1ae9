"""newswatch: extract claims, detect contradictions, send alerts, publish the analyst snapshot.

Thin wiring only: each task calls one function of ``pipelines.flow``. Runs whenever news_ingest
updates the articles asset. Nothing here touches the network or DuckDB at parse time.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.sdk import Asset, dag, task

from pipelines import flow
from pipelines.settings import get_settings

# Same URI as the outlet of news_ingest: that is what links the two DAGs.
ARTICLES = Asset("newswatch://articles")

# DuckDB admits one writing process: every task that opens the file takes the single slot of this pool.
DUCKDB_POOL = "duckdb_writer"

SMTP_CONN_ID = "smtp_default"

# Operators hear about a task that failed for good (after its retries) by email, through the same
# Airflow connection as the alerts: which DAG and task, the error, and a link to the task's log in the
# UI (``ti.log_url`` is built from the ``[api] base_url`` setting). Only the environment is read here:
# no network at parse time.
FAILURE_EMAIL = SmtpNotifier(
    to=get_settings().operator_recipients or get_settings().alert_recipients,
    from_email=get_settings().alert_from,
    smtp_conn_id="smtp_default",
    subject="[newswatch] task failed: {{ ti.dag_id }}.{{ ti.task_id }}",
    html_content=(
        "<p>Task <b>{{ ti.dag_id }}.{{ ti.task_id }}</b> failed after {{ ti.try_number }} tries.</p>"
        "<table>"
        "<tr><th align=left>DAG</th><td>{{ ti.dag_id }}</td></tr>"
        "<tr><th align=left>Task</th><td>{{ ti.task_id }}</td></tr>"
        "<tr><th align=left>Run</th><td>{{ run_id }}</td></tr>"
        "<tr><th align=left>Error</th><td><pre>{{ exception | e }}</pre></td></tr>"
        '<tr><th align=left>Log</th><td><a href="{{ ti.log_url }}">{{ ti.log_url }}</a></td></tr>'
        "</table>"
        "<p>The task's documentation in the Airflow UI says what to check; every task can be cleared "
        "and re-run safely.</p>"
    ),
)

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newswatch",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "on_failure_callback": FAILURE_EMAIL,
}

DESCRIPTION = ("Extract claims from new articles, check quality, detect contradictions, email alerts, "
               "publish the analyst snapshot.")

DAG_DOC = """
### news_process

Runs after each successful **news_ingest** (scheduled on the asset `newswatch://articles`):

1. `plan_extraction` → `extract_batch` (mapped, one task per batch of new articles, in parallel) →
   `store_claims`: numeric claims (figure, hedge, interval, scope, as-of date) from new articles,
   each assigned to an event by the single writer;
2. `validate_quality`: the quality gate (Great Expectations suites in `expectations/`): publishes the
   rows that pass, quarantines the rest, writes the quality report and emails operators when a
   suite fails;
3. `detect_contradictions`: compares published claims per event and attribute; stores conflicts,
   updates and revisions;
4. `send_alerts`: one email per new contradiction fingerprint through the Airflow connection
   `smtp_default` (never the same alert twice);
5. `publish_snapshot`: an atomic read-only copy of the database for analysts.

The run's note sums up every stage's counts; the **newswatch** page (menu *newswatch*) shows the
latest runs, feed health, contradictions, alerts and the quality reports.

Each task logs one line of counts with `elapsed_s` and returns the counts as XCom; store_claims,
validate, detect and alerts also record them in the DuckDB table `pipeline_runs` under the run
id. A task that fails after its retries emails the operators (`NEWSWATCH_OPERATOR_EMAIL`) with
the DAG, task, error and a link to its log.

**When it fails:** open the failed task's log. Every task is idempotent, so *Clear* the failed
task (downstream tasks follow) once the cause is fixed. Tasks that open the database run one at a
time through the `duckdb_writer` pool; the `extract_batch` tasks never open it and run at once.
"""

PLAN_DOC = """
Calls `pipelines.flow.plan_extraction(settings, run_id)`: cuts the articles not processed yet, in
publication order, into batches (`NEWSWATCH_EXTRACT_BATCH_SIZE`) and writes each as
`<home>/batches/<run>/<n>.input.parquet`; returns the batch numbers that `extract_batch` is mapped
over. Removes batch files that an earlier, crashed run left behind (its articles are still pending).

**When it fails:** a DuckDB lock error means another process holds the database; a disk error names
the batch folder. Clearing it is safe: it starts the run's batch folder afresh.
"""

EXTRACT_BATCH_DOC = """
Calls `pipelines.flow.extract_batch(settings, run_id, batch)`, one mapped task per batch: reads the
batch's input file, extracts claims and entities with the attribute catalog (spaCy, loaded once per
task) and writes `<home>/batches/<run>/<n>.parquet`. Opens no database and takes no pool slot, so
the batches run at once, on every Celery worker with the `celery` compose profile.

**When it fails:** an error naming the catalog file means the catalog YAML is invalid; "no input
file" means the plan's files are gone: clear `plan_extraction`. Retrying rewrites the result file.
"""

EXTRACT_DOC = """
Calls `pipelines.flow.store_extraction(settings, run_id)`: loads the batch results in batch order,
assigns their claims to events in publication order, stores each batch in one transaction (claims to
staging, events, entities, aliases) and removes the batch's files. Logs and returns counts.

**When it fails:** a busy database names the file and the process holding it (the task is
retried). Re-running never duplicates claims: what an earlier try stored is skipped, and an article
whose text changed since its batch was planned waits for the next run.
"""

VALIDATE_DOC = """
Calls `pipelines.flow.validate(settings, send)`: validates new entries, articles and the staged claims
against the suites in `expectations/`, publishes what passes and quarantines the rest (with reasons,
in the `quarantine` table), writes `<home>/quality/report.html` and emails operators beyond the
threshold. Logs and returns counts (published, quarantined, suites failed).

**When it fails:** a failing *suite* does not fail the task (rows are quarantined and reported); a
task failure means the gate itself broke: an invalid suite file in `expectations/` or a DuckDB error.
"""

DETECT_DOC = """
Calls `pipelines.flow.detect(settings)`: compares the published claims of each event and attribute and stores
conflicts (non-overlapping intervals), updates and revisions. Logs and returns counts per kind.

**When it fails:** read the traceback; the stage only reads claims and upserts contradictions, so
clearing the task after a fix is safe.
"""

ALERTS_DOC = """
Calls `pipelines.flow.send_alerts(settings, send)`: queues one alert per new contradiction
fingerprint and sends the due ones through the Airflow SMTP connection `smtp_default`. Each alert is
marked in flight before it is sent and sent as soon as the server accepts it; an alert left in
flight by a crash is resent with the same Message-ID and flagged `possibly_duplicate`.
Logs and returns counts (queued, sent, resent, errors, pending, failed).

**When it fails:** some alert could not be delivered (the error names the count; the alerts table
has each one's `last_error`). Nothing is lost: undelivered alerts stay queued and are retried with
back-off for `NEWSWATCH_ALERT_RETRY_HOURS` (48 h), and operators are emailed when alerts are stuck.
Check the `smtp_default` connection (host, port, TLS flags) under *Admin > Connections* or in
`AIRFLOW_CONN_SMTP_DEFAULT`; `newswatch alerts list` shows the outbox and `newswatch alerts retry`
sends the undelivered alerts at once. The snapshot is published all the same.
"""

SNAPSHOT_DOC = """
Calls `pipelines.flow.publish_snapshot(settings, run_id)`: publishes a new generation of the
analysts' copy: the Parquet parts whose rows changed in this run, and a small views file that
`<home>/snapshot/newswatch.duckdb` points at (analysts never open the live file, which the
pipeline holds while writing). Logs and returns counts (parts written, rows, bytes).

**When it fails:** usually a full disk or a permission problem on the snapshot folder; analysts keep
reading the previous generation meanwhile, and the next run publishes everything that changed.
"""


def send(msg: EmailMessage) -> None:
    """Send a prebuilt message through the Airflow SMTP connection ``smtp_default``."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    with SmtpHook(smtp_conn_id=SMTP_CONN_ID) as hook:
        # The hook's public send_email_smtp builds its own MIME message and would drop our text/HTML
        # alternatives and headers (Message-ID, fingerprint); the connected smtplib client that the
        # hook sets up from the connection (host, port, TLS, login) sends the message as it is.
        client = hook._smtp_client
        if client is None:
            raise RuntimeError(f"SMTP connection {SMTP_CONN_ID!r} did not open a client")
        client.send_message(msg)


def _counts_dict(counts: Any) -> dict[str, Any]:
    return dataclasses.asdict(counts)


@dag(
    dag_id="news_process",
    schedule=[ARTICLES],
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newswatch"],
    doc_md=DAG_DOC,
    description=DESCRIPTION,
)
def news_process() -> None:
    # Airflow fills ``run_id`` from the task context; the stages record their counts in pipeline_runs
    # under it, so an analyst can join a DuckDB row to the Airflow run that wrote it.
    @task(pool=DUCKDB_POOL, doc_md=PLAN_DOC)
    def plan_extraction(run_id: str | None = None) -> list[int]:
        return flow.plan_extraction(get_settings(), run_id or "manual")

    # No pool: a batch reads and writes files only, so the executor runs as many at once as it has
    # slots (with Celery, on every worker).
    @task(doc_md=EXTRACT_BATCH_DOC)
    def extract_batch(batch: int, run_id: str | None = None) -> dict[str, Any]:
        counts = flow.extract_batch(get_settings(), run_id or "manual", batch)
        return _counts_dict(counts)

    # none_failed: with nothing pending there is no batch (the mapped task is skipped), and the
    # stages after it still run (alerts to retry, the snapshot).
    @task(pool=DUCKDB_POOL, doc_md=EXTRACT_DOC, trigger_rule="none_failed")
    def store_claims(run_id: str | None = None) -> dict[str, Any]:
        counts = flow.store_extraction(get_settings(), run_id or "manual")
        return _counts_dict(counts)

    @task(pool=DUCKDB_POOL, doc_md=VALIDATE_DOC)
    def validate_quality(run_id: str | None = None) -> dict[str, Any]:
        counts = flow.validate(get_settings(), send, run_id=run_id)
        return _counts_dict(counts)

    @task(pool=DUCKDB_POOL, doc_md=DETECT_DOC)
    def detect_contradictions(run_id: str | None = None) -> dict[str, Any]:
        counts = flow.detect(get_settings(), run_id=run_id, send=send)
        return _counts_dict(counts)

    @task(pool=DUCKDB_POOL, doc_md=ALERTS_DOC)
    def send_alerts(run_id: str | None = None) -> dict[str, Any]:
        counts = flow.send_alerts(get_settings(), send, run_id=run_id)
        return _counts_dict(counts)

    # analysts get the new data even when an alert could not be delivered
    @task(pool=DUCKDB_POOL, doc_md=SNAPSHOT_DOC, trigger_rule="all_done")
    def publish_snapshot(run_id: str | None = None) -> dict[str, Any]:
        counts = flow.publish_snapshot(get_settings(), run_id=run_id)
        return _counts_dict(counts)

    batches = extract_batch.expand(batch=plan_extraction())
    batches >> store_claims() >> validate_quality() >> detect_contradictions() >> send_alerts() >> publish_snapshot()


news_process()
