"""End-to-end fixtures: the demo feed and an SMTP sink on 127.0.0.1, and newswatch pointed at them.

The Airflow side (private home, SQLite metadata DB, initdb once) comes from ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from pipelines.settings import Settings, get_settings


@dataclass(frozen=True)
class E2EStack:
    settings: Settings
    feed_url: str
    smtp_port: int
    mail_folder: Path


@pytest.fixture(scope="session")
def feed_server() -> Iterator[str]:
    """The whole demo corpus served at once; yields the feed URL."""
    server_mod = pytest.importorskip("pipelines.demo.server", reason="demo feed server not in the tree yet")
    server, thread = server_mod.make_server("127.0.0.1", 0, release_all=True)
    try:
        yield server.feed_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def mail_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    """A real aiosmtpd server keeping every message as an .eml file; yields (folder, port)."""
    sink_mod = pytest.importorskip("pipelines.mailsink", reason="mail sink not in the tree yet")
    folder = tmp_path_factory.mktemp("mail")
    controller = sink_mod.start_mail_sink(folder, "127.0.0.1", 0)
    try:
        yield folder, int(controller.port)
    finally:
        controller.stop()


def newswatch_env(home: Path, feed_url: str, smtp_port: int, mail_folder: Path) -> dict[str, str]:
    """Variables that aim newswatch and Airflow's smtp_default at local servers, with a feeds file."""
    feeds = home / "feeds.yaml"
    feeds.write_text(yaml.safe_dump({"feeds": [{"name": "demo-wire", "url": feed_url, "topics": ["talks"]}]}))
    return {
        "NEWSWATCH_HOME": str(home),
        "NEWSWATCH_FEEDS": str(feeds),
        "NEWSWATCH_ALLOWED_HOSTS": "127.0.0.1",
        "NEWSWATCH_SMTP_HOST": "127.0.0.1",
        "NEWSWATCH_SMTP_PORT": str(smtp_port),
        "NEWSWATCH_MAIL_DIR": str(mail_folder),
        # small batches, so the ten demo articles take several mapped extraction tasks
        "NEWSWATCH_EXTRACT_BATCH_SIZE": "4",
        "AIRFLOW_CONN_SMTP_DEFAULT": json.dumps(
            {
                "conn_type": "smtp",
                "host": "127.0.0.1",
                "port": smtp_port,
                "extra": {"disable_ssl": True, "disable_tls": True, "from_email": "newswatch@example.com"},
            }
        ),
    }


@contextmanager
def environment(env: dict[str, str]) -> Iterator[Settings]:
    """Set ``env`` for the duration (DAG tasks read settings from the environment), then restore it."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield get_settings()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()


@pytest.fixture(scope="module")
def e2e_stack(
    airflow_db: Path,
    feed_server: str,
    mail_sink: tuple[Path, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[E2EStack]:
    """Environment for DAG tasks: Settings and Airflow's smtp_default aimed at the local servers."""
    home = tmp_path_factory.mktemp("newswatch-home")
    folder, port = mail_sink
    with environment(newswatch_env(home, feed_server, port, folder)) as settings:
        yield E2EStack(settings=settings, feed_url=feed_server, smtp_port=port, mail_folder=folder)


@pytest.fixture
def newswatch_environment(
    airflow_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., AbstractContextManager[Settings]]]:
    """For a test with its own feed server: ``with newswatch_environment(home, feed_url, {...}) as settings``.

    The test gets its own mail sink, so its emails never mix with the session sink other modules count.
    """
    sink_mod = pytest.importorskip("pipelines.mailsink", reason="mail sink not in the tree yet")
    folder = tmp_path_factory.mktemp("own-mail")
    controller = sink_mod.start_mail_sink(folder, "127.0.0.1", 0)

    def make(home: Path, feed_url: str, extra: dict[str, str] | None = None) -> AbstractContextManager[Settings]:
        home.mkdir(parents=True, exist_ok=True)
        return environment({**newswatch_env(home, feed_url, int(controller.port), folder), **(extra or {})})

    try:
        yield make
    finally:
        controller.stop()
