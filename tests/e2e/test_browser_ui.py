"""The operator's view: the real stack that ``make run`` starts, and the Airflow UI in headless Chromium.

Starts ``pipelines.stack`` (Airflow's components, the demo feed, the mail sink) with a temporary
NEWSWATCH_HOME and free ports, waits through the Airflow REST API until both DAGs have a successful
run, then drives Chromium over the DevTools protocol: logs in through the login form, opens the DAG
list, saves a screenshot and checks the page itself (both DAG ids, each with a success badge); then
opens the newswatch page from the menu and checks what it shows (set NEWSWATCH_SCREENSHOTS to a
folder to keep the screenshots).
The stack and the browser are stopped by process group whatever happens.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from pipelines.stack import read_admin_password

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DAG_IDS = ("news_ingest", "news_process")
# seconds for Airflow to come up and both DAGs to succeed: about a minute on an idle 2-core machine,
# several when other work shares it (a deadline for a hang, not a speed target)
STACK_TIMEOUT = 420.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_group(proc: subprocess.Popen[Any], grace: float) -> None:
    """SIGTERM the process group, SIGKILL it after ``grace`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Stack:
    url: str
    home: Path
    proc: subprocess.Popen[bytes]

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    def logs(self) -> str:
        tails = []
        for log in sorted((self.home / "logs").glob("*.log")):
            tails.append(f"--- {log.name}\n" + log.read_text(errors="replace")[-3000:])
        return "\n".join(tails)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)")
    home = tmp_path_factory.mktemp("stack-home")
    api_port, feed_port, smtp_port = free_port(), free_port(), free_port()
    feeds = home / "feeds.yaml"
    feeds.write_text(yaml.safe_dump({"feeds": [{"name": "demo", "url": f"http://127.0.0.1:{feed_port}/feed.xml"}]}))
    # The session's private Airflow settings (tests/conftest.py) are not the stack's: start it clean.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSWATCH_"))}
    env.update({
        "NEWSWATCH_HOME": str(home),
        "NEWSWATCH_FEEDS": str(feeds),
        "NEWSWATCH_DEMO_PORT": str(feed_port),
        "NEWSWATCH_SMTP_PORT": str(smtp_port),
        "NEWSWATCH_HOST_MIN_DELAY": "0",
        # The demo's one-minute ingest would put a running run at the top of the DAG list while the
        # page is checked: one run of each DAG, then quiet.
        "NEWSWATCH_INGEST_INTERVAL_MINUTES": "60",
    })
    out = open(home / "stack.out", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.stack", "--port", str(api_port), "--api-timeout", str(STACK_TIMEOUT)],
        cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    out.close()
    try:
        yield Stack(url=f"http://127.0.0.1:{api_port}", home=home, proc=proc)
    finally:
        # The supervisor stops its children by process group on SIGTERM; the SIGKILL is a backstop.
        stop_group(proc, grace=40)


def api_token(stack: Stack, deadline: float) -> str:
    while time.monotonic() < deadline:
        assert stack.proc.poll() is None, "the stack exited:\n" + stack.logs()
        password = read_admin_password(stack.airflow_home)
        if password:
            try:
                r = httpx.post(f"{stack.url}/auth/token", json={"username": "admin", "password": password}, timeout=5)
                if r.status_code in (200, 201):
                    return str(r.json()["access_token"])
            except httpx.HTTPError:
                pass
        time.sleep(1)
    pytest.fail("Airflow never issued a token:\n" + stack.logs())


def wait_for_successful_runs(stack: Stack) -> dict[str, list[str]]:
    """Poll the REST API v2 until every DAG has a successful run; returns their run ids."""
    deadline = time.monotonic() + STACK_TIMEOUT
    headers = {"Authorization": f"Bearer {api_token(stack, deadline)}"}
    seen: dict[str, list[str]] = {}
    while time.monotonic() < deadline:
        assert stack.proc.poll() is None, "the stack exited:\n" + stack.logs()
        for dag_id in DAG_IDS:
            try:
                r = httpx.get(f"{stack.url}/api/v2/dags/{dag_id}/dagRuns", params={"state": "success"},
                              headers=headers, timeout=10)
                failed = httpx.get(f"{stack.url}/api/v2/dags/{dag_id}/dagRuns", params={"state": "failed"},
                                   headers=headers, timeout=10)
            except httpx.TimeoutException:  # a busy machine answers late: ask again until the deadline
                continue
            if r.status_code == 200:
                seen[dag_id] = [run["dag_run_id"] for run in r.json()["dag_runs"]]
            if failed.status_code == 200 and failed.json()["dag_runs"]:
                pytest.fail(f"{dag_id} has a failed run:\n" + stack.logs())
        if all(seen.get(d) for d in DAG_IDS):
            return seen
        time.sleep(2)
    pytest.fail(f"no successful run of every DAG within {STACK_TIMEOUT:.0f} s: {seen}\n" + stack.logs())


class DevTools:
    """Just enough of the Chrome DevTools protocol: call a method, evaluate JavaScript."""

    def __init__(self, ws_url: str) -> None:
        from websockets.sync.client import connect

        self._exit = ExitStack()
        self._ws = self._exit.enter_context(connect(ws_url, max_size=64 * 1024 * 1024))
        self._ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self._ids)
        self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv(timeout=30))
            if msg.get("id") == msg_id:  # events in between are not needed
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))

    def eval(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for: {expression}")

    def close(self) -> None:
        self._exit.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1400,900",
         "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "chromium.log", "wb"),
        start_new_session=True,
    )
    tools: DevTools | None = None
    try:
        port_file = profile / "DevToolsActivePort"  # Chromium writes the port it chose here
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            assert proc.poll() is None, (tmp_path / "chromium.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        pages = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(p for p in pages if p["type"] == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Emulation.setDeviceMetricsOverride", width=1400, height=900, deviceScaleFactor=1, mobile=False)
        yield tools
    finally:
        if tools is not None:
            tools.close()
        stop_group(proc, grace=5)
        shutil.rmtree(profile, ignore_errors=True)


def test_dag_list_shows_both_dags_with_successful_runs(stack, browser, tmp_path):
    runs = wait_for_successful_runs(stack)
    assert all(runs[d] for d in DAG_IDS)

    log_in(browser, stack)

    browser.call("Page.navigate", url=f"{stack.url}/dags")
    # Each state badge, paired with the DAG whose card holds it.
    badges_js = """
        [...document.querySelectorAll('[data-testid=state-badge]')].map(badge => {
            let card = badge;
            while (card && !/news_(ingest|process)/.test(card.innerText || '')) card = card.parentElement;
            const ids = card ? [...new Set(card.innerText.match(/news_(ingest|process)/g))] : [];
            return {dags: ids, state: badge.getAttribute('aria-label')};
        })
    """
    both_succeeded = (
        "(() => { const b = " + badges_js + "; return ['news_ingest', 'news_process'].every("
        "d => b.some(x => x.dags.length === 1 && x.dags[0] === d && x.state === 'success')); })()"
    )
    browser.wait_for(both_succeeded, timeout=45)
    text = browser.eval("document.body.innerText")
    badges = browser.eval(badges_js)

    shot = tmp_path / "dags.png"
    shot.write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"]))

    for dag_id in DAG_IDS:
        assert dag_id in text
        assert {"dags": [dag_id], "state": "success"} in badges, badges
    assert "2 Dags" in text, "exactly our two DAGs are listed"
    from PIL import Image

    with Image.open(shot) as img:
        img.load()
        assert img.format == "PNG" and img.size == (1400, 900)
        # Not a blank page: a rendered UI has many distinct colours.
        assert len(img.convert("RGB").getcolors(maxcolors=1_000_000) or []) > 50


def log_in(browser: DevTools, stack: Stack) -> None:
    """Through the login form, as an operator would."""
    browser.call("Page.navigate", url=f"{stack.url}/")
    browser.wait_for("!!document.querySelector('input[name=password]')")
    assert "/auth/login" in browser.eval("location.href")
    password = read_admin_password(stack.airflow_home)
    assert password
    for field, value in (("username", "admin"), ("password", password)):
        browser.eval(f"document.querySelector('input[name={field}]').focus()")
        browser.call("Input.insertText", text=value)  # real input events, which the React form listens to
    browser.eval("document.querySelector('button[type=submit]').click()")
    browser.wait_for("!location.href.includes('/auth/login')")


# The page is embedded in an iframe of the Airflow UI (same origin): its document, once loaded.
FRAME = "document.querySelector('iframe[title=newswatch]')"
FRAME_DOC = f"({FRAME} && {FRAME}.contentDocument)"


def test_newswatch_page_from_the_menu_shows_feeds_runs_conflicts_alerts_and_quality(stack, browser, tmp_path):
    wait_for_successful_runs(stack)
    log_in(browser, stack)
    browser.call("Page.navigate", url=f"{stack.url}/")
    # The menu entry the plugin adds, clicked as an operator would.
    link = "[...document.querySelectorAll('a')].find(a => /plugin\\/newswatch$/.test(a.getAttribute('href') || ''))"
    browser.wait_for(f"!!({link})")
    browser.eval(f"({link}).click()")
    browser.wait_for("location.pathname.endsWith('/plugin/newswatch')")
    browser.wait_for(f"!!({FRAME_DOC} && {FRAME_DOC}.querySelector('#quality'))", timeout=45)
    text = browser.eval(f"{FRAME_DOC}.body.innerText")
    rows = browser.eval(
        f"Object.fromEntries(['feed', 'run', 'conflict', 'alert', 'quality-run'].map(c => "
        f"[c, [...{FRAME_DOC}.querySelectorAll('tr.' + c)].map(r => r.innerText)]))"
    )
    shot = tmp_path / "newswatch-page.png"
    shot.write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"]))
    keep = os.environ.get("NEWSWATCH_SCREENSHOTS")  # a folder to keep the screenshots in, for a look
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)

    # feed health: the demo feed, polled successfully
    assert len(rows["feed"]) == 1 and rows["feed"][0].startswith("demo") and "ok" in rows["feed"][0], rows["feed"]
    # the latest runs with their counts
    assert any("extract" in r and "claims" in r for r in rows["run"]), rows["run"]
    assert any("detect" in r and "conflict" in r for r in rows["run"]), rows["run"]
    # contradictions with where their alert stands, and the alerts with their delivery status
    assert rows["conflict"] and all(("alerted" in r or "alert pending" in r) for r in rows["conflict"]), rows
    assert rows["alert"] and any("sent" in r for r in rows["alert"]), rows["alert"]
    assert "prisoner exchange per side" in text
    # the quality gate per run, and the latest report served from the page
    assert rows["quality-run"], text
    browser.eval(f"{FRAME_DOC}.querySelector('#latest-report').click()")
    browser.wait_for(f"{FRAME_DOC} && {FRAME_DOC}.title.startsWith('newswatch data quality')", timeout=30)
    report = browser.eval(f"{FRAME_DOC}.body.innerText")
    assert "Data quality report" in report and "contradictions" in report
