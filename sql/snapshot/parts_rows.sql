-- The rows of the parts listed in $parts, with their part column: a partitioned write cuts them
-- into one file per part in one scan of the table.
SELECT *
FROM snapshot_source
WHERE list_contains($parts, part)
