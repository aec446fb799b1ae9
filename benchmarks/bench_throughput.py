"""End-to-end throughput: generated articles through the real stages, next to the raw NLP work.

    .venv/bin/python benchmarks/bench_throughput.py --articles 400 [--workers 2] [--json]

Generates ``--articles`` reports of about 600 words (benchmarks/throughput_corpus.py), serves them
from a local feed server on 127.0.0.1 (one RSS feed per outlet, one page per article) and runs the
pipeline's stages on a fresh NEWSWATCH_HOME: poll and fetch and clean and store (``flow.ingest``),
extract (``flow.extract``, ``--workers`` processes), the quality gate, detect, and alerts sent by
SMTP to a local aiosmtpd sink. In the same run it does the raw work on the same pages: trafilatura's
extraction plus the spaCy pipeline over the text, in the same number of processes, twice: spaCy
called once per text (``raw_articles_per_s`` and ``ratio``, the reference the targets were set
against) and given each task's eight texts together (``raw_together_articles_per_s`` and
``ratio_to_raw_together``), as the pipeline's extraction gives a group of texts: the stricter one.

Politeness: the fetcher waits ``host_min_delay`` (1 s by default) between two requests to one host,
which would cap a single local server at one page a second. This benchmark serves every outlet
from 127.0.0.1, so it sets ``host_min_delay=0`` and lets ``fetch_workers`` requests run at once
against it; every other politeness rule (robots.txt, the User-Agent, conditional GET) stays on.

Prints a table and, with ``--json``, ends with one JSON line: pipeline_articles_per_s,
raw_articles_per_s, ratio, peak_rss_mb (the largest process: this one or a worker), per-stage
seconds, and the CPU time of every process per article (pipeline, raw and per stage): the machine
may be shared, and CPU time is what other load disturbs least; the load average is printed too. Targets on 2 cores: >= 10 articles/s end to end, >= 0.8x the raw rate, < 1 GB per process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per process: processes are the unit here

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput_corpus import GeneratedArticle, generate  # noqa: E402

TARGET_RATE = 10.0
TARGET_RATIO = 0.8
TARGET_RSS_MB = 1024.0


class Site:
    """The generated articles as a news site: /feeds/<outlet>.xml and /articles/<slug>.html."""

    def __init__(self, articles: list[GeneratedArticle]) -> None:
        self.pages = {a.slug: a.html().encode("utf-8") for a in articles}
        self.by_outlet: dict[str, list[GeneratedArticle]] = {}
        for a in articles:
            self.by_outlet.setdefault(self.feed_name(a.publisher), []).append(a)
        self.base_url = ""

    @staticmethod
    def feed_name(publisher: str) -> str:
        return publisher.lower().replace(" ", "-")

    def feed(self, name: str) -> bytes | None:
        items = self.by_outlet.get(name)
        if items is None:
            return None
        entries = "".join(
            f"<item><title>{escape(a.title)}</title><link>{self.base_url}/articles/{a.slug}.html</link>"
            f"<guid isPermaLink=\"false\">bench-{a.slug}</guid><pubDate>{format_datetime(a.published)}</pubDate></item>"
            for a in items
        )
        return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>{escape(name)}"
                f"</title><link>{self.base_url}/</link><description>bench</description>{entries}</channel></rss>"
                ).encode()


class FeedServer(ThreadingHTTPServer):
    """The local news site's server. Its listen backlog is a real web server's (nginx: 511), not
    socketserver's 5: with ``fetch_workers`` connections opening at once, a backlog of 5 drops
    connection requests, and each dropped one costs the fetcher the kernel's one-second SYN retry
    (that stall, not the pipeline, set ingest's pace before)."""

    request_queue_size = 512
    daemon_threads = True


def serve(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        # keep-alive, as news sites serve: a connection per fetcher, not per page; without Nagle's
        # delay, which would hold the body back for the client's delayed ACK (40 ms a page)
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            path = self.path.split("?", 1)[0]
            body, ctype = None, "text/html; charset=utf-8"
            if path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            elif path.startswith("/feeds/") and path.endswith(".xml"):
                body, ctype = site.feed(path[len("/feeds/"):-4]), "application/rss+xml"
            elif path.startswith("/articles/") and path.endswith(".html"):
                body = site.pages.get(path[len("/articles/"):-5])
            if body is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = FeedServer(("127.0.0.1", 0), Handler)
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


# --- the raw work: trafilatura + spaCy in worker processes -------------------------------------

def _raw_init() -> None:
    from pipelines.claims.nlp import get_nlp

    get_nlp()


def _raw_page(html: str) -> int:
    import trafilatura

    from pipelines.claims.nlp import get_nlp

    text = trafilatura.extract(html) or ""
    return len(get_nlp()(text))


def _raw_pages(htmls: list[str]) -> int:
    """The raw work on a few pages, their texts given to spaCy together (``nlp.pipe``), as the
    pipeline's extraction gives a group of texts."""
    import trafilatura

    from pipelines.claims.nlp import get_nlp

    return sum(len(doc) for doc in get_nlp().pipe([trafilatura.extract(h) or "" for h in htmls]))


RAW_CHUNK = 8  # pages per task of the raw work


def run_raw(pages: list[str], workers: int, together: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds for the raw work on every page, pool start-up (loading spaCy) included,
    as for the pipeline: spaCy called once per text (the reference the targets were set against),
    or with ``together`` once per task of ``RAW_CHUNK`` texts."""
    t0, c0 = time.perf_counter(), tree_cpu_seconds()
    with ProcessPoolExecutor(max_workers=workers, initializer=_raw_init) as pool:
        if together:
            tokens = sum(pool.map(_raw_pages, [pages[i:i + RAW_CHUNK] for i in range(0, len(pages), RAW_CHUNK)]))
        else:
            tokens = sum(pool.map(_raw_page, pages, chunksize=RAW_CHUNK))
    assert tokens > 0
    return time.perf_counter() - t0, tree_cpu_seconds() - c0


# --- the pipeline --------------------------------------------------------------------------------

def run_pipeline(site: Site, home: Path, workers: int, smtp_port: int,
                 mail: Path) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Wall seconds, CPU seconds (all processes) and CPU seconds of this process (the writer, the
    fetchers and the local servers) of each stage, and the run's counts."""
    import yaml

    from pipelines import flow
    from pipelines.alerts.smtp import smtp_sender
    from pipelines.models import StageCounts
    from pipelines.settings import Settings

    feeds = home / "feeds.yaml"
    feeds.write_text(yaml.safe_dump({"feeds": [
        {"name": name, "url": f"{site.base_url}/feeds/{name}.xml"} for name in sorted(site.by_outlet)
    ]}))
    fields: dict[str, Any] = {
        "home": home, "feeds": feeds, "allowed_hosts": "127.0.0.1", "smtp_port": smtp_port, "mail_dir": mail,
        # one local host serves every outlet: no per-host delay (see the module docstring)
        "host_min_delay": 0.0, "host_concurrency": 8, "fetch_workers": 8,
    }
    if "extract_workers" in Settings.model_fields:
        fields["extract_workers"] = workers
    settings = Settings(**fields)
    send = smtp_sender(settings)
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}
    own_cpu: dict[str, float] = {}
    counts: dict[str, dict[str, Any]] = {}
    with flow.read_ahead_pool(settings) as pool:
        # as run_once does: the extraction workers read each article while ingest fetches the next,
        # and draw the alerts' charts

        def alerts() -> StageCounts:
            try:
                return flow.send_alerts(settings, send, pool=pool)
            finally:
                if pool is not None:
                    pool.close()  # the workers' shutdown is part of the last stage that uses them

        for name, stage in [
            ("ingest", lambda: flow.ingest(settings, read_ahead=pool)),
            ("extract", lambda: flow.extract(settings, pool=pool)),
            ("validate", lambda: flow.validate(settings, send)),
            ("detect", lambda: flow.detect(settings, send=send)),
            ("alerts", alerts),
        ]:
            t0, c0, own0 = time.perf_counter(), tree_cpu_seconds(), time.process_time()
            result = stage()
            stages[name] = time.perf_counter() - t0
            cpu[name] = tree_cpu_seconds() - c0
            own_cpu[name] = time.process_time() - own0
            counts[name] = result.counts
    stages["articles"] = counts["ingest"]["articles_stored"]
    stages["claims"] = counts["extract"]["claims"]
    stages["contradictions"] = counts["detect"]["contradictions"]
    stages["emails"] = counts["alerts"].get("sent", 0)
    stages["read_ahead"] = counts["extract"].get("articles_read_ahead", 0)
    return stages, cpu, own_cpu


def tree_cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by this process and every descendant, the ones that
    ended included: each process's own time plus the time of the children it has reaped, summed
    over the processes still alive (a worker that ended is in its parent's children's time)."""
    import psutil

    me = psutil.Process()
    total = 0.0
    for proc in [me, *me.children(recursive=True)]:
        try:
            t = proc.cpu_times()
        except psutil.Error:  # ended between listing and reading: its parent has it now
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


class RssSampler:
    """The largest resident set of this process or any of its descendants (extraction workers live
    under a fork server, so the kernel's per-child totals would miss them), sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.2):
            for proc in [me, *me.children(recursive=True)]:
                try:
                    self.peak = max(self.peak, proc.memory_info().rss)
                except psutil.Error:  # ended between listing and reading
                    continue

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> float:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return max(self.peak, own) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: cores)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()

    from pipelines.mailsink import start_mail_sink

    articles = generate(args.articles)
    site = Site(articles)
    server, thread = serve(site)
    words = sum(a.words() for a in articles) / len(articles)
    try:
        with tempfile.TemporaryDirectory(prefix="newswatch-throughput-") as tmp:
            home = Path(tmp)
            mail = home / "mail"
            sink = start_mail_sink(mail, "127.0.0.1", 0)
            try:
                load_before = os.getloadavg()[0]
                with RssSampler() as rss:
                    raw_s, raw_cpu = run_raw([a.html() for a in articles], args.workers)
                    piped_s, piped_cpu = run_raw([a.html() for a in articles], args.workers, together=True)
                    stages, cpu, own_cpu = run_pipeline(site, home, args.workers, int(sink.port), mail)
                load_after = os.getloadavg()[0]
            finally:
                sink.stop()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    stored = int(stages.pop("articles"))
    extra = {k: int(stages.pop(k)) for k in ("claims", "contradictions", "emails", "read_ahead")}
    pipeline_s = sum(stages.values())
    pipeline_cpu = sum(cpu.values())
    result = {
        "articles": args.articles,
        "articles_stored": stored,
        "words_per_article": round(words),
        "workers": args.workers,
        "cores": os.cpu_count(),
        "pipeline_seconds": round(pipeline_s, 2),
        "raw_seconds": round(raw_s, 2),
        "pipeline_articles_per_s": round(args.articles / pipeline_s, 2),
        "raw_articles_per_s": round(args.articles / raw_s, 2),
        "ratio": round(raw_s / pipeline_s, 3),
        # CPU time of every process (the feed server's threads included), which other load on the
        # machine disturbs far less than wall time
        "pipeline_cpu_ms_per_article": round(pipeline_cpu / args.articles * 1000, 1),
        "raw_cpu_ms_per_article": round(raw_cpu / args.articles * 1000, 1),
        # the raw work with spaCy given the texts of each task together, as the pipeline gives them:
        # the stricter reference (the targets were set against the one above)
        "raw_together_articles_per_s": round(args.articles / piped_s, 2),
        "ratio_to_raw_together": round(piped_s / pipeline_s, 3),
        "raw_together_cpu_ms_per_article": round(piped_cpu / args.articles * 1000, 1),
        "peak_rss_mb": round(rss.peak_mb(), 1),
        # other work on the machine slows both runs alike; the load average says how much there was
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
        "stage_cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        # of which this process (the rest: the extraction workers and their fork server)
        "stage_cpu_seconds_this_process": {k: round(v, 2) for k, v in own_cpu.items()},
        **extra,
    }
    print(f"{args.articles} articles of ~{round(words)} words, {args.workers} processes, {os.cpu_count()} cores")
    per = 1000 / args.articles
    for name, secs in stages.items():
        print(f"  {name:9s} {secs:7.2f} s  {secs * per:7.1f} ms/article   CPU {cpu[name] * per:7.1f} ms/article"
              f" (this process {own_cpu[name] * per:5.1f})")
    print(f"pipeline  {pipeline_s:7.2f} s  {result['pipeline_articles_per_s']:6.2f} articles/s"
          f"  (target >= {TARGET_RATE})   CPU {pipeline_cpu * per:7.1f} ms/article")
    print(f"raw       {raw_s:7.2f} s  {result['raw_articles_per_s']:6.2f} articles/s"
          f"  pipeline/raw = {result['ratio']:.2f} (target >= {TARGET_RATIO})   CPU {raw_cpu * per:7.1f} ms/article")
    print(f"raw, texts together {piped_s:7.2f} s  {result['raw_together_articles_per_s']:6.2f} articles/s"
          f"  pipeline/raw = {result['ratio_to_raw_together']:.2f}   CPU {piped_cpu * per:7.1f} ms/article")
    print(f"peak RSS  {result['peak_rss_mb']:.0f} MB per process (target < {TARGET_RSS_MB:.0f})")
    print(f"load average {load_before:.1f} before, {load_after:.1f} after")
    print(f"stored {stored} articles, {extra['claims']} claims, {extra['contradictions']} contradictions, "
          f"{extra['emails']} emails; {extra['read_ahead']} articles extracted while ingest ran")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
