"""Opening the database applies the schema once per schema version: a writer that finds the file
already at the current fingerprint runs no DDL, and any change of the schema files applies it all."""

from __future__ import annotations

import duckdb

from pipelines import db


def _views(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def _applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT fingerprint FROM schema_state ORDER BY applied_at").fetchall()]


def test_a_new_file_records_the_schema_it_was_given(tmp_path):
    with db.connect(tmp_path / "new.duckdb") as con:
        assert _applied(con) == [db.schema_fingerprint()]
        assert "v_claims" in _views(con)


def test_reopening_at_the_same_schema_runs_no_ddl(tmp_path):
    path = tmp_path / "same.duckdb"
    db.connect(path).close()
    with duckdb.connect(str(path)) as raw:
        raw.execute("DROP VIEW v_claims")  # a view the DDL would re-create
    with db.connect(path) as con:
        assert "v_claims" not in _views(con)
        assert _applied(con) == [db.schema_fingerprint()]


def test_a_changed_schema_is_applied_again_and_recorded(tmp_path, monkeypatch):
    path = tmp_path / "changed.duckdb"
    db.connect(path).close()
    with duckdb.connect(str(path)) as raw:
        raw.execute("DROP VIEW v_claims")
    monkeypatch.setattr(db, "schema_fingerprint", lambda: "next-version")
    with db.connect(path) as con:
        assert "v_claims" in _views(con)
        assert _applied(con)[-1] == "next-version"


def test_a_file_from_before_the_fingerprint_gets_the_whole_schema(tmp_path):
    path = tmp_path / "old.duckdb"
    db.connect(path).close()
    with duckdb.connect(str(path)) as raw:
        raw.execute("DROP TABLE schema_state")
        raw.execute("DROP VIEW v_claims")
    with db.connect(path) as con:
        assert "v_claims" in _views(con)
        assert _applied(con) == [db.schema_fingerprint()]


def test_the_fingerprint_follows_the_schema_files(monkeypatch):
    before = db.schema_fingerprint()
    real_sql = db.sql

    def edited(name: str) -> str:
        return real_sql(name) + ("\n-- edited" if name == "schema/90_views" else "")

    monkeypatch.setattr(db, "sql", edited)
    assert db.schema_fingerprint() != before

