"""Alert outbox: queue once per fingerprint, render safely, deliver over real SMTP, retry on failure."""

from __future__ import annotations

import email
import email.policy
import io
import json
import socket
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from pipelines.alerts import queue_alerts, send_pending, smtp_sender
from pipelines.alerts.chart import PNG_SIGNATURE, interval_chart
from pipelines.alerts.render import build_group, format_interval
from pipelines.db import connect
from pipelines.settings import Settings

EVENT = "ev-talks-0516"
ATTR = "prisoner_exchange.count_per_side"


# --- fixtures: a real DuckDB file and a real SMTP server on 127.0.0.1 ------------------------------


class Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def settings(tmp_path: Path, smtp_server) -> Settings:
    controller, _ = smtp_server
    return Settings(
        home=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        alert_from="alerts@newswatch.test",
        alert_to="desk@newswatch.test, second@newswatch.test",
        http_timeout=5.0,
        alert_backoff_base=0.0,  # a failed alert is due again at once; back-off has its own tests
    )


@pytest.fixture
def con(settings: Settings):
    c = connect(settings.database)
    yield c
    c.close()


# --- helpers writing rows directly, with bound parameters --------------------------------------------

NOW = datetime(2025, 5, 18, 12, 0, tzinfo=UTC)


def add_event(con, event_id=EVENT, label="Istanbul talks 2025-05-16"):
    con.execute(
        "INSERT INTO events (event_id, story_type, label, occurrence_date, created_at) VALUES (?, ?, ?, ?, ?)",
        [event_id, "negotiation", label, date(2025, 5, 16), NOW],
    )


def add_article(con, article_id, publisher, url, published):
    con.execute(
        "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, text, content_hash,"
        " fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [article_id, url, url, publisher, f"Report by {publisher}", published, "body", article_id, NOW],
    )


def add_claim(con, claim_id, article_id, low, high, value_text, quote, event_id=EVENT, attribute=ATTR):
    con.execute(
        "INSERT INTO claims (claim_id, article_id, event_id, attribute, kind, unit, value_low, value_high, hedge,"
        " value_text, scope, as_of, quote, quote_start, quote_end, sentence, extracted_at)"
        " VALUES (?, ?, ?, ?, 'fixed', 'people', ?, ?, 'exact', ?, 'per_side', ?, ?, 0, ?, ?, ?)",
        [claim_id, article_id, event_id, attribute, low, high, value_text, date(2025, 5, 16), quote, len(quote),
         quote, NOW],
    )


def add_contradiction(con, cid, a, b, fingerprint, reason, kind="conflict", event_id=EVENT, attribute=ATTR):
    con.execute(
        "INSERT INTO contradictions (contradiction_id, event_id, attribute, kind, claim_a, claim_b, gap,"
        " relative_gap, severity, reason, fingerprint, detected_at) VALUES (?, ?, ?, ?, ?, ?, 500, 0.5, 'high',"
        " ?, ?, ?)",
        [cid, event_id, attribute, kind, a, b, reason, fingerprint, NOW],
    )


QUOTE_A = "each side will hand over 500 captives, a negotiator said"
QUOTE_B = "the deal frees 1,000 detainees from either side"
URL_A = "https://outlet-a.example/news/swap"
URL_B = "https://outlet-b.example/world/talks-deal"


def seed_conflict(con, quote_a=QUOTE_A, quote_b=QUOTE_B):
    add_event(con)
    add_article(con, "art-a", "Outlet A", URL_A, datetime(2025, 5, 16, 18, 0, tzinfo=UTC))
    add_article(con, "art-b", "Outlet B", URL_B, datetime(2025, 5, 17, 7, 30, tzinfo=UTC))
    add_claim(con, "c-a", "art-a", 500, 500, "500", quote_a)
    add_claim(con, "c-b", "art-b", 1000, 1000, "1,000", quote_b)
    add_contradiction(con, "x-ab", "c-a", "c-b", "fp-1", "500 per side does not overlap 1,000 per side")


def seed_dam_conflict(con):
    """A second conflict, on another event, reported by the same two outlets (after seed_conflict)."""
    add_event(con, "ev-other", "Dam collapse 2025-06-01")
    add_claim(con, "d-a", "art-a", 12, 12, "12", "twelve people died", "ev-other", "death_toll")
    add_claim(con, "d-b", "art-b", 40, 40, "40", "forty people died", "ev-other", "death_toll")
    add_contradiction(con, "x-d", "d-a", "d-b", "fp-2", "12 vs 40", "conflict", "ev-other", "death_toll")


def outbox(con):
    """(conflict fingerprint, status, attempts, last error, sent at) per alert, in queueing order."""
    return con.execute(
        "SELECT conflict_fingerprint, status, attempts, last_error, sent_at FROM alerts ORDER BY created_at,"
        " conflict_fingerprint"
    ).fetchall()


def alert_key(con, conflict_fingerprint):
    return con.execute("SELECT fingerprint FROM alerts WHERE conflict_fingerprint = ? ORDER BY created_at DESC",
                       [conflict_fingerprint]).fetchone()[0]


def parts(msg: EmailMessage) -> tuple[str, str]:
    return (
        msg.get_body(preferencelist=("plain",)).get_content(),
        msg.get_body(preferencelist=("html",)).get_content(),
    )


# --- tests ---------------------------------------------------------------------------------------------


def test_one_conflict_is_queued_sent_once_and_never_again(con, settings, smtp_server):
    _, server = smtp_server
    seed_conflict(con)

    assert queue_alerts(con, settings) == 1
    assert outbox(con) == [("fp-1", "pending", 0, None, None)]

    stats = send_pending(con, settings, smtp_sender(settings))
    assert stats["emails"] == 1 and stats["sent"] == 1 and stats["pending"] == 0
    assert len(server.messages) == 1
    (fp, status, attempts, error, sent_at), = outbox(con)
    assert (fp, status, attempts, error) == ("fp-1", "sent", 1, None)  # the successful attempt counts
    assert sent_at is not None

    msg = server.messages[0]
    # The severity comes first: a desk reading subjects sorts by it.
    assert msg["Subject"] == (
        "[newswatch] Conflict (high severity): prisoner exchange per side \u2013 Istanbul talks 2025-05-16"
        " (500 vs 1,000)"
    )
    assert msg["From"] == "alerts@newswatch.test"
    assert server.envelopes[0][1] == ["desk@newswatch.test", "second@newswatch.test"]
    assert msg["X-Newswatch-Fingerprint"] == alert_key(con, "fp-1")
    assert msg["Message-ID"].endswith("@newswatch.test>")
    assert msg["In-Reply-To"] is None and msg["References"] is None  # a first alert starts a thread

    # A re-run queues nothing and sends nothing.
    assert queue_alerts(con, settings) == 0
    again = send_pending(con, settings, smtp_sender(settings))
    assert again["emails"] == 0 and again["sent"] == 0
    assert len(server.messages) == 1


def test_text_part_has_both_quotes_outlets_links_and_reason(con, settings, smtp_server):
    _, server = smtp_server
    seed_conflict(con)
    queue_alerts(con, settings)
    send_pending(con, settings, smtp_sender(settings))
    text, html = parts(server.messages[0])
    for needle in (QUOTE_A, QUOTE_B, "Outlet A", "Outlet B", URL_A, URL_B, "2025-05-16 18:00 UTC"):
        assert needle in text
    assert "CONFLICTS with [2]" in text and "CONFLICTS with [1]" in text
    # Why, as a sentence: the two readings side by side and how far apart they are.
    assert "[1] Outlet A vs [2] Outlet B: 500 people vs 1,000 people, 500 people apart (high severity)" in text
    assert "500 people vs 1,000 people" in html
    # Titles are the links; the raw URL is not the link text.
    assert f'<a href="{URL_A}">Report by Outlet A</a>' in html
    assert f'<a href="{URL_B}">Report by Outlet B</a>' in html
    assert f">{URL_A}<" not in html


def test_message_id_is_deterministic_per_fingerprint(tmp_path, con, settings):
    seed_conflict(con)
    queue_alerts(con, settings)
    got: list[EmailMessage] = []
    send_pending(con, settings, got.append)
    # A second database with the same conflict yields the same Message-ID: duplicates are recognisable.
    other = connect(tmp_path / "other.duckdb")
    seed_conflict(other)
    queue_alerts(other, settings)
    send_pending(other, settings, got.append)
    other.close()
    assert len(got) == 2
    assert got[0]["Message-ID"] == got[1]["Message-ID"]


def test_html_escapes_article_text_but_text_part_keeps_it(con, settings):
    nasty = "officials said <script>alert(1)</script> and <b>500</b> per side"
    seed_conflict(con, quote_a=nasty)
    queue_alerts(con, settings)
    got: list[EmailMessage] = []
    send_pending(con, settings, got.append)
    text, html = parts(got[0])
    assert "<script>" not in html and "<b>500</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;500&lt;/b&gt;" in html
    assert nasty in text
    stored_html, = con.execute("SELECT body_html FROM alerts").fetchone()
    assert "<script>" not in stored_html


def test_non_http_link_is_not_clickable(con, settings):
    add_event(con)
    add_article(con, "art-a", "Outlet A", "javascript:alert(1)", datetime(2025, 5, 16, tzinfo=UTC))
    add_article(con, "art-b", "Outlet B", URL_B, datetime(2025, 5, 17, tzinfo=UTC))
    add_claim(con, "c-a", "art-a", 500, 500, "500", QUOTE_A)
    add_claim(con, "c-b", "art-b", 1000, 1000, "1,000", QUOTE_B)
    add_contradiction(con, "x-ab", "c-a", "c-b", "fp-1", "no overlap")
    queue_alerts(con, settings)
    html, = con.execute("SELECT body_html FROM alerts").fetchone()
    assert 'href="javascript' not in html
    assert f'href="{URL_B}"' in html


def test_failed_delivery_stays_pending_and_a_later_run_sends_it(con, settings, smtp_server):
    _, server = smtp_server
    seed_conflict(con)
    queue_alerts(con, settings)

    def broken(msg: EmailMessage) -> None:
        raise ConnectionRefusedError("relay down")

    stats = send_pending(con, settings, broken)
    assert stats["errors"] == 1 and stats["sent"] == 0 and stats["pending"] == 1
    (_, status, attempts, error, sent_at), = outbox(con)
    assert (status, attempts, sent_at) == ("pending", 1, None)
    assert "relay down" in error

    stats = send_pending(con, settings, smtp_sender(settings))
    assert stats["sent"] == 1
    assert outbox(con)[0][1:3] == ("sent", 2)
    assert len(server.messages) == 1


def test_unreachable_smtp_server_counts_as_failed_attempt(con, tmp_path):
    closed = Settings(home=tmp_path, smtp_host="127.0.0.1", smtp_port=_free_port(), http_timeout=2.0)
    seed_conflict(con)
    queue_alerts(con, closed)
    stats = send_pending(con, closed, smtp_sender(closed))
    assert stats["errors"] == 1
    assert outbox(con)[0][1:3] == ("pending", 1)


def test_one_failure_does_not_block_the_others(con, settings):
    seed_conflict(con)
    add_event(con, "ev-other", "Dam collapse 2025-06-01")
    add_claim(con, "d-a", "art-a", 12, 12, "12", "twelve people died", "ev-other", "death_toll")
    add_claim(con, "d-b", "art-b", 40, 40, "40", "forty people died", "ev-other", "death_toll")
    add_contradiction(con, "x-d", "d-a", "d-b", "fp-2", "12 vs 40 on the same day", "conflict", "ev-other",
                      "death_toll")
    assert queue_alerts(con, settings) == 2
    sent: list[EmailMessage] = []

    def flaky(msg: EmailMessage) -> None:
        if msg["X-Newswatch-Fingerprint"] == alert_key(con, "fp-1"):
            raise TimeoutError("slow relay")
        sent.append(msg)

    stats = send_pending(con, settings, flaky)
    assert stats == {"emails": 1, "sent": 1, "resent": 0, "errors": 1, "stuck": 0, "pending": 1, "failed": 0}
    assert [m["X-Newswatch-Fingerprint"] for m in sent] == [alert_key(con, "fp-2")]
    assert sent[0]["Subject"] == "[newswatch] Conflict (high severity): death toll \u2013 Dam collapse 2025-06-01 (12 vs 40)"
    assert sorted(r[:2] for r in outbox(con)) == [("fp-1", "pending"), ("fp-2", "sent")]


def first_alert_sent(con, settings, server) -> EmailMessage:
    seed_conflict(con)
    queue_alerts(con, settings)
    send_pending(con, settings, smtp_sender(settings))
    assert len(server.messages) == 1
    return server.messages[0]


def test_new_conflicting_value_gives_an_update_threaded_to_the_first_email(con, settings, smtp_server):
    _, server = smtp_server
    first = first_alert_sent(con, settings, server)

    add_article(con, "art-c", "Outlet C", "https://outlet-c.example/a", datetime(2025, 5, 17, 10, tzinfo=UTC))
    add_claim(con, "c-c", "art-c", 750, 750, "750", "some 750 from each side would go home")
    # The detector gives the grown set of values a new fingerprint, on every pair of the conflict.
    con.execute("UPDATE contradictions SET fingerprint = 'fp-2'")
    add_contradiction(con, "x-ac", "c-a", "c-c", "fp-2", "500 vs 750")
    add_contradiction(con, "x-bc", "c-b", "c-c", "fp-2", "1,000 vs 750")

    assert queue_alerts(con, settings) == 1
    stats = send_pending(con, settings, smtp_sender(settings))
    assert stats["sent"] == 1
    assert [r[:2] for r in outbox(con)] == [("fp-1", "sent"), ("fp-2", "sent")]
    assert len(server.messages) == 2
    second = server.messages[1]
    assert second["X-Newswatch-Fingerprint"] == alert_key(con, "fp-2")
    assert second["Message-ID"] != first["Message-ID"]
    # Marked as an update, with every value, threaded to the first email.
    assert second["Subject"] == ("[newswatch] Update: conflict (high severity): prisoner exchange per side \u2013"
                                 " Istanbul talks 2025-05-16 (500 vs 1,000 vs 750)")
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]
    text, html = parts(second)
    assert "New value: 750 people, reported by Outlet C." in text
    assert "[3] Outlet C, 2025-05-17 10:00 UTC  (NEW)" in text
    assert "some 750 from each side would go home" in text
    # The pair alerted the first time is shown, marked as already reported.
    assert text.count("[reported before]") == 1
    assert "What changed since the last alert" in html and "New value: 750 people" in html
    assert '<span class="badge upd">Update</span>' in html and '<span class="badge new">new</span>' in html


def test_more_outlets_on_a_side_give_a_follow_up_and_a_repeat_by_a_counted_outlet_does_not(con, settings,
                                                                                            smtp_server):
    _, server = smtp_server
    first = first_alert_sent(con, settings, server)

    # Outlet B reports 1,000 again in a second article: the same outlet on the same side, no news.
    add_article(con, "art-b2", "Outlet B", URL_B + "-2", datetime(2025, 5, 17, 9, tzinfo=UTC))
    add_claim(con, "c-b2", "art-b2", 1000, 1000, "1,000", "1,000 per side, the ministry repeated")
    add_contradiction(con, "x-ab2", "c-a", "c-b2", "fp-1", "500 vs 1,000")
    assert queue_alerts(con, settings) == 0

    # Two more outlets say 1,000: the set of values is the same, one outlet now stands against three.
    for name in ("Outlet D", "Outlet E"):
        art = "art-" + name[-1].lower()
        add_article(con, art, name, f"https://{art}.example/x", datetime(2025, 5, 17, 11, tzinfo=UTC))
        add_claim(con, "c-" + art, art, 1000, 1000, "1,000", f"{name} says 1,000 each")
        add_contradiction(con, "x-a" + art, "c-a", "c-" + art, "fp-1", "500 vs 1,000")
    assert queue_alerts(con, settings) == 1
    send_pending(con, settings, smtp_sender(settings))
    assert len(server.messages) == 2
    follow_up = server.messages[1]
    assert follow_up["Subject"].startswith("[newswatch] Update: conflict (high severity): ")
    assert follow_up["In-Reply-To"] == first["Message-ID"]
    text, _ = parts(follow_up)
    assert "Outlet D and Outlet E now also report 1,000 people (3 independent outlets in all)." in text
    assert "  - 1,000 people: 3 independent outlets (Outlet B, Outlet D, Outlet E)" in text
    assert queue_alerts(con, settings) == 0  # and only once

    # A third follow-up still points at the first email and references the one before it.
    add_article(con, "art-f", "Outlet F", "https://f.example/x", datetime(2025, 5, 17, 12, tzinfo=UTC))
    add_claim(con, "c-f", "art-f", 500, 500, "500", "Outlet F: 500 from each side")
    add_contradiction(con, "x-bf", "c-b", "c-f", "fp-1", "1,000 vs 500")
    assert queue_alerts(con, settings) == 1
    send_pending(con, settings, smtp_sender(settings))
    third = server.messages[2]
    assert third["In-Reply-To"] == first["Message-ID"]
    assert third["References"].split() == [first["Message-ID"], follow_up["Message-ID"]]
    assert "Outlet F now also reports 500 people (2 independent outlets in all)." in parts(third)[0]


def test_updates_and_revisions_are_not_alerted(con, settings):
    add_event(con)
    add_article(con, "art-a", "Outlet A", URL_A, datetime(2025, 5, 16, tzinfo=UTC))
    add_article(con, "art-b", "Outlet B", URL_B, datetime(2025, 5, 17, tzinfo=UTC))
    add_claim(con, "c-a", "art-a", 10, 10, "10", "ten dead", attribute="death_toll")
    add_claim(con, "c-b", "art-b", 30, 30, "30", "thirty dead", attribute="death_toll")
    add_contradiction(con, "x-u", "c-a", "c-b", "fp-u", "later as_of", kind="update", attribute="death_toll")
    assert queue_alerts(con, settings) == 0
    assert outbox(con) == []


def test_digest_mode_sends_one_email_for_all_pending(con, settings, smtp_server):
    _, server = smtp_server
    digest = settings.model_copy(update={"alert_mode": "digest"})
    seed_conflict(con)
    seed_dam_conflict(con)

    assert queue_alerts(con, digest) == 2  # the outbox keeps one row per fingerprint
    stats = send_pending(con, digest, smtp_sender(digest))
    assert stats["emails"] == 1 and stats["sent"] == 2
    assert len(server.messages) == 1
    msg = server.messages[0]
    assert sorted(msg.get_all("X-Newswatch-Fingerprint")) == sorted([alert_key(con, "fp-1"), alert_key(con, "fp-2")])
    assert msg["Subject"].startswith("[newswatch] Digest: 2 conflicts (high severity at most): ")
    text, _ = parts(msg)
    for needle in (QUOTE_A, QUOTE_B, "twelve people died", "forty people died", "Dam collapse 2025-06-01"):
        assert needle in text
    assert [r[1] for r in outbox(con)] == ["sent", "sent"]
    assert send_pending(con, digest, smtp_sender(digest))["emails"] == 0


@pytest.mark.parametrize(
    ("low", "high", "unit", "expected"),
    [
        (1000, 1000, "people", "1,000 people"),
        (80, 90, "minutes", "80\u201390 minutes"),
        (None, 59, "minutes", "at most 59 minutes"),
        (1000, None, "", "at least 1,000"),
        (2.5, 2.5, "days", "2.5 days"),
        (None, None, "people", "unknown"),
    ],
)
def test_format_interval(low, high, unit, expected):
    assert format_interval(low, high, unit) == expected


# --- the chart: a PNG inline in the HTML part, once -----------------------------------------------------


def png_parts(msg: EmailMessage) -> tuple[list, list]:
    """(inline images referenced by Content-ID, attachments) of a received message."""
    inline, attached = [], []
    for part in msg.walk():
        if part.get_content_type() != "image/png":
            continue
        (attached if part.get_content_disposition() == "attachment" else inline).append(part)
    return inline, attached


def decode_png(data: bytes):
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    img.load()  # raises on a truncated or corrupt file
    return img


def test_alert_embeds_the_chart_once_in_the_html_at_the_size_it_was_drawn(con, settings, smtp_server):
    _, server = smtp_server
    seed_conflict(con)
    queue_alerts(con, settings)
    send_pending(con, settings, smtp_sender(settings))
    msg = server.messages[0]
    inline, attached = png_parts(msg)
    # One image part in all: not inline and attached again (twice the bytes for one picture).
    assert len(inline) == 1 and attached == []
    assert len([p for p in msg.walk() if p.get_content_maintype() == "image"]) == 1
    cid = inline[0]["Content-ID"].strip("<>")
    _, html = parts(msg)
    assert f'src="cid:{cid}"' in html
    # The image lives next to the HTML it illustrates, in one multipart/related.
    related = [p for p in msg.walk() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1
    assert [p.get_content_type() for p in related[0].iter_parts()] == ["text/html", "image/png"]
    png = inline[0].get_content()
    assert png.startswith(PNG_SIGNATURE)
    img = decode_png(png)
    assert img.format == "PNG" and img.size[0] >= 600 and img.size[1] >= 300
    # The HTML states the PNG's own size (scaled down on a phone, never stretched).
    assert f'width="{img.size[0]}" height="{img.size[1]}"' in html
    assert "max-width: 760px; height: auto" in html


def two_conflicts_sent_as_a_digest(con, settings, server) -> EmailMessage:
    digest = settings.model_copy(update={"alert_mode": "digest"})
    seed_conflict(con)
    seed_dam_conflict(con)
    queue_alerts(con, digest)
    send_pending(con, digest, smtp_sender(digest))
    (msg,) = server.messages
    return msg


def test_digest_carries_one_chart_per_conflict(con, settings, smtp_server):
    msg = two_conflicts_sent_as_a_digest(con, settings, smtp_server[1])
    inline, attached = png_parts(msg)
    assert len(inline) == 2 and attached == []
    _, html = parts(msg)
    for part in inline:
        assert f'src="cid:{part["Content-ID"].strip("<>")}"' in html
    assert len({p.get_content() for p in inline}) == 2  # each conflict has its own picture


def _group_with(values: list[tuple[float | None, float | None]]):
    claims = [
        {"claim_id": f"c{i}", "publisher": f"Outlet {i}", "value_text": "x", "value_low": lo, "value_high": hi,
         "unit": "minutes", "quote": "q", "url": "", "published": datetime(2025, 5, 16, 10 + i, tzinfo=UTC)}
        for i, (lo, hi) in enumerate(values)
    ]
    pairs = [{"claim_a": "c0", "claim_b": "c1", "reason": "no overlap", "severity": "high", "is_new": True}]
    return build_group("fp", "ev", "Talks", "talks.duration_minutes", claims, pairs)


def test_chart_draws_open_bounds_and_differs_from_closed_ones():
    closed = decode_png(interval_chart(_group_with([(50, 59), (121, 130), (90, 90)])))
    opened = decode_png(interval_chart(_group_with([(None, 59), (121, None), (90, 90)])))
    assert closed.size == opened.size
    assert closed.tobytes() != opened.tobytes()


def test_script_and_html_in_an_article_reach_the_email_escaped(con, settings, smtp_server):
    _, server = smtp_server
    add_event(con, label="Talks <i>in</i> Istanbul")
    add_article(con, "art-a", "<script>steal()</script>Outlet A", URL_A, datetime(2025, 5, 16, tzinfo=UTC))
    add_article(con, "art-b", "Outlet B", URL_B + '?q="><img src=x onerror=alert(2)>', datetime(2025, 5, 17, tzinfo=UTC))
    add_claim(con, "c-a", "art-a", 500, 500, "<b>500</b>", 'they said <script>alert(1)</script> 500 "each"')
    add_claim(con, "c-b", "art-b", 1000, 1000, "1,000", QUOTE_B)
    add_contradiction(con, "x-ab", "c-a", "c-b", "fp-1", "<em>no</em> overlap")
    queue_alerts(con, settings)
    send_pending(con, settings, smtp_sender(settings))
    _, html = parts(server.messages[0])
    for raw in ("<script>", "<b>500</b>", "<img src=x", "<i>in</i>"):
        assert raw not in html, raw
    for escaped in ("&lt;script&gt;steal()&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
                    "&lt;b&gt;500&lt;/b&gt;", "&lt;i&gt;in&lt;/i&gt;"):
        assert escaped in html, escaped
    assert 'onerror=alert(2)>"' not in html


def test_digest_marks_updates_and_references_their_first_email(con, settings, smtp_server):
    _, server = smtp_server
    digest = settings.model_copy(update={"alert_mode": "digest"})
    seed_conflict(con)
    queue_alerts(con, digest)
    send_pending(con, digest, smtp_sender(digest))
    first = server.messages[0]
    # Next run: one more outlet on the 1,000 side, and a new conflict elsewhere, in one digest.
    add_article(con, "art-d", "Outlet D", "https://d.example/x", datetime(2025, 5, 17, 11, tzinfo=UTC))
    add_claim(con, "c-d", "art-d", 1000, 1000, "1,000", "Outlet D says 1,000 each")
    add_contradiction(con, "x-ad", "c-a", "c-d", "fp-1", "500 vs 1,000")
    seed_dam_conflict(con)
    assert queue_alerts(con, digest) == 2
    send_pending(con, digest, smtp_sender(digest))
    msg = server.messages[1]
    assert msg["Subject"].startswith("[newswatch] Digest: 2 conflicts, 1 of them updates (high severity at most): ")
    # It carries a new conflict too, so it replies to no thread, but references the update's first email.
    assert msg["In-Reply-To"] is None
    assert msg["References"] == first["Message-ID"]
    text, html = parts(msg)
    assert "UPDATE: prisoner exchange per side" in text
    assert "Outlet D now also reports 1,000 people (2 independent outlets in all)." in text
    assert "    title:  Report by Outlet D\n    link:   https://d.example/x" in text.replace("\r\n", "\n")
    assert html.count('<span class="badge upd">Update</span>') == 1


def add_outlet_on_side(con, name, value=1000, text="1,000"):
    """One more outlet reporting ``value`` against Outlet A's 500."""
    art = "art-" + name[-1].lower()
    add_article(con, art, name, f"https://{art}.example/x", datetime(2025, 5, 17, 11, tzinfo=UTC))
    add_claim(con, "c-" + art, art, value, value, text, f"{name} says {text} each")
    add_contradiction(con, "x-a" + art, "c-a", "c-" + art, "fp-1", f"500 vs {text}")


def test_a_follow_up_replies_to_the_digest_that_carried_the_first_alert(con, settings, smtp_server):
    # The reader received the first alert inside a digest: the follow-up must thread to that email.
    _, server = smtp_server
    first = two_conflicts_sent_as_a_digest(con, settings, server)
    # One column holds the Message-ID: the one the email carrying the alert went out with.
    assert con.execute("SELECT DISTINCT message_id FROM alerts").fetchall() == [(first["Message-ID"],)]

    add_outlet_on_side(con, "Outlet D")
    assert queue_alerts(con, settings) == 1
    send_pending(con, settings, smtp_sender(settings))
    follow_up = server.messages[1]
    assert follow_up["In-Reply-To"] == first["Message-ID"] and follow_up["References"] == first["Message-ID"]
    assert follow_up["Subject"].startswith("[newswatch] Update: conflict (high severity): prisoner exchange")


def test_a_follow_up_in_flight_at_a_crash_is_resent_once_with_the_same_headers(con, settings, smtp_server):
    class Crash(BaseException):
        """The process dying right after the server accepted the message."""

    _, server = smtp_server
    first = first_alert_sent(con, settings, server)
    add_outlet_on_side(con, "Outlet D")
    queue_alerts(con, settings)
    deliver = smtp_sender(settings)

    def crash_after_sending(msg: EmailMessage) -> None:
        deliver(msg)
        raise Crash

    with pytest.raises(Crash):
        send_pending(con, settings, crash_after_sending)
    assert len(server.messages) == 2
    stats = send_pending(con, settings, deliver)  # the next run
    assert (stats["sent"], stats["resent"]) == (1, 1)
    assert send_pending(con, settings, deliver)["emails"] == 0
    accepted, resent = server.messages[1:]
    assert len(server.messages) == 3  # the one copy a crash after acceptance can cost, no more
    for header in ("Message-ID", "In-Reply-To", "References", "Subject"):
        assert resent[header] == accepted[header], header
    assert resent["In-Reply-To"] == first["Message-ID"] and resent["X-Newswatch-Possibly-Duplicate"] == "yes"


def test_nothing_changed_sends_no_follow_up_across_runs(con, settings, smtp_server):
    _, server = smtp_server
    first_alert_sent(con, settings, server)
    # detection runs again and finds the same pair: same values, same outlets
    for _ in range(3):
        assert queue_alerts(con, settings) == 0
        assert send_pending(con, settings, smtp_sender(settings))["emails"] == 0
    assert len(server.messages) == 1


def test_each_alert_says_how_many_independent_outlets_report_each_side(con, settings, smtp_server):
    _, server = smtp_server
    seed_conflict(con)
    # 1,000: Outlet B twice (once under another spelling of its name: one source, as detection
    # counts it) and Outlet D; 500: Outlet A alone.
    add_article(con, "art-b2", "outlet b ", URL_B + "-2", datetime(2025, 5, 17, 9, tzinfo=UTC))
    add_claim(con, "c-b2", "art-b2", 1000, 1000, "1,000", "1,000 per side, the ministry repeated")
    add_contradiction(con, "x-ab2", "c-a", "c-b2", "fp-1", "500 vs 1,000")
    add_outlet_on_side(con, "Outlet D")
    queue_alerts(con, settings)
    send_pending(con, settings, smtp_sender(settings))
    (msg,) = server.messages
    text, html = parts(msg)
    assert "  - 500 people: 1 outlet (Outlet A)" in text
    assert "  - 1,000 people: 2 independent outlets (Outlet B, Outlet D)" in text
    assert "<strong>500 people</strong>: 1 outlet" in html
    assert "<strong>1,000 people</strong>: 2 independent outlets" in html
    # the follow-up logic counts the same way: the second Outlet B report is no new outlet
    sides = json.loads(con.execute("SELECT sides FROM alerts").fetchone()[0])
    assert [s["outlets"] for s in sides] == [["Outlet A"], ["Outlet B", "Outlet D"]]
