"""The offline demo: a bundled corpus and a local feed server that releases it over time."""
