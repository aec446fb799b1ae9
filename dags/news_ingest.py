"""newswatch: poll the news feeds and store new articles.

Thin wiring only: the work is ``pipelines.flow.ingest``. Nothing here touches the network or DuckDB
at parse time, so the DAG processor stays fast and offline-safe.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.sdk import Asset, dag, task
from airflow.sdk.exceptions import AirflowSkipException

from pipelines import flow, run_summary
from pipelines.settings import get_settings

# Consumers (news_process) are scheduled on this asset; the URI is the contract between the two files.
ARTICLES = Asset("newswatch://articles")

# DuckDB admits one writing process: every task that opens the file takes the single slot of this pool.
DUCKDB_POOL = "duckdb_writer"

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

DESCRIPTION = "Poll the news feeds, fetch and clean new articles, store them in DuckDB; starts news_process."

DAG_DOC = """
### news_ingest

Every 10 minutes (`NEWSWATCH_INGEST_INTERVAL_MINUTES`; `make run` uses 1 for the demo): polls every
feed listed in the feeds file (conditional GET, so unchanged feeds cost a 304), fetches the pages of
new entries, cleans them and stores articles in DuckDB. When the run stored something new (articles,
new versions, syndicated copies), `announce_articles` updates the asset `newswatch://articles`, with
the run's counts in the event's `extra`, which starts **news_process**; a run that stored nothing
skips it, so processing does not run (and replace the quality report) for nothing. Then
`notify_operators` emails what ingestion queued for operators (a feed paused after repeated
failures, a silent edit of a figure in a published article). The run's note sums the counts up.

Each task logs one line of counts with `elapsed_s` and returns the counts as XCom. A task that
fails after its retries emails the operators (`NEWSWATCH_OPERATOR_EMAIL`) with the DAG, task,
error and a link to its log.

**When it fails:** open the `poll_and_store` log. A single broken feed or page does not fail the
task (it is recorded in `feed_polls` / `feed_entries` and skipped), so a failure usually means the
database stayed busy (the error names the file and the process holding it: another newswatch run
past `NEWSWATCH_LOCK_TIMEOUT`, or a client on the live file past `NEWSWATCH_DB_OPEN_TIMEOUT`; the
task retries) or the feeds file is invalid (the error names the file and the problem).
"""

POLL_DOC = """
Calls `pipelines.flow.ingest(settings)`: polls feeds, fetches and cleans new pages, upserts articles.
Logs one line of counts (feeds polled, not modified, new entries, articles stored, failures) and
returns them as XCom.

**When it fails:** read the error in the log. A busy database names the file and the process that
holds it (the task waits for another newswatch run, retries opening, then fails and is retried);
a feeds-file error names the file. Re-running is safe: every write is idempotent.
"""


ANNOUNCE_DOC = """
Updates the asset `newswatch://articles` (which starts **news_process**) when `poll_and_store` stored
new articles, new versions or syndicated copies, with its counts in the asset event's `extra`
(`pipelines.run_summary`). Skipped when nothing new was stored: that is the normal quiet case.

**When it fails:** it does no I/O; a failure means `poll_and_store` returned no counts (see its log).
"""

NOTIFY_DOC = """
Calls `pipelines.flow.notify_operators(settings, send)`: emails operators what ingestion queued for
them (a feed paused after repeated failures, a silent edit of a figure in a published article) through
the Airflow SMTP connection `smtp_default`; each message goes out once.

**When it fails:** a message that cannot be sent stays queued and is retried on the next run; check the
`smtp_default` connection (host, port, TLS flags) under *Admin > Connections* or in
`AIRFLOW_CONN_SMTP_DEFAULT`.
"""


def send(msg: EmailMessage) -> None:
    """Send a prebuilt message through the Airflow SMTP connection ``smtp_default``."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    with SmtpHook(smtp_conn_id="smtp_default") as hook:
        # The hook's public send_email_smtp builds its own MIME message and would drop our headers;
        # the smtplib client it connected from the connection (host, port, TLS, login) sends ours as is.
        client = hook._smtp_client
        if client is None:
            raise RuntimeError("SMTP connection 'smtp_default' did not open a client")
        client.send_message(msg)


def _counts_dict(counts: Any) -> dict[str, Any]:
    return dataclasses.asdict(counts)


@dag(
    dag_id="news_ingest",
    # Read from the environment only (no I/O at parse time); the production default is 10 minutes.
    schedule=timedelta(minutes=get_settings().ingest_interval_minutes),
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newswatch"],
    doc_md=DAG_DOC,
    description=DESCRIPTION,
)
def news_ingest() -> None:
    @task(pool=DUCKDB_POOL, doc_md=POLL_DOC)
    def poll_and_store(run_id: str | None = None) -> dict[str, Any]:
        counts = flow.ingest(get_settings(), run_id=run_id)
        return _counts_dict(counts)

    # No database: it only reads poll_and_store's counts, so it needs no slot of the writer pool.
    @task(outlets=[ARTICLES], doc_md=ANNOUNCE_DOC)
    def announce_articles(ingest: dict[str, Any], *, outlet_events: Any = None) -> dict[str, Any]:
        if not run_summary.stored_something(ingest):
            raise AirflowSkipException("nothing new was stored: the articles asset is not updated")
        extra = run_summary.asset_extra({"poll_and_store": ingest})
        outlet_events[ARTICLES].extra = extra
        return extra

    @task(pool=DUCKDB_POOL, doc_md=NOTIFY_DOC)
    def notify_operators() -> dict[str, Any]:
        counts = flow.notify_operators(get_settings(), send)
        return _counts_dict(counts)

    ingested = poll_and_store()
    announce_articles(ingested)
    ingested >> notify_operators()


news_ingest()
