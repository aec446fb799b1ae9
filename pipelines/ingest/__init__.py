"""Ingestion: feeds.yaml -> conditional polls -> feed entries -> fetched, cleaned articles in DuckDB."""
