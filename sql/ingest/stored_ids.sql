-- Which of these article ids (hashes of canonical URLs) are stored already: one query for a whole
-- group of pages instead of one per page.
SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(CAST($ids AS VARCHAR[])));
