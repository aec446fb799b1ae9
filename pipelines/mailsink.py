"""A local SMTP server that keeps every message it receives as an ``.eml`` file.

It stands in for a mail relay in the embedded setup and in tests: alerts can be read back from the
folder. File names start with the UTC receive time, so a plain sort lists them in arrival order.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import os
import re
import signal
import socket
import tempfile
import threading
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from pipelines.settings import Settings

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _header_value(value: str) -> str:
    # Envelope addresses come from the client; a CR or LF would let it inject headers.
    return value.replace("\r", " ").replace("\n", " ")


def message_file_name(received: datetime, content: bytes, message_id: str | None) -> str:
    """``<UTC time to the microsecond>-<safe id>.eml``: sortable by time, unique, safe on any filesystem."""
    stamp = received.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    digest = hashlib.sha256(content).hexdigest()[:12]
    local = _UNSAFE.sub("_", (message_id or "").strip("<> ").split("@", 1)[0])[:40].strip("._-")
    return f"{stamp}-{local + '-' if local else ''}{digest}.eml"


def save_message(folder: Path, content: bytes, mail_from: str, rcpt_tos: list[str],
                 received: datetime | None = None) -> Path:
    """Write one message to ``folder`` atomically (temp file, fsync, rename) and return its path.

    The SMTP envelope is kept as ``X-Mailsink-*`` headers, because Bcc recipients appear nowhere else.
    """
    folder.mkdir(parents=True, exist_ok=True)
    received = received or datetime.now(UTC)
    parsed = email.message_from_bytes(content, policy=email.policy.default)
    name = message_file_name(received, content, parsed.get("Message-ID"))
    envelope = (
        f"X-Mailsink-Mail-From: {_header_value(mail_from)}\r\n"
        f"X-Mailsink-Rcpt-To: {_header_value(', '.join(rcpt_tos))}\r\n"
        f"X-Mailsink-Received: {received.astimezone(UTC).isoformat()}\r\n"
    ).encode()
    # The temporary name does not end in .eml, so a reader globbing *.eml never sees a partial file.
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(envelope + content)
            fh.flush()
            os.fsync(fh.fileno())
        path = folder / name
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class EmlFolderHandler:
    """aiosmtpd handler: every accepted message becomes one file in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        try:
            path = save_message(self.folder, content, str(envelope.mail_from or ""), list(envelope.rcpt_tos))
        except OSError:
            log.exception("mail sink could not store a message")
            return "451 Requested action aborted: local error in processing"
        log.info("mail sink stored %s (%d bytes, to %s)", path.name, len(content), ", ".join(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    # aiosmtpd's Controller checks readiness by connecting to its configured port, so it cannot
    # be given port 0; ask the OS for a free one first.
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def start_mail_sink(folder: Path, host: str = "127.0.0.1", port: int = 0) -> Controller:
    """Start the sink in a background thread; ``port=0`` picks a free port (read ``controller.port``).

    Stop it with ``controller.stop()``.
    """
    attempts = 3 if port == 0 else 1
    for attempt in range(attempts):
        controller = Controller(EmlFolderHandler(folder), hostname=host, port=port or _free_port(host))
        try:
            controller.start()
            return controller
        except (OSError, RuntimeError):
            # Another process can take the free port between the probe and the bind.
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def list_messages(folder: Path) -> list[Path]:
    """The stored messages, oldest first."""
    return sorted(Path(folder).glob("*.eml"))


def read_message(path: Path) -> EmailMessage:
    """Parse a stored ``.eml`` (modern policy: ``msg['Subject']`` is decoded, ``get_body()`` works)."""
    # With the default policy the parser builds EmailMessage objects; the stub types say Message.
    return cast(EmailMessage, email.message_from_bytes(Path(path).read_bytes(), policy=email.policy.default))


def run_mail_sink(settings: Settings) -> None:
    """Entry point of ``newswatch mail-sink``: serve until interrupted (Ctrl-C or SIGTERM)."""
    folder = settings.mail_folder
    controller = start_mail_sink(folder, settings.smtp_host, settings.smtp_port)
    stop = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    print(f"mail sink: smtp://{settings.smtp_host}:{controller.port} -> {folder.resolve()}", flush=True)
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
        signal.signal(signal.SIGTERM, previous)
