-- Question: how did each figure develop over time? Every reported value per event and attribute in
--           publication order, with the change from the report before it.
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/figure_history.sql
--           Add "WHERE attribute = 'death_toll'" (or any attribute) before ORDER BY to follow one figure.
-- Columns:  report number, time, outlet, the figure as written and as an interval, the as-of date,
--           whether the report moved the figure, and whether it is caught in a conflict.
SELECT
    event_label,
    attribute,
    report_no,
    reported_at,
    publisher,
    value_text,
    value_low,
    value_high,
    as_of,
    CASE
        WHEN report_no = 1 THEN 'first report'
        WHEN value_low IS NOT DISTINCT FROM prev_low AND value_high IS NOT DISTINCT FROM prev_high THEN 'same'
        ELSE 'changed'
    END AS versus_previous,
    in_conflict
FROM v_event_timeline
ORDER BY event_label, attribute, report_no;
