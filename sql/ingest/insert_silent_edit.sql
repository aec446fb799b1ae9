-- A figure that changed between two versions of an article.
INSERT INTO silent_edits (edit_id, article_id, from_version, to_version, old_sentence, new_sentence,
                          old_figures, new_figures, detected_at)
VALUES ($edit_id, $article_id, $from_version, $to_version, $old_sentence, $new_sentence,
        $old_figures, $new_figures, $detected_at)
ON CONFLICT (edit_id) DO NOTHING;
