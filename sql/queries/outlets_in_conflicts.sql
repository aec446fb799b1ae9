-- Question: which outlets most often stand on one side of a conflict, and against whom?
--           An outlet alone against everyone else deserves a closer look (or a correction).
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/outlets_in_conflicts.sql
-- Columns:  outlet, conflicts it is part of, the distinct outlets it disagrees with, and the
--           attributes concerned.
WITH sides AS (
    SELECT a_publisher AS outlet, b_publisher AS other, attribute, contradiction_id
    FROM v_contradictions WHERE kind = 'conflict'
    UNION ALL
    SELECT b_publisher, a_publisher, attribute, contradiction_id
    FROM v_contradictions WHERE kind = 'conflict'
)
SELECT
    outlet,
    count(DISTINCT contradiction_id)          AS conflicts,
    count(DISTINCT other)                     AS disagrees_with_outlets,
    list(DISTINCT other ORDER BY other)       AS against,
    list(DISTINCT attribute ORDER BY attribute) AS attributes
FROM sides
GROUP BY outlet
ORDER BY conflicts DESC, outlet;
