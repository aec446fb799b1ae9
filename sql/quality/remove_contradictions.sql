-- A published contradiction that fails its suite leaves contradictions; its copy is in quarantine.
DELETE FROM contradictions WHERE contradiction_id IN (SELECT row_key FROM quality_failing);
