"""Stable ids: content hashes, so a retried or re-run task writes the same keys again."""

from __future__ import annotations

import hashlib


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id from the parts (None and numbers are rendered canonically)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(b"\x1f")
        h.update(("" if part is None else repr(part) if isinstance(part, float) else str(part)).encode("utf-8"))
    return h.hexdigest()[:length]


def content_hash(text: str) -> str:
    """Hash of a text with whitespace runs collapsed, so re-wrapped copies hash the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
