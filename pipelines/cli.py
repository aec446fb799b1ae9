"""The `newswatch` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import Settings, get_settings

if TYPE_CHECKING:
    from pipelines.analyze import ArticleFolder


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    if getattr(args, "feeds", None):
        settings = settings.model_copy(update={"feeds": Path(args.feeds)})
    return settings


def cmd_run_once(args: argparse.Namespace) -> int:
    from pipelines import flow
    from pipelines.alerts.smtp import smtp_sender
    from pipelines.lock import pipeline_lock

    settings = _settings(args)
    # the whole run is one writer: a second run-once waits for this one instead of interleaving
    with pipeline_lock(settings.database, settings.lock_timeout):
        flow.run_once(settings, smtp_sender(settings), on_stage=lambda counts: print(counts.line(), flush=True))
    print(f"database: {settings.database}\nanalyst snapshot: {settings.snapshot}")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from pipelines import db
    from pipelines.alerts import requeue, send_pending, smtp_sender, undelivered

    settings = _settings(args)
    if args.action == "list":
        with db.session(settings.database, read_only=True) as con:
            rows = undelivered(con, all_rows=args.all, limit=args.limit)
        for r in rows:
            flags = " possibly-duplicate" if r["possibly_duplicate"] else ""
            when = r["sent_at"] if r["status"] == "sent" else r["next_attempt_at"] or "now"
            print(f"{r['fingerprint']}  {r['status']:<8} attempts={r['attempts']} "
                  f"{'sent' if r['status'] == 'sent' else 'next'}={when}{flags}  {r['subject']}")
            if r["last_error"] and r["status"] != "sent":
                print(f"    last error: {r['last_error']}")
        print(f"{len(rows)} {'alert(s)' if args.all else 'undelivered alert(s)'}")
        return 0
    with db.session(settings.database) as con:
        requeued = requeue(con, args.fingerprint or None)
        stats = send_pending(con, settings, smtp_sender(settings))
    print(f"alerts retry: requeued={requeued}, " + ", ".join(f"{k}={v}" for k, v in stats.items()))
    if stats["errors"] or stats["pending"] or stats["failed"]:
        print(f"newswatch alerts: error: {stats['pending'] + stats['failed']} alert(s) still undelivered "
              f"({stats['errors']} failed attempt(s)); see `newswatch alerts list`", file=sys.stderr)
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from pipelines import flow
    from pipelines.alerts.smtp import smtp_sender

    settings = _settings(args)
    counts = flow.validate(settings, None if args.no_email else smtp_sender(settings), all_rows=args.all)
    print(counts.line())
    print(f"report: {settings.quality_folder / 'report.html'}")
    return 1 if counts.counts.get("suites_failed") else 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from pipelines import db

    settings = _settings(args)
    if args.action == "list":
        with db.session(settings.database) as con:
            rows = db.rows(con, "quality/open_quarantine", {"limit": args.limit})
        for r in rows:
            print(f"{r['quarantine_id']}  {r['table_name']:<14} {r['row_key']:<18} {r['reason']}")
        print(f"{len(rows)} open quarantined row(s)")
        return 0
    from pipelines.quality import parse_assignments, release

    changes = parse_assignments(args.set or [])
    with db.session(settings.database) as con:
        table = release(con, args.quarantine_id, changes)
    print(f"released {args.quarantine_id} ({table}); run `newswatch validate` to check it again")
    return 0


def _read_articles(args: argparse.Namespace) -> ArticleFolder:
    from pipelines.analyze import read_articles

    found = read_articles(Path(args.articles))
    for skipped in found.skipped:
        print(skipped.line(), file=sys.stderr)
    return found


def _skipped_exit(args: argparse.Namespace, found: ArticleFolder) -> int:
    """After the output is written: non-zero when files were skipped (each was listed above)."""
    if not found.skipped:
        return 0
    total = len(found.skipped) + len(found.articles)
    print(f"newswatch {args.command}: error: {len(found.skipped)} of {total} article files skipped (listed above)",
          file=sys.stderr)
    return 1


def cmd_analyze(args: argparse.Namespace) -> int:
    from pipelines.analyze import analyze_articles, event_summary, predictions_json, write_predictions
    from pipelines.claims.catalog import load_catalog

    settings = _settings(args)
    found = _read_articles(args)
    analysis = analyze_articles(found.articles, load_catalog(settings.catalog))
    write_predictions(predictions_json(analysis), Path(args.out))
    print(f"{len(found.articles)} articles, {len(analysis.claims)} claims, "
          f"{len(analysis.contradictions)} contradictions -> {args.out}")
    for label, claims in event_summary(analysis):
        print(f"  {label}: {claims} claims")
    return _skipped_exit(args, found)


def cmd_eval(args: argparse.Namespace) -> int:
    from pipelines.analyze import analyze_articles, predictions_json
    from pipelines.claims.catalog import load_catalog
    from pipelines.evaluation.report import format_report, summary_line
    from pipelines.evaluation.score import score

    settings = _settings(args)
    found = _read_articles(args)
    articles = found.articles
    predictions = predictions_json(analyze_articles(articles, load_catalog(settings.catalog)))
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    pairs = json.loads(Path(args.pairs).read_text(encoding="utf-8"))
    texts = [{"id": a.article_id, "text": a.text} for a in articles]
    metrics = score(predictions, gold, pairs, texts)
    if args.json:
        print(json.dumps({**metrics, "summary": summary_line(metrics)}, default=str))
    else:
        if args.verbose:
            print(format_report(metrics))
        print(summary_line(metrics))
    return _skipped_exit(args, found)


def cmd_reprocess(args: argparse.Namespace) -> int:
    from pipelines.replay import reprocess

    settings = _settings(args)
    report = reprocess(settings)
    for line in report:
        print(line)
    return 0


def cmd_relabel(args: argparse.Namespace) -> int:
    from pipelines.replay import relabel

    print(relabel(_settings(args)))
    return 0


def cmd_demo_feed(args: argparse.Namespace) -> int:
    from pipelines.demo.server import run_demo_feed

    run_demo_feed(_settings(args))
    return 0


def cmd_mail_sink(args: argparse.Namespace) -> int:
    from pipelines.mailsink import run_mail_sink

    run_mail_sink(_settings(args))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswatch", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="more log output")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run-once", help="the whole pipeline once, without Airflow")
    p.add_argument("--feeds", help="feeds file (default: NEWSWATCH_FEEDS or feeds.yaml)")
    p.set_defaults(func=cmd_run_once)

    p = sub.add_parser("validate", help="run the data-quality suites on the database; exit 1 if any fails")
    p.add_argument("--all", action="store_true", help="re-validate every published row, not only new ones")
    p.add_argument("--no-email", action="store_true", help="do not email operators, whatever the threshold")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("quarantine", help="list quarantined rows, or release a fixed one")
    qsub = p.add_subparsers(dest="action", required=True)
    q = qsub.add_parser("list", help="open quarantined rows, newest first")
    q.add_argument("--limit", type=int, default=100)
    q = qsub.add_parser("release", help="send a quarantined row (optionally corrected) back through the gate")
    q.add_argument("quarantine_id")
    q.add_argument("--set", action="append", metavar="COLUMN=VALUE",
                   help="correct a column before release (value read as JSON if it parses, else text)")
    p.set_defaults(func=cmd_quarantine)

    p = sub.add_parser("alerts", help="list the alert outbox, or send undelivered alerts now")
    asub = p.add_subparsers(dest="action", required=True)
    a = asub.add_parser("list", help="undelivered alerts (pending, in flight, failed), oldest first")
    a.add_argument("--all", action="store_true", help="every alert, sent ones too")
    a.add_argument("--limit", type=int, default=100)
    a = asub.add_parser("retry", help="make undelivered alerts due now (a fresh retry window) and send them")
    a.add_argument("fingerprint", nargs="*", help="only these alerts (default: every undelivered one)")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("analyze", help="extract claims and contradictions from article files")
    p.add_argument("--articles", required=True, help="folder of article JSON files")
    p.add_argument("--out", required=True, help="predictions.json to write")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("eval", help="analyze, then score against a gold set")
    p.add_argument("--articles", required=True)
    p.add_argument("--gold", required=True)
    p.add_argument("--pairs", required=True)
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("reprocess", help="recompute claims and contradictions from stored text")
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("relabel", help="label every stored event again from all its reports (no re-extraction)")
    p.set_defaults(func=cmd_relabel)

    p = sub.add_parser("demo-feed", help="serve the bundled demo feed on 127.0.0.1")
    p.set_defaults(func=cmd_demo_feed)

    p = sub.add_parser("mail-sink", help="an SMTP server on 127.0.0.1 that keeps each mail as .eml")
    p.set_defaults(func=cmd_mail_sink)

    # listed for --help; main() hands "stack ..." to pipelines.stack before parsing
    sub.add_parser("stack", help="Airflow standalone + demo feed + mail sink (what `make run` runs); "
                   "options: --port, --api-timeout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["stack"]:
        # the stack has options of its own (--port, --api-timeout); hand them over untouched
        from pipelines.stack import main as stack_main

        return stack_main(argv[1:]) or 0
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"newswatch {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every failure ends with one line that says what failed, not a traceback
        return _report_failure(args, exc)


def _report_failure(args: argparse.Namespace, exc: Exception) -> int:
    from pipelines.errors import NewswatchError

    if args.verbose:
        logging.getLogger("newswatch").exception("%s failed", args.command)
    if isinstance(exc, NewswatchError | ValueError | FileNotFoundError):
        message = str(exc)
    else:
        message = f"{type(exc).__name__}: {exc} (run with -v for the traceback)"
    first, *_ = message.strip().splitlines() or [type(exc).__name__]
    print(f"newswatch {args.command}: error: {first}", file=sys.stderr)
    # a usage or input problem is 2 (as argparse uses it); a failure of the run itself is 1
    return 2 if isinstance(exc, ValueError | FileNotFoundError) else 1

if __name__ == "__main__":
    raise SystemExit(main())
