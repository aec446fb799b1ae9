-- The rows of one part, without the part column.
SELECT * EXCLUDE (part)
FROM snapshot_source
WHERE part = $part
