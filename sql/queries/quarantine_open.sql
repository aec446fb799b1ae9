-- Question: which rows did the quality gate hold back, and why? (They are not lost: the full row
--           is kept in row_json and can be released after a fix with `newswatch quarantine`.)
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/quarantine_open.sql
-- Columns:  table, reason (the failed expectations), rows held, oldest and newest.
SELECT
    table_name,
    reason,
    count(*)            AS rows_held,
    min(quarantined_at) AS oldest,
    max(quarantined_at) AS newest
FROM quarantine
WHERE released_at IS NULL
GROUP BY table_name, reason
ORDER BY rows_held DESC, table_name, reason;
