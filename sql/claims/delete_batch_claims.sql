-- A re-extracted article (a new version of its text, or a reprocess) replaces its earlier claims.
DELETE FROM claims WHERE article_id IN (SELECT article_id FROM batch_articles);
