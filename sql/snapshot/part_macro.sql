-- Which part of the analyst copy a row written at ts belongs to: its UTC hour while it is from
-- today or yesterday (where a run's writes land), its UTC day once it is older. A run so rewrites
-- an hour or two; once a day yesterday's hours fold into one day part; a table of a year has
-- about 400 parts, not 9,000. NULL ts: the part 'all'. "Today" is fixed once per publish (the
-- variable snapshot_today, a UTC day number), so every statement of one publish cuts alike.
CREATE OR REPLACE TEMP MACRO snapshot_part(ts) AS
    CASE
        WHEN ts IS NULL THEN 'all'
        WHEN epoch_ms(ts) // 86400000 >= getvariable('snapshot_today') - 1 THEN 'h' || (epoch_ms(ts) // 3600000)
        ELSE 'd' || (epoch_ms(ts) // 86400000)
    END
