-- Question: which conflicts were emailed, which are waiting, and which could not be delivered?
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/alert_outbox.sql
-- Columns:  one row per alert (one fingerprint: event, attribute and set of conflicting values),
--           its subject, status, delivery attempts and error, and how many conflicting pairs it covers.
SELECT
    al.subject,
    al.status,
    al.attempts,
    al.last_error,
    al.created_at,
    al.sent_at,
    (SELECT count(*) FROM contradictions x WHERE x.fingerprint = al.fingerprint) AS pairs,
    al.fingerprint
FROM alerts al
ORDER BY al.created_at DESC, al.fingerprint;
