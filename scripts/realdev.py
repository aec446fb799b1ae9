"""The real-reporting development sets under tests/fixtures/realdev (see its README.md).

Usage:
  python scripts/realdev.py check [SET ...]     committed files consistent; rebuilt texts intact
  python scripts/realdev.py build [SET ...]     write SET/build/ (gold with quotes, pairs) for `newswatch eval`
  python scripts/realdev.py score [--json] [SET ...]   the real eval on every available set, and pooled
  python scripts/realdev.py add SET --response FILE --url URL --id ID --publisher P --story S --occurrence O
                                [--published ISO] [--title T]    store one page's text and its manifest entry
  python scripts/realdev.py rebuild SET RESPONSE ...   write the texts of SET found in saved responses

A response FILE is one stored-page search answer saved as JSON: {"query": ..., "results": [{"url",
"excerpt"}, ...]}. The text of an article is the excerpt exactly as returned. SET is a set's name
(disasters, politics, negatives, transport, regions, politics-2, ...) or its folder. Exits non-zero on any problem.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.evaluation import realdev  # noqa: E402

REALDEV = ROOT / "tests" / "fixtures" / "realdev"
ENTRY_FIELDS = {"id", "url", "publisher", "published", "title", "story", "occurrence", "queries", "sha256",
                "chars", "cleaning"}
CLAIM_FIELDS = {"id", "article", "event", "attribute", "value_low", "value_high", "as_of", "quote", "span", "note"}
CLEANING = "excerpt as returned, unchanged"


def _check_gold_module() -> Any:
    spec = importlib.util.spec_from_file_location("check_gold", ROOT / "scripts" / "check_gold.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_gold = _check_gold_module()


def _root(name: str) -> Path:
    path = Path(name)
    return path if path.is_dir() else REALDEV / name


def _roots(names: list[str]) -> list[Path]:
    return [_root(n) for n in names] if names else realdev.realdev_sets(REALDEV)


# --- check ---------------------------------------------------------------------------------------


def check_manifest(root: Path, manifest: dict[str, Any]) -> list[str]:
    errors = []
    if manifest.get("set") != root.name:
        errors.append(f"manifest set {manifest.get('set')!r} is not the folder's name {root.name!r}")
    seen: set[str] = set()
    for e in manifest["articles"]:
        aid = e.get("id", "?")
        if set(e) != ENTRY_FIELDS:
            errors.append(f"{aid}: manifest fields {sorted(set(e) ^ ENTRY_FIELDS)} missing or unexpected")
            continue
        if aid in seen or not aid.startswith(root.name + "-"):
            errors.append(f"{aid}: duplicate id or not prefixed {root.name}-")
        seen.add(aid)
        if not e["queries"] or not all(isinstance(q, str) and q for q in e["queries"]):
            errors.append(f"{aid}: needs the exact queries that return the page")
        if e["published"] is not None:
            try:
                check_gold.dt.datetime.fromisoformat(e["published"])
            except ValueError:
                errors.append(f"{aid}: published {e['published']!r} is not ISO 8601")
    return errors


def check_committed(root: Path) -> list[str]:
    """What can be checked without the texts: manifest, claims (fields, intervals, attributes,
    spans inside the recorded length) and pairs. Runs in CI."""
    manifest = realdev.load_manifest(root)
    errors = check_manifest(root, manifest)
    chars = {e["id"]: e.get("chars", 0) for e in manifest["articles"]}
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    for g in gold:
        if set(g) != CLAIM_FIELDS:
            errors.append(f"{g.get('id')}: claim fields {sorted(set(g) ^ CLAIM_FIELDS)} missing or unexpected")
            continue
        if not str(g["id"]).startswith(root.name + "-"):
            errors.append(f"{g['id']}: gold id not prefixed {root.name}- (ids must stay unique when sets are pooled)")
        if g["quote"] is not None:
            errors.append(f"{g['id']}: quote must be null in the committed gold (it is filled from span)")
        if g["article"] not in chars:
            errors.append(f"{g['id']}: unknown article {g['article']}")
            continue
        start, end = g["span"]
        if not 0 <= start < end <= chars[g["article"]]:
            errors.append(f"{g['id']}: span {g['span']} outside the text ({chars[g['article']]} chars)")
    errors += check_gold.check_claims(gold, None)
    errors += check_gold.check_pairs(gold, realdev.load_pairs(root))
    return errors


def check_texts(root: Path) -> list[str]:
    """Rebuilt texts: present, as recorded (sha256, length, fields), and the quotes made from spans
    pass the same checks as every other set's quotes."""
    errors = []
    manifest = realdev.load_manifest(root)
    for e in manifest["articles"]:
        path = realdev.article_path(root, e["id"])
        if not path.is_file():
            errors.append(f"{e['id']}: text not rebuilt ({path.relative_to(root)})")
            continue
        article = json.loads(path.read_text(encoding="utf-8"))
        text = article.get("text") or ""
        if realdev.sha256_text(text) != e["sha256"] or len(text) != e["chars"]:
            errors.append(f"{e['id']}: text differs from the manifest (sha256 or length)")
        for key in ("id", "url", "publisher", "published", "title"):
            if article.get(key) != e[key]:
                errors.append(f"{e['id']}: article {key} {article.get(key)!r} differs from the manifest")
    if errors:
        return errors
    article_errors, articles = check_gold.check_articles(root, words=None)
    return article_errors + check_gold.check_claims(realdev.gold_with_quotes(root), articles)


def cmd_check(args: argparse.Namespace) -> int:
    failed = False
    for root in _roots(args.sets):
        errors = check_committed(root)
        present = (root / "articles").is_dir()
        if not errors and present:
            errors = check_texts(root)
        for e in errors:
            print(f"{root.name}: {e}")
        failed |= bool(errors)
        if not errors:
            print(f"{root.name}: ok" + ("" if present else " (texts not rebuilt: committed files only)"))
    return 1 if failed else 0


# --- build / score -------------------------------------------------------------------------------


def build(root: Path) -> Path:
    out = root / "build"
    out.mkdir(exist_ok=True)
    gold = realdev.gold_with_quotes(root)
    (out / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(root / "expected_conflicts.json", out / "expected_conflicts.json")
    return out


def cmd_build(args: argparse.Namespace) -> int:
    for root in _roots(args.sets):
        errors = check_committed(root) + check_texts(root)
        if errors:
            print("\n".join(f"{root.name}: {e}" for e in errors))
            return 1
        out = build(root)
        print(f"{root.name}: wrote {out.relative_to(ROOT)}")
    return 0


def _summary(result: dict[str, Any]) -> str:
    from pipelines.evaluation.report import summary_line

    c, x = result["claims"], result["conflicts"]
    return (f"{summary_line(result)} | spurious claims per 10 pages {c['spurious_per_10_pages']}"
            f" | conflicts reported {x['predicted']} | traps hit {c['trap_hits']}/{c['trap_gold']}")


def cmd_score(args: argparse.Namespace) -> int:
    from pipelines.claims.catalog import load_catalog
    from pipelines.evaluation.gate import eval_sets, run_set

    wanted = {f"realdev/{_root(n).name}" for n in args.sets}
    catalog = load_catalog()
    results = {}
    for eval_set in eval_sets():
        if not eval_set.name.startswith("realdev/") or (wanted and eval_set.name not in wanted):
            continue
        if not eval_set.available():
            print(f"{eval_set.name}: skipped (texts not rebuilt)")
            continue
        result = run_set(eval_set, catalog)
        results[eval_set.name] = result
        if not args.json:
            print(f"{eval_set.name}: {_summary(result)}")
    if args.json:
        print(json.dumps({name: {**r, "summary": _summary(r)} for name, r in results.items()}, default=str))
    return 0


# --- collecting and rebuilding texts -------------------------------------------------------------


def _write_article(root: Path, entry: dict[str, Any], text: str) -> None:
    path = realdev.article_path(root, entry["id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    article = {k: entry[k] for k in ("id", "url", "publisher", "published", "title")} | {"text": text}
    path.write_text(json.dumps(article, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    (root / realdev.MANIFEST).write_text(text, encoding="utf-8")


def _response(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def cmd_add(args: argparse.Namespace) -> int:
    root = _root(args.set)
    response = _response(Path(args.response))
    excerpts = [r["excerpt"] for r in response["results"] if r["url"] == args.url]
    if not excerpts:
        print(f"{args.url} is not among the results of {args.response}")
        return 1
    text = excerpts[0]
    manifest = realdev.load_manifest(root) if realdev.is_realdev_set(root) else {"set": root.name, "articles": []}
    entry = next((e for e in manifest["articles"] if e["id"] == args.id), None)
    if entry is not None and entry["url"] != args.url:
        print(f"{args.id} already names {entry['url']}")
        return 1
    if entry is None:
        entry = {"id": args.id, "queries": []}
        manifest["articles"].append(entry)
    queries = entry["queries"] + ([response["query"]] if response["query"] not in entry["queries"] else [])
    entry.update({
        "url": args.url, "publisher": args.publisher, "published": args.published, "title": args.title,
        "story": args.story, "occurrence": args.occurrence, "queries": queries,
        "sha256": realdev.sha256_text(text), "chars": len(text), "cleaning": CLEANING,
    })
    _write_manifest(root, manifest)
    _write_article(root, entry, text)
    print(f"{args.id}: {len(text)} chars from {args.url}")
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    root = _root(args.set)
    manifest = realdev.load_manifest(root)
    written = 0
    for path in args.responses:
        response = _response(Path(path))
        for e in manifest["articles"]:
            for r in response["results"]:
                if r["url"] == e["url"] and realdev.sha256_text(r["excerpt"]) == e["sha256"]:
                    _write_article(root, e, r["excerpt"])
                    written += 1
                    break
    missing = [e["id"] for e in manifest["articles"] if not realdev.article_path(root, e["id"]).is_file()]
    print(f"{root.name}: {written} texts written; still missing: {', '.join(missing) or 'none'}")
    return 1 if missing else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="realdev.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("check", cmd_check), ("build", cmd_build)):
        p = sub.add_parser(name)
        p.add_argument("sets", nargs="*")
        p.set_defaults(func=func)
    p = sub.add_parser("score")
    p.add_argument("--json", action="store_true")
    p.add_argument("sets", nargs="*")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("add")
    p.add_argument("set")
    for opt in ("response", "url", "id", "publisher", "story", "occurrence"):
        p.add_argument(f"--{opt}", required=True)
    p.add_argument("--published")
    p.add_argument("--title")
    p.set_defaults(func=cmd_add)
    p = sub.add_parser("rebuild")
    p.add_argument("set")
    p.add_argument("responses", nargs="+")
    p.set_defaults(func=cmd_rebuild)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
