"""The SMTP mail sink on 127.0.0.1: messages sent with smtplib land as parseable .eml files."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from pipelines.mailsink import list_messages, message_file_name, read_message, save_message, start_mail_sink


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    folder = tmp_path / "mail"
    controller = start_mail_sink(folder, "127.0.0.1", 0)
    try:
        yield folder, controller.port
    finally:
        controller.stop()


def _message(subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "newswatch@example.com"
    msg["To"] = "analysts@example.com"
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def test_message_sent_with_smtplib_is_stored_as_eml(sink):
    folder, port = sink
    msg = _message("Conflict: prisoner swap per side 500 vs 1,000", "Bosphorus Ledger says 500 from each side.")
    msg.add_alternative("<p>Bosphorus Ledger says <b>500</b> from each side.</p>", subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(msg, to_addrs=["analysts@example.com", "hidden@example.com"])
    files = list_messages(folder)
    assert len(files) == 1
    stored = read_message(files[0])
    assert stored["Subject"] == "Conflict: prisoner swap per side 500 vs 1,000"
    assert stored["To"] == "analysts@example.com"
    assert "500 from each side" in stored.get_body(("plain",)).get_content()
    assert "<b>500</b>" in stored.get_body(("html",)).get_content()
    assert stored["X-Mailsink-Mail-From"] == "newswatch@example.com"
    assert "hidden@example.com" in stored["X-Mailsink-Rcpt-To"]
    assert not [p for p in folder.iterdir() if p.suffix != ".eml"]


def test_messages_sort_in_arrival_order_and_keep_unicode(sink):
    folder, port = sink
    subjects = ["first: Dolmabahçe", "second: Київ", "third"]
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        for subject in subjects:
            smtp.send_message(_message(subject, f"body of {subject}"))
    stored = [read_message(p) for p in list_messages(folder)]
    assert [m["Subject"] for m in stored] == subjects
    assert stored[1].get_content().strip() == "body of second: Київ"


def test_file_names_are_sortable_and_safe():
    t1 = datetime(2025, 5, 16, 12, 0, 0, 1, tzinfo=UTC)
    t2 = datetime(2025, 5, 16, 12, 0, 0, 2, tzinfo=UTC)
    evil = "<../../etc/passwd\r\nX: y@example.com>"
    n1 = message_file_name(t1, b"b", evil)
    n2 = message_file_name(t2, b"a", None)
    assert n1 < n2
    for name in (n1, n2):
        assert name.endswith(".eml") and "/" not in name and "\\" not in name
        assert not name.startswith(".") and "\r" not in name and "\n" not in name
    assert message_file_name(t1, b"x", None) != message_file_name(t1, b"y", None)


def test_save_message_keeps_envelope_out_of_header_injection(tmp_path: Path):
    content = _message("hello", "body").as_bytes()
    path = save_message(tmp_path, content, "a@example.com\r\nBcc: evil@example.com", ["b@example.com"])
    stored = read_message(path)
    assert stored["Bcc"] is None
    assert stored["Subject"] == "hello"
    assert list_messages(tmp_path) == [path]
