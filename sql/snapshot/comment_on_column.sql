-- Carry a column description over to the analyst file (the publisher puts in quoted names and text).
COMMENT ON COLUMN {name}.{column} IS {text}
