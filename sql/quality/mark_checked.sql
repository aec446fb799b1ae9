-- Rows of a table checked in place that this run saw (registered frame quality_seen: key and
-- fingerprint of every checked row, passing or failing): not checked again until they change.
INSERT INTO quality_checked (table_name, row_key, fingerprint, run_id, checked_at)
SELECT $table_name, row_key, fingerprint, $run_id, $now
FROM quality_seen
ON CONFLICT (table_name, row_key) DO UPDATE SET
    fingerprint = excluded.fingerprint, run_id = excluded.run_id, checked_at = excluded.checked_at;
