-- Analyst views: stable names over the tables. Re-created on every connect.

CREATE OR REPLACE VIEW v_claims AS
SELECT
    c.claim_id, c.event_id, e.label AS event_label, c.attribute, c.kind, c.unit,
    c.value_low, c.value_high, c.hedge, c.value_text, c.scope, c.as_of,
    c.source_entity, c.quote, c.quote_start, c.quote_end,
    a.article_id, a.publisher, a.title, a.url, a.published
FROM claims c
JOIN articles a USING (article_id)
LEFT JOIN events e USING (event_id);

CREATE OR REPLACE VIEW v_contradictions AS
SELECT
    x.contradiction_id, x.kind, x.severity, x.event_id, ev.label AS event_label, x.attribute,
    x.gap, x.relative_gap, x.reason, x.fingerprint, x.detected_at,
    ca.value_text AS a_value, ca.value_low AS a_low, ca.value_high AS a_high, ca.quote AS a_quote,
    aa.publisher AS a_publisher, aa.url AS a_url, aa.published AS a_published,
    cb.value_text AS b_value, cb.value_low AS b_low, cb.value_high AS b_high, cb.quote AS b_quote,
    ab.publisher AS b_publisher, ab.url AS b_url, ab.published AS b_published,
    al.status AS alert_status, al.sent_at AS alert_sent_at
FROM contradictions x
JOIN claims ca ON ca.claim_id = x.claim_a
JOIN claims cb ON cb.claim_id = x.claim_b
JOIN articles aa ON aa.article_id = ca.article_id
JOIN articles ab ON ab.article_id = cb.article_id
LEFT JOIN events ev ON ev.event_id = x.event_id
LEFT JOIN alerts al ON al.fingerprint = x.fingerprint;
