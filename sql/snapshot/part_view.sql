-- A table of the analyst file: a view over its Parquet parts. DDL takes no bound parameters, so
-- the publisher puts in a quoted identifier and quoted path literals.
CREATE OR REPLACE VIEW {name} AS
SELECT * FROM read_parquet([{files}])
