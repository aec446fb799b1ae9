-- The places each report about an event names, for the event's headline label
-- (pipelines/headlines.py): the events of this batch's claims (batch_claims), each report (an
-- article with a claim of the event, published or still staged) with its title, and one row per
-- place it mentions (entity_id NULL for a report naming none).
WITH touched AS (
    SELECT DISTINCT CAST(event_id AS VARCHAR) AS event_id
    FROM batch_claims
    WHERE event_id IS NOT NULL
),
reports AS (
    SELECT c.event_id, c.article_id FROM claims c JOIN touched USING (event_id)
    UNION
    SELECT s.event_id, s.article_id FROM stg_claims s JOIN touched USING (event_id)
),
places AS (
    SELECT ae.article_id, ae.entity_id, en.name, ae.mentions
    FROM article_entities ae
    JOIN entities en ON en.entity_id = ae.entity_id
    WHERE en.kind = 'place'
)
SELECT r.event_id, ev.story_type, ev.occurrence_date, r.article_id, a.title, p.entity_id, p.name, p.mentions
FROM reports r
JOIN events ev USING (event_id)
JOIN articles a ON a.article_id = r.article_id
LEFT JOIN places p ON p.article_id = r.article_id
ORDER BY r.event_id, r.article_id, p.entity_id;
