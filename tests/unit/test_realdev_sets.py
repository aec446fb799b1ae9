"""The real-reporting sets' committed files are consistent without their texts (manifest fields and
ids, claims locate their figure by a span inside the recorded length, attributes known, every
non-overlapping pair classified), and the checks catch what they should on a set of our own."""

import importlib.util
import json
from pathlib import Path

import pytest

from pipelines.evaluation import realdev
from pipelines.evaluation.gate import REALDEV, REALDEV_POOLED, EvalSet, eval_sets

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("realdev_script", ROOT / "scripts" / "realdev.py")
assert spec and spec.loader
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)

SETS = realdev.realdev_sets(REALDEV)

TEXT_A = "Quake toll climbs to 120\n\nAt least 120 people died in the quake, officials said on Monday."
TEXT_B = "The toll from the quake reached 180 on Tuesday, with 40 still missing."


def test_there_are_real_reporting_sets():
    assert SETS, "no set with a manifest under tests/fixtures/realdev"


@pytest.mark.parametrize("root", SETS, ids=lambda p: p.name)
def test_committed_set_is_consistent(root):
    assert script.check_committed(root) == []


def test_sets_collected_later_are_scored_alone_and_never_pooled():
    # the held-out set measures generalisation: pooling it would let its floors move with the pool
    by_name = {s.name: s for s in eval_sets()}
    for root in SETS:
        assert by_name[f"realdev/{root.name}"].dirs == (root,)
    later = {root.name for root in SETS} - set(REALDEV_POOLED)
    assert {"transport", "holdout", "negatives-holdout", "regions", "negatives-2", "politics-2"} <= later
    pooled = by_name["realdev/all"].dirs if "realdev/all" in by_name else ()
    assert not later & {d.name for d in pooled}


def _entry(aid: str, text: str) -> dict:
    return {"id": aid, "url": f"https://example.org/{aid}", "publisher": "Example", "published": None,
            "title": None, "story": "earthquake", "occurrence": "a quake", "queries": ["quake toll"],
            "sha256": realdev.sha256_text(text), "chars": len(text), "cleaning": script.CLEANING}


def _claim(cid: str, article: str, text: str, phrase: str, low: int, as_of: str | None) -> dict:
    start = text.index(phrase)
    return {"id": cid, "article": article, "event": "quake", "attribute": "death_toll", "value_low": low,
            "value_high": None if phrase.startswith("At least") else low, "as_of": as_of, "quote": None,
            "span": [start, start + len(phrase)], "note": "toll"}


@pytest.fixture
def own_set(tmp_path):
    """A two-article set written by us, with its texts rebuilt."""
    root = tmp_path / "quakes"
    root.mkdir()
    entries = [_entry("quakes-1", TEXT_A), _entry("quakes-2", TEXT_B)]
    (root / "manifest.json").write_text(json.dumps({"set": "quakes", "articles": entries}))
    gold = [_claim("quakes-g1", "quakes-1", TEXT_A, "At least 120", 120, "2024-01-01"),
            _claim("quakes-g2", "quakes-2", TEXT_B, "180", 180, "2024-01-02")]
    (root / "gold.json").write_text(json.dumps(gold))
    (root / "expected_conflicts.json").write_text(
        json.dumps({"conflicts": [], "updates": [{"a": "quakes-g1", "b": "quakes-g2"}], "ambiguous": []}))
    for entry, text in zip(entries, (TEXT_A, TEXT_B), strict=True):
        script._write_article(root, entry, text)
    return root


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_own_set_passes_and_quotes_come_from_spans(own_set):
    assert script.check_committed(own_set) == []
    assert script.check_texts(own_set) == []
    assert [g["quote"] for g in realdev.gold_with_quotes(own_set)] == ["At least 120", "180"]
    assert EvalSet("realdev/quakes", (own_set,)).available()


def test_a_changed_or_missing_text_makes_the_set_unavailable(own_set):
    _edit(own_set / "articles" / "quakes-2.json", lambda a: a.update(text=a["text"].replace("180", "190")))
    assert any("differs from the manifest" in e for e in script.check_texts(own_set))
    assert not EvalSet("realdev/quakes", (own_set,)).available()
    (own_set / "articles" / "quakes-2.json").unlink()
    assert any("not rebuilt" in e for e in script.check_texts(own_set))
    assert not EvalSet("realdev/quakes", (own_set,)).available()


def test_committed_checks_catch_spans_quotes_and_unclassified_pairs(own_set):
    _edit(own_set / "gold.json", lambda g: g[1].update(span=[60, 80]))
    _edit(own_set / "gold.json", lambda g: g[0].update(quote="At least 120", value_high=120))
    (own_set / "expected_conflicts.json").write_text(json.dumps({"conflicts": [], "updates": [], "ambiguous": []}))
    errors = script.check_committed(own_set)
    assert any("outside the text" in e for e in errors)
    assert any("quote must be null" in e for e in errors)
    assert any("unclassified non-overlapping pair" in e for e in errors)


def test_build_writes_an_eval_gold_set(own_set):
    out = script.build(own_set)
    gold = json.loads((out / "gold.json").read_text())
    assert gold[0]["quote"] == "At least 120" and TEXT_A.find(gold[0]["quote"]) == gold[0]["span"][0]
    assert json.loads((out / "expected_conflicts.json").read_text())["updates"]


def test_add_and_rebuild_take_the_excerpt_unchanged(tmp_path):
    root = tmp_path / "quakes"
    root.mkdir()
    response = tmp_path / "response.json"
    response.write_text(json.dumps({"query": "quake toll", "results": [
        {"url": "https://example.org/a", "excerpt": TEXT_A}, {"url": "https://example.org/b", "excerpt": TEXT_B}]}))
    args = ["add", str(root), "--response", str(response), "--url", "https://example.org/b", "--id", "quakes-7",
            "--publisher", "Example", "--story", "earthquake", "--occurrence", "a quake"]
    assert script.main(args) == 0
    entry = realdev.load_manifest(root)["articles"][0]
    assert entry["queries"] == ["quake toll"] and entry["sha256"] == realdev.sha256_text(TEXT_B)
    (root / "articles" / "quakes-7.json").unlink()
    assert script.main(["rebuild", str(root), str(response)]) == 0
    assert realdev.load_text(root, "quakes-7") == TEXT_B
