-- Publication times of a feed's latest entries, for its adaptive poll interval.
SELECT published
FROM feed_entries
WHERE feed_name = $feed_name AND published IS NOT NULL
ORDER BY published DESC
LIMIT 20;
