-- alerts for analysts, in parts by the hour the alert was queued (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(created_at) AS part, *
FROM alerts
