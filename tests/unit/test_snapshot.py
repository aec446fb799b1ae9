"""The analysts' copy: generations of Parquet parts plus a views file, published incrementally."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines import db
from pipelines.snapshot import publish

EVENT = ("INSERT INTO events (event_id, story_type, label, occurrence_date, location, round_ordinal, created_at) "
         "VALUES (?, 'earthquake', 'earthquake, Atlantis', DATE '2025-01-01', NULL, NULL, ?)")
CLAIM = ("INSERT INTO claims (claim_id, article_id, event_id, attribute, kind, unit, value_low, value_high, hedge, "
         "value_text, scope, quote, quote_start, quote_end, sentence, extracted_at) "
         "VALUES (?, 'a1', 'e1', 'death_toll', 'cumulative', 'people', ?, ?, 'exact', ?, 'whole', ?, 0, 2, ?, ?)")


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "live.duckdb"
    with db.session(path) as con:
        con.execute(EVENT, ["e1", "2025-01-01 10:00:00+00"])
        for i, hour in enumerate(["2025-01-01 10:05:00+00", "2025-01-01 11:05:00+00", "2025-01-02 09:00:00+00"]):
            con.execute(CLAIM, [f"c{i}", 10.0 + i, 10.0 + i, str(10 + i), str(10 + i), f"{10 + i} died", hour])
    return path


def _count(path: Path, sql: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_a_generation_has_every_table_and_analyst_view_with_descriptions(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    result = publish(live, snap)
    assert snap.is_symlink() and snap.resolve().parent.name == "generations"
    con = duckdb.connect(str(snap), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM v_claims").fetchone()[0] == 0  # no article a1 yet: an inner join
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'claims' "
                              "AND column_name = 'value_low'").fetchone()[0]
        assert comment and "unbounded" in comment.lower()
        assert "raw_html_gz" not in [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'articles'").fetchall()]
        assert not [r for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]  # views only
    finally:
        con.close()
    assert result.parts_written == result.parts  # the first publish writes everything
    # claims of past days are cut by the day they were extracted: two days, two parts
    manifest = json.loads((snap.parent / "current.json").read_text())
    assert len(manifest["tables"]["claims"]["files"]) == 2
    assert not any(t.startswith("stg_") for t in manifest["tables"])


def test_only_changed_parts_are_written_again(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    again = publish(live, snap)
    assert again.parts_written == 0 and again.rows_written == 0
    with db.session(live) as con:
        con.execute(CLAIM, ["c9", 50.0, 50.0, "50", "50", "50 died", "2025-01-02 09:30:00+00"])
    third = publish(live, snap)
    assert third.parts_written == 1 and third.rows_written == 2  # the 2 Jan 09:00 part, both its rows
    assert _count(snap, "SELECT count(*) FROM claims") == 4


def test_todays_rows_are_cut_by_the_hour_so_a_run_rewrites_little(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    with db.session(live) as con:
        now = con.execute("SELECT now()").fetchone()[0]
        con.execute(CLAIM, ["n1", 5.0, 5.0, "5", "5", "5 died", now - timedelta(hours=1)])
        con.execute(CLAIM, ["n2", 6.0, 6.0, "6", "6", "6 died", now])
    publish(live, snap)
    files = json.loads((snap.parent / "current.json").read_text())["tables"]["claims"]["files"]
    assert len([f for f in files if "/h" in f]) == 2 and len([f for f in files if "/d" in f]) == 2
    with db.session(live) as con:
        con.execute(CLAIM, ["n3", 7.0, 7.0, "7", "7", "7 died", now])
    assert publish(live, snap).rows_written == 2  # this hour's part only: n2 and n3


def test_an_edit_in_an_old_part_is_published(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    with db.session(live) as con:
        con.execute("UPDATE claims SET value_high = 99 WHERE claim_id = 'c0'")
    assert publish(live, snap).parts_written == 1
    assert _count(snap, "SELECT value_high FROM claims WHERE claim_id = 'c0'") == 99


def test_an_open_reader_keeps_its_generation_and_a_reconnect_in_the_same_process_sees_the_new_one(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    reader = duckdb.connect(str(snap), read_only=True)
    assert reader.execute("SELECT count(*) FROM claims").fetchone()[0] == 3
    with db.session(live) as con:
        con.execute(CLAIM, ["c9", 50.0, 50.0, "50", "50", "50 died", "2025-01-03 09:30:00+00"])
    publish(live, snap)  # the open reader must not block this
    assert reader.execute("SELECT count(*) FROM claims").fetchone()[0] == 3  # still its generation
    fresh = duckdb.connect(str(snap), read_only=True)  # DuckDB caches instances by path: must not matter
    assert fresh.execute("SELECT count(*) FROM claims").fetchone()[0] == 4
    fresh.close()
    reader.close()


def test_replaced_generations_expire_with_their_unshared_parts_and_the_newest_stays(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    first = publish(live, snap)
    with db.session(live) as con:
        con.execute("DELETE FROM claims WHERE claim_id = 'c0'")
    publish(live, snap, retention=timedelta(hours=1))
    generations = snap.parent / "generations"
    assert (generations / f"{first.generation}.duckdb").exists()  # replaced a moment ago: kept
    os.utime(generations / sorted(p.name for p in generations.glob("*.json"))[-1], (0, 0))  # replaced long ago
    third = publish(live, snap, retention=timedelta(hours=1))
    assert not (generations / f"{first.generation}.duckdb").exists()
    assert third.expired_removed >= 3  # its views file, its manifest, the part that held c0
    kept = {f for m in generations.glob("*.json") for t in json.loads(m.read_text())["tables"].values()
            for f in t["files"]}
    on_disk = {p.relative_to(snap.parent).as_posix() for p in (snap.parent / "parts").rglob("*.parquet")}
    assert on_disk == kept
    assert _count(snap, "SELECT count(*) FROM claims") == 2


def test_a_temp_file_left_by_a_crashed_publish_is_removed(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = snap.parent / "parts" / "claims" / f".x.parquet.{int(dead.stdout)}.tmp"
    stale.write_bytes(b"half a file")
    ours = snap.parent / "parts" / f".other.parquet.{os.getpid()}.tmp"  # a live process's file stays
    ours.write_bytes(b"")
    assert publish(live, snap).stale_removed == 1
    assert not stale.exists() and ours.exists()


def test_parts_open_in_pandas_from_the_manifest(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    manifest = json.loads((snap.parent / "current.json").read_text())
    frame = pd.concat(pd.read_parquet(snap.parent / f) for f in manifest["tables"]["claims"]["files"])
    assert sorted(frame["claim_id"]) == ["c0", "c1", "c2"]


def test_publishing_before_any_run_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the pipeline first"):
        publish(tmp_path / "missing.duckdb", tmp_path / "snap.duckdb")


def test_edits_in_several_old_parts_are_written_in_one_publish_each_part_with_its_rows(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    with db.session(live) as con:
        con.execute("UPDATE claims SET value_high = value_high + 100")  # every part changes
    again = publish(live, snap)
    assert again.parts_written == 2 and again.rows_written == 3
    manifest = json.loads((snap.parent / "current.json").read_text())
    by_part = {f.split("/")[-1].split("-")[0]: sorted(pd.read_parquet(snap.parent / f)["claim_id"])
               for f in manifest["tables"]["claims"]["files"]}
    assert len(by_part) == 2 and sorted(sum(by_part.values(), [])) == ["c0", "c1", "c2"]
    assert sorted(by_part.values(), key=len) == [["c2"], ["c0", "c1"]]  # 2 Jan and 1 Jan
    assert _count(snap, "SELECT sum(value_high) FROM claims") == 333
    assert not list((snap.parent / "parts").rglob(".*.tmp"))


def test_a_temp_folder_left_by_a_crashed_partitioned_write_is_removed(live, tmp_path):
    snap = tmp_path / "snapshot" / "newswatch.duckdb"
    publish(live, snap)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = snap.parent / "parts" / "claims" / f".claims-parts.{int(dead.stdout)}.tmp"
    (stale / "part=d1").mkdir(parents=True)
    (stale / "part=d1" / "data_0.parquet").write_bytes(b"half a file")
    assert publish(live, snap).stale_removed == 1
    assert not stale.exists()
