import duckdb
import pytest

from pipelines.snapshot import publish


def test_snapshot_is_a_readable_copy_and_replacing_it_does_not_break_an_open_reader(tmp_path):
    live = tmp_path / "live.duckdb"
    snap = tmp_path / "snap" / "newswatch.duckdb"
    con = duckdb.connect(str(live))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    publish(live, snap)

    reader = duckdb.connect(str(snap), read_only=True)
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1

    con = duckdb.connect(str(live))
    con.execute("INSERT INTO t VALUES (2)")
    con.close()
    publish(live, snap)  # the open reader must not block this
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # still its old file
    reader.close()
    fresh = duckdb.connect(str(snap), read_only=True)
    assert fresh.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    fresh.close()
    assert not list(snap.parent.glob(".*.tmp"))


def test_publishing_before_any_run_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the pipeline first"):
        publish(tmp_path / "missing.duckdb", tmp_path / "snap.duckdb")
