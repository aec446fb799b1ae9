-- Quarantined rows not yet released, newest first (for the report and `newswatch quarantine`).
SELECT quarantine_id, table_name, row_key, reason, failed_expectations, run_id, quarantined_at,
       CAST(row_json AS VARCHAR) AS row_json
FROM quarantine
WHERE released_at IS NULL
ORDER BY quarantined_at DESC, table_name, row_key
LIMIT $limit;
