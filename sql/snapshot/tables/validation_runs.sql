-- Suite runs, in parts by the UTC hour the run started.
SELECT snapshot_part(started_at) AS part, *
FROM validation_runs
