-- The schema files with this fingerprint were applied to the end.
INSERT INTO schema_state (fingerprint, applied_at) VALUES ($fingerprint, $applied_at)
