-- Question: for each event and attribute, how far apart are the reported figures, and how many
--           outlets reported them? The widest disagreements are the stories to double-check first.
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/figure_spread.sql
-- Columns:  reports and distinct outlets; the lowest and highest bound anyone reported; widest_gap,
--           the highest lower bound minus the lowest upper bound: above 0, at least two reports
--           cannot both be true (0 or below, every report overlaps the others); every distinct
--           wording (one text, ' | ' between them); and how many report sides are caught in a conflict.
SELECT
    event_label,
    attribute,
    unit,
    count(*)                                      AS reports,
    count(DISTINCT publisher)                     AS outlets,
    min(coalesce(value_low, value_high))          AS lowest,
    max(coalesce(value_high, value_low))          AS highest,
    max(value_low) - min(value_high)              AS widest_gap,
    string_agg(DISTINCT value_text, ' | ' ORDER BY value_text) AS wordings,
    sum(conflicts)::BIGINT                        AS conflict_sides
FROM v_event_timeline
GROUP BY event_label, attribute, unit
ORDER BY (max(value_low) - min(value_high)) / nullif(max(coalesce(value_high, value_low)), 0) DESC NULLS LAST,
         event_label, attribute;
