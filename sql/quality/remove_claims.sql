-- A published claim that fails an audit (`validate --all`) leaves claims; its copy is in quarantine.
DELETE FROM claims WHERE claim_id IN (SELECT row_key FROM quality_failing);
