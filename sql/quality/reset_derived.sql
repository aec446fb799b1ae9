-- Reprocess: staged and quarantined claims and contradictions are derived data and are recomputed.
DELETE FROM stg_contradictions;
DELETE FROM stg_claims;
DELETE FROM quarantine WHERE table_name IN ('claims', 'contradictions') AND released_at IS NULL;
