"""Alert emails: an outbox of conflict fingerprints, rendered with Jinja2, sent over SMTP."""

from pipelines.alerts.outbox import queue_alerts, requeue, send_pending, undelivered
from pipelines.alerts.smtp import smtp_sender

__all__ = ["queue_alerts", "requeue", "send_pending", "smtp_sender", "undelivered"]
