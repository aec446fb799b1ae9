-- Staged contradictions with the columns the contradictions suite reads, computed from the two
-- published claims (NULL bounds are unbounded).
SELECT x.contradiction_id AS row_key, x.contradiction_id, x.event_id, x.attribute, x.kind, x.severity,
       x.gap, x.relative_gap, x.fingerprint,
       ca.claim_id IS NOT NULL AND cb.claim_id IS NOT NULL AS claims_published,
       coalesce(ca.article_id <> cb.article_id, FALSE) AS distinct_articles,
       coalesce(ca.attribute = x.attribute AND cb.attribute = x.attribute, FALSE) AS same_attribute,
       coalesce(ca.event_id = x.event_id AND cb.event_id = x.event_id, FALSE) AS same_event,
       coalesce(coalesce(ca.value_high, 'infinity'::DOUBLE) < coalesce(cb.value_low, '-infinity'::DOUBLE)
                OR coalesce(cb.value_high, 'infinity'::DOUBLE) < coalesce(ca.value_low, '-infinity'::DOUBLE), FALSE)
           AS intervals_disjoint
FROM stg_contradictions x
LEFT JOIN claims ca ON ca.claim_id = x.claim_a
LEFT JOIN claims cb ON cb.claim_id = x.claim_b
ORDER BY x.contradiction_id;
