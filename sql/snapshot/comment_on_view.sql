-- Carry a description over to the analyst file (COMMENT ON takes no bound parameters: the
-- publisher puts in the quoted name and text).
COMMENT ON VIEW {name} IS {text}
