-- Alerts still to send, oldest first.
SELECT fingerprint, event_id, attribute, subject, body_text, body_html, recipients, attempts
FROM alerts
WHERE status = 'pending'
ORDER BY created_at, fingerprint;
