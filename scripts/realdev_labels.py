"""The headline label of each gold event of the real development sets, as the store gives it.

Usage:
  python scripts/realdev_labels.py [SET ...]

Every article of a set goes through the real extraction into a scratch store (as ingestion would
put it there); each gold claim is matched to a stored claim of its article (same attribute, value
within the scorer's tolerance), and the labels of the matched claims' events are printed per gold
event, most frequent first, so that a reader can count the wrong ones. Prints labels and counts
only, never article text. Sets whose texts are not rebuilt are skipped.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import db, flow  # noqa: E402
from pipelines.analyze import load_article_file  # noqa: E402
from pipelines.evaluation import realdev  # noqa: E402
from pipelines.evaluation.matching import value_matches  # noqa: E402
from pipelines.settings import Settings  # noqa: E402

REALDEV = ROOT / "tests" / "fixtures" / "realdev"


def stored_labels(root: Path, home: Path) -> list[dict[str, object]]:
    """The claims of the set's articles after extraction into a scratch store, with their event's label."""
    settings = Settings(home=home, operator_email="", db_path=None, snapshot_path=None, extract_workers=1)
    articles = [load_article_file(p) for p in sorted((root / "articles").glob("*.json"))]
    frame = pd.DataFrame([{
        "article_id": a.article_id, "url": a.url or a.article_id, "canonical_url": a.url or a.article_id,
        "publisher": a.publisher, "title": a.title, "published": a.published, "language": "en", "text": a.text,
        "content_hash": a.article_id, "fetched_at": datetime.now(UTC)} for a in articles])
    with db.session(settings.database) as con:
        con.register("realdev_articles", frame)
        db.run(con, "realdev/store_articles")
    flow.extract(settings)
    with db.session(settings.database, read_only=True) as con:
        return db.rows(con, "realdev/claim_labels")


def labels_by_gold_event(root: Path, claims: list[dict[str, object]]) -> dict[str, Counter[str]]:
    by_article: dict[object, list[dict[str, object]]] = defaultdict(list)
    for c in claims:
        by_article[c["article_id"]].append(c)
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for g in realdev.gold_with_quotes(root):
        match = next((c for c in by_article[g["article"]]
                      if c["attribute"] == g["attribute"] and value_matches(c, g)), None)
        if match is not None:
            found[str(g["event"])][str(match["label"])] += 1
    return found


def main(argv: list[str]) -> int:
    roots = [REALDEV / n for n in argv] if argv else realdev.realdev_sets(REALDEV)
    for root in roots:
        if not realdev.texts_present(root):
            print(f"{root.name}: skipped (texts not rebuilt)")
            continue
        with tempfile.TemporaryDirectory() as home:
            found = labels_by_gold_event(root, stored_labels(root, Path(home)))
        print(f"== {root.name}")
        for event in sorted(found):
            print(f"{event}: " + " | ".join(f"{label} x{n}" for label, n in found[event].most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
