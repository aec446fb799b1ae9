"""The analyst file of one generation: a small DuckDB database of views over that generation's parts.

It holds no data, only a view per table (over the table's Parquet parts) and the live database's
analyst views and descriptions on top, so it costs the same to write whatever the history's size.
It is written in DuckDB's v1.4 storage format, which every DuckDB client from 1.4 on opens (the
2.0 default is unreadable to older clients such as the CLI most package managers ship).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipelines import db
from pipelines.sqlfiles import sql

STORAGE_VERSION = "v1.4.0"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create_table_views(out: duckdb.DuckDBPyConnection, files: Mapping[str, Sequence[Path]]) -> None:
    template = sql("snapshot/part_view")
    for table, paths in files.items():
        literal_files = ", ".join(quote_literal(str(p)) for p in paths)
        # DDL takes no bound parameters: the names are quoted, the paths are ours
        out.execute(template.format(name=quote_identifier(table), files=literal_files))


def _create_analyst_views(out: duckdb.DuckDBPyConnection, views: list[dict[str, Any]]) -> list[str]:
    """Re-create the live views in an order where each comes after the views it reads; returns the
    order. A failed statement aborts the transaction, so the caller retries with the order found."""
    for i, view in enumerate(views):
        try:
            out.execute(view["sql"])
        except duckdb.CatalogException as exc:
            raise _OutOfOrder(views[:i] + views[i + 1:] + [view], f"{view['view_name']}: {exc}") from exc
    return [v["view_name"] for v in views]


class _OutOfOrder(Exception):
    def __init__(self, reordered: list[dict[str, Any]], error: str) -> None:
        super().__init__(error)
        self.reordered = reordered


def _copy_comments(out: duckdb.DuckDBPyConnection, comments: list[dict[str, Any]]) -> None:
    on_view, on_column = sql("snapshot/comment_on_view"), sql("snapshot/comment_on_column")
    # a column left out of the copy (the raw HTML) takes its description with it
    present = {(r["table_name"], r["column_name"]) for r in db.rows(out, "snapshot/columns")}
    statements = []
    for c in comments:
        name, text = quote_identifier(c["object_name"]), quote_literal(c["comment"])
        if c["column_name"] is None:
            statements.append(on_view.format(name=name, text=text))
        elif (c["object_name"], c["column_name"]) in present:
            statements.append(on_column.format(name=name, column=quote_identifier(c["column_name"]), text=text))
    if statements:  # one call: hundreds of separate statements cost a second
        out.execute(";\n".join(statements))


def write_views_file(live: duckdb.DuckDBPyConnection, path: Path, files: Mapping[str, Sequence[Path]]) -> None:
    """Write the analyst file at ``path``: ``files`` maps each table to its parts (absolute paths)."""
    views = db.rows(live, "snapshot/live_views")
    view_names = {v["view_name"] for v in views}
    comments = [c for c in db.rows(live, "snapshot/live_comments") if c["object_name"] in set(files) | view_names]
    path.unlink(missing_ok=True)
    out = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION})
    try:
        for _ in range(len(views) ** 2 + 1):  # n views need at most n moves each
            out.execute("BEGIN TRANSACTION")  # one catalog commit instead of one per view
            try:
                _create_table_views(out, files)
                _create_analyst_views(out, views)
                _copy_comments(out, comments)
            except _OutOfOrder as retry:
                out.execute("ROLLBACK")
                views, last_error = retry.reordered, str(retry)
                continue
            out.execute("COMMIT")
            break
        else:
            raise RuntimeError(f"analyst views could not be created: {last_error}")
        out.execute("CHECKPOINT")
    finally:
        out.close()
