-- quarantine for analysts, in parts by the hour the row was quarantined (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(quarantined_at) AS part, *
FROM quarantine
