-- Passing staged claims (registered frame quality_passing) into claims. A claim already published
-- keeps its row: ids are content hashes, so the same id is the same claim.
INSERT INTO claims BY NAME
SELECT s.* EXCLUDE (staged_at)
FROM stg_claims s
WHERE s.claim_id IN (SELECT row_key FROM quality_passing)
ON CONFLICT (claim_id) DO NOTHING;
