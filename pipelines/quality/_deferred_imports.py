"""Great Expectations imports, at its own import, two libraries that the gate never runs:
``scipy.stats`` (for the distribution expectations: KL divergence, KS tests) and ``altair`` (to
draw those expectations' charts). Together they are about a quarter of its import, which every
process that validates pays (a second or two of CPU). This module, imported by
``pipelines.quality`` before anything that imports GX, puts a stand-in for each in
``sys.modules``: the real module is imported the first time anything reads one of its
attributes, so whatever uses them still gets them, only later.

A module that is already imported, or that is not installed, is left as it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

DEFERRED = ("scipy.stats", "altair")
_lock = threading.Lock()


class DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is read. It carries the real module's
    spec, so the import system takes it for an imported module (``import x``, ``from p import x``
    bind the stand-in without loading anything)."""

    def __init__(self, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(spec.name)
        self.__spec__ = spec
        self.__loader__ = spec.loader
        self.__package__ = spec.parent if spec.submodule_search_locations is None else spec.name

    def __getattr__(self, attr: str) -> Any:  # only called for what the stand-in itself lacks
        return getattr(load(self.__name__), attr)


def load(name: str) -> types.ModuleType:
    """The real module ``name``: imported now if only its stand-in is in ``sys.modules``."""
    with _lock:
        found = sys.modules.get(name)
        if isinstance(found, DeferredModule):
            del sys.modules[name]
            real = importlib.import_module(name)
            parent, _, child = name.rpartition(".")
            if parent and parent in sys.modules:
                setattr(sys.modules[parent], child, real)
            return real
    return importlib.import_module(name)


def defer(name: str) -> None:
    """Put a stand-in for ``name`` in ``sys.modules`` unless it is imported already or missing."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return
    if spec is None:
        return
    sys.modules[name] = DeferredModule(spec)


for _name in DEFERRED:
    defer(_name)
