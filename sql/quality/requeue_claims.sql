-- A released claim (registered frame quality_requeue, one row) is staged again.
INSERT INTO stg_claims BY NAME SELECT * FROM quality_requeue
ON CONFLICT (claim_id) DO NOTHING;
