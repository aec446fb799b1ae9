-- Analyst views: stable names over the tables. Re-created on every connect; their column comments
-- live in 95_comments.sql, which runs after this file (a re-created view loses its comments).

-- Every extracted figure with its article, outlet, event and the names of the entities involved.
CREATE OR REPLACE VIEW v_claims AS
SELECT
    c.claim_id, c.event_id, e.label AS event_label, c.attribute, c.kind, c.unit,
    c.value_low, c.value_high, c.hedge, c.value_text, c.scope, c.as_of,
    c.source_entity, c.quote, c.quote_start, c.quote_end,
    c.confidence, c.confidence_reasons,
    a.article_id, a.publisher, a.title, a.url, a.published,
    -- the quoted source by name when the resolver knew it, else the id extraction made up
    coalesce(src.name, c.source_entity) AS source_name,
    e.story_type,
    coalesce(loc.name, e.location) AS event_location,
    (SELECT list(en.name ORDER BY ae.mentions DESC, en.name)
       FROM article_entities ae JOIN entities en USING (entity_id)
      WHERE ae.article_id = c.article_id) AS article_entities,
    c.sentence,
    c.extracted_at
FROM claims c
JOIN articles a USING (article_id)
LEFT JOIN events e USING (event_id)
LEFT JOIN entities src ON src.entity_id = c.source_entity
LEFT JOIN entities loc ON loc.entity_id = e.location;

-- Both sides of every contradiction, with quotes, gap, severity and where its alert stands.
CREATE OR REPLACE VIEW v_contradictions AS
SELECT
    x.contradiction_id, x.kind, x.severity, x.event_id, ev.label AS event_label, x.attribute,
    x.gap, x.relative_gap, x.reason, x.fingerprint, x.detected_at,
    ca.value_text AS a_value, ca.value_low AS a_low, ca.value_high AS a_high, ca.quote AS a_quote,
    aa.publisher AS a_publisher, aa.url AS a_url, aa.published AS a_published,
    cb.value_text AS b_value, cb.value_low AS b_low, cb.value_high AS b_high, cb.quote AS b_quote,
    ab.publisher AS b_publisher, ab.url AS b_url, ab.published AS b_published,
    al.status AS alert_status, al.sent_at AS alert_sent_at,
    -- one word for the whole lifecycle, so analysts need not know the outbox's rules
    CASE
        WHEN x.kind <> 'conflict' THEN 'not alerted'
        WHEN al.status IS NULL THEN 'new'
        WHEN al.status = 'sent' THEN 'alerted'
        ELSE 'alert ' || al.status
    END AS status,
    x.claim_a, x.claim_b, ca.unit, ca.as_of AS a_as_of, cb.as_of AS b_as_of,
    coalesce(sa.name, ca.source_entity) AS a_source, coalesce(sb.name, cb.source_entity) AS b_source
FROM contradictions x
JOIN claims ca ON ca.claim_id = x.claim_a
JOIN claims cb ON cb.claim_id = x.claim_b
JOIN articles aa ON aa.article_id = ca.article_id
JOIN articles ab ON ab.article_id = cb.article_id
LEFT JOIN events ev ON ev.event_id = x.event_id
-- the latest alert about this set of values (a follow-up for a new outlet keeps the set)
LEFT JOIN (
    SELECT coalesce(conflict_fingerprint, fingerprint) AS conflict_fingerprint,
           arg_max(status, created_at) AS status, arg_max(sent_at, created_at) AS sent_at
    FROM alerts
    GROUP BY 1
) al ON al.conflict_fingerprint = x.fingerprint
LEFT JOIN entities sa ON sa.entity_id = ca.source_entity
LEFT JOIN entities sb ON sb.entity_id = cb.source_entity;

-- Every reported value per event and attribute, in the order the outlets published them: how a
-- story's figures moved, and which reports are caught in a conflict.
CREATE OR REPLACE VIEW v_event_timeline AS
WITH reports AS (
    SELECT
        c.event_id, e.label AS event_label, e.story_type, e.occurrence_date,
        c.attribute, c.kind, c.unit,
        coalesce(a.published, a.fetched_at) AS reported_at,
        c.as_of, a.publisher, c.value_text, c.value_low, c.value_high, c.hedge, c.scope,
        c.quote, a.url, c.claim_id, c.article_id,
        (SELECT count(*) FROM contradictions x
          WHERE x.kind = 'conflict' AND (x.claim_a = c.claim_id OR x.claim_b = c.claim_id)) AS conflicts
    FROM claims c
    JOIN articles a USING (article_id)
    JOIN events e USING (event_id)
)
SELECT
    event_id, event_label, story_type, occurrence_date, attribute, kind, unit,
    row_number() OVER w AS report_no,
    reported_at, as_of, publisher, value_text, value_low, value_high, hedge, scope,
    lag(value_low) OVER w AS prev_low,
    lag(value_high) OVER w AS prev_high,
    conflicts > 0 AS in_conflict,
    conflicts,
    quote, url, claim_id, article_id
FROM reports
WINDOW w AS (PARTITION BY event_id, attribute ORDER BY reported_at, article_id, claim_id);
