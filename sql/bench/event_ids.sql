-- bench_scale: every stored event id, in a fixed order (the batch samples from them with its seed).
SELECT event_id FROM events ORDER BY event_id;
