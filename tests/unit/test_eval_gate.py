"""The evaluation gate: every eval set scores at least its stored floor, and floors only go up."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.evaluation.gate import (
    FLOORS,
    ROOT,
    EvalSet,
    below_floor,
    eval_sets,
    load_floors,
    lowered_floors,
    run_set,
)

FLOOR_VALUES = load_floors()


def _demo_set(tmp: Path) -> EvalSet:
    from pipelines.demo.corpus import export_eval_set

    export_eval_set(tmp)
    return EvalSet("demo", (tmp,))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("eval_set", eval_sets(), ids=lambda s: s.name)
def test_eval_set_meets_its_floors(eval_set, catalog):
    if not eval_set.available():
        pytest.skip(f"{eval_set.name}: gold set not present beside this checkout")
    assert eval_set.name in FLOOR_VALUES, f"no floors stored for {eval_set.name}"
    problems = below_floor(run_set(eval_set, catalog), FLOOR_VALUES[eval_set.name])
    assert not problems, f"{eval_set.name}: " + "; ".join(problems)


def test_demo_corpus_meets_its_floors(tmp_path, catalog):
    problems = below_floor(run_set(_demo_set(tmp_path), catalog), FLOOR_VALUES["demo"])
    assert not problems, "demo: " + "; ".join(problems)


def test_every_set_has_floors():
    names = {s.name for s in eval_sets()} | {"demo"}
    assert names <= set(FLOOR_VALUES), f"sets without floors: {names - set(FLOOR_VALUES)}"


def _committed_versions() -> list[dict]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    rel = FLOORS.relative_to(ROOT).as_posix()
    revs = subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=ROOT, capture_output=True, text=True).stdout.split()
    versions = []
    for rev in revs:
        shown = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            versions.append(json.loads(shown.stdout)["floors"])
    return versions


def test_floors_are_never_lowered():
    problems = [p for old in _committed_versions() for p in lowered_floors(old, FLOOR_VALUES)]
    assert not problems, "floors may only be raised: " + "; ".join(sorted(set(problems)))


def test_lowering_a_floor_is_detected():
    old = {"seeds": {"claims_f1": 0.9, "false_alarms_max": 0}}
    assert lowered_floors(old, {"seeds": {"claims_f1": 0.8, "false_alarms_max": 0}})
    assert lowered_floors(old, {"seeds": {"claims_f1": 0.9, "false_alarms_max": 2}})
    assert lowered_floors(old, {})
    assert not lowered_floors(old, {"seeds": {"claims_f1": 0.95, "false_alarms_max": 0}})


def test_eval_command_prints_the_summary_line():
    seeds = ROOT.parent / "shared" / "eval" / "seeds"
    if not (seeds / "gold.json").is_file():
        pytest.skip("seeds not present beside this checkout")
    exe = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "newswatch"
    cmd = [str(exe) if exe.exists() else "newswatch", "eval", "--articles", str(seeds / "articles"),
           "--gold", str(seeds / "gold.json"), "--pairs", str(seeds / "expected_conflicts.json")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    assert out.startswith("claims P=") and "| events F1=" in out and "| conflicts P=" in out and "false alarms" in out
