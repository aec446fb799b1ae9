"""The claim grammar is data with small readers around it: no function in pipelines/claims/ grows
past about 80 lines (a longer one is a reader that should be split or a rule that should be data)."""

from __future__ import annotations

import ast
from pathlib import Path

CLAIMS = Path(__file__).resolve().parents[2] / "pipelines" / "claims"
MAX_FUNCTION_LINES = 80


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """The functions of ``source`` longer than ``limit`` lines, with their lengths."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                out.append((node.name, length))
    return out


def test_the_length_check_finds_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def reader():\n{body}\n") == [("reader", MAX_FUNCTION_LINES + 1)]
    assert long_functions("def short():\n    return 1\n") == []


def test_no_function_of_the_claim_grammar_is_over_80_lines():
    found = {f"{path.name}:{name}": n for path in sorted(CLAIMS.glob("*.py"))
             for name, n in long_functions(path.read_text(encoding="utf-8"))}
    assert found == {}
