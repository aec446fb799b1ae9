-- Audit (`validate --all`): published contradictions go through the contradictions suite again.
INSERT INTO stg_contradictions BY NAME SELECT * FROM contradictions ON CONFLICT (contradiction_id) DO NOTHING;
