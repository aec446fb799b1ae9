"""Quality gate: a bad batch breaking every rule is quarantined with the right reasons, the good rows
in the same batch are published and reach detection, a fixed row is re-published, the report shows it.

Everything is real: a DuckDB file in tmp_path, the suites in expectations/, Great Expectations.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines import db, flow
from pipelines.ids import content_hash
from pipelines.settings import PROJECT_ROOT, Settings

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # publication time of the good articles
DAY = T0.date()

# Our own short reports of an invented flood, long enough to pass the length rule.
TEXT_A = (
    "RIVERTON - Floodwater from the swollen Mell river swept through the lower town overnight. "
    "Officials said 12 people died and 40 were injured when the embankment gave way near the old mill. "
    "Rescue teams were still searching streets on Monday morning; 3 residents were listed as missing "
    "at dawn and 5 by noon, according to the county emergency office."
)
TEXT_B = (
    "Emergency crews in Riverton say the flood that hit the town on Sunday night killed 19 people. "
    "Between 38 and 45 people were treated in hospital for injuries, the regional health board said. "
    "Upstream, the village of Karsby reported 30 deaths in a separate landslide that followed the storm, "
    "and the army has sent boats to reach farms cut off by the water."
)


def filler(topic: str) -> str:
    return (f"A council spokesperson described {topic} at length on Monday, adding that inspectors would "
            "visit every affected street this week and publish their findings before the end of the month, "
            "while volunteers handed out blankets and drinking water at the sports hall.")


def make_settings(tmp_path: Path, **kw: Any) -> Settings:
    return Settings(home=tmp_path, languages="en", **kw)


def add_article(con: duckdb.DuckDBPyConnection, article_id: str, text: str, *, url: str | None = None,
                canonical: str | None = None, language: str | None = "en", published: datetime | None = T0,
                fetched: datetime | None = None, publisher: str = "Outlet", chash: str | None = None) -> None:
    url = url or f"https://news.example.org/{article_id}"
    db.run(con, "ingest/upsert_article", {
        "article_id": article_id, "url": url, "canonical_url": canonical or url, "feed_name": "demo",
        "publisher": publisher, "title": f"Report {article_id}", "author": None, "published": published,
        "language": language, "text": text, "content_hash": chash or content_hash(text), "raw_html_gz": b"\x1f\x8b\x00",
        "fetched_at": fetched or T0 + timedelta(hours=1), "encoding": "utf-8", "ingest_note": None,
    })


def add_entry(con: duckdb.DuckDBPyConnection, entry_id: str, link: str | None, published: datetime | None = T0,
              first_seen: datetime | None = None, canonical: str | None = None) -> None:
    db.run(con, "ingest/insert_entry", {
        "entry_id": entry_id, "feed_name": "demo", "guid": entry_id, "link": link,
        "canonical_url": canonical or link, "title": f"Entry {entry_id}", "published": published, "updated": None,
        "first_seen_at": first_seen or T0 + timedelta(minutes=30),
    }).fetchall()


def stage_claim(con: duckdb.DuckDBPyConnection, claim_id: str, article_id: str, text: str, quote: str, *,
                low: float | None, high: float | None, attribute: str | None = "death_toll", kind: str = "cumulative",
                unit: str = "people", event: str = "ev1", scope: str = "whole", hedge: str | None = "exact",
                as_of: date | None = DAY, start: int | None = None, end: int | None = None,
                confidence: float = 1.0) -> None:
    found = text.find(quote)
    start = found if start is None else start
    end = start + len(quote) if end is None else end
    db.run(con, "quality/stage_claim", [
        claim_id, article_id, event, attribute, kind, unit, low, high, hedge, quote, scope, as_of, None,
        quote, start, end, quote, T0 + timedelta(hours=2), confidence, ["attribute.frame"],
    ])


def quarantined(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, dict[str, Any]]:
    rows = con.execute(
        "SELECT row_key, failed_expectations, reason, CAST(row_json AS VARCHAR), released_at, quarantine_id "
        "FROM quarantine WHERE table_name = ?", [table]).fetchall()
    return {r[0]: {"failed": set(r[1]), "reason": r[2], "row": json.loads(r[3]), "released_at": r[4], "id": r[5]}
            for r in rows}


def keys(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set[str]:
    return {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()}  # noqa: S608 (test-only, fixed names)


class Outbox:
    """A real ``send`` callable that keeps what it was given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def __call__(self, msg: EmailMessage) -> None:
        self.messages.append(msg)


FEED_EXPECTED = {
    "e-no-link": {"link_present"},
    "e-ftp": {"link_is_http_url"},
    "e-future": {"published_plausible"},
    "e-ancient": {"published_plausible"},
    "e-dup": {"url_not_duplicate"},
}
ARTICLE_EXPECTED = {
    "b-short": {"text_not_too_short"},
    "b-french": {"language_accepted"},
    "b-future": {"published_plausible"},
    "b-ancient": {"published_plausible"},
    "b-ftp": {"url_is_http_url"},
    "b-dup-url": {"url_not_duplicate"},
    "b-dup-text": {"content_not_duplicate"},
}
CLAIM_EXPECTED = {
    "c-article-quarantined": {"article_published", "offsets_in_text", "quote_in_text", "quote_at_offsets"},
    "c-attr-null": {"attribute_present", "unit_matches_catalog", "kind_matches_catalog"},
    "c-attr-unknown": {"attribute_in_catalog", "unit_matches_catalog", "kind_matches_catalog"},
    "c-unit": {"unit_matches_catalog"},
    "c-kind": {"kind_matches_catalog"},
    "c-unbounded": {"interval_bounded"},
    "c-reversed": {"interval_ordered"},
    "c-scope": {"scope_known"},
    "c-hedge": {"hedge_present"},
    "c-offsets-outside": {"offsets_in_text", "quote_at_offsets"},
    "c-quote-absent": {"quote_in_text", "quote_at_offsets"},
    "c-quote-shifted": {"quote_at_offsets"},
    "c-as-of-later": {"as_of_not_after_published"},
    "c-confidence": {"confidence_in_range"},
    "c-part-unit": {"unit_matches_catalog"},
    "c-part-unknown": {"attribute_in_catalog", "unit_matches_catalog", "kind_matches_catalog"},
    "c-part-trailing-dot": {"attribute_in_catalog", "unit_matches_catalog", "kind_matches_catalog"},
    "c-part-empty-qualifier": {"attribute_in_catalog", "unit_matches_catalog", "kind_matches_catalog"},
    "c-part-spaced": {"attribute_in_catalog", "unit_matches_catalog", "kind_matches_catalog"},
}
GOOD_CLAIMS = {"g-toll-a", "g-toll-b", "g-injured-a", "g-injured-b", "g-missing-a1", "g-missing-a2", "g-karsby",
               "g-part-karsby", "g-part-county", "g-history"}


def build_bad_batch(con: duckdb.DuckDBPyConnection) -> None:
    # feed entries: two good, five bad
    add_entry(con, "e-good-1", "https://news.example.org/a")
    add_entry(con, "e-good-2", "https://news.example.org/b")
    add_entry(con, "e-no-link", None)
    add_entry(con, "e-ftp", "ftp://files.example.org/c")
    add_entry(con, "e-future", "https://news.example.org/d", published=T0 + timedelta(days=3), first_seen=T0)
    add_entry(con, "e-ancient", "https://news.example.org/e", published=datetime(1970, 1, 1, tzinfo=UTC))
    add_entry(con, "e-dup", "https://news.example.org/a?utm=x", canonical="https://news.example.org/a",
              first_seen=T0 + timedelta(hours=5))

    # articles: two good ones (two outlets), seven bad ones, each breaking one rule
    # Beta Post's 19 dead, then Alpha Wire's lower 12 forty minutes later: a conflict (a rise would be an update)
    add_article(con, "a1", TEXT_A, publisher="Alpha Wire", published=T0 + timedelta(minutes=40))
    add_article(con, "a2", TEXT_B, publisher="Beta Post")
    add_article(con, "b-short", "Flood: more soon.")
    add_article(con, "b-french", "Les eaux de la riviere ont envahi la ville basse pendant la nuit. " * 4, language="fr")
    add_article(con, "b-future", filler("the future report"), published=T0 + timedelta(days=2))
    add_article(con, "b-ancient", filler("the archive"), published=datetime(1990, 5, 1, tzinfo=UTC))
    add_article(con, "b-ftp", filler("a file share"), url="ftp://files.example.org/report")
    add_article(con, "b-dup-url", filler("the same page again"), canonical="https://news.example.org/a1",
                fetched=T0 + timedelta(hours=3))
    add_article(con, "b-dup-text", TEXT_B + " ", fetched=T0 + timedelta(hours=3),
                url="https://mirror.example.net/copy")

    # claims: ten good ones, nineteen bad ones
    stage_claim(con, "g-toll-a", "a1", TEXT_A, "12 people died", low=12, high=12)
    stage_claim(con, "g-toll-b", "a2", TEXT_B, "killed 19 people", low=19, high=19)
    stage_claim(con, "g-injured-a", "a1", TEXT_A, "40 were injured", low=40, high=40, attribute="injured")
    stage_claim(con, "g-injured-b", "a2", TEXT_B, "Between 38 and 45 people", low=38, high=45, attribute="injured")
    stage_claim(con, "g-missing-a1", "a1", TEXT_A, "3 residents", low=3, high=3, attribute="missing")
    stage_claim(con, "g-missing-a2", "a1", TEXT_A, "5 by noon", low=5, high=5, attribute="missing")
    stage_claim(con, "g-karsby", "a2", TEXT_B, "30 deaths", low=30, high=30, event="ev2")
    # parts and other occurrences' figures qualify a catalog attribute: kept, checked by the one they qualify
    stage_claim(con, "g-part-karsby", "a2", TEXT_B, "30 deaths", low=30, high=30, attribute="death_toll.karsby")
    stage_claim(con, "g-part-county", "a2", TEXT_B, "30 deaths", low=30, high=30,
                attribute="death_toll.karsby-county")  # a folded place name keeps its hyphen
    stage_claim(con, "g-history", "a1", TEXT_A, "12 people died", low=12, high=12, attribute="death_toll.history")

    frtext = "Les eaux de la riviere ont envahi la ville basse pendant la nuit. " * 4
    stage_claim(con, "c-article-quarantined", "b-french", frtext, "la ville basse", low=1, high=1)
    stage_claim(con, "c-attr-null", "a1", TEXT_A, "12 people died", low=12, high=12, attribute=None)
    stage_claim(con, "c-attr-unknown", "a1", TEXT_A, "12 people died", low=12, high=12, attribute="mood.index")
    stage_claim(con, "c-unit", "a1", TEXT_A, "12 people died", low=12, high=12, unit="minutes")
    stage_claim(con, "c-kind", "a1", TEXT_A, "12 people died", low=12, high=12, kind="fixed")
    stage_claim(con, "c-unbounded", "a1", TEXT_A, "12 people died", low=None, high=None)
    stage_claim(con, "c-reversed", "a1", TEXT_A, "40 were injured", low=45, high=40, attribute="injured")
    stage_claim(con, "c-scope", "a1", TEXT_A, "12 people died", low=12, high=12, scope="galaxy")
    stage_claim(con, "c-hedge", "a1", TEXT_A, "12 people died", low=12, high=12, hedge=None)
    stage_claim(con, "c-offsets-outside", "a1", TEXT_A, "12 people died", low=12, high=12,
                start=len(TEXT_A) - 5, end=len(TEXT_A) + 9)
    stage_claim(con, "c-quote-absent", "a1", TEXT_A, "fourteen people drowned", low=14, high=14, start=0, end=23)
    stage_claim(con, "c-quote-shifted", "a1", TEXT_A, "12 people died", low=12, high=12,
                start=TEXT_A.find("12 people died") + 3)
    stage_claim(con, "c-as-of-later", "a1", TEXT_A, "12 people died", low=12, high=12, as_of=DAY + timedelta(days=10))
    stage_claim(con, "c-confidence", "a1", TEXT_A, "12 people died", low=12, high=12, confidence=1.5)
    stage_claim(con, "c-part-unit", "a2", TEXT_B, "30 deaths", low=30, high=30, attribute="death_toll.karsby",
                unit="minutes")
    # a dotted name that extends no catalog attribute ("death_tolls" is not "death_toll")
    stage_claim(con, "c-part-unknown", "a1", TEXT_A, "12 people died", low=12, high=12, attribute="death_tolls.x")
    # a qualifier must name something: a trailing dot, an empty segment or free text qualifies nothing
    stage_claim(con, "c-part-trailing-dot", "a1", TEXT_A, "12 people died", low=12, high=12, attribute="death_toll.")
    stage_claim(con, "c-part-empty-qualifier", "a1", TEXT_A, "12 people died", low=12, high=12,
                attribute="death_toll..karsby")
    stage_claim(con, "c-part-spaced", "a2", TEXT_B, "30 deaths", low=30, high=30, attribute="death_toll.Karsby town")


@pytest.fixture()
def gated(tmp_path: Path) -> tuple[Settings, Outbox, Any]:
    settings = make_settings(tmp_path)
    with db.session(settings.database) as con:
        build_bad_batch(con)
    outbox = Outbox()
    counts = flow.validate(settings, outbox, run_id="run-bad-batch")
    return settings, outbox, counts


def test_bad_batch_is_quarantined_with_the_right_reasons(gated: tuple[Settings, Outbox, Any]) -> None:
    settings, _, counts = gated
    with db.session(settings.database) as con:
        entries = quarantined(con, "feed_entries")
        articles = quarantined(con, "articles")
        claims = quarantined(con, "claims")
        assert {k: v["failed"] for k, v in entries.items()} == FEED_EXPECTED
        assert {k: v["failed"] for k, v in articles.items()} == ARTICLE_EXPECTED
        assert {k: v["failed"] for k, v in claims.items()} == CLAIM_EXPECTED
        # the full row is kept, so nothing is lost
        assert claims["c-reversed"]["row"]["value_low"] == 45 and claims["c-reversed"]["row"]["quote"] == "40 were injured"
        assert articles["b-french"]["row"]["language"] == "fr" and articles["b-french"]["row"]["text"].startswith("Les eaux")
        assert claims["c-scope"]["reason"] == "scope_known"
        assert all(v["released_at"] is None for v in (*entries.values(), *articles.values(), *claims.values()))

        # good rows published, bad rows not; staging is empty
        assert keys(con, "claims", "claim_id") == GOOD_CLAIMS
        assert keys(con, "articles", "article_id") == {"a1", "a2"}
        assert con.execute("SELECT count(*) FROM stg_claims").fetchone() == (0,)
        # feed entries stay in place (the poller's memory); the open quarantine row is their flag
        assert keys(con, "feed_entries", "entry_id") == {"e-good-1", "e-good-2", *FEED_EXPECTED}

        runs = {r[0]: r[1:] for r in con.execute(
            "SELECT suite, success, rows_checked, rows_published, rows_quarantined FROM validation_runs "
            "WHERE run_id = 'run-bad-batch:validate'").fetchall()}
        assert runs == {
            "feed_entries": (False, 7, 2, 5),
            "articles": (False, 9, 2, 7),
            "claims": (False, len(GOOD_CLAIMS) + len(CLAIM_EXPECTED), len(GOOD_CLAIMS), len(CLAIM_EXPECTED)),
            "contradictions": (True, 0, 0, 0),
        }
        failed_results = {(r[0], r[1]): r[2] for r in con.execute(
            "SELECT suite, expectation, unexpected_count FROM validation_results "
            "WHERE run_id = 'run-bad-batch:validate' AND NOT success").fetchall()}
        expected_failed = {("claims", n) for names in CLAIM_EXPECTED.values() for n in names}
        assert set(failed_results) >= expected_failed
        assert failed_results[("claims", "quote_at_offsets")] == 4
    assert counts.counts["suites_failed"] == 3
    assert counts.counts["quarantined"] == len(FEED_EXPECTED) + len(ARTICLE_EXPECTED) + len(CLAIM_EXPECTED)


def test_good_rows_flow_on_to_detection_and_alerts(gated: tuple[Settings, Outbox, Any]) -> None:
    settings, outbox, _ = gated
    det = flow.detect(settings, send=outbox)
    assert det.counts["conflict"] == 1 and det.counts["published"] == 1 and det.counts["quarantined"] == 0
    with db.session(settings.database) as con:
        pairs = con.execute("SELECT claim_a, claim_b, kind FROM contradictions").fetchall()
        assert pairs == [("g-toll-b", "g-toll-a", "conflict")]
    alert_outbox = Outbox()
    alerts = flow.send_alerts(settings, alert_outbox)
    assert alerts.counts["sent"] == 1
    body = alert_outbox.messages[0].get_body(preferencelist=("plain",))
    assert body is not None and "19" in body.get_content()


def test_bad_contradictions_are_quarantined_before_the_outbox(gated: tuple[Settings, Outbox, Any]) -> None:
    settings, _, _ = gated
    flow.detect(settings)
    good = [("x-good", "ev1", "death_toll", "conflict", "g-toll-a", "g-toll-b", 7.0, "high", "fp1")]
    bad = {
        "x-same-article": (("ev1", "missing", "conflict", "g-missing-a1", "g-missing-a2", 2.0, "high", "fp2"),
                           {"claims_from_different_articles"}),
        "x-attribute": (("ev1", "death_toll", "conflict", "g-toll-a", "g-injured-b", 26.0, "high", "fp3"),
                        {"claims_share_attribute"}),
        "x-event": (("ev1", "death_toll", "conflict", "g-toll-a", "g-karsby", 18.0, "high", "fp4"),
                    {"claims_share_event"}),
        "x-overlap": (("ev1", "injured", "conflict", "g-injured-a", "g-injured-b", 1.0, "low", "fp5"),
                      {"intervals_disjoint"}),
        "x-unpublished": (("ev1", "death_toll", "conflict", "g-toll-a", "c-reversed", 3.0, "low", "fp6"),
                          {"claims_published", "claims_from_different_articles", "claims_share_attribute",
                           "claims_share_event", "intervals_disjoint"}),
        "x-kind": (("ev1", "death_toll", "rumour", "g-toll-a", "g-toll-b", 7.0, "high", "fp7"), {"kind_known"}),
        "x-severity": (("ev1", "death_toll", "conflict", "g-toll-a", "g-toll-b", 7.0, "dire", "fp8"), {"severity_known"}),
        "x-gap": (("ev1", "death_toll", "conflict", "g-toll-a", "g-toll-b", 0.0, "low", "fp9"), {"gap_positive"}),
        "x-fingerprint": (("ev1", "death_toll", "conflict", "g-toll-a", "g-toll-b", 7.0, "high", None),
                          {"fingerprint_present"}),
    }
    with db.session(settings.database) as con:
        rows = [(cid, *vals) for cid, *vals in good] + [(cid, *vals) for cid, (vals, _) in bad.items()]
        for cid, event, attr, kind, a, b, gap, sev, fp in rows:
            db.run(con, "quality/stage_contradiction", [cid, event, attr, kind, a, b, gap, gap / 19, sev, "test",
                                                        fp, T0 + timedelta(hours=3)])
        outcomes = flow.gate(con, settings, "run-contradictions", tables=["contradictions"])
        assert [o.suite for o in outcomes] == ["contradictions"]
        assert {k: v["failed"] for k, v in quarantined(con, "contradictions").items()} == {
            k: names for k, (_, names) in bad.items()}
        assert "x-good" in keys(con, "contradictions", "contradiction_id")
        assert not keys(con, "contradictions", "contradiction_id") & set(bad)
        assert con.execute("SELECT count(*) FROM stg_contradictions").fetchone() == (0,)


def test_report_and_operator_email_show_the_failures(gated: tuple[Settings, Outbox, Any]) -> None:
    settings, outbox, _ = gated
    report = settings.home / "quality" / "report.html"
    html = report.read_text(encoding="utf-8")
    # kept per pipeline run (validation and detection of one run share one report)
    assert (settings.home / "quality" / "runs" / "run-bad-batch.html").read_text(encoding="utf-8") == html
    for names in (*CLAIM_EXPECTED.values(), *ARTICLE_EXPECTED.values(), *FEED_EXPECTED.values()):
        for name in names:
            assert f"<code>{name}</code>" in html
    for key in (*CLAIM_EXPECTED, *ARTICLE_EXPECTED, *FEED_EXPECTED):
        assert key in html
    # self-contained: no scripts, no stylesheets or images fetched from elsewhere
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert "<style>" in html

    assert len(outbox.messages) == 1
    msg = outbox.messages[0]
    assert msg["To"] == "operators@example.com"
    assert "claims" in msg["Subject"] and "articles" in msg["Subject"]
    text = msg.get_body(preferencelist=("plain",))
    assert text is not None and "quote_at_offsets=4" in text.get_content()
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["quality-report.html"]


def test_below_threshold_no_email(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, quality_alert_threshold=0.9)
    with db.session(settings.database) as con:
        add_article(con, "a1", TEXT_A)
        stage_claim(con, "g", "a1", TEXT_A, "12 people died", low=12, high=12)
        stage_claim(con, "bad", "a1", TEXT_A, "12 people died", low=12, high=12, scope="galaxy")
    outbox = Outbox()
    counts = flow.validate(settings, outbox)
    assert counts.counts["quarantined"] == 1 and counts.counts["suites_failed"] == 1
    assert outbox.messages == []


def test_fixed_quarantined_rows_are_republished(gated: tuple[Settings, Outbox, Any]) -> None:
    from pipelines.quality import release

    settings, _, _ = gated
    with db.session(settings.database) as con:
        claims = quarantined(con, "claims")
        articles = quarantined(con, "articles")
        entries = quarantined(con, "feed_entries")
        assert release(con, claims["c-reversed"]["id"], {"value_low": 40, "value_high": 45}) == "claims"
        release(con, claims["c-scope"]["id"])  # released unchanged: must be quarantined again
        release(con, articles["b-french"]["id"], {"language": "en", "text": TEXT_A.replace("Riverton", "Lowton")})
        release(con, entries["e-ftp"]["id"], {"link": "https://files.example.org/c"})
        with pytest.raises(ValueError, match="already released"):
            release(con, claims["c-reversed"]["id"])
        with pytest.raises(ValueError, match="no column"):
            release(con, claims["c-hedge"]["id"], {"hedgehog": "x"})
        # the article's claim that was quarantined with it is extracted again from the fixed text
        assert quarantined(con, "claims")["c-article-quarantined"]["released_at"] is not None

    counts = flow.validate(settings, run_id="run-fixed")
    with db.session(settings.database) as con:
        assert "c-reversed" in keys(con, "claims", "claim_id")
        assert con.execute("SELECT value_low, value_high FROM claims WHERE claim_id = 'c-reversed'").fetchone() == (40, 45)
        after = quarantined(con, "claims")
        assert after["c-reversed"]["released_at"] is not None
        assert after["c-scope"]["released_at"] is None and after["c-scope"]["failed"] == {"scope_known"}
        row = con.execute("SELECT language, processed_at FROM articles WHERE article_id = 'b-french'").fetchone()
        assert row == ("en", None)
        assert quarantined(con, "articles")["b-french"]["released_at"] is not None
        assert quarantined(con, "feed_entries")["e-ftp"]["released_at"] is not None
        assert con.execute("SELECT link FROM feed_entries WHERE entry_id = 'e-ftp'").fetchone() == (
            "https://files.example.org/c",)
        runs = dict(con.execute("SELECT suite, rows_checked FROM validation_runs WHERE run_id = 'run-fixed:validate'").fetchall())
    assert runs == {"feed_entries": 1, "articles": 1, "claims": 2, "contradictions": 0}
    assert counts.counts["quarantined"] == 1


def test_audit_all_rechecks_published_rows(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with db.session(settings.database) as con:
        add_article(con, "a1", TEXT_A)
        stage_claim(con, "g", "a1", TEXT_A, "12 people died", low=12, high=12)
    assert flow.validate(settings).counts["suites_failed"] == 0
    # a published claim is corrupted behind the gate's back; only an audit of all rows sees it
    with db.session(settings.database) as con:
        con.execute("UPDATE claims SET quote_start = quote_start + 1 WHERE claim_id = 'g'")
    assert flow.validate(settings).counts["checked"] == 0
    counts = flow.validate(settings, all_rows=True)
    assert counts.counts["suites_failed"] == 1 and counts.counts["quarantined"] == 1
    with db.session(settings.database) as con:
        assert keys(con, "claims", "claim_id") == set()
        assert quarantined(con, "claims")["g"]["failed"] == {"quote_at_offsets"}
        assert keys(con, "articles", "article_id") == {"a1"}


def test_suite_that_cannot_run_holds_its_rows(tmp_path: Path) -> None:
    folder = tmp_path / "expectations"
    folder.mkdir()
    for path in (PROJECT_ROOT / "expectations").glob("*.json"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    suite = json.loads((folder / "claims.json").read_text(encoding="utf-8"))
    suite["expectations"].append({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "no_such_column"},
                                  "meta": {"name": "broken_rule"}})
    (folder / "claims.json").write_text(json.dumps(suite), encoding="utf-8")
    settings = make_settings(tmp_path, expectations_dir=folder)
    with db.session(settings.database) as con:
        add_article(con, "a1", TEXT_A)
        stage_claim(con, "g", "a1", TEXT_A, "12 people died", low=12, high=12)
    outbox = Outbox()
    counts = flow.validate(settings, outbox)
    assert counts.counts["held"] == 1 and counts.counts["suites_failed"] == 1
    with db.session(settings.database) as con:
        assert keys(con, "stg_claims", "claim_id") == {"g"}
        assert keys(con, "claims", "claim_id") == set()
        error = con.execute("SELECT error FROM validation_runs WHERE suite = 'claims'").fetchone()
    assert error is not None and "no_such_column" in error[0]
    assert len(outbox.messages) == 1  # a suite that cannot run always alerts


def test_detect_validates_claims_left_in_staging(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with db.session(settings.database) as con:
        add_article(con, "a1", TEXT_A, publisher="Alpha Wire", published=T0 + timedelta(minutes=40))
        add_article(con, "a2", TEXT_B, publisher="Beta Post")
        stage_claim(con, "g-toll-a", "a1", TEXT_A, "12 people died", low=12, high=12)
        stage_claim(con, "g-toll-b", "a2", TEXT_B, "killed 19 people", low=19, high=19)
        stage_claim(con, "bad", "a2", TEXT_B, "killed 19 people", low=1, high=1, start=0)
    counts = flow.detect(settings)
    assert counts.counts["conflict"] == 1
    with db.session(settings.database) as con:
        assert keys(con, "claims", "claim_id") == {"g-toll-a", "g-toll-b"}
        assert set(quarantined(con, "claims")) == {"bad"}


def test_a_copy_of_an_article_checked_in_an_earlier_run_fails_and_the_original_is_not_checked_again(tmp_path):
    # Only the run's new articles are read whole; a later copy is still found among the stored ones.
    settings = make_settings(tmp_path)
    with db.session(settings.database) as con:
        add_article(con, "a1", TEXT_A)
        add_article(con, "a2", TEXT_B)
    first = flow.validate(settings, run_id="run-1")
    assert first.counts["quarantined"] == 0
    with db.session(settings.database) as con:
        add_article(con, "copy-text", TEXT_A + " ", url="https://mirror.example.net/a1", fetched=T0 + timedelta(hours=4))
        add_article(con, "copy-url", filler("a later page"), url="https://news.example.org/a2?ref=feed",
                    canonical="https://news.example.org/a2", fetched=T0 + timedelta(hours=4))
        # fetched before the stored one: it is the first copy, the stored one stays published
        add_article(con, "earlier", filler("an earlier page"), url="https://news.example.org/early",
                    chash=content_hash(TEXT_B), fetched=T0)
    flow.validate(settings, run_id="run-2")
    with db.session(settings.database) as con:
        assert {k: v["failed"] for k, v in quarantined(con, "articles").items()} == {
            "copy-text": {"content_not_duplicate"}, "copy-url": {"url_not_duplicate"}}
        checked = con.execute("SELECT suite, rows_checked FROM validation_runs "
                              "WHERE run_id = 'run-2:validate' AND suite = 'articles'").fetchall()
        assert checked == [("articles", 3)]
        assert keys(con, "articles", "article_id") == {"a1", "a2", "earlier"}


def test_the_articles_suite_checks_new_revised_and_stored_again_articles_only(tmp_path):
    # the suite fingerprints only articles never checked or written since their check, so an
    # article that did not change is not read again, and one that did is
    settings = make_settings(tmp_path)
    with db.session(settings.database) as con:
        add_article(con, "a1", TEXT_A)
        add_article(con, "a2", TEXT_B)
        add_article(con, "stub", "Too short to be an article.")
    flow.validate(settings, run_id="run-1")
    now = datetime.now(UTC)
    revised = TEXT_A + " Officials later said the embankment had been inspected in May."
    with db.session(settings.database) as con:
        assert set(quarantined(con, "articles")) == {"stub"}
        db.run(con, "ingest/revise_article", {
            "article_id": "a1", "url": "https://news.example.org/a1", "title": "Report a1", "text": revised,
            "content_hash": content_hash(revised), "raw_html_gz": None, "fetched_at": now, "version": 2,
            "encoding": "utf-8", "ingest_note": None})
        # the page behind the stub was fetched again and now holds a whole report
        add_article(con, "stub", filler("the stub's page"), fetched=now)
    flow.validate(settings, run_id="run-2")
    with db.session(settings.database) as con:
        checked = con.execute("SELECT rows_checked FROM validation_runs "
                              "WHERE run_id = 'run-2:validate' AND suite = 'articles'").fetchall()
        assert checked == [(2,)]
        assert keys(con, "articles", "article_id") == {"a1", "a2", "stub"}
    flow.validate(settings, run_id="run-3")
    with db.session(settings.database) as con:
        assert con.execute("SELECT rows_checked FROM validation_runs "
                           "WHERE run_id = 'run-3:validate' AND suite = 'articles'").fetchall() in ([], [(0,)])
