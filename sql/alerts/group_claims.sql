-- Every reported value for one event and attribute, with its outlet and link, in publication order.
-- Params: event_id, attribute.
SELECT
    c.claim_id, c.article_id, c.value_low, c.value_high, c.value_text, c.unit, c.hedge,
    c.scope, c.as_of, c.quote, c.source_entity,
    a.publisher, a.url, a.title, a.published,
    strftime(a.published AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS published_utc,
    coalesce(src.name, c.source_entity) AS source_name  -- a name, or the article's words for the source
FROM claims c
JOIN articles a USING (article_id)
LEFT JOIN entities src ON src.entity_id = c.source_entity
WHERE c.event_id = ? AND c.attribute = ?
ORDER BY a.published NULLS LAST, c.article_id, c.quote_start, c.claim_id;
