-- Operator page: the latest pipeline runs, each with every stage's counts (as in its task log line).
-- Params: how many runs.
WITH runs AS (
    SELECT run_id, min(started_at) AS started_at, max(finished_at) AS finished_at
    FROM pipeline_runs
    GROUP BY run_id
    ORDER BY started_at DESC
    LIMIT ?
)
SELECT r.run_id, r.started_at, r.finished_at, p.stage, p.counts
FROM runs r
JOIN pipeline_runs p USING (run_id)
ORDER BY r.started_at DESC, r.run_id, p.started_at;
