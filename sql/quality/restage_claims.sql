-- Audit (`validate --all`): published claims go through the claims suite again.
INSERT INTO stg_claims BY NAME SELECT * EXCLUDE (detected_at) FROM claims ON CONFLICT (claim_id) DO NOTHING;
