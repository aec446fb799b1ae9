-- One quality run's expectation results as recorded.
-- Params: run_id.
SELECT suite, expectation, expectation_type, column_name, success, element_count, unexpected_count,
       unexpected_percent, CAST(kwargs AS VARCHAR) AS kwargs, exception
FROM validation_results
WHERE run_id = ?
ORDER BY suite, expectation;
