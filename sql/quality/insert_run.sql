INSERT INTO validation_runs (run_id, suite, table_name, started_at, finished_at, success, rows_checked,
                             rows_published, rows_quarantined, rows_held, expectations_evaluated,
                             expectations_failed, error, elapsed_s)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id, suite) DO UPDATE SET
    finished_at = excluded.finished_at, success = excluded.success, rows_checked = excluded.rows_checked,
    rows_published = excluded.rows_published, rows_quarantined = excluded.rows_quarantined,
    rows_held = excluded.rows_held, expectations_evaluated = excluded.expectations_evaluated,
    expectations_failed = excluded.expectations_failed, error = excluded.error, elapsed_s = excluded.elapsed_s;
