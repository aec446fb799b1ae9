-- Alerts due for delivery, oldest first: in-flight ones left by a crashed run (resent with their
-- own Message-ID), then pending ones whose back-off has passed.
-- Params: now.
SELECT fingerprint, event_id, attribute, subject, body_text, body_html, recipients, attempts, status,
       message_id
FROM alerts
WHERE status = 'sending'
   OR (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $now))
ORDER BY status = 'pending', created_at, fingerprint;
