"""Every development set is well formed: quotes are in their articles (after cleaning, for html),
ids are unique, intervals ordered, attributes known, pairs complete (scripts/check_gold.py)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_gold", ROOT / "scripts" / "check_gold.py")
assert spec and spec.loader
check_gold = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_gold)

SETS = sorted(p for p in (ROOT / "tests" / "fixtures" / "dev").iterdir() if (p / "gold.json").is_file())


@pytest.mark.parametrize("root", SETS, ids=lambda p: p.name)
def test_development_set_is_well_formed(root):
    assert check_gold.check_set(root) == []


def test_the_checker_catches_a_quote_that_is_not_in_its_article(tmp_path):
    import json
    import shutil

    broken = tmp_path / "set"
    shutil.copytree(SETS[0], broken)
    gold = json.loads((broken / "gold.json").read_text())
    gold[0]["quote"] = "a sentence no article contains"
    (broken / "gold.json").write_text(json.dumps(gold))
    assert any("quote" in e for e in check_gold.check_set(broken))


def _claim(gid: str, low: float | None, high: float | None, attribute: str = "death_toll") -> dict:
    return {"id": gid, "article": "a1", "event": "e", "attribute": attribute, "value_low": low,
            "value_high": high, "quote": None, "as_of": "2024-01-02"}


def test_a_figure_an_article_repeats_hedged_and_plain_is_one_gold_claim():
    repeated = [_claim("g1", 413, 413), _claim("g2", 413, None)]
    assert any("g2" in e and "annotate it once" in e for e in check_gold.check_claims(repeated, None))
    # two figures that only overlap ("more than 1,000", then "1,175") are two claims
    assert check_gold.check_claims([_claim("g1", 1001, None), _claim("g2", 1175, 1175)], None) == []
    # a trap may repeat: each marks its own sentence
    assert check_gold.check_claims([_claim("g1", 16, 16, "death_toll.students"), _claim("g2", 16, 16, "death_toll.students")], None) == []
