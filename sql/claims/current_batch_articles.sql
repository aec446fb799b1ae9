-- Articles of the registered batch (batch_candidates) whose results can be stored: still pending, and
-- extracted from the text the article has now. A newer version that arrived meanwhile, or an article
-- already stored by an earlier try of this batch, is left out.
SELECT b.article_id
FROM batch_candidates AS b
JOIN articles AS a USING (article_id)
WHERE a.processed_at IS NULL
  AND a.content_hash = b.content_hash;
