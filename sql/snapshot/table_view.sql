-- A table without a part rule, under the name whole_table.sql reads (the publisher puts in the
-- quoted table name).
CREATE OR REPLACE TEMP VIEW snapshot_table AS
SELECT * FROM {table}
