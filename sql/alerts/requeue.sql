-- `newswatch alerts retry`: undelivered alerts (all, or the fingerprints given) are due now, with a
-- fresh retry window. A sent or in-flight alert is left alone. Params: fingerprints (NULL = all).
UPDATE alerts
SET status = 'pending', next_attempt_at = NULL, first_failed_at = NULL, stuck_reported_at = NULL
WHERE status IN ('pending', 'failed')
  AND ($fingerprints IS NULL OR list_contains($fingerprints::VARCHAR[], fingerprint));
