-- A failed delivery: keep the error and try again after an exponential back-off (base doubling per
-- attempt, capped); give up ('failed') once the first failure is older than the retry window.
-- `newswatch alerts retry` brings a failed alert back.
-- Params: now, last_error, backoff_base_s, backoff_max_s, retry_window_s, fingerprints.
WITH failing AS (
    SELECT fingerprint, coalesce(first_failed_at, $now) AS first_failed, greatest(coalesce(attempts, 1), 1) AS n
    FROM alerts
    WHERE list_contains($fingerprints::VARCHAR[], fingerprint) AND status = 'sending'
)
UPDATE alerts
SET status          = CASE WHEN $now - f.first_failed >= to_seconds($retry_window_s::DOUBLE)
                           THEN 'failed' ELSE 'pending' END,
    last_error      = $last_error,
    sending_since   = NULL,
    first_failed_at = f.first_failed,
    next_attempt_at = $now + to_seconds(least($backoff_base_s * pow(2, least(f.n - 1, 30)), $backoff_max_s)::DOUBLE)
FROM failing f
WHERE alerts.fingerprint = f.fingerprint;
