"""Alert emails: an outbox of conflict fingerprints, rendered with Jinja2, sent over SMTP."""

from pipelines.alerts.outbox import MAX_ATTEMPTS, queue_alerts, send_pending
from pipelines.alerts.smtp import smtp_sender

__all__ = ["MAX_ATTEMPTS", "queue_alerts", "send_pending", "smtp_sender"]
