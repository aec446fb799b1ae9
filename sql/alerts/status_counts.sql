-- Outbox totals by status, for the task log.
SELECT status, count(*) AS n FROM alerts GROUP BY status ORDER BY status;
