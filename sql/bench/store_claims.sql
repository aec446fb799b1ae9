-- bench_scale: generated claims (registered relation bench_claims), as the quality gate publishes them.
INSERT INTO claims BY NAME SELECT * FROM bench_claims;
