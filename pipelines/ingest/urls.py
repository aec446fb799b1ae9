"""Canonical article URLs: the key that makes the same page fetched twice one article."""

from __future__ import annotations

from urllib.parse import urldefrag

import courlan


def canonical_url(url: str) -> str:
    """The URL with tracking parameters and fragments removed and its parts normalised."""
    cleaned = courlan.clean_url(url) or url
    try:
        normalized = courlan.normalize_url(cleaned)
    except ValueError:
        normalized = cleaned
    # Not courlan's strict mode: it also drops ordinary query parameters, and "?story=123" style
    # URLs would then collapse into one article. A fragment never selects a different page.
    return urldefrag(normalized).url
