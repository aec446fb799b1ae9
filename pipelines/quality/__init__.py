"""Data quality: Great Expectations suites from ``expectations/`` as a gate between writing and publishing.

``run_gate`` validates pending rows and routes them (publish or quarantine); ``report`` renders what
operators read; ``release`` sends a fixed quarantined row back through the gate. Importing this
package imports Great Expectations (about two seconds): import it inside the functions that need it.
"""

# First, before the modules below import Great Expectations: silence it, and defer two libraries
# it imports but the gate never runs until they are used.
from pipelines.quality import _deferred_imports, _quiet_gx  # noqa: F401
from pipelines.quality.gate import STAGED, TABLES, QuarantinedRow, SuiteOutcome, check_table, run_gate
from pipelines.quality.release import parse_assignments, release
from pipelines.quality.report import alarming, operator_message, render_report, summary_line
from pipelines.quality.runner import GxRunner
from pipelines.quality.suites import Suite, SuiteError, load_suites, suite_parameters
from pipelines.reports import report_name, write_report

__all__ = [
    "STAGED", "TABLES", "GxRunner", "QuarantinedRow", "Suite", "SuiteError", "SuiteOutcome", "alarming",
    "check_table", "load_suites", "operator_message", "parse_assignments", "release", "render_report",
    "report_name", "run_gate", "suite_parameters", "summary_line", "write_report",
]
