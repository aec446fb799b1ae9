-- Every (table or view, column) of a database: which descriptions the analyst file can carry.
SELECT table_name, column_name
FROM duckdb_columns()
WHERE schema_name = 'main'
