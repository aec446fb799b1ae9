"""Scoring predictions against a gold set (the contract in the eval README)."""

from pipelines.evaluation.score import VOCABULARY, format_report, score, summary_line

__all__ = ["VOCABULARY", "format_report", "score", "summary_line"]
