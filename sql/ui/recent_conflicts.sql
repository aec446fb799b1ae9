-- Operator page: the latest conflicts, both sides, with where their alert stands.
-- Params: how many.
SELECT
    event_label, attribute, unit, severity, status, detected_at,
    a_value, a_low, a_high, a_publisher, a_url,
    b_value, b_low, b_high, b_publisher, b_url
FROM v_contradictions
WHERE kind = 'conflict'
ORDER BY detected_at DESC, contradiction_id
LIMIT ?;
