"""Run a suite over a pandas DataFrame with Great Expectations (the pandas route).

One ephemeral GX context per ``GxRunner`` (no files, analytics and progress bars off), a pandas
datasource with one DataFrame asset per table, and ``Batch.validate`` with ``result_format``
COMPLETE and a row-number index column, so that every failed expectation names the exact rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from pipelines.quality.suites import Suite

ROW = "_row"  # position of the row in the frame; GX reports it for each unexpected row

log = logging.getLogger(__name__)


@dataclass
class ExpectationOutcome:
    name: str
    type: str
    column: str | None
    success: bool
    element_count: int
    unexpected_count: int
    unexpected_percent: float | None
    rows: list[int] = field(default_factory=list)  # positions of the failing rows in the frame
    kwargs: dict[str, Any] = field(default_factory=dict)
    exception: str | None = None


@dataclass
class SuiteRun:
    expectations: list[ExpectationOutcome]

    @property
    def error(self) -> str | None:
        """The first expectation that could not be evaluated (a suite or SQL mistake, not bad data)."""
        broken = [e for e in self.expectations if e.exception]
        return f"{broken[0].name}: {broken[0].exception}" if broken else None

    @property
    def success(self) -> bool:
        return all(e.success for e in self.expectations)

    def failures(self) -> dict[int, list[str]]:
        """Row position -> names of the expectations it failed, in suite order."""
        out: dict[int, list[str]] = {}
        for e in self.expectations:
            for row in e.rows:
                out.setdefault(row, []).append(e.name)
        return out


def _exception_message(info: Any) -> str | None:
    # GX reports either one {raised_exception, exception_message} or one such dict per metric.
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return str(info.get("exception_message")) if info.get("raised_exception") else None
    for sub in info.values():
        message = _exception_message(sub)
        if message:
            return message
    return None


def _column(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(map(str, kwargs["column_list"]))
    return None


class GxRunner:
    """Validates DataFrames against suites; reuse one runner for all tables of a run."""

    def __init__(self) -> None:
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,  # no network calls from a pipeline task
            progress_bars=ProgressBarsConfig(globally=False),  # keeps task logs readable
        )
        self.context = gx.get_context(project_config=config, mode="ephemeral")
        self.datasource = self.context.data_sources.add_pandas("newswatch")
        self._batches: dict[str, Any] = {}

    def _batch_definition(self, table: str) -> Any:
        if table not in self._batches:
            asset = self.datasource.add_dataframe_asset(table)
            self._batches[table] = asset.add_batch_definition_whole_dataframe(f"{table}_batch")
        return self._batches[table]

    def run(self, suite: Suite, frame: pd.DataFrame, parameters: dict[str, Any]) -> SuiteRun:
        frame = frame.reset_index(drop=True)
        frame[ROW] = range(len(frame))
        batch = self._batch_definition(suite.table).get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(
            gx.ExpectationSuite(**suite.gx_dict()),
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]},
            expectation_parameters=parameters,
        )
        by_name = {}
        for r in result.results:
            config = r.expectation_config
            name = (config.meta or {}).get("name") or config.type
            res = r.result or {}
            rows = sorted({int(item[ROW]) for item in res.get("unexpected_index_list") or [] if isinstance(item, dict)})
            by_name[name] = ExpectationOutcome(
                name=name,
                type=config.type,
                column=_column(config.kwargs),
                success=bool(r.success),
                element_count=int(res.get("element_count") or 0),
                unexpected_count=int(res.get("unexpected_count") or 0),
                unexpected_percent=res.get("unexpected_percent"),
                rows=rows,
                kwargs={k: v for k, v in config.kwargs.items() if k != "batch_id"},
                exception=_exception_message(r.exception_info),
            )
        # GX does not keep the suite's order; reports and reasons do.
        order = [e["meta"]["name"] for e in suite.expectations]
        return SuiteRun([by_name[n] for n in order if n in by_name])
