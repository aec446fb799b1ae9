-- No rows, only the columns and types of the table behind snapshot_source.
SELECT * FROM snapshot_source LIMIT 0
