-- Conflict fingerprints that have no outbox row yet, oldest first.
-- Several contradiction rows (pairs) can share one fingerprint: one alert covers them all.
SELECT
    x.fingerprint,
    any_value(x.event_id)  AS event_id,
    any_value(x.attribute) AS attribute,
    min(x.detected_at)     AS first_detected_at
FROM contradictions x
WHERE x.kind = 'conflict'
  AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.fingerprint = x.fingerprint)
GROUP BY x.fingerprint
ORDER BY first_detected_at, x.fingerprint;
