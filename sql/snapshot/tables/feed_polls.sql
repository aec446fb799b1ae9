-- feed_polls for analysts, in parts by the hour of the poll (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(polled_at) AS part, *
FROM feed_polls
