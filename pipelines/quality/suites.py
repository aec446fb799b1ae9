"""Expectation suites: Great Expectations JSON files in ``expectations/``, one per checked table.

A suite file is GX's own suite format (``name``, ``expectations`` of ``{"type", "kwargs", "meta"}``)
plus two keys in its top-level ``meta``: ``table`` (which table it checks) and ``row_key`` (that
table's key column). Every expectation carries ``meta.name``: the short name operators see as the
quarantine reason, so it must be unique within the suite. Value sets that depend on configuration
are written as GX suite parameters, ``{"$PARAMETER": "<name>"}``, filled in by ``suite_parameters``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.claims.catalog import Catalog
from pipelines.settings import Settings


class SuiteError(ValueError):
    pass


@dataclass(frozen=True)
class Suite:
    name: str
    table: str
    row_key: str
    expectations: tuple[dict[str, Any], ...]
    path: Path

    def gx_dict(self) -> dict[str, Any]:
        """The suite as GX's ExpectationSuite takes it."""
        return {"name": self.name, "expectations": [dict(e) for e in self.expectations]}


def parse_suite(data: Any, path: Path) -> Suite:
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise SuiteError(f"{path}: a suite needs 'name' and a list of 'expectations'")
    meta = data.get("meta") or {}
    table, row_key = meta.get("table"), meta.get("row_key")
    if not data.get("name") or not table or not row_key:
        raise SuiteError(f"{path}: needs 'name', 'meta.table' and 'meta.row_key'")
    names: set[str] = set()
    for i, exp in enumerate(data["expectations"]):
        if not isinstance(exp, dict) or not exp.get("type") or not isinstance(exp.get("kwargs"), dict):
            raise SuiteError(f"{path}: expectation {i} needs 'type' and 'kwargs'")
        name = (exp.get("meta") or {}).get("name")
        if not name:
            raise SuiteError(f"{path}: expectation {i} ({exp['type']}) needs 'meta.name'")
        if name in names:
            raise SuiteError(f"{path}: expectation name {name!r} is used twice")
        names.add(name)
    return Suite(str(data["name"]), str(table), str(row_key), tuple(data["expectations"]), path)


def load_suites(folder: Path) -> dict[str, Suite]:
    """Every ``*.json`` suite in ``folder``, keyed by the table it checks."""
    suites: dict[str, Suite] = {}
    for path in sorted(Path(folder).glob("*.json")):
        suite = parse_suite(json.loads(path.read_text(encoding="utf-8")), path)
        if suite.table in suites:
            raise SuiteError(f"{path}: table {suite.table!r} already has a suite ({suites[suite.table].path})")
        suites[suite.table] = suite
    return suites


def suite_parameters(settings: Settings, catalog: Catalog) -> dict[str, Any]:
    """Values for the ``$PARAMETER`` placeholders: the configured languages and the catalog."""
    vocabulary = sorted(catalog.vocabulary())
    return {
        "languages": sorted(settings.language_set),
        "catalog_attributes": vocabulary,
        "catalog_attribute_units": [[name, catalog.unit_of(name)] for name in vocabulary],
        "catalog_attribute_kinds": [[name, catalog.kind_of(name)] for name in vocabulary],
    }
