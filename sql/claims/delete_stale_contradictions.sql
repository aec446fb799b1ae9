-- Pairs that no longer hold (after a reprocess with new rules): the parameter is the list of
-- contradiction ids found by the current detection.
DELETE FROM contradictions WHERE NOT list_contains(?::VARCHAR[], contradiction_id);
