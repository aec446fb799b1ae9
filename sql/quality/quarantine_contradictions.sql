-- Failing rows of stg_contradictions (registered frame quality_failing) into quarantine, with the failed
-- expectations and the full row as JSON. One quarantine row per contradictions row: failing again re-opens it.
INSERT INTO quarantine (quarantine_id, table_name, row_key, reason, row_json, quarantined_at, released_at,
                        run_id, failed_expectations)
SELECT f.quarantine_id, 'contradictions', f.row_key, f.reason, to_json(s), $now, NULL, $run_id,
       from_json(f.failed_json, '["VARCHAR"]')
FROM stg_contradictions s
JOIN quality_failing f ON f.row_key = s.contradiction_id
ON CONFLICT (quarantine_id) DO UPDATE SET
    reason = excluded.reason, row_json = excluded.row_json, quarantined_at = excluded.quarantined_at,
    released_at = NULL, run_id = excluded.run_id, failed_expectations = excluded.failed_expectations;
