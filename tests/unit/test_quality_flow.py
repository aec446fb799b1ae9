"""Quality gate in the pipeline: extraction stages claims, `validate` publishes them, the CLI exits
non-zero on failure and releases fixed rows; suite files are checked when loaded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipelines import cli, db, flow
from pipelines.ids import content_hash
from pipelines.quality import SuiteError, load_suites
from pipelines.settings import PROJECT_ROOT, Settings, get_settings

T0 = datetime(2026, 4, 14, 9, 0, tzinfo=UTC)
# Our own report of invented talks, with figures the extractor reads.
TEXT = (
    "GENEVA - Delegations from the two governments met at the Palais des Nations on Tuesday for a second "
    "round of talks. The meeting lasted about 90 minutes, a Swiss mediator said afterwards. Both sides "
    "agreed to exchange 300 prisoners each in the coming weeks, and to meet again before the end of May."
)


def add_article(settings: Settings, article_id: str, text: str, language: str = "en") -> None:
    with db.session(settings.database) as con:
        db.run(con, "ingest/upsert_article", {
            "article_id": article_id, "url": f"https://news.example.org/{article_id}",
            "canonical_url": f"https://news.example.org/{article_id}", "feed_name": "demo", "publisher": "Alpha Wire",
            "title": "Talks in Geneva", "author": None, "published": T0, "language": language, "text": text,
            "content_hash": content_hash(text), "raw_html_gz": None, "fetched_at": T0 + timedelta(hours=1),
            "encoding": "utf-8", "ingest_note": None,
        })


def count(settings: Settings, table: str) -> int:
    with db.session(settings.database) as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608 (test-only, fixed names)
    assert row is not None
    return int(row[0])


def test_extraction_stages_claims_and_validate_publishes_them(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, languages="en")
    add_article(settings, "geneva", TEXT)
    extracted = flow.extract(settings)
    assert extracted.counts["claims"] >= 2
    assert count(settings, "claims") == 0  # nothing is published before the gate
    assert count(settings, "stg_claims") == extracted.counts["claims"]

    counts = flow.validate(settings)
    assert counts.counts["suites_failed"] == 0
    assert count(settings, "claims") == extracted.counts["claims"]
    assert count(settings, "stg_claims") == 0
    with db.session(settings.database) as con:
        quotes = {r[0] for r in con.execute("SELECT quote FROM claims").fetchall()}
    assert all(q in TEXT for q in quotes)


def test_a_quarantined_article_keeps_its_claims_out(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, languages="en")
    add_article(settings, "geneva", TEXT, language="de")
    staged = flow.extract(settings).counts["claims"]
    assert staged >= 2
    counts = flow.validate(settings)
    assert counts.counts["quarantined"] == 1 + staged
    assert count(settings, "claims") == 0 and count(settings, "articles") == 0
    with db.session(settings.database) as con:
        reasons = {r[0] for r in con.execute(
            "SELECT reason FROM quarantine WHERE table_name = 'claims'").fetchall()}
    assert all("article_published" in r for r in reasons)


@pytest.fixture()
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    # The CLI reads its settings from the environment, as an operator's shell would give them.
    monkeypatch.setenv("NEWSWATCH_HOME", str(tmp_path))
    monkeypatch.setenv("NEWSWATCH_LANGUAGES", "en")
    get_settings.cache_clear()
    yield Settings(home=tmp_path, languages="en")
    get_settings.cache_clear()


def test_cli_validate_exit_code_and_release(cli_home: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    add_article(cli_home, "geneva", TEXT)
    add_article(cli_home, "stub", "Talks: more soon.")
    assert cli.main(["validate", "--no-email"]) == 1
    out = capsys.readouterr().out
    assert "suites_failed=1" in out and "report.html" in out

    assert cli.main(["quarantine", "list"]) == 0
    listing = capsys.readouterr().out
    assert "stub" in listing and "text_not_too_short" in listing
    qid = listing.split()[0]

    longer = TEXT.replace("GENEVA", "LAUSANNE")
    assert cli.main(["quarantine", "release", qid, "--set", f"text={json.dumps(longer)}",
                     "--set", f"content_hash={content_hash(longer)}"]) == 0
    capsys.readouterr()
    assert cli.main(["validate", "--no-email"]) == 0
    assert "stub" in _article_ids(cli_home)
    assert cli.main(["quarantine", "release", qid]) == 2  # already released: an error, not a crash
    assert "already released" in capsys.readouterr().err


def _article_ids(settings: Settings) -> set[str]:
    with db.session(settings.database) as con:
        return {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}


def test_suites_are_checked_when_loaded(tmp_path: Path) -> None:
    suites = load_suites(PROJECT_ROOT / "expectations")
    assert set(suites) == {"feed_entries", "articles", "claims", "contradictions"}
    bad = json.loads((PROJECT_ROOT / "expectations" / "claims.json").read_text(encoding="utf-8"))
    bad["expectations"].append(dict(bad["expectations"][0]))
    (tmp_path / "claims.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(SuiteError, match="used twice"):
        load_suites(tmp_path)
    del bad["meta"]["row_key"]
    bad["expectations"].pop()
    (tmp_path / "claims.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(SuiteError, match="row_key"):
        load_suites(tmp_path)
