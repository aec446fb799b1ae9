-- A quarantined row goes back through the gate: keep the (fixed) row and when it was released.
UPDATE quarantine SET row_json = $row_json, released_at = $now WHERE quarantine_id = $quarantine_id;
