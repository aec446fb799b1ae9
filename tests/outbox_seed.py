"""Conflicts written straight into a DuckDB file (bound parameters), for the alert-delivery tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import duckdb

NOW = datetime(2025, 5, 18, 12, 0, tzinfo=UTC)


def seed_conflicts(con: duckdb.DuckDBPyConnection, n: int) -> list[str]:
    """``n`` events, each with two outlets disagreeing on one figure; returns the fingerprints."""
    fingerprints = []
    for i in range(n):
        event = f"ev-{i:02d}"
        con.execute("INSERT INTO events (event_id, story_type, label, occurrence_date, created_at) VALUES (?, ?, ?, ?, ?)",
                    [event, "flood", f"River flood {i}", date(2025, 5, 1 + i % 28), NOW])
        for side, value in (("a", 10 + i), ("b", 100 + i)):
            article = f"art-{i:02d}{side}"
            url = f"https://outlet-{side}.example/flood-{i}"
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, text,"
                " content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article, url, url, f"Outlet {side.upper()}", f"Flood {i}", NOW, "body", article, NOW])
            quote = f"{value} people died in the flood"
            con.execute(
                "INSERT INTO claims (claim_id, article_id, event_id, attribute, kind, unit, value_low, value_high,"
                " hedge, value_text, scope, as_of, quote, quote_start, quote_end, sentence, extracted_at)"
                " VALUES (?, ?, ?, 'death_toll', 'fixed', 'people', ?, ?, 'exact', ?, 'whole', ?, ?, 0, ?, ?, ?)",
                [f"c-{i:02d}{side}", article, event, value, value, str(value), date(2025, 5, 2), quote, len(quote),
                 quote, NOW])
        fp = f"fp-{i:02d}"
        con.execute(
            "INSERT INTO contradictions (contradiction_id, event_id, attribute, kind, claim_a, claim_b, gap,"
            " relative_gap, severity, reason, fingerprint, detected_at) VALUES (?, ?, 'death_toll', 'conflict',"
            " ?, ?, 90, 0.9, 'high', 'the tolls do not overlap', ?, ?)",
            [f"x-{i:02d}", event, f"c-{i:02d}a", f"c-{i:02d}b", fp, NOW])
        fingerprints.append(fp)
    return fingerprints


def outbox(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, object]]:
    """Each alert's delivery state, keyed by the conflict's fingerprint (the name the seed gave it)."""
    cur = con.execute("SELECT conflict_fingerprint, status, attempts, possibly_duplicate, message_id, first_failed_at,"
                      " next_attempt_at, last_error, fingerprint FROM alerts ORDER BY conflict_fingerprint")
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}



def conflicts_of(con: duckdb.DuckDBPyConnection, alert_keys: Iterable[str | None]) -> list[str]:
    """The seeded conflicts' fingerprints for alert keys (alerts.fingerprint, as in the
    X-Newswatch-Fingerprint header), in the same order."""
    names = dict(con.execute("SELECT fingerprint, conflict_fingerprint FROM alerts").fetchall())
    return [names[k] for k in alert_keys]
