-- Forget that a row of a table checked in place was checked, so the next run checks it again.
DELETE FROM quality_checked WHERE table_name = $table_name AND row_key = $row_key;
