-- One failed delivery: count it, keep the error, give up after max_attempts.
-- Params: last_error, max_attempts, fingerprint.
UPDATE alerts
SET attempts   = attempts + 1,
    last_error = ?,
    status     = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END
WHERE fingerprint = ? AND status = 'pending';
