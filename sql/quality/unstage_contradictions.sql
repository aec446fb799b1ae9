-- Checked contradictions leave staging (published or quarantined).
DELETE FROM stg_contradictions
WHERE contradiction_id IN (SELECT row_key FROM quality_passing UNION ALL SELECT row_key FROM quality_failing);
