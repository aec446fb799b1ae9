-- Alerts operators have not been told about yet that failed at least min_attempts deliveries (or
-- were given up). Params: min_attempts.
SELECT fingerprint, status, attempts, first_failed_at, next_attempt_at, last_error, subject
FROM alerts
WHERE status IN ('pending', 'failed') AND first_failed_at IS NOT NULL
  AND (attempts >= $min_attempts OR status = 'failed')
  AND stuck_reported_at IS NULL
ORDER BY created_at, fingerprint;
