-- Checked claims leave staging (published or quarantined).
DELETE FROM stg_claims
WHERE claim_id IN (SELECT row_key FROM quality_passing UNION ALL SELECT row_key FROM quality_failing);
