import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines.ingest.http import BlockedURL, check_url, fetch, parse_retry_after
from pipelines.ingest.politeness import Politeness
from pipelines.settings import Settings

Route = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A real HTTP server on 127.0.0.1 with per-path handlers and a log of requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None, length: bool = True) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        if length:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return route


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(home=tmp_path, allowed_hosts="127.0.0.1", **kw)  # type: ignore[arg-type]


def test_plain_get_sends_user_agent(server: Server, tmp_path: Path) -> None:
    server.routes["/a"] = respond(200, b"hello", {"Content-Type": "text/plain", "ETag": '"v1"'})
    result = fetch(server.base + "/a", settings(tmp_path, user_agent="nw-test/1 (ops@example.org)"))
    assert result.ok and result.error is None
    assert result.body == b"hello"
    assert result.etag == '"v1"'
    assert result.content_type == "text/plain"
    assert server.requests[0][1]["user-agent"] == "nw-test/1 (ops@example.org)"


def test_conditional_get_gives_304(server: Server, tmp_path: Path) -> None:
    def route(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            respond(304, headers={"ETag": '"v1"'}, length=False)(h)
        else:
            respond(200, b"body", {"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT"})(h)

    server.routes["/feed"] = route
    first = fetch(server.base + "/feed", settings(tmp_path))
    second = fetch(server.base + "/feed", settings(tmp_path), etag=first.etag, last_modified=first.last_modified)
    assert first.status == 200 and not first.not_modified
    assert second.not_modified and not second.ok and second.error is None and second.body == b""
    assert server.requests[1][1]["if-modified-since"] == "Mon, 02 Mar 2026 10:00:00 GMT"


def test_http_error_is_data(server: Server, tmp_path: Path) -> None:
    result = fetch(server.base + "/missing", settings(tmp_path))
    assert result.status == 404 and result.error == "HTTP 404" and not result.ok


def test_connection_refused_is_data(server: Server, tmp_path: Path) -> None:
    url = server.base + "/x"
    server.close()
    result = fetch(url, settings(tmp_path, http_timeout=2.0))
    assert result.status is None
    assert result.error is not None and "ConnectError" in result.error


def test_loopback_refused_unless_allowed(server: Server, tmp_path: Path) -> None:
    server.routes["/a"] = respond(200, b"secret")
    result = fetch(server.base + "/a", Settings(home=tmp_path, allowed_hosts=""))
    assert result.error is not None and result.error.startswith("blocked:")
    assert result.body == b""
    assert server.requests == []  # refused before connecting


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:192.168.0.1]/x",
        "http://100.64.0.1/x",
        "file:///etc/passwd",
        "http:///nohost",
    ],
)
def test_non_public_targets_are_blocked(url: str, tmp_path: Path) -> None:
    with pytest.raises(BlockedURL):
        check_url(url, settings(tmp_path))


def test_public_address_passes_the_guard(tmp_path: Path) -> None:
    check_url("http://93.184.215.14/x", settings(tmp_path))  # a literal: no DNS needed


@pytest.mark.parametrize("target", ["http://10.0.0.7/admin", "http://169.254.169.254/latest/meta-data/"])
def test_redirect_to_private_address_is_refused(server: Server, tmp_path: Path, target: str) -> None:
    server.routes["/go"] = respond(302, headers={"Location": target})
    result = fetch(server.base + "/go", settings(tmp_path))
    assert result.error is not None and result.error.startswith("blocked:")
    assert result.final_url == target


def test_redirects_followed_and_limited(server: Server, tmp_path: Path) -> None:
    server.routes["/old"] = respond(301, headers={"Location": "/new"})
    server.routes["/new"] = respond(200, b"moved here")
    server.routes["/loop"] = respond(302, headers={"Location": "/loop"})
    moved = fetch(server.base + "/old", settings(tmp_path))
    assert moved.ok and moved.body == b"moved here" and moved.final_url == server.base + "/new"
    looped = fetch(server.base + "/loop", settings(tmp_path))
    assert looped.error == "more than 5 redirects"
    assert sum(1 for path, _ in server.requests if path == "/loop") == 6


def test_body_cap_with_and_without_content_length(server: Server, tmp_path: Path) -> None:
    big = b"x" * 5000
    server.routes["/declared"] = respond(200, big)
    server.routes["/streamed"] = respond(200, big, length=False)  # read until the server closes
    server.routes["/small"] = respond(200, b"y" * 999, length=False)
    capped = settings(tmp_path, max_body_bytes=1000)
    for path in ("/declared", "/streamed"):
        result = fetch(server.base + path, capped)
        assert result.error is not None and "body too large" in result.error, path
        assert result.body == b""
    assert fetch(server.base + "/small", capped).body == b"y" * 999


def test_cap_applies_after_decompression(server: Server, tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * 200_000)
    server.routes["/bomb"] = respond(200, bomb, {"Content-Encoding": "gzip"})
    result = fetch(server.base + "/bomb", settings(tmp_path, max_body_bytes=50_000))
    assert len(bomb) < 50_000
    assert result.error is not None and "body too large" in result.error


# --- Limits, encodings, Retry-After, robots.txt and per-host concurrency ---------------------------




def test_deflate_is_decoded_and_unknown_or_corrupt_encodings_are_errors(server: Server, tmp_path: Path) -> None:
    server.routes["/deflate"] = respond(200, zlib.compress(b"squeezed text"), {"Content-Encoding": "deflate"})
    server.routes["/zstd"] = respond(200, b"\x28\xb5\x2f\xfd", {"Content-Encoding": "zstd"})
    server.routes["/corrupt"] = respond(200, b"\x1f\x8b\x08\x00garbage-not-gzip", {"Content-Encoding": "gzip"})
    assert fetch(server.base + "/deflate", settings(tmp_path)).body == b"squeezed text"
    for path in ("/zstd", "/corrupt"):
        result = fetch(server.base + path, settings(tmp_path))
        assert result.failure == "encoding" and result.body == b"", path


def test_slow_drip_is_cut_by_the_total_time_cap(server: Server, tmp_path: Path) -> None:
    def drip(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.routes["/drip"] = drip
    result = fetch(server.base + "/drip", settings(tmp_path, fetch_total_timeout=0.5, http_timeout=5.0))
    assert result.failure == "timeout" and "total time cap" in (result.error or "")


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(minutes=5), usegmt=True), now=now) == 300.0
    assert parse_retry_after(format_datetime(now - timedelta(minutes=5), usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_429_retry_after_backs_off_the_whole_origin(server: Server, tmp_path: Path) -> None:
    server.routes["/feed"] = respond(429, b"", {"Retry-After": "600"})
    server.routes["/other"] = respond(200, b"fine")
    s = settings(tmp_path, host_min_delay=0, respect_robots=False)
    gate = Politeness(s)
    first = fetch(server.base + "/feed", s, gate=gate)
    assert first.status == 429 and first.retry_after == 600 and "Retry-After 600" in (first.error or "")
    second = fetch(server.base + "/other", s, gate=gate)
    assert second.failure == "host_backoff" and second.body == b""
    assert [p for p, _ in server.requests] == ["/feed"]  # the other page was never requested
    capped = fetch(server.base + "/feed", settings(tmp_path, retry_after_max=60))
    assert capped.retry_after == 60


def test_robots_txt_is_honoured(server: Server, tmp_path: Path) -> None:
    server.routes["/robots.txt"] = respond(200, b"User-agent: newswatch\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    server.routes["/private/a"] = respond(200, b"secret")
    server.routes["/public/a"] = respond(200, b"hello")
    s = settings(tmp_path, host_min_delay=0, user_agent="newswatch/0.1 (ops@example.org)")
    gate = Politeness(s)
    refused = fetch(server.base + "/private/a", s, gate=gate)
    assert refused.failure == "robots" and refused.body == b""
    assert fetch(server.base + "/public/a", s, gate=gate).body == b"hello"
    assert [p for p, _ in server.requests] == ["/robots.txt", "/public/a"]  # fetched once, private never
    ignoring = settings(tmp_path, host_min_delay=0, respect_robots=False)
    assert fetch(server.base + "/private/a", ignoring, gate=Politeness(ignoring)).body == b"secret"


def test_robots_txt_missing_allows_and_unreachable_disallows(server: Server, tmp_path: Path) -> None:
    server.routes["/a"] = respond(200, b"ok")
    s = settings(tmp_path, host_min_delay=0)
    assert fetch(server.base + "/a", s, gate=Politeness(s)).body == b"ok"  # robots.txt 404
    server.routes["/robots.txt"] = respond(500, b"")
    refused = fetch(server.base + "/a", s, gate=Politeness(s))
    assert refused.failure == "robots" and "unreachable" in (refused.error or "")


def test_per_host_concurrency_limit(server: Server, tmp_path: Path) -> None:

    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(h: BaseHTTPRequestHandler) -> None:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        respond(200, b"ok")(h)

    for i in range(6):
        server.routes[f"/p{i}"] = slow
    for limit in (1, 2):
        state["max"] = 0
        s = settings(tmp_path, host_min_delay=0, respect_robots=False, host_concurrency=limit)
        gate = Politeness(s)
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(lambda i: fetch(f"{server.base}/p{i}", s, gate=gate), range(6)))  # noqa: B023
        assert all(r.body == b"ok" for r in results)
        assert 1 <= state["max"] <= limit
