-- Question: which conflicts were emailed, which are waiting, and which could not be delivered?
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/alert_outbox.sql
-- Columns:  one row per alert (one state of a conflict: its values and the outlets reporting each),
--           its subject, status, delivery attempts and error, whether it is a follow-up and what
--           changed, how many conflicting pairs its set of values covers, and its keys.
SELECT
    al.subject,
    al.status,
    al.attempts,
    al.last_error,
    al.created_at,
    al.sent_at,
    al.follow_up_of IS NOT NULL AS is_update,
    al.changes,
    (SELECT count(*) FROM contradictions x
      WHERE x.fingerprint = coalesce(al.conflict_fingerprint, al.fingerprint)) AS pairs,
    coalesce(al.conflict_fingerprint, al.fingerprint) AS conflict_fingerprint,
    al.fingerprint
FROM alerts al
ORDER BY al.created_at DESC, al.fingerprint;
