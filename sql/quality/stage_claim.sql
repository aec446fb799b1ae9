-- A freshly extracted claim waits in staging until the claims suite has checked it.
INSERT INTO stg_claims (
    claim_id, article_id, event_id, attribute, kind, unit, value_low, value_high, hedge, value_text,
    scope, as_of, source_entity, quote, quote_start, quote_end, sentence, extracted_at,
    confidence, confidence_reasons
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (claim_id) DO NOTHING;
