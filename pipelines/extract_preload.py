"""Imported by the extraction pool's fork server (``pipelines.parallel``), never by the pipeline:
loads the spaCy pipeline and the place gazetteer there, once, so every worker forked from it starts
with both in memory instead of loading its own copy (about a second of CPU per worker, paid while
the other workers wait for their share of the run).

Best effort: the fork server ignores only an ``ImportError`` of a module it preloads, so any other
failure is swallowed here; a worker then loads them itself and reports what is wrong."""

from __future__ import annotations

import logging

from pipelines.claims.nlp import get_nlp
from pipelines.claims.places import load_gazetteer

try:
    get_nlp()
    load_gazetteer()
except Exception:  # noqa: BLE001 - see the docstring
    logging.getLogger(__name__).debug("preloading the NLP in the fork server failed", exc_info=True)
