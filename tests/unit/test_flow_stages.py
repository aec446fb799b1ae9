"""The processing stages on a real DuckDB file, without Airflow or the network: extract, the
quality gate, detect; re-runs add nothing; a revised text replaces its claims; reprocess reports
what changed after the catalog changed."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines import flow
from pipelines.claims.catalog import DEFAULT_CATALOG
from pipelines.demo.corpus import load_corpus
from pipelines.replay import reprocess
from pipelines.settings import Settings

MAY_SLUGS = ("northern-wire-istanbul-talks", "bosphorus-ledger-dolmabahce-talks", "meridian-post-istanbul-outcome")


def _insert_articles(db_path: Path, slugs: tuple[str, ...]) -> None:
    flow_settings = Settings(home=db_path.parent)
    with duckdb.connect(str(db_path)) as con:
        from pipelines.db import ensure_schema

        ensure_schema(con)
        for art in load_corpus():
            if art.slug not in slugs:
                continue
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, language, text,"
                " content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?)",
                [art.slug, art.url("http://127.0.0.1"), art.url("http://127.0.0.1"), art.publisher, art.title,
                 art.published, art.text, art.slug, datetime.now(UTC)],
            )
    assert flow_settings.database.parent == db_path.parent


def _count(db_path: Path, sql: str) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return int(con.execute(sql).fetchone()[0])


@pytest.fixture
def settings(tmp_path):
    s = Settings(home=tmp_path, operator_email="")
    _insert_articles(s.database, MAY_SLUGS)
    return s


def _process(settings: Settings) -> None:
    flow.extract(settings)
    flow.validate(settings)
    flow.detect(settings)


def test_stages_find_the_may_conflicts_and_rerunning_adds_nothing(settings):
    _process(settings)
    db = settings.database
    conflicts = _count(db, "SELECT count(*) FROM contradictions WHERE kind = 'conflict'")
    per_side = _count(db, "SELECT count(*) FROM contradictions WHERE kind = 'conflict' "
                          "AND attribute = 'prisoner_exchange.count_per_side'")
    talks = _count(db, "SELECT count(*) FROM contradictions WHERE kind = 'conflict' AND attribute = 'talks.duration_minutes'")
    assert per_side == 2  # Bosphorus's 500 per side against each outlet's 1,000
    assert talks == 2     # "nearly 90 minutes" against "just under two hours" and "about 1 h 45"
    claims = _count(db, "SELECT count(*) FROM claims")
    events = _count(db, "SELECT count(*) FROM events")
    # every published claim carries its confidence and reasons, and analysts see them in v_claims
    assert _count(db, "SELECT count(*) FROM v_claims WHERE confidence BETWEEN 0 AND 1 "
                      "AND len(confidence_reasons) > 0") == claims > 0

    _process(settings)
    assert _count(db, "SELECT count(*) FROM claims") == claims
    assert _count(db, "SELECT count(*) FROM events") == events
    assert _count(db, "SELECT count(*) FROM contradictions WHERE kind = 'conflict'") == conflicts
    assert _count(db, "SELECT count(*) FROM entities WHERE entity_id = 'vladimir-medinsky'") <= 1


def test_a_revised_text_replaces_the_articles_claims(settings):
    _process(settings)
    db = settings.database
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE articles SET text = replace(text, '500', '1,000'), processed_at = NULL "
            "WHERE article_id = 'bosphorus-ledger-dolmabahce-talks'"
        )
    _process(settings)
    assert _count(db, "SELECT count(*) FROM claims WHERE article_id = 'bosphorus-ledger-dolmabahce-talks' "
                      "AND value_low = 500") == 0
    assert _count(db, "SELECT count(*) FROM contradictions WHERE kind = 'conflict' "
                      "AND attribute = 'prisoner_exchange.count_per_side'") == 0


def test_a_revised_text_that_drops_a_figure_removes_its_contradictions(settings):
    # the revision adds no claim to the group it leaves: detection must still recompute that group
    _process(settings)
    db = settings.database
    per_side = "SELECT count(*) FROM contradictions WHERE attribute = 'prisoner_exchange.count_per_side'"
    assert _count(db, per_side) > 0
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE articles SET text = replace(text, 'The exchange will cover 1,000 prisoners in total, 500 from "
            "each side', 'The exchange was agreed'), processed_at = NULL WHERE article_id = 'bosphorus-ledger-dolmabahce-talks'"
        )
    _process(settings)
    assert _count(db, "SELECT count(*) FROM claims WHERE article_id = 'bosphorus-ledger-dolmabahce-talks' "
                      "AND attribute LIKE 'prisoner_exchange.%'") == 0
    assert _count(db, per_side) == 0


def test_reprocess_reports_contradictions_that_disappear_when_the_catalog_changes(settings, tmp_path):
    _process(settings)
    data = yaml.safe_load(DEFAULT_CATALOG.read_text())
    data["attributes"]["talks.duration_minutes"]["frames"] = ["nothing-matches-this"]
    changed = tmp_path / "catalog.yaml"
    changed.write_text(yaml.safe_dump(data, sort_keys=False))
    lines = reprocess(settings.model_copy(update={"catalog": changed}))
    disappeared = [line for line in lines if line.startswith("disappeared:")]
    assert len(disappeared) == 2 and all("talks.duration_minutes" in line for line in disappeared)
    assert not [line for line in lines if line.startswith("appeared:")]
    assert _count(settings.database, "SELECT count(*) FROM claims WHERE attribute = 'talks.duration_minutes'") == 0
    lines = reprocess(settings)
    assert sum(line.startswith("appeared:") for line in lines) == 2


def test_operator_alerts_from_ingestion_are_emailed_once_and_retried_after_a_failure(settings):
    settings = settings.model_copy(update={"operator_email": "ops@example.com"})
    with duckdb.connect(str(settings.database)) as con:
        con.execute(
            "INSERT INTO operator_alerts (alert_id, kind, subject, body, created_at) VALUES "
            "('a1', 'feed_paused', 'Feed demo-wire paused', 'It failed 12 times.', now()), "
            "('a2', 'silent_edit', 'Figure changed in an article', '500 became 1,000.', now())"
        )
    def broken(msg):
        raise ConnectionRefusedError("smtp down")

    def sent_failed(counts):
        return counts.counts["sent"], counts.counts["failed"]

    assert sent_failed(flow.notify_operators(settings, broken)) == (0, 2)
    outbox = []
    assert sent_failed(flow.notify_operators(settings, outbox.append)) == (2, 0)
    assert sent_failed(flow.notify_operators(settings, outbox.append)) == (0, 0)
    assert sorted(m["Subject"] for m in outbox) == [
        "[newswatch ops] Feed demo-wire paused", "[newswatch ops] Figure changed in an article"]
    assert {m["To"] for m in outbox} == {"ops@example.com"}


def test_a_run_in_one_process_imports_the_quality_gate_while_extraction_runs(tmp_path):
    # In a fresh interpreter (this one has long imported it): after extract with the run's workers,
    # the gate that validate needs next is imported or being imported in the background.
    import subprocess
    import sys

    script = f"""
import sys, threading
from pathlib import Path
from pipelines import flow
from pipelines.settings import Settings
settings = Settings(home=Path({str(tmp_path)!r}), extract_workers=2)
with flow.read_ahead_pool(settings) as pool:
    assert "great_expectations" not in sys.modules
    flow.extract(settings, pool=pool)
for t in threading.enumerate():
    if t.name == "preload-quality":
        t.join()
print("great_expectations" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr
