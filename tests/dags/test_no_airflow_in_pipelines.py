"""pipelines/ is plain Python: no module there may import Airflow (DAG files do the wiring)."""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINES = Path(__file__).resolve().parents[2] / "pipelines"


def airflow_imports(source: str) -> list[str]:
    """Names of airflow modules imported anywhere in ``source`` (top level or inside functions)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "airflow"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "airflow":
                found.append(node.module)
    return found


def test_detector_sees_every_import_form():
    src = "import os\nimport airflow.sdk as a\ndef f():\n    from airflow.models import Pool\n"
    assert airflow_imports(src) == ["airflow.sdk", "airflow.models"]
    assert airflow_imports("import airflowish\nfrom .airflow import x\n") == []


def test_no_module_under_pipelines_imports_airflow():
    files = sorted(PIPELINES.rglob("*.py"))
    assert files, "pipelines/ has no Python files?"
    offenders = {str(p.relative_to(PIPELINES)): names for p in files if (names := airflow_imports(p.read_text()))}
    assert offenders == {}
