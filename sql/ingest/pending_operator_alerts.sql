-- Operator messages not sent yet, oldest first.
SELECT alert_id, kind, subject, body, created_at
FROM operator_alerts
WHERE sent_at IS NULL
ORDER BY created_at, alert_id;
