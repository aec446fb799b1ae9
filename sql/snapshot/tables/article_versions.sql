-- article_versions for analysts, in parts by the hour the version was fetched (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(fetched_at) AS part, *
FROM article_versions
