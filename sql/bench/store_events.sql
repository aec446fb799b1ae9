-- bench_scale: generated events (registered relation bench_events) into events.
INSERT INTO events BY NAME SELECT * FROM bench_events;
