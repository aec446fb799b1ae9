-- Tables of the live database that analysts get: everything but staging (stg_*) and the
-- bookkeeping listed in $internal.
SELECT table_name
FROM duckdb_tables()
WHERE schema_name = 'main'
  AND NOT temporary
  AND table_name NOT LIKE 'stg\_%' ESCAPE '\'
  AND NOT list_contains($internal, table_name)
ORDER BY table_name
