-- bench_scale: a generated store's contradictions were detected as the stream went, each when the
-- later of its two claims was extracted, not all at the moment the store was built (the analyst
-- copy cuts its parts by that time).
UPDATE contradictions SET detected_at = greatest(ca.extracted_at, cb.extracted_at)
FROM claims ca, claims cb
WHERE ca.claim_id = contradictions.claim_a AND cb.claim_id = contradictions.claim_b;
