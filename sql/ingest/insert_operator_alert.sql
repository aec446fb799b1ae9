-- Queue a message for operators once (the id is a hash of what it is about).
INSERT INTO operator_alerts (alert_id, kind, subject, body, created_at)
VALUES ($alert_id, $kind, $subject, $body, $created_at)
ON CONFLICT (alert_id) DO NOTHING;
