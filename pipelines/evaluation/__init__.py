"""Scoring predictions against a gold set (the contract in the eval README)."""

from pipelines.evaluation.matching import VOCABULARY
from pipelines.evaluation.report import format_report, summary_line
from pipelines.evaluation.score import score

__all__ = ["VOCABULARY", "format_report", "score", "summary_line"]
