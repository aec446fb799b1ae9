"""newswatch inside the Airflow UI: the newswatch page in the menu, and a DAG-run note with each run's counts.

The thin Airflow side only. The page is ``pipelines.ui`` (a FastAPI app reading the analyst
snapshot and the quality reports), mounted in the API server under ``/newswatch`` behind Airflow's
own login check, and shown in the UI (an iframe) from a menu entry. What the note says is
``pipelines.run_summary``; this module reads the run's XComs (the counts each task returned) and
writes the note. Loaded by Airflow from the plugins folder (``newswatch stack``, the tests, the
Dockerfile and docker compose point ``AIRFLOW__CORE__PLUGINS_FOLDER`` here).
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.api_fastapi.core_api.security import requires_authenticated
from airflow.listeners import hookimpl
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import object_session

from pipelines import run_summary
from pipelines.ui.app import create_app

log = logging.getLogger(__name__)

NEWSWATCH_DAGS = ("news_ingest", "news_process")


class RunNotes:
    """Listener: when a newswatch DAG run succeeds, its note lists what each stage did.

    Runs in the process that marks the run successful (the scheduler, or ``dag.test()``), inside its
    session: the note is saved with the run's new state. A note someone already wrote is kept.
    """

    @hookimpl
    def on_dag_run_success(self, dag_run: Any, msg: str) -> None:
        if dag_run.dag_id not in NEWSWATCH_DAGS:
            return
        try:
            session = object_session(dag_run)
            if session is not None:
                # The scheduler: write in its session, saved with the run's new state (a second
                # session would wait on the first's write lock under SQLite).
                self._write_note(session, dag_run)
            else:
                # dag.test() hands over a run no session holds any more.
                from airflow.models.dagrun import DagRun
                from airflow.utils.session import create_session

                with create_session() as own:
                    run = own.scalar(select(DagRun).where(DagRun.dag_id == dag_run.dag_id,
                                                          DagRun.run_id == dag_run.run_id))
                    if run is not None:
                        self._write_note(own, run)
        except Exception:  # a note is a courtesy: it must never fail the scheduler loop
            log.exception("could not write the newswatch note of %s", dag_run.run_id)

    @staticmethod
    def _write_note(session: Any, dag_run: Any) -> None:
        from airflow.models.xcom import XComModel

        if dag_run.note:  # someone wrote one already: theirs stays
            return
        query = XComModel.get_many(run_id=dag_run.run_id, dag_ids=dag_run.dag_id, key="return_value")
        returned = [(x.task_id, XComModel.deserialize_value(x)) for x in session.scalars(query.order_by(XComModel.timestamp))]
        dag_run.note = run_summary.run_note(run_summary.merge_results(returned))


PAGE_PREFIX = "/newswatch"


class NewswatchPlugin(AirflowPlugin):
    name = "newswatch"
    listeners = [RunNotes()]
    # Plugin apps are not behind Airflow's login by themselves: the same check as the REST API
    # (the UI's session cookie or a bearer token) guards every route of the page.
    fastapi_apps = [{
        "name": "newswatch",
        "app": create_app(dependencies=[Depends(requires_authenticated())]),
        "url_prefix": PAGE_PREFIX,
    }]
    # A menu entry that opens the page inside the UI (at /plugin/newswatch); href is relative to the
    # UI's base URL, so it also works when Airflow is served under a sub-path.
    external_views = [{
        "name": "newswatch",
        "href": PAGE_PREFIX.lstrip("/") + "/",
        "url_route": "newswatch",
        "destination": "nav",
        "nav_top_level": True,
    }]
