-- A released contradiction (registered frame quality_requeue, one row) is staged again.
INSERT INTO stg_contradictions BY NAME SELECT * FROM quality_requeue
ON CONFLICT (contradiction_id) DO NOTHING;
