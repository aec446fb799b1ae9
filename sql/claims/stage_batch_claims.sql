-- A batch of freshly extracted claims (batch_claims) waits in staging until the claims suite has
-- checked it. Casts keep the types when a batch has no value at all in a column.
INSERT INTO stg_claims (
    claim_id, article_id, event_id, attribute, kind, unit, value_low, value_high, hedge, value_text,
    scope, as_of, source_entity, quote, quote_start, quote_end, sentence, extracted_at,
    confidence, confidence_reasons, area, area_place, event_part
)
SELECT DISTINCT ON (claim_id)
    claim_id, article_id, CAST(event_id AS VARCHAR), attribute, kind, unit,
    CAST(value_low AS DOUBLE), CAST(value_high AS DOUBLE), hedge, value_text, scope,
    CAST(as_of AS DATE), CAST(source_entity AS VARCHAR), quote,
    CAST(quote_start AS INTEGER), CAST(quote_end AS INTEGER), sentence, CAST(extracted_at AS TIMESTAMPTZ),
    CAST(confidence AS DOUBLE), CAST(confidence_reasons AS VARCHAR[]),
    CAST(area AS VARCHAR), CAST(area_place AS VARCHAR), CAST(event_part AS BOOLEAN)
FROM batch_claims
ON CONFLICT (claim_id) DO NOTHING;
