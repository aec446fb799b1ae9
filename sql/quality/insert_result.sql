INSERT INTO validation_results (run_id, suite, expectation, expectation_type, column_name, success,
                                element_count, unexpected_count, unexpected_percent, unexpected_keys,
                                kwargs, exception)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id, suite, expectation) DO UPDATE SET
    success = excluded.success, element_count = excluded.element_count,
    unexpected_count = excluded.unexpected_count, unexpected_percent = excluded.unexpected_percent,
    unexpected_keys = excluded.unexpected_keys, kwargs = excluded.kwargs, exception = excluded.exception;
