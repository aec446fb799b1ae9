"""Real-reporting development sets (``tests/fixtures/realdev/<set>/``).

Real articles may not be committed, so such a set keeps in the repository only a manifest (where
each text comes from and its sha256), gold claims that locate their figure by character ``span``
instead of quoting it, and the expected pairs. The texts are rebuilt into ``<set>/articles/``
(git-ignored). This module reads that layout: which sets exist, whether their texts are present
and intact, and the gold claims with their quotes filled in from the texts.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_realdev_set(root: Path) -> bool:
    return (root / MANIFEST).is_file()


def realdev_sets(parent: Path) -> list[Path]:
    """Set folders under ``parent`` that have a committed manifest, by name."""
    return sorted(p for p in parent.iterdir() if is_realdev_set(p)) if parent.is_dir() else []


def load_manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / MANIFEST).read_text(encoding="utf-8"))


def article_path(root: Path, article_id: str) -> Path:
    return root / "articles" / f"{article_id}.json"


def load_text(root: Path, article_id: str) -> str | None:
    path = article_path(root, article_id)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("text")


def texts_present(root: Path) -> bool:
    """Every text of the manifest is rebuilt and matches its sha256 (a changed text would shift the
    gold spans, so it is treated as absent rather than scored wrongly)."""
    entries = load_manifest(root)["articles"]
    for entry in entries:
        text = load_text(root, entry["id"])
        if text is None or sha256_text(text) != entry["sha256"]:
            return False
    return bool(entries)


def gold_with_quotes(root: Path) -> list[dict[str, Any]]:
    """The set's gold claims in the eval format: each ``quote`` is the text at its ``span``."""
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    texts: dict[str, str | None] = {}
    out = []
    for g in gold:
        article = g["article"]
        if article not in texts:
            texts[article] = load_text(root, article)
        text = texts[article]
        if text is None:
            raise FileNotFoundError(f"{root.name}: text of {article} is not rebuilt ({article_path(root, article)})")
        start, end = g["span"]
        out.append({**g, "quote": text[start:end]})
    return out


def load_pairs(root: Path) -> dict[str, Any]:
    return json.loads((root / "expected_conflicts.json").read_text(encoding="utf-8"))
