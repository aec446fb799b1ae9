-- Point the temporary view snapshot_source at one table's rule (the publisher puts in the text
-- of a file in sql/snapshot/tables/ or of whole_table.sql); temporary, so a read-only connection
-- can make it.
CREATE OR REPLACE TEMP VIEW snapshot_source AS
{select}
