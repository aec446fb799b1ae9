-- Detection recomputes every contradiction from the published claims: start from an empty stage.
DELETE FROM stg_contradictions;
