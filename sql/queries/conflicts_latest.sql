-- Question: which conflicts between outlets were found, newest first, with both sides side by side?
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/conflicts_latest.sql
--           or in Python: con.sql(open("sql/queries/conflicts_latest.sql").read()).show()
-- Columns:  one row per conflicting pair: event, attribute, each side's figure, outlet and quote,
--           the gap in the attribute's unit, severity and whether the alert went out (status).
SELECT
    event_label,
    attribute,
    a_value, a_publisher, a_quote,
    b_value, b_publisher, b_quote,
    gap, unit, severity, status,
    detected_at
FROM v_contradictions
WHERE kind = 'conflict'
ORDER BY detected_at DESC, event_label, attribute, a_publisher, b_publisher;
