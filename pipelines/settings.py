"""The one typed settings object. Every knob is read here, from the environment, with a default.

Each field maps to an environment variable ``NEWSWATCH_<FIELD>`` (upper case). Defaults make the
embedded offline demo work with no setup at all.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSWATCH_", extra="ignore")

    home: Path = Field(
        default=Path("var"),
        description="Folder for the database, the analyst snapshot and mail/ (relative to the working dir).",
    )
    feeds: Path = Field(default=PROJECT_ROOT / "feeds.yaml", description="The feeds file (YAML).")
    catalog: Path = Field(
        default=PROJECT_ROOT / "pipelines" / "claims" / "catalog.yaml",
        description="Attribute catalog (YAML): attributes, kinds, units and cues.",
    )
    db_path: Path | None = Field(default=None, description="Live DuckDB file; default <home>/newswatch.duckdb.")
    snapshot_path: Path | None = Field(
        default=None, description="Read-only analyst snapshot; default <home>/snapshot/newswatch.duckdb."
    )
    snapshot_retention_hours: float = Field(
        default=24.0, gt=0,
        description="How long a replaced generation of the analyst copy stays readable for connections opened on it, hours.",
    )
    mail_dir: Path | None = Field(default=None, description="Where the mail sink keeps .eml files; default <home>/mail.")

    # HTTP
    user_agent: str = Field(
        default="newswatch/0.1 (+https://github.com/newswatch/newswatch; newswatch@example.com)",
        description="User-Agent sent with every request; keep a contact in it.",
    )
    http_timeout: float = Field(default=20.0, description="Connect/read timeout per request, seconds.")
    max_body_bytes: int = Field(default=5_000_000, description="Largest feed or page body accepted.")
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated hosts allowed even if they resolve to private/loopback addresses.",
    )
    languages: str = Field(default="en", description="Comma-separated article languages accepted.")

    # Ingestion: politeness, limits, feed scheduling (see docs/ingestion.md)
    connect_timeout: float = Field(default=10.0, description="TCP/TLS connect timeout per request, seconds.")
    fetch_total_timeout: float = Field(
        default=60.0, description="Cap on one fetch, all redirects and a slow-drip body included, seconds."
    )
    max_redirects: int = Field(default=5, description="Redirect hops followed per fetch.")
    respect_robots: bool = Field(default=True, description="Honour robots.txt (RFC 9309) for feeds and pages.")
    host_min_delay: float = Field(
        default=1.0, description="Minimum seconds between two requests to one host (robots Crawl-delay can raise it)."
    )
    host_concurrency: int = Field(default=2, description="Requests in flight at once to one host.")
    fetch_workers: int = Field(default=4, description="Requests in flight at once in total.")
    retry_after_max: float = Field(
        default=86_400.0, description="Longest Retry-After (429/503) honoured, seconds; longer values are capped."
    )
    ingest_interval_minutes: float = Field(
        default=10.0, gt=0,
        description="Minutes between news_ingest runs (the DAG's schedule; `make run` shortens it for the demo).",
    )
    poll_min_interval: float = Field(default=300.0, description="Shortest adaptive poll interval of a feed, seconds.")
    poll_max_interval: float = Field(default=7_200.0, description="Longest adaptive poll interval of a feed, seconds.")
    backoff_base: float = Field(default=300.0, description="First back-off delay after a failed poll, seconds (doubles).")
    backoff_max: float = Field(default=21_600.0, description="Longest back-off delay between failed polls, seconds.")
    pause_threshold: float = Field(
        default=12.0, description="Weighted failure score at which a feed is paused and operators are alerted."
    )
    pause_hours: float = Field(default=24.0, description="How long a paused feed is left alone, hours.")
    syndication_threshold: float = Field(
        default=0.85, description="Shingle overlap at which a new article is a copy of a stored one (0-1)."
    )
    syndication_window_days: float = Field(
        default=3.0, description="How far back (by fetch time) stored articles are compared for syndicated copies."
    )

    # Contradictions
    conflict_window_hours: float = Field(
        default=6.0, ge=0.0,
        description="Two reports of a running count (a toll) for the same day conflict only when published "
        "within this many hours of each other (and the later one is lower); further apart it is a revision.",
    )

    # Extraction
    extract_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Processes that run claim extraction at once (default: the number of cores); each loads "
        "spaCy once. Inside Airflow the mapped extraction tasks are the unit of parallelism instead.",
    )
    extract_batch_size: int = Field(
        default=50, ge=1,
        description="Articles per extraction batch: what a worker or a mapped Airflow task extracts at once, "
        "and what the writer stores in one transaction.",
    )

    # Alerts
    alert_to: str = Field(default="analysts@example.com", description="Comma-separated alert recipients.")
    alert_from: str = Field(default="newswatch@example.com", description="Sender address of alerts.")
    alert_mode: str = Field(default="each", description="'each' (one email per contradiction) or 'digest'.")
    smtp_host: str = Field(default="127.0.0.1", description="SMTP host used outside Airflow (run-once).")
    smtp_port: int = Field(default=8025, description="SMTP port used outside Airflow (run-once).")
    alert_min_confidence: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="A conflict is alerted only when both of its claims have at least this confidence "
        "(claims.confidence); below it the pair is kept for analysts. Chosen with "
        "scripts/calibrate_confidence.py on the development sets.",
    )
    alert_retry_hours: float = Field(
        default=48.0, gt=0, description="How long an undelivered alert keeps being retried after its first failure "
        "before it is marked 'failed' (`newswatch alerts retry` brings it back), hours.",
    )
    alert_backoff_base: float = Field(
        default=60.0, ge=0, description="Wait after an alert's first failed delivery, seconds (doubles per attempt).",
    )
    alert_backoff_max: float = Field(default=3_600.0, ge=0, description="Longest wait between two delivery attempts "
                                     "of one alert, seconds.")
    alert_stuck_attempts: int = Field(
        default=3, ge=1, description="After this many failed deliveries of an alert, operators are emailed that "
        "alerts are stuck (once per alert).",
    )

    # Data quality
    expectations_dir: Path = Field(
        default=PROJECT_ROOT / "expectations",
        description="Folder of Great Expectations suites (JSON), one per checked table.",
    )
    quality_dir: Path | None = Field(
        default=None, description="Where validation reports are written; default <home>/quality."
    )
    quality_alert_threshold: float = Field(
        default=0.1,
        ge=0.0,
        le=1.0,
        description="Email operators when a suite quarantines more than this fraction of the rows it checked "
        "(0 = any failing row); a suite that cannot run always emails.",
    )
    operator_email: str = Field(
        default="operators@example.com", description="Comma-separated recipients of data-quality emails."
    )

    # Contention: one pipeline writer at a time (see pipelines.lock)
    lock_timeout: float = Field(
        default=600.0, ge=0, description="How long a run waits for another newswatch process to release the "
        "pipeline lock (<home>/newswatch.lock) before it gives up naming the holder, seconds.",
    )
    db_open_timeout: float = Field(
        default=10.0, ge=0, description="How long opening the DuckDB file is retried while another process (e.g. "
        "an analyst's client on the live file) holds its lock, seconds.",
    )

    # Crash tests
    fault_pause_at: str = Field(
        default="", description="Testing only, off when empty: 'POINT' or 'POINT:N' (e.g. 'alert_accepted:2') "
        "makes the process announce itself on stderr and wait to be killed the Nth time it reaches that point "
        "(see pipelines.faults), so crash tests can kill it at an exact place.",
    )

    # Demo
    demo_host: str = Field(default="127.0.0.1", description="Bind address of the demo feed server.")
    demo_port: int = Field(default=8765, description="Port of the demo feed server.")
    demo_release_seconds: float = Field(
        default=30.0, description="The demo feed releases one more article every this many seconds."
    )

    @property
    def database(self) -> Path:
        return self.db_path or self.home / "newswatch.duckdb"

    @property
    def snapshot(self) -> Path:
        return self.snapshot_path or self.home / "snapshot" / "newswatch.duckdb"

    @property
    def mail_folder(self) -> Path:
        return self.mail_dir or self.home / "mail"

    @property
    def quality_folder(self) -> Path:
        return self.quality_dir or self.home / "quality"

    @property
    def operator_recipients(self) -> list[str]:
        return [x.strip() for x in self.operator_email.split(",") if x.strip()]

    @property
    def allowed_host_set(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip())

    @property
    def language_set(self) -> frozenset[str]:
        return frozenset(x.strip().lower() for x in self.languages.split(",") if x.strip())

    @property
    def alert_recipients(self) -> list[str]:
        return [x.strip() for x in self.alert_to.split(",") if x.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the current environment (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()
