-- Alerts not delivered yet (or, with all_rows, every alert), oldest first: what
-- `newswatch alerts list` shows. Params: all_rows, limit.
SELECT fingerprint, status, attempts, possibly_duplicate, created_at, first_failed_at, next_attempt_at,
       sent_at, last_error, subject
FROM alerts
WHERE $all_rows OR status <> 'sent'
ORDER BY created_at, fingerprint
LIMIT $limit;
