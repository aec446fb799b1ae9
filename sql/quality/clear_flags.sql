-- A row checked in place that passes now (fixed by ingest, or released and fixed) closes its open
-- quarantine row.
UPDATE quarantine SET released_at = $now
WHERE table_name = $table_name AND released_at IS NULL
  AND row_key IN (SELECT row_key FROM quality_passing);
