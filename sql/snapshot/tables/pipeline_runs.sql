-- pipeline_runs for analysts, in parts by the hour the stage started (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(started_at) AS part, *
FROM pipeline_runs
