"""DNS rebinding: the fetcher connects to the address its check approved, not to the answer of a
second lookup, and keeps the host name for the Host header (and TLS server name)."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import httpx
import pytest

from pipelines.ingest import http
from pipelines.settings import Settings

HOST = "rebinding.example"


class EchoHost(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server hook name)
        body = f"host={self.headers['Host']}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), EchoHost)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def rebinding_dns(monkeypatch) -> list[str]:
    """The first lookup of HOST answers 127.0.0.1 (taken as public here, where our server listens),
    every later one the cloud metadata address; other names resolve as usual."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != HOST:
            return real(host, port, *args, **kwargs)
        answer = "127.0.0.1" if not lookups else "169.254.169.254"
        lookups.append(answer)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(http, "is_public", lambda a: a == ipaddress.ip_address("127.0.0.1") or a.is_global)
    return lookups


def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(server, rebinding_dns):
    settings = Settings(connect_timeout=2.0, http_timeout=2.0)
    result = http.fetch(f"http://{HOST}:{server}/page", settings, robots=False)
    assert result.ok, result.error
    assert result.body == f"host={HOST}:{server}".encode()
    assert rebinding_dns == ["127.0.0.1"]  # one lookup, the checked one: no second answer was asked for


def test_a_second_check_that_resolves_privately_is_refused(server, rebinding_dns):
    settings = Settings(connect_timeout=2.0, http_timeout=2.0)
    assert http.fetch(f"http://{HOST}:{server}/a", settings, robots=False).ok
    again = http.fetch(f"http://{HOST}:{server}/b", settings, robots=False)
    assert again.failure == "blocked" and "169.254.169.254" in (again.error or "")


def test_a_host_that_was_never_checked_is_not_connected_to(server):
    settings = Settings(connect_timeout=2.0, http_timeout=2.0)
    with http.make_client(settings) as client, pytest.raises(httpx.ConnectError, match="not checked"):
        client.get(f"http://never-checked.example:{server}/")


class StopBeforeHandshake(httpcore.NetworkStream):
    """A socket stand-in that records what TLS would be started with, then fails the connection."""

    seen: dict[str, object] = {}

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        self.seen.update(server_hostname=server_hostname, check_hostname=ssl_context.check_hostname)
        raise httpcore.ConnectError("stopped before the handshake")

    def close(self) -> None:
        pass


def test_tls_keeps_the_host_name_for_sni_and_certificate_checks(monkeypatch):
    def connect_tcp(self, host, port, *args, **kwargs):
        StopBeforeHandshake.seen["connected_to"] = host
        return StopBeforeHandshake()

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    http.PINS.pin("tls.example", ["192.0.2.10"])
    settings = Settings(connect_timeout=2.0, http_timeout=2.0)
    with http.make_client(settings) as client, pytest.raises(httpx.ConnectError, match="stopped before"):
        client.get("https://tls.example/")
    assert StopBeforeHandshake.seen == {"connected_to": "192.0.2.10", "server_hostname": "tls.example",
                                        "check_hostname": True}
