-- The analyst views of the live database (v_claims, v_contradictions, ...), with their SQL, to
-- re-create them over the Parquet parts.
SELECT view_name, sql
FROM duckdb_views()
WHERE schema_name = 'main' AND NOT internal AND NOT temporary
ORDER BY view_name
