-- scripts/realdev_labels.py: every claim extracted (published or still staged) with its event's headline label.
WITH extracted AS (
    SELECT article_id, attribute, value_low, value_high, event_id FROM claims
    UNION ALL
    SELECT article_id, attribute, value_low, value_high, event_id FROM stg_claims
)
SELECT x.article_id, x.attribute, x.value_low, x.value_high, e.label
FROM extracted x
JOIN events e USING (event_id);
