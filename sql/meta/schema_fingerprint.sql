-- The fingerprint of the schema last applied to this file (none on a new file).
SELECT fingerprint
FROM schema_state
ORDER BY applied_at DESC
LIMIT 1
