-- Table, view and column descriptions of the live database, carried over to the analyst file
-- (where every table is a view over its parts).
SELECT table_name AS object_name, NULL AS column_name, comment
FROM duckdb_tables()
WHERE schema_name = 'main' AND comment IS NOT NULL
UNION ALL
SELECT view_name, NULL, comment
FROM duckdb_views()
WHERE schema_name = 'main' AND comment IS NOT NULL AND NOT internal
UNION ALL
SELECT table_name, column_name, comment
FROM duckdb_columns()
WHERE schema_name = 'main' AND comment IS NOT NULL AND NOT internal
ORDER BY 1, 2 NULLS FIRST
