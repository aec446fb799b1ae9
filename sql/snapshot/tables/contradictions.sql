-- contradictions for analysts, in parts by the hour the pair was detected (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(detected_at) AS part, *
FROM contradictions
