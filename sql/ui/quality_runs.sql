-- Operator page: the quality gate per pipeline run (its validate and detect stages together), newest
-- first: the trend of rows checked, quarantined and failing suites.
-- Params: how many runs.
WITH per_stage AS (
    SELECT
        split_part(run_id, ':', 1) AS pipeline_run,
        suite, started_at, finished_at, success, rows_checked, rows_published, rows_quarantined, rows_held
    FROM validation_runs
)
SELECT
    pipeline_run,
    min(started_at) AS started_at,
    count(DISTINCT suite) AS suites,
    count(DISTINCT suite) FILTER (WHERE NOT success) AS suites_failed,
    sum(rows_checked) AS rows_checked,
    sum(rows_published) AS rows_published,
    sum(rows_quarantined) AS rows_quarantined,
    sum(rows_held) AS rows_held
FROM per_stage
GROUP BY pipeline_run
ORDER BY started_at DESC
LIMIT ?;
