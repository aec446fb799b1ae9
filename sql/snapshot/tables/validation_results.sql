-- Expectation results per validation run, in the parts of their run (the UTC hour it started).
SELECT snapshot_part(r.started_at) AS part, vr.*
FROM validation_results vr
LEFT JOIN (SELECT run_id, suite, min(started_at) AS started_at FROM validation_runs GROUP BY ALL) r USING (run_id, suite)
