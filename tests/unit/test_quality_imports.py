"""Importing the quality gate leaves the libraries Great Expectations imports for expectations
the gate never runs (scipy.stats, altair) to be imported when first used: what uses them still
gets the real module."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from pipelines.quality import _deferred_imports


def _fresh(code: str) -> str:
    """Run ``code`` in a new interpreter (a module imported here stays imported), return its output."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          check=True, timeout=300)
    return done.stdout.strip()


def test_the_gate_imports_without_the_deferred_libraries_and_they_load_when_used():
    out = _fresh("""
        import sys
        import pipelines.quality
        from pipelines.quality._deferred_imports import DeferredModule
        from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
        print([type(sys.modules[n]) is DeferredModule for n in ("scipy.stats", "altair")])
        print(kl.stats.entropy([0.5, 0.5], [0.5, 0.5]))  # GX's own reference to the module works
        print(type(sys.modules["scipy.stats"]) is DeferredModule, sys.modules["scipy"].stats is sys.modules["scipy.stats"])
        import altair
        print(altair.Chart.__name__, type(sys.modules["altair"]) is DeferredModule)
    """)
    assert out.splitlines() == ["[True, True]", "0.0", "False True", "Chart False"]


def test_a_module_already_imported_or_not_installed_is_left_alone(monkeypatch):
    before = sys.modules["types"]
    _deferred_imports.defer("types")
    assert sys.modules["types"] is before
    _deferred_imports.defer("no_such_module_anywhere")
    assert "no_such_module_anywhere" not in sys.modules
    _deferred_imports.defer("no_such_package.sub")
    assert "no_such_package.sub" not in sys.modules
