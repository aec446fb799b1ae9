-- What every table, view and column means, stored in the database itself (COMMENT ON), so that an
-- analyst can read it with `SELECT * FROM duckdb_columns()` and docs/schema.md is generated from it
-- (scripts/gen_schema_doc.py). Runs after the views because a re-created view forgets its comments.
-- tests/unit/test_schema_comments.py fails when a table or column has no comment here.

-- feeds ------------------------------------------------------------------------------------------
COMMENT ON TABLE feeds IS 'One row per configured feed: conditional-GET validators, scheduling and health counters.';
COMMENT ON COLUMN feeds.feed_name IS 'Unique, stable feed id from the feeds file (name:).';
COMMENT ON COLUMN feeds.url IS 'Feed URL as configured.';
COMMENT ON COLUMN feeds.topic_keywords IS 'Optional keywords from the feeds file (topics:).';
COMMENT ON COLUMN feeds.etag IS 'ETag of the last 200 response, sent back as If-None-Match.';
COMMENT ON COLUMN feeds.last_modified IS 'Last-Modified of the last 200 response, sent back as If-Modified-Since.';
COMMENT ON COLUMN feeds.last_status IS 'Outcome of the last poll: ok, not_modified, bozo, http_error or fetch_error.';
COMMENT ON COLUMN feeds.last_http_status IS 'HTTP status code of the last poll (NULL when no response arrived).';
COMMENT ON COLUMN feeds.last_error IS 'Error text of the last failed poll.';
COMMENT ON COLUMN feeds.consecutive_failures IS 'Failed polls in a row; reset by a successful poll.';
COMMENT ON COLUMN feeds.last_polled_at IS 'When the feed was last polled.';
COMMENT ON COLUMN feeds.last_success_at IS 'When a poll last succeeded (ok or not_modified).';
COMMENT ON COLUMN feeds.polls IS 'Polls so far.';
COMMENT ON COLUMN feeds.not_modified_polls IS 'Polls answered 304 Not Modified so far.';
COMMENT ON COLUMN feeds.failure_score IS 'Weighted recent failures; drives back-off and pausing (pause at the pause_threshold setting).';
COMMENT ON COLUMN feeds.poll_interval_s IS 'Current adaptive poll interval in seconds (follows how often the feed publishes).';
COMMENT ON COLUMN feeds.next_poll_at IS 'Earliest time of the next poll.';
COMMENT ON COLUMN feeds.paused_until IS 'The feed is skipped until this time after repeated failures (NULL = not paused).';
COMMENT ON COLUMN feeds.paused_reason IS 'Why the feed was paused.';
COMMENT ON COLUMN feeds.last_note IS 'Something worth knowing that is not an error: empty feed, charset corrected, ...';
COMMENT ON COLUMN feeds.deferred_note IS 'Why the last due poll did not contact the feed: "deferred: origin backing off until ... (reason)".';
COMMENT ON COLUMN feeds.deferred_at IS 'When the feed was last deferred (v_feed_health shows the note while no poll came after it).';

-- feed_polls -------------------------------------------------------------------------------------
COMMENT ON TABLE feed_polls IS 'Every poll of every feed, for feed health and the operator log.';
COMMENT ON COLUMN feed_polls.poll_id IS 'Stable id of this poll.';
COMMENT ON COLUMN feed_polls.feed_name IS 'The feed polled (feeds.feed_name).';
COMMENT ON COLUMN feed_polls.polled_at IS 'When the poll started.';
COMMENT ON COLUMN feed_polls.status IS 'ok, not_modified, bozo, http_error or fetch_error.';
COMMENT ON COLUMN feed_polls.http_status IS 'HTTP status code (NULL when no response arrived).';
COMMENT ON COLUMN feed_polls.bozo IS 'feedparser flagged the feed as malformed.';
COMMENT ON COLUMN feed_polls.bozo_reason IS 'feedparser''s explanation of a malformed feed.';
COMMENT ON COLUMN feed_polls.entries_seen IS 'Entries in the feed document.';
COMMENT ON COLUMN feed_polls.entries_new IS 'Entries not seen before.';
COMMENT ON COLUMN feed_polls.error IS 'Error text when the poll failed.';
COMMENT ON COLUMN feed_polls.elapsed_ms IS 'Duration of the poll in milliseconds.';

-- feed_entries -----------------------------------------------------------------------------------
COMMENT ON TABLE feed_entries IS 'Feed entries seen so far, keyed by feed and GUID (or link), with the state of their page fetch.';
COMMENT ON COLUMN feed_entries.entry_id IS 'Stable hash of feed name and GUID (or link when there is no GUID).';
COMMENT ON COLUMN feed_entries.feed_name IS 'The feed that listed the entry (feeds.feed_name).';
COMMENT ON COLUMN feed_entries.guid IS 'The entry''s GUID/id as the feed gives it.';
COMMENT ON COLUMN feed_entries.link IS 'The entry''s link as the feed gives it.';
COMMENT ON COLUMN feed_entries.canonical_url IS 'The link normalised (tracking parameters dropped) with courlan.';
COMMENT ON COLUMN feed_entries.title IS 'Entry title from the feed.';
COMMENT ON COLUMN feed_entries.published IS 'Publication time from the feed.';
COMMENT ON COLUMN feed_entries.first_seen_at IS 'When a poll first saw the entry.';
COMMENT ON COLUMN feed_entries.fetch_status IS 'pending, stored, failed, skipped or duplicate (a syndicated copy of a stored article).';
COMMENT ON COLUMN feed_entries.fetch_error IS 'Why the page fetch failed or was skipped.';
COMMENT ON COLUMN feed_entries.fetch_attempts IS 'Page fetches tried so far.';
COMMENT ON COLUMN feed_entries.article_id IS 'The stored article (articles.article_id) once fetched.';
COMMENT ON COLUMN feed_entries.updated IS 'The feed''s own update time for the entry; a newer one triggers a re-fetch.';
COMMENT ON COLUMN feed_entries.next_attempt_at IS 'A failed page is not tried again before this time (Retry-After, back-off).';

-- articles ---------------------------------------------------------------------------------------
COMMENT ON TABLE articles IS 'Clean article text, one row per canonical URL; the latest version (older ones in article_versions).';
COMMENT ON COLUMN articles.article_id IS 'Stable hash of the canonical URL.';
COMMENT ON COLUMN articles.url IS 'URL the page was fetched from.';
COMMENT ON COLUMN articles.canonical_url IS 'Normalised URL the id is computed from.';
COMMENT ON COLUMN articles.feed_name IS 'Feed that listed the article (feeds.feed_name).';
COMMENT ON COLUMN articles.publisher IS 'Outlet name.';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.author IS 'Byline, when the page names one.';
COMMENT ON COLUMN articles.published IS 'Publication time (from the page or the feed).';
COMMENT ON COLUMN articles.language IS 'Detected language code (e.g. en).';
COMMENT ON COLUMN articles.text IS 'Clean body text (trafilatura); claims quote it by character offsets.';
COMMENT ON COLUMN articles.content_hash IS 'Hash of the clean text: detects revisions and duplicate copies.';
COMMENT ON COLUMN articles.raw_html_gz IS 'The page as fetched, gzip-compressed.';
COMMENT ON COLUMN articles.fetched_at IS 'When this version was fetched.';
COMMENT ON COLUMN articles.processed_at IS 'When claims were extracted from this text (NULL = waiting for extraction).';
COMMENT ON COLUMN articles.version IS 'Which version of the text the row holds (1 = first fetch).';
COMMENT ON COLUMN articles.encoding IS 'Character encoding the page bytes were decoded with.';
COMMENT ON COLUMN articles.ingest_note IS 'Something noticed while storing the page, e.g. the declared charset was wrong.';

-- article_versions, article_copies, silent_edits ---------------------------------------------------
COMMENT ON TABLE article_versions IS 'Every text an article has had; articles holds the latest.';
COMMENT ON COLUMN article_versions.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN article_versions.version IS 'Version number, 1 = first fetch.';
COMMENT ON COLUMN article_versions.content_hash IS 'Hash of this version''s clean text.';
COMMENT ON COLUMN article_versions.title IS 'Headline of this version.';
COMMENT ON COLUMN article_versions.text IS 'Clean text of this version.';
COMMENT ON COLUMN article_versions.fetched_at IS 'When this version was fetched.';

COMMENT ON TABLE article_copies IS 'Syndicated or duplicate copies of a stored article, kept for provenance; a copy is never a second source.';
COMMENT ON COLUMN article_copies.copy_id IS 'Stable hash of the copy''s canonical URL.';
COMMENT ON COLUMN article_copies.original_id IS 'The stored article it copies (articles.article_id).';
COMMENT ON COLUMN article_copies.url IS 'URL of the copy.';
COMMENT ON COLUMN article_copies.feed_name IS 'Feed that listed the copy.';
COMMENT ON COLUMN article_copies.publisher IS 'Outlet that carried the copy.';
COMMENT ON COLUMN article_copies.title IS 'Headline of the copy.';
COMMENT ON COLUMN article_copies.published IS 'Publication time of the copy.';
COMMENT ON COLUMN article_copies.method IS 'How it was recognised: guid, content_hash or near_duplicate.';
COMMENT ON COLUMN article_copies.similarity IS 'Shingle overlap with the original (0-1) for near duplicates.';
COMMENT ON COLUMN article_copies.content_hash IS 'Hash of the copy''s clean text.';
COMMENT ON COLUMN article_copies.found_at IS 'When the copy was recognised.';

COMMENT ON TABLE silent_edits IS 'A figure that changed between two versions of one article without the outlet saying so.';
COMMENT ON COLUMN silent_edits.edit_id IS 'Stable hash of article, versions and the two sentences.';
COMMENT ON COLUMN silent_edits.article_id IS 'The edited article (articles.article_id).';
COMMENT ON COLUMN silent_edits.from_version IS 'Version before the edit.';
COMMENT ON COLUMN silent_edits.to_version IS 'Version after the edit.';
COMMENT ON COLUMN silent_edits.old_sentence IS 'The sentence before.';
COMMENT ON COLUMN silent_edits.new_sentence IS 'The sentence after.';
COMMENT ON COLUMN silent_edits.old_figures IS 'Figures in the old sentence.';
COMMENT ON COLUMN silent_edits.new_figures IS 'Figures in the new sentence.';
COMMENT ON COLUMN silent_edits.detected_at IS 'When the edit was found.';
COMMENT ON COLUMN silent_edits.alerted_at IS 'When operators were emailed about it (NULL = not yet).';

-- host_state, operator_alerts -------------------------------------------------------------------------
COMMENT ON TABLE host_state IS 'Per-origin politeness state that outlives one run (Retry-After blocks).';
COMMENT ON COLUMN host_state.origin IS 'scheme://host:port.';
COMMENT ON COLUMN host_state.blocked_until IS 'No request to this origin before this time (from Retry-After on 429/503).';
COMMENT ON COLUMN host_state.blocked_reason IS 'Why the origin is blocked.';
COMMENT ON COLUMN host_state.updated_at IS 'When the row last changed.';

COMMENT ON TABLE operator_alerts IS 'Messages for operators (a feed paused, a silent edit); notify_operators emails each once.';
COMMENT ON COLUMN operator_alerts.alert_id IS 'Stable id of the message.';
COMMENT ON COLUMN operator_alerts.kind IS 'feed_paused, silent_edit or alerts_stuck (alert emails keep failing).';
COMMENT ON COLUMN operator_alerts.subject IS 'Email subject.';
COMMENT ON COLUMN operator_alerts.body IS 'Email body (plain text).';
COMMENT ON COLUMN operator_alerts.created_at IS 'When it was queued.';
COMMENT ON COLUMN operator_alerts.sent_at IS 'When it was emailed (NULL = not yet).';

-- entities ---------------------------------------------------------------------------------------
COMMENT ON TABLE entities IS 'People, places and organisations with canonical ids.';
COMMENT ON COLUMN entities.entity_id IS 'Canonical id, e.g. vladimir-medinsky.';
COMMENT ON COLUMN entities.name IS 'Display name.';
COMMENT ON COLUMN entities.kind IS 'person, place or org.';

COMMENT ON TABLE entity_aliases IS 'Every spelling seen for an entity, mapped to its canonical id.';
COMMENT ON COLUMN entity_aliases.alias IS 'The spelling, lower-cased with accents folded.';
COMMENT ON COLUMN entity_aliases.entity_id IS 'The entity it names (entities.entity_id).';

COMMENT ON TABLE article_entities IS 'Which entities each article mentions, and how often.';
COMMENT ON COLUMN article_entities.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN article_entities.entity_id IS 'The entity (entities.entity_id).';
COMMENT ON COLUMN article_entities.mentions IS 'Mentions of the entity in the article text.';

-- events, claims, contradictions ---------------------------------------------------------------------
COMMENT ON TABLE events IS 'Occurrences: one story on one occasion (the 16 May talks; one earthquake, whatever day its toll is reported).';
COMMENT ON COLUMN events.event_id IS 'Stable hash of story type, place, date and round.';
COMMENT ON COLUMN events.story_type IS 'negotiation, earthquake, air_crash, flood, ... (from the catalog).';
COMMENT ON COLUMN events.label IS 'Headline label built from every report of the event: parties (for stories with sides), story, venue (a city or region), date, each left out when not known with confidence (Russia–Ukraine talks, Istanbul, 16 May 2025; Talks, 16 May 2025).';
COMMENT ON COLUMN events.occurrence_date IS 'The day it happened, when known.';
COMMENT ON COLUMN events.location IS 'Main place (entities.entity_id).';
COMMENT ON COLUMN events.round_ordinal IS 'Round number when reports say so ("the third round" = 3).';
COMMENT ON COLUMN events.session IS 'A part of one meeting when reports name it (one_on_one, expanded, part:2 for "the second session"); NULL for the whole occasion.';
COMMENT ON COLUMN events.created_at IS 'When the first claim about it was stored.';

COMMENT ON TABLE claims IS 'One figure one article states about one attribute of one event (published: passed the quality gate).';
COMMENT ON COLUMN claims.claim_id IS 'Stable hash of article, attribute, offsets and value.';
COMMENT ON COLUMN claims.article_id IS 'The article stating it (articles.article_id).';
COMMENT ON COLUMN claims.event_id IS 'The occurrence it is about (events.event_id).';
COMMENT ON COLUMN claims.attribute IS 'Canonical attribute id from the catalog, e.g. prisoner_exchange.count_per_side.';
COMMENT ON COLUMN claims.kind IS 'fixed (a property of a past occurrence) or cumulative (a running count).';
COMMENT ON COLUMN claims.unit IS 'Unit of value_low and value_high (minutes, people, days, ...).';
COMMENT ON COLUMN claims.value_low IS 'Lower bound of the interval the wording allows (NULL = unbounded below).';
COMMENT ON COLUMN claims.value_high IS 'Upper bound of the interval the wording allows (NULL = unbounded above).';
COMMENT ON COLUMN claims.hedge IS 'The wording that set the interval: exact, about, nearly, less than, at least, ...';
COMMENT ON COLUMN claims.value_text IS 'The figure as written in the article.';
COMMENT ON COLUMN claims.scope IS 'whole, per_side, total, subset, projection or running_total.';
COMMENT ON COLUMN claims.as_of IS 'Date the figure refers to (matters for cumulative attributes).';
COMMENT ON COLUMN claims.source_entity IS 'Who is quoted for the figure: an entities.entity_id for a named source (v_claims.source_name has the name), else the article''s own words for the source (a Turkish foreign ministry official); NULL when it quotes nobody.';
COMMENT ON COLUMN claims.quote IS 'Exact substring of the article text that states the figure.';
COMMENT ON COLUMN claims.quote_start IS 'Character offset where quote starts in articles.text.';
COMMENT ON COLUMN claims.quote_end IS 'Character offset where quote ends in articles.text.';
COMMENT ON COLUMN claims.sentence IS 'The whole sentence around the quote.';
COMMENT ON COLUMN claims.extracted_at IS 'When the claim was extracted.';
COMMENT ON COLUMN claims.confidence IS 'How sure extraction is of the claim, 0..1: 1.0 times the weight of each reason (pipelines/claims/confidence.yaml). Alerts need both claims at or above NEWSWATCH_ALERT_MIN_CONFIDENCE.';
COMMENT ON COLUMN claims.confidence_reasons IS 'Why: how the attribute was decided (attribute.noun, attribute.frame, attribute.cue, ...), how certain the scope is (scope.*), attribution hedges (attribution.hedged, attribution.unconfirmed, ...), position.headline.';
COMMENT ON COLUMN claims.area IS 'The one area (country, state, province, county, district, town) a running count is said of, as the place is keyed in part attributes (lee-county); NULL when it names none or several. Detection compares it with the areas of the event''s other claims (pipelines/event_scope.py).';
COMMENT ON COLUMN claims.area_place IS 'The gazetteer''s reading of area: admin level/country/own code/parent code (2/US//US-FL for a Florida county).';
COMMENT ON COLUMN claims.event_part IS 'TRUE when the event''s other reports made this whole''s figure a part: its area lies apart from another area of the event (139 in Zimbabwe beside figures for Mozambique and Malawi), so attribute is <attribute>.<area> and scope subset.';
COMMENT ON COLUMN claims.detected_at IS 'When contradiction detection first compared the claim with its event and attribute; NULL: not yet (the next run reads its group).';
COMMENT ON TABLE detection_dirty IS 'Event and attribute groups that lost claims (a re-extracted article, a claim quarantined by an audit) since the last detection run, which recomputes them.';
COMMENT ON COLUMN detection_dirty.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN detection_dirty.attribute IS 'The attribute of the group.';
COMMENT ON TABLE detection_state IS 'What detection last found in each event and attribute group. A group that only gained claims is updated from its stored contradictions only when they still match this (a quarantined or unpublished row makes them differ); otherwise it is recomputed whole.';
COMMENT ON COLUMN detection_state.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN detection_state.attribute IS 'The attribute of the group.';
COMMENT ON COLUMN detection_state.contradictions IS 'How many contradictions detection found in the group.';
COMMENT ON COLUMN detection_state.digest IS 'Hash of those contradictions (every column detection writes), compared with the stored ones of the group.';
COMMENT ON COLUMN detection_state.detected_at IS 'When detection last wrote the group.';

COMMENT ON TABLE contradictions IS 'Pairs of claims on the same event and attribute whose figures differ: conflicts, updates, revisions, unordered and unconfirmed pairs.';
COMMENT ON COLUMN contradictions.contradiction_id IS 'Stable hash of the two claim ids.';
COMMENT ON COLUMN contradictions.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN contradictions.attribute IS 'The attribute both claims state.';
COMMENT ON COLUMN contradictions.kind IS 'conflict (a disagreement at one time: alerted), update (a later, higher figure of a running count), revision (a later, lower one) unordered (which report came first cannot be known) or unconfirmed (a conflict with a claim below NEWSWATCH_ALERT_MIN_CONFIDENCE); only conflicts are alerted.';
COMMENT ON COLUMN contradictions.claim_a IS 'The earlier claim (claims.claim_id).';
COMMENT ON COLUMN contradictions.claim_b IS 'The later claim (claims.claim_id).';
COMMENT ON COLUMN contradictions.gap IS 'Distance between the two intervals, in the attribute''s unit.';
COMMENT ON COLUMN contradictions.relative_gap IS 'gap divided by the magnitude of the figures.';
COMMENT ON COLUMN contradictions.severity IS 'low, medium or high, from the relative gap.';
COMMENT ON COLUMN contradictions.reason IS 'Why they contradict, in words.';
COMMENT ON COLUMN contradictions.fingerprint IS 'Hash of event, attribute and the set of conflicting values: the alert key.';
COMMENT ON COLUMN contradictions.detected_at IS 'When detection found it.';

-- alerts -----------------------------------------------------------------------------------------
COMMENT ON TABLE alerts IS 'Alert outbox: one row per state of a conflict (its values and, per value, its outlets), emailed once; a changed state is a follow-up in the same thread.';
COMMENT ON COLUMN alerts.fingerprint IS 'Alert key: hash of event, attribute, the conflicting values and the outlets reporting each.';
COMMENT ON COLUMN alerts.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN alerts.attribute IS 'The attribute in conflict.';
COMMENT ON COLUMN alerts.subject IS 'Email subject (names the event and the attribute).';
COMMENT ON COLUMN alerts.body_text IS 'Plain-text body as queued.';
COMMENT ON COLUMN alerts.body_html IS 'HTML body as queued (article text escaped).';
COMMENT ON COLUMN alerts.recipients IS 'Comma-separated recipients at queue time.';
COMMENT ON COLUMN alerts.status IS 'pending (queued or waiting to retry), sending (in flight: marked before the SMTP send), sent, or failed (still undelivered when the retry window ran out; `newswatch alerts retry` brings it back).';
COMMENT ON COLUMN alerts.attempts IS 'Delivery attempts so far, the successful one included (1 for an alert sent at the first try).';
COMMENT ON COLUMN alerts.last_error IS 'Error of the last failed delivery.';
COMMENT ON COLUMN alerts.created_at IS 'When the alert was queued.';
COMMENT ON COLUMN alerts.sent_at IS 'When the email was accepted by the SMTP server.';
COMMENT ON COLUMN alerts.message_id IS 'Message-ID of the email that carried this alert (a digest''s for an alert sent in one), set when it goes out; a resend after a crash uses the same one. Follow-ups reply to it.';
COMMENT ON COLUMN alerts.sending_since IS 'When the current in-flight attempt started (NULL unless status is sending).';
COMMENT ON COLUMN alerts.possibly_duplicate IS 'True when a run crashed while this alert was in flight and it was resent: recipients may have it twice (same Message-ID).';
COMMENT ON COLUMN alerts.first_failed_at IS 'First failed delivery; the retry window (NEWSWATCH_ALERT_RETRY_HOURS) counts from here.';
COMMENT ON COLUMN alerts.next_attempt_at IS 'Earliest next delivery attempt after a failure (exponential back-off).';
COMMENT ON COLUMN alerts.stuck_reported_at IS 'When operators were told this alert keeps failing (operator_alerts kind alerts_stuck).';
COMMENT ON COLUMN alerts.conflict_fingerprint IS 'contradictions.fingerprint (event, attribute, set of values) at queue time.';
COMMENT ON COLUMN alerts.thread_root IS 'alerts.fingerprint of the first alert about this conflict: a follow-up''s In-Reply-To is that alert''s message_id; NULL for the first.';
COMMENT ON COLUMN alerts.follow_up_of IS 'alerts.fingerprint of the previous alert about this conflict (its message_id is in References); NULL for the first.';
COMMENT ON COLUMN alerts.sides IS 'JSON list of the conflicting values at queue time: low, high, value as written, outlets, claim ids.';
COMMENT ON COLUMN alerts.changes IS 'What a follow-up reports as new (a value, outlets joining or leaving a side), one sentence per line.';

-- quality ------------------------------------------------------------------------------------------
COMMENT ON TABLE quarantine IS 'Rows that failed a quality check, with the reasons and the full row, so nothing is lost.';
COMMENT ON COLUMN quarantine.quarantine_id IS 'Stable id of the quarantined row.';
COMMENT ON COLUMN quarantine.table_name IS 'Table the row belongs to.';
COMMENT ON COLUMN quarantine.row_key IS 'Primary key of the row in that table.';
COMMENT ON COLUMN quarantine.reason IS 'The failed expectations, in words.';
COMMENT ON COLUMN quarantine.row_json IS 'The full row as JSON, for release after a fix.';
COMMENT ON COLUMN quarantine.quarantined_at IS 'When it was quarantined.';
COMMENT ON COLUMN quarantine.released_at IS 'When it was released back (NULL = still held).';
COMMENT ON COLUMN quarantine.run_id IS 'Validation run that failed it (validation_runs.run_id).';
COMMENT ON COLUMN quarantine.failed_expectations IS 'Names of the failed expectations.';

COMMENT ON TABLE stg_claims IS 'Claims waiting for the quality gate; same columns as claims (but detected_at) plus staged_at.';
COMMENT ON COLUMN stg_claims.claim_id IS 'As claims.claim_id.';
COMMENT ON COLUMN stg_claims.article_id IS 'As claims.article_id.';
COMMENT ON COLUMN stg_claims.event_id IS 'As claims.event_id.';
COMMENT ON COLUMN stg_claims.attribute IS 'As claims.attribute.';
COMMENT ON COLUMN stg_claims.kind IS 'As claims.kind.';
COMMENT ON COLUMN stg_claims.unit IS 'As claims.unit.';
COMMENT ON COLUMN stg_claims.value_low IS 'As claims.value_low.';
COMMENT ON COLUMN stg_claims.value_high IS 'As claims.value_high.';
COMMENT ON COLUMN stg_claims.hedge IS 'As claims.hedge.';
COMMENT ON COLUMN stg_claims.value_text IS 'As claims.value_text.';
COMMENT ON COLUMN stg_claims.scope IS 'As claims.scope.';
COMMENT ON COLUMN stg_claims.as_of IS 'As claims.as_of.';
COMMENT ON COLUMN stg_claims.source_entity IS 'As claims.source_entity.';
COMMENT ON COLUMN stg_claims.quote IS 'As claims.quote.';
COMMENT ON COLUMN stg_claims.quote_start IS 'As claims.quote_start.';
COMMENT ON COLUMN stg_claims.quote_end IS 'As claims.quote_end.';
COMMENT ON COLUMN stg_claims.sentence IS 'As claims.sentence.';
COMMENT ON COLUMN stg_claims.extracted_at IS 'As claims.extracted_at.';
COMMENT ON COLUMN stg_claims.confidence IS 'As claims.confidence.';
COMMENT ON COLUMN stg_claims.confidence_reasons IS 'As claims.confidence_reasons.';
COMMENT ON COLUMN stg_claims.area IS 'As claims.area.';
COMMENT ON COLUMN stg_claims.area_place IS 'As claims.area_place.';
COMMENT ON COLUMN stg_claims.event_part IS 'As claims.event_part.';
COMMENT ON COLUMN stg_claims.staged_at IS 'When the row was staged.';

COMMENT ON TABLE stg_contradictions IS 'Contradictions waiting for the quality gate; same columns as contradictions plus staged_at.';
COMMENT ON COLUMN stg_contradictions.contradiction_id IS 'As contradictions.contradiction_id.';
COMMENT ON COLUMN stg_contradictions.event_id IS 'As contradictions.event_id.';
COMMENT ON COLUMN stg_contradictions.attribute IS 'As contradictions.attribute.';
COMMENT ON COLUMN stg_contradictions.kind IS 'As contradictions.kind.';
COMMENT ON COLUMN stg_contradictions.claim_a IS 'As contradictions.claim_a.';
COMMENT ON COLUMN stg_contradictions.claim_b IS 'As contradictions.claim_b.';
COMMENT ON COLUMN stg_contradictions.gap IS 'As contradictions.gap.';
COMMENT ON COLUMN stg_contradictions.relative_gap IS 'As contradictions.relative_gap.';
COMMENT ON COLUMN stg_contradictions.severity IS 'As contradictions.severity.';
COMMENT ON COLUMN stg_contradictions.reason IS 'As contradictions.reason.';
COMMENT ON COLUMN stg_contradictions.fingerprint IS 'As contradictions.fingerprint.';
COMMENT ON COLUMN stg_contradictions.detected_at IS 'As contradictions.detected_at.';
COMMENT ON COLUMN stg_contradictions.staged_at IS 'When the row was staged.';

COMMENT ON TABLE quality_checked IS 'Rows of tables checked in place (articles, feed_entries) that a suite has already seen.';
COMMENT ON COLUMN quality_checked.table_name IS 'articles or feed_entries.';
COMMENT ON COLUMN quality_checked.row_key IS 'Primary key of the checked row.';
COMMENT ON COLUMN quality_checked.fingerprint IS 'Hash of the checked columns: a changed row is checked again.';
COMMENT ON COLUMN quality_checked.run_id IS 'Validation run that checked it.';
COMMENT ON COLUMN quality_checked.checked_at IS 'When it was checked.';

COMMENT ON TABLE validation_runs IS 'One row per quality suite per validation run.';
COMMENT ON COLUMN validation_runs.run_id IS 'Validation run id (<Airflow run id>:<stage>, or a timestamped id outside Airflow).';
COMMENT ON COLUMN validation_runs.suite IS 'Suite name (a file in expectations/).';
COMMENT ON COLUMN validation_runs.table_name IS 'Table the suite checks.';
COMMENT ON COLUMN validation_runs.started_at IS 'When the suite started.';
COMMENT ON COLUMN validation_runs.finished_at IS 'When the suite finished.';
COMMENT ON COLUMN validation_runs.success IS 'Every expectation passed.';
COMMENT ON COLUMN validation_runs.rows_checked IS 'Rows validated.';
COMMENT ON COLUMN validation_runs.rows_published IS 'Rows that passed and were published.';
COMMENT ON COLUMN validation_runs.rows_quarantined IS 'Rows moved to quarantine.';
COMMENT ON COLUMN validation_runs.rows_held IS 'Rows left in staging because the suite itself errored.';
COMMENT ON COLUMN validation_runs.expectations_evaluated IS 'Expectations run.';
COMMENT ON COLUMN validation_runs.expectations_failed IS 'Expectations that failed.';
COMMENT ON COLUMN validation_runs.error IS 'Error when the suite could not run.';
COMMENT ON COLUMN validation_runs.elapsed_s IS 'Duration in seconds.';

COMMENT ON TABLE validation_results IS 'One row per expectation per suite per run: what Great Expectations reported.';
COMMENT ON COLUMN validation_results.run_id IS 'Validation run id (validation_runs.run_id).';
COMMENT ON COLUMN validation_results.suite IS 'Suite name.';
COMMENT ON COLUMN validation_results.expectation IS 'Expectation name (meta.name in the suite file): the reason quarantine shows.';
COMMENT ON COLUMN validation_results.expectation_type IS 'Great Expectations type, e.g. expect_column_values_to_not_be_null.';
COMMENT ON COLUMN validation_results.column_name IS 'Column checked, when the expectation has one.';
COMMENT ON COLUMN validation_results.success IS 'The expectation passed.';
COMMENT ON COLUMN validation_results.element_count IS 'Rows evaluated.';
COMMENT ON COLUMN validation_results.unexpected_count IS 'Rows that failed.';
COMMENT ON COLUMN validation_results.unexpected_percent IS 'Percentage of rows that failed.';
COMMENT ON COLUMN validation_results.unexpected_keys IS 'Row keys of the failing rows (first 50).';
COMMENT ON COLUMN validation_results.kwargs IS 'The expectation''s arguments as JSON.';
COMMENT ON COLUMN validation_results.exception IS 'Error raised while evaluating the expectation.';

-- pipeline_runs ----------------------------------------------------------------------------------------
COMMENT ON TABLE pipeline_runs IS 'One row per pipeline stage run: counts and timings, keyed by the Airflow run id.';
COMMENT ON COLUMN pipeline_runs.run_id IS 'Airflow run id (or cli-<timestamp> for newswatch run-once).';
COMMENT ON COLUMN pipeline_runs.stage IS 'extract, validate, detect or alerts.';
COMMENT ON COLUMN pipeline_runs.started_at IS 'When the stage started.';
COMMENT ON COLUMN pipeline_runs.finished_at IS 'When the stage finished.';
COMMENT ON COLUMN pipeline_runs.counts IS 'The stage''s counts as JSON (the same numbers as its task log line).';

-- views ------------------------------------------------------------------------------------------
COMMENT ON VIEW v_claims IS 'Start here: every extracted figure with its article, outlet, event, quote and entity names.';
COMMENT ON COLUMN v_claims.claim_id IS 'claims.claim_id.';
COMMENT ON COLUMN v_claims.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN v_claims.event_label IS 'Headline label of the event (events.label): Russia–Ukraine talks, Istanbul, 16 May 2025.';
COMMENT ON COLUMN v_claims.attribute IS 'Catalog attribute id.';
COMMENT ON COLUMN v_claims.kind IS 'fixed or cumulative.';
COMMENT ON COLUMN v_claims.unit IS 'Unit of the interval.';
COMMENT ON COLUMN v_claims.value_low IS 'Lower bound (NULL = unbounded).';
COMMENT ON COLUMN v_claims.value_high IS 'Upper bound (NULL = unbounded).';
COMMENT ON COLUMN v_claims.hedge IS 'Wording that set the interval (exact, about, nearly, ...).';
COMMENT ON COLUMN v_claims.value_text IS 'The figure as written.';
COMMENT ON COLUMN v_claims.scope IS 'whole, per_side, total, subset, projection or running_total.';
COMMENT ON COLUMN v_claims.as_of IS 'Date the figure refers to.';
COMMENT ON COLUMN v_claims.source_entity IS 'Id of who is quoted.';
COMMENT ON COLUMN v_claims.quote IS 'Exact quote from the article.';
COMMENT ON COLUMN v_claims.quote_start IS 'Character offset of the quote in the article text.';
COMMENT ON COLUMN v_claims.quote_end IS 'Character offset of the quote''s end.';
COMMENT ON COLUMN v_claims.confidence IS 'How sure extraction is of the claim (0..1); alerts need both claims at or above NEWSWATCH_ALERT_MIN_CONFIDENCE.';
COMMENT ON COLUMN v_claims.confidence_reasons IS 'Why the confidence is what it is (attribute.cue, scope.assumed, attribution.hedged, position.headline, ...).';
COMMENT ON COLUMN v_claims.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN v_claims.publisher IS 'Outlet.';
COMMENT ON COLUMN v_claims.title IS 'Headline.';
COMMENT ON COLUMN v_claims.url IS 'Article URL.';
COMMENT ON COLUMN v_claims.published IS 'Publication time of the article.';
COMMENT ON COLUMN v_claims.source_name IS 'Who is quoted, by name when known.';
COMMENT ON COLUMN v_claims.story_type IS 'Story type of the event.';
COMMENT ON COLUMN v_claims.event_location IS 'Main place of the event, by name.';
COMMENT ON COLUMN v_claims.article_entities IS 'Names of the people, places and organisations the article mentions, most mentioned first.';
COMMENT ON COLUMN v_claims.sentence IS 'The whole sentence around the quote.';
COMMENT ON COLUMN v_claims.extracted_at IS 'When the claim was extracted.';

COMMENT ON VIEW v_contradictions IS 'Start here: both sides of every conflict, update and revision, with quotes, gap, severity and alert status.';
COMMENT ON COLUMN v_contradictions.contradiction_id IS 'contradictions.contradiction_id.';
COMMENT ON COLUMN v_contradictions.kind IS 'conflict, update, revision, unordered or unconfirmed.';
COMMENT ON COLUMN v_contradictions.severity IS 'low, medium or high.';
COMMENT ON COLUMN v_contradictions.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN v_contradictions.event_label IS 'Headline label of the event (events.label): Russia–Ukraine talks, Istanbul, 16 May 2025.';
COMMENT ON COLUMN v_contradictions.attribute IS 'Catalog attribute id.';
COMMENT ON COLUMN v_contradictions.gap IS 'Distance between the two intervals, in unit.';
COMMENT ON COLUMN v_contradictions.relative_gap IS 'gap divided by the magnitude of the figures.';
COMMENT ON COLUMN v_contradictions.reason IS 'Why they contradict, in words.';
COMMENT ON COLUMN v_contradictions.fingerprint IS 'Alert key: event, attribute and set of conflicting values.';
COMMENT ON COLUMN v_contradictions.detected_at IS 'When detection found it.';
COMMENT ON COLUMN v_contradictions.a_value IS 'Earlier claim: figure as written.';
COMMENT ON COLUMN v_contradictions.a_low IS 'Earlier claim: lower bound.';
COMMENT ON COLUMN v_contradictions.a_high IS 'Earlier claim: upper bound.';
COMMENT ON COLUMN v_contradictions.a_quote IS 'Earlier claim: exact quote.';
COMMENT ON COLUMN v_contradictions.a_publisher IS 'Earlier claim: outlet.';
COMMENT ON COLUMN v_contradictions.a_url IS 'Earlier claim: article URL.';
COMMENT ON COLUMN v_contradictions.a_published IS 'Earlier claim: publication time.';
COMMENT ON COLUMN v_contradictions.b_value IS 'Later claim: figure as written.';
COMMENT ON COLUMN v_contradictions.b_low IS 'Later claim: lower bound.';
COMMENT ON COLUMN v_contradictions.b_high IS 'Later claim: upper bound.';
COMMENT ON COLUMN v_contradictions.b_quote IS 'Later claim: exact quote.';
COMMENT ON COLUMN v_contradictions.b_publisher IS 'Later claim: outlet.';
COMMENT ON COLUMN v_contradictions.b_url IS 'Later claim: article URL.';
COMMENT ON COLUMN v_contradictions.b_published IS 'Later claim: publication time.';
COMMENT ON COLUMN v_contradictions.alert_status IS 'Outbox status of the latest alert about this set of values: pending, sending, sent, failed, or NULL (not queued).';
COMMENT ON COLUMN v_contradictions.alert_sent_at IS 'When the alert email went out.';
COMMENT ON COLUMN v_contradictions.status IS 'Lifecycle in one word: new (conflict not alerted yet), alerted, alert pending, alert failed, or not alerted (updates, revisions, unordered and unconfirmed pairs are not emailed).';
COMMENT ON COLUMN v_contradictions.claim_a IS 'Earlier claim id (claims.claim_id).';
COMMENT ON COLUMN v_contradictions.claim_b IS 'Later claim id (claims.claim_id).';
COMMENT ON COLUMN v_contradictions.unit IS 'Unit of the bounds and the gap.';
COMMENT ON COLUMN v_contradictions.a_as_of IS 'Earlier claim: date the figure refers to.';
COMMENT ON COLUMN v_contradictions.b_as_of IS 'Later claim: date the figure refers to.';
COMMENT ON COLUMN v_contradictions.a_source IS 'Earlier claim: who is quoted, by name when known.';
COMMENT ON COLUMN v_contradictions.b_source IS 'Later claim: who is quoted, by name when known.';

COMMENT ON VIEW v_event_timeline IS 'Every reported value per event and attribute, in publication order, with the previous report and conflict flags.';
COMMENT ON COLUMN v_event_timeline.event_id IS 'The occurrence (events.event_id).';
COMMENT ON COLUMN v_event_timeline.event_label IS 'Headline label of the event (events.label): Russia–Ukraine talks, Istanbul, 16 May 2025.';
COMMENT ON COLUMN v_event_timeline.story_type IS 'Story type of the event.';
COMMENT ON COLUMN v_event_timeline.occurrence_date IS 'The day the event happened, when known.';
COMMENT ON COLUMN v_event_timeline.attribute IS 'Catalog attribute id.';
COMMENT ON COLUMN v_event_timeline.kind IS 'fixed or cumulative.';
COMMENT ON COLUMN v_event_timeline.unit IS 'Unit of the interval.';
COMMENT ON COLUMN v_event_timeline.report_no IS '1 for the first report of this event and attribute, 2 for the next, ...';
COMMENT ON COLUMN v_event_timeline.reported_at IS 'Publication time of the article (fetch time when it has none).';
COMMENT ON COLUMN v_event_timeline.as_of IS 'Date the figure refers to.';
COMMENT ON COLUMN v_event_timeline.publisher IS 'Outlet.';
COMMENT ON COLUMN v_event_timeline.value_text IS 'The figure as written.';
COMMENT ON COLUMN v_event_timeline.value_low IS 'Lower bound (NULL = unbounded).';
COMMENT ON COLUMN v_event_timeline.value_high IS 'Upper bound (NULL = unbounded).';
COMMENT ON COLUMN v_event_timeline.hedge IS 'Wording that set the interval.';
COMMENT ON COLUMN v_event_timeline.scope IS 'whole, per_side, total, subset, projection or running_total.';
COMMENT ON COLUMN v_event_timeline.prev_low IS 'Lower bound of the previous report of this event and attribute.';
COMMENT ON COLUMN v_event_timeline.prev_high IS 'Upper bound of the previous report.';
COMMENT ON COLUMN v_event_timeline.in_conflict IS 'This report is one side of at least one conflict.';
COMMENT ON COLUMN v_event_timeline.conflicts IS 'Conflicts this report is part of.';
COMMENT ON COLUMN v_event_timeline.quote IS 'Exact quote from the article.';
COMMENT ON COLUMN v_event_timeline.url IS 'Article URL.';
COMMENT ON COLUMN v_event_timeline.claim_id IS 'claims.claim_id.';
COMMENT ON COLUMN v_event_timeline.article_id IS 'articles.article_id.';

COMMENT ON VIEW v_feed_health IS 'Per feed: last status and error, failures, back-off and pausing, entries in the last 24 hours.';
COMMENT ON COLUMN v_feed_health.feed_name IS 'Feed id.';
COMMENT ON COLUMN v_feed_health.url IS 'Feed URL.';
COMMENT ON COLUMN v_feed_health.last_status IS 'Outcome of the last poll.';
COMMENT ON COLUMN v_feed_health.last_http_status IS 'HTTP status of the last poll.';
COMMENT ON COLUMN v_feed_health.last_error IS 'Error of the last failed poll.';
COMMENT ON COLUMN v_feed_health.consecutive_failures IS 'Failed polls in a row.';
COMMENT ON COLUMN v_feed_health.last_success_at IS 'When a poll last succeeded.';
COMMENT ON COLUMN v_feed_health.last_polled_at IS 'When the feed was last polled.';
COMMENT ON COLUMN v_feed_health.entries_last_24h IS 'Entries first seen in the last 24 hours.';
COMMENT ON COLUMN v_feed_health.not_modified_ratio IS 'Share of polls answered 304 Not Modified.';
COMMENT ON COLUMN v_feed_health.polls IS 'Polls so far.';
COMMENT ON COLUMN v_feed_health.failure_score IS 'Weighted recent failures (drives back-off and pausing).';
COMMENT ON COLUMN v_feed_health.poll_interval_s IS 'Current adaptive poll interval, seconds.';
COMMENT ON COLUMN v_feed_health.next_poll_at IS 'Earliest next poll.';
COMMENT ON COLUMN v_feed_health.paused_until IS 'Paused until this time (NULL = not paused).';
COMMENT ON COLUMN v_feed_health.paused_reason IS 'Why the feed is paused.';
COMMENT ON COLUMN v_feed_health.last_note IS 'A non-error worth knowing (empty feed, charset corrected).';
COMMENT ON COLUMN v_feed_health.pages_failed IS 'Entries of this feed whose page fetch failed.';
COMMENT ON COLUMN v_feed_health.last_page_error IS 'Error of the most recent failed or skipped page.';
COMMENT ON COLUMN v_feed_health.entries_duplicate IS 'Entries recognised as copies of stored articles.';
COMMENT ON COLUMN v_feed_health.deferred IS 'Why the feed was due but not contacted, when no poll came since: "deferred: origin backing off until ... (reason)".';

-- schema bookkeeping -----------------------------------------------------------------------------
COMMENT ON TABLE schema_state IS 'One row each time the DDL of sql/schema/ was applied to this file; a writer re-applies it only when the files changed.';
COMMENT ON COLUMN schema_state.fingerprint IS 'SHA-256 of the names and texts of the sql/schema/ files applied.';
COMMENT ON COLUMN schema_state.applied_at IS 'When they were applied.';
