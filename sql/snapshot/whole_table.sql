-- A table with no part rule of its own (sql/snapshot/tables/) is published as one part.
SELECT 'all' AS part, *
FROM snapshot_table
