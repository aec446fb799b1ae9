-- Failing articles leave articles (their copy is in quarantine), with their entity mentions, so
-- claims, detection, alerts and the analyst views never see them.
DELETE FROM article_entities WHERE article_id IN (SELECT row_key FROM quality_failing);
DELETE FROM articles WHERE article_id IN (SELECT row_key FROM quality_failing);
