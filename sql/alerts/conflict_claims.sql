-- Every claim on either side of a conflicting pair, with its value and outlet: the state each
-- conflict (event + attribute) is alerted in. Oldest pair first, so conflicts queue in the order
-- they were found; within a conflict, claims by value and outlet.
WITH conflict_pairs AS (
    SELECT fingerprint, event_id, attribute, claim_a, claim_b, detected_at
    FROM contradictions
    WHERE kind = 'conflict'
),
sides AS (
    SELECT fingerprint, event_id, attribute, claim_a AS claim_id, detected_at FROM conflict_pairs
    UNION ALL
    SELECT fingerprint, event_id, attribute, claim_b AS claim_id, detected_at FROM conflict_pairs
),
conflict_started AS (
    SELECT event_id, attribute, min(detected_at) AS first_detected_at
    FROM sides
    GROUP BY event_id, attribute
)
SELECT
    s.event_id, s.attribute, s.fingerprint, s.claim_id, c.article_id,
    c.value_low, c.value_high, c.value_text, a.publisher, a.published,
    cs.first_detected_at, min(s.detected_at) AS detected_at
FROM sides s
JOIN conflict_started cs USING (event_id, attribute)
JOIN claims c ON c.claim_id = s.claim_id
JOIN articles a ON a.article_id = c.article_id
GROUP BY ALL
ORDER BY cs.first_detected_at, s.event_id, s.attribute, detected_at, a.published NULLS LAST, s.claim_id;
