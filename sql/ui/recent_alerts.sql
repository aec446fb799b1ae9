-- Operator page: the latest alert emails and their delivery status.
-- Params: how many.
SELECT subject, status, attempts, last_error, created_at, sent_at, coalesce(possibly_duplicate, false) AS possibly_duplicate
FROM alerts
ORDER BY created_at DESC, fingerprint
LIMIT ?;
