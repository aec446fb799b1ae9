-- feed_entries for analysts, in parts by the hour the entry was first seen (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(first_seen_at) AS part, *
FROM feed_entries
