"""Plain SMTP delivery for runs outside Airflow (inside Airflow the caller passes an SmtpHook sender)."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage

from pipelines.settings import Settings


def smtp_sender(settings: Settings) -> Callable[[EmailMessage], None]:
    """A ``send`` for ``send_pending``: one SMTP session per message to smtp_host:smtp_port.

    No TLS and no login: this is meant for a local sink or a relay on a trusted network.
    """
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.http_timeout

    def send(msg: EmailMessage) -> None:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.send_message(msg)

    return send
