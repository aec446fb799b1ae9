"""Every scope the extraction gives is one the claims suite accepts.

A scope missing from the suite's ``scope_known`` set quarantines every claim that carries it, so
the store would lose what ``newswatch analyze`` reports (as it did with one party's release in an
uneven swap, scope ``one_side``)."""

from __future__ import annotations

from pipelines.analyze import analyze_articles, load_articles
from pipelines.claims.catalog import load_catalog
from pipelines.quality.suites import load_suites
from pipelines.settings import PROJECT_ROOT

DEV_SETS = PROJECT_ROOT / "tests" / "fixtures" / "dev"


def known_scopes() -> set[str]:
    suite = load_suites(PROJECT_ROOT / "expectations")["claims"]
    (rule,) = [e for e in suite.expectations if (e.get("meta") or {}).get("name") == "scope_known"]
    return set(rule["kwargs"]["value_set"])


def test_every_scope_extracted_from_the_dev_sets_is_known_to_the_claims_suite() -> None:
    articles = [a for d in sorted(DEV_SETS.iterdir()) if (d / "articles").is_dir()
                for a in load_articles(d / "articles")]
    scopes = {c.scope for c in analyze_articles(articles, load_catalog()).claims}
    # The dev sets exercise wholes, sides and parts; fewer would make this check hollow.
    assert {"whole", "per_side", "one_side", "subset"} <= scopes
    assert scopes <= known_scopes()
