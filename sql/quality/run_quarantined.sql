-- Rows one quality run quarantined, with the expectations each failed.
-- Params: run_id.
SELECT table_name, row_key, failed_expectations
FROM quarantine
WHERE run_id = ?
ORDER BY table_name, row_key;
