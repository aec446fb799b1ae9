-- The latest alert about one conflict (event + attribute): what a follow-up compares with and threads to.
-- Params: event_id, attribute.
SELECT fingerprint, conflict_fingerprint, sides, thread_root, subject, status, created_at
FROM alerts
WHERE event_id = ? AND attribute = ?
ORDER BY created_at DESC, fingerprint DESC
LIMIT 1;
