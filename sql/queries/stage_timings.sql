-- Question: how long did each pipeline stage take in recent runs, and what did it count?
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/stage_timings.sql
-- Columns:  run id (the Airflow run id, or cli-... for newswatch run-once), stage, duration in
--           seconds, and the stage's counts (the same numbers as its task log line).
SELECT
    run_id,
    stage,
    started_at,
    round(epoch(finished_at) - epoch(started_at), 3) AS seconds,
    counts
FROM pipeline_runs
ORDER BY started_at DESC, stage
LIMIT 50;
