-- One quality run's suites as recorded, in the order they ran (to render its report again later).
-- Params: run_id.
SELECT suite, table_name, started_at, finished_at, rows_checked, rows_published, rows_quarantined, rows_held,
       error, elapsed_s
FROM validation_runs
WHERE run_id = ?
ORDER BY started_at, suite;
