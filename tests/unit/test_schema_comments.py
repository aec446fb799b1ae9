"""Every table, view and column the schema creates is documented in the database (COMMENT ON), and
docs/schema.md, generated from those comments, is up to date.

A new column without a comment in sql/schema/95_comments.sql fails here, on purpose.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from pipelines.db import connect, ensure_schema

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_schema_doc", REPO_ROOT / "scripts" / "gen_schema_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "schema.duckdb")
    yield c
    c.close()


def undocumented(con: duckdb.DuckDBPyConnection) -> list[str]:
    relations = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main' AND coalesce(comment, '') = '' "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' AND coalesce(comment, '') = ''"
    ).fetchall()
    columns = con.execute(
        "SELECT table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE NOT internal AND schema_name = 'main' AND coalesce(comment, '') = '' ORDER BY 1"
    ).fetchall()
    return sorted(r[0] for r in relations) + [r[0] for r in columns]


def test_every_table_view_and_column_has_a_comment(con):
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_columns() WHERE schema_name = 'main'").fetchall()}
    assert {"claims", "contradictions", "v_claims", "v_contradictions", "v_event_timeline", "v_feed_health"} <= names
    assert undocumented(con) == [], "add COMMENT ON statements to sql/schema/95_comments.sql"


def test_a_new_column_without_a_comment_is_caught(con):
    # The check itself must be able to fail.
    con.execute("ALTER TABLE claims ADD COLUMN reviewer_note VARCHAR")
    con.execute("CREATE VIEW v_extra AS SELECT 1 AS one")
    assert undocumented(con) == ["v_extra", "claims.reviewer_note", "v_extra.one"]


def test_comments_survive_reconnecting_and_recreating_the_views(tmp_path):
    path = tmp_path / "again.duckdb"
    connect(path).close()
    con = connect(path)  # ensure_schema re-creates the views; their comments must come back
    try:
        ensure_schema(con)
        assert undocumented(con) == []
    finally:
        con.close()
    with duckdb.connect(str(path), read_only=True) as ro:
        assert undocumented(ro) == []


def test_schema_page_is_up_to_date():
    gen = load_generator()
    committed = (REPO_ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == gen.render(), "run: python scripts/gen_schema_doc.py"


def test_schema_page_shows_the_comments(con):
    page = load_generator().render(con)
    assert "## v_event_timeline" in page
    comment = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'claims' AND column_name = 'value_low'"
    ).fetchone()[0]
    assert f"| `value_low` | DOUBLE | {comment} |" in page


def test_check_mode_reports_a_stale_page(tmp_path):
    gen = load_generator()
    page = tmp_path / "schema.md"
    page.write_text("stale\n")
    assert gen.main(["--check", "--out", str(page)]) == 1
    assert gen.main(["--out", str(page)]) == 0
    assert gen.main(["--check", "--out", str(page)]) == 0
