SELECT quarantine_id, table_name, row_key, CAST(row_json AS VARCHAR) AS row_json, released_at
FROM quarantine
WHERE quarantine_id = ?;
