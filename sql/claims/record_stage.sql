INSERT INTO pipeline_runs (run_id, stage, started_at, finished_at, counts) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (run_id, stage) DO UPDATE SET finished_at = excluded.finished_at, counts = excluded.counts;
