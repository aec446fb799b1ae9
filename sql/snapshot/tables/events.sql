-- events for analysts, in parts by the hour the event was first stored (see part_macro.sql): a run
-- that finds new occurrences adds rows to the newest part instead of rewriting every event.
SELECT snapshot_part(created_at) AS part, *
FROM events
