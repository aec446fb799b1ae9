-- One line per contradiction, for the reprocess report.
SELECT x.contradiction_id, x.kind, x.attribute, coalesce(e.label, x.event_id) AS event,
       ca.value_text AS a_value, aa.publisher AS a_publisher, cb.value_text AS b_value, ab.publisher AS b_publisher
FROM contradictions x
JOIN claims ca ON ca.claim_id = x.claim_a
JOIN claims cb ON cb.claim_id = x.claim_b
JOIN articles aa ON aa.article_id = ca.article_id
JOIN articles ab ON ab.article_id = cb.article_id
LEFT JOIN events e ON e.event_id = x.event_id
ORDER BY event, x.attribute, x.kind;
