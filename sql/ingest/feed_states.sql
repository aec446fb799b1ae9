-- Schedule state of every feed, to pick the ones due for a poll.
SELECT feed_name, next_poll_at, paused_until, paused_reason
FROM feeds;
