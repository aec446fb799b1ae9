"""Alert lifecycle through the real stages (extract, quality gate, detect, alerts) on demo articles:
a new contradiction is alerted once; a report by an outlet already counted on its side adds no
alert; a new value, or a new outlet on a side, is a follow-up threaded to the first email; re-runs
send nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pytest

from pipelines import flow
from pipelines.db import connect
from pipelines.demo.corpus import load_corpus
from pipelines.settings import Settings

PER_SIDE = "prisoner_exchange.count_per_side"
TALKS = "talks.duration_minutes"


def add_articles(db_path: Path, slugs: set[str]) -> None:
    con = connect(db_path)
    try:
        for art in load_corpus():
            if art.slug in slugs:
                con.execute(
                    "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, language,"
                    " text, content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?)",
                    [art.slug, art.url("http://127.0.0.1"), art.url("http://127.0.0.1"), art.publisher, art.title,
                     art.published, art.text, art.slug, datetime.now(UTC)],
                )
    finally:
        con.close()


def run(settings: Settings) -> list[EmailMessage]:
    sent: list[EmailMessage] = []
    flow.extract(settings)
    flow.validate(settings, sent.append)
    flow.detect(settings, send=sent.append)
    flow.send_alerts(settings, sent.append)
    return sent


def attributes_of(messages: list[EmailMessage], db_path: Path) -> list[str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return sorted(
            con.execute("SELECT attribute FROM alerts WHERE fingerprint = ?", [m["X-Newswatch-Fingerprint"]]).fetchone()[0]
            for m in messages
        )


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path, operator_email="", alert_mode="each", db_path=None, snapshot_path=None)


def test_alerted_once_followed_up_when_values_or_outlets_change(settings):
    db = settings.database
    # Northern Wire (1,000 per side; "nearly 90 minutes") against Bosphorus Ledger (500; "just under two hours").
    add_articles(db, {"northern-wire-istanbul-talks", "bosphorus-ledger-dolmabahce-talks"})
    first = run(settings)
    assert attributes_of(first, db) == [PER_SIDE, TALKS]
    assert all(m["In-Reply-To"] is None for m in first)
    # the event reads like a headline, built from the reports' parties and venue
    assert all("\u2013 Russia\u2013Ukraine talks, Istanbul, 16 May 2025 (" in m["Subject"] for m in first), [
        m["Subject"] for m in first]
    assert run(settings) == []  # nothing new, nothing sent

    # Meridian Post: "a thousand" per side (a value already in the conflict, from an outlet not yet
    # counted) and "about an hour and 45 minutes" (a new value that conflicts with "nearly 90 minutes").
    add_articles(db, {"meridian-post-istanbul-outcome"})
    second = run(settings)
    assert attributes_of(second, db) == [PER_SIDE, TALKS]
    by_attribute = dict(zip(attributes_of(second, db), sorted(second, key=lambda m: attributes_of([m], db)),
                            strict=True))
    first_ids = {attributes_of([m], db)[0]: m["Message-ID"] for m in first}
    for attribute, msg in by_attribute.items():
        assert msg["Subject"].startswith("[newswatch] Update: conflict ("), msg["Subject"]
        assert msg["In-Reply-To"] == first_ids[attribute]  # threaded to the first email about it
    # The talks update names the grown set of values: the new one and those alerted before.
    subject = by_attribute[TALKS]["Subject"]
    for value in ("nearly 90 minutes", "just under two hours", "about an hour and 45 minutes"):
        assert value in subject, subject
    per_side = by_attribute[PER_SIDE].get_body(preferencelist=("plain",)).get_content()
    assert "Meridian Post now also reports 1,000" in per_side, per_side

    # Meridian Post again, 1,000 per side in a second article: an outlet already counted, no news.
    add_articles(db, {"meridian-post-swap-channel"})
    assert run(settings) == []
    assert run(settings) == []
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, count(*) FROM alerts GROUP BY ALL").fetchall() == [("sent", 4)]
