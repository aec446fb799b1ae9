-- Open quarantine per table.
SELECT table_name, count(*) AS rows
FROM quarantine
WHERE released_at IS NULL
GROUP BY table_name
ORDER BY table_name;
