-- The SMTP server accepted the message: its own transaction, right away. Only an in-flight row
-- changes, so a sent alert stays sent.
-- Params: sent_at, fingerprints.
UPDATE alerts
SET status = 'sent', sent_at = $sent_at, sending_since = NULL, next_attempt_at = NULL, last_error = NULL
WHERE list_contains($fingerprints::VARCHAR[], fingerprint) AND status = 'sending';
