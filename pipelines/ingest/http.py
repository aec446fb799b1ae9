"""One HTTP fetcher for feeds and pages: conditional GET, size cap, manual redirects, SSRF guard.

``fetch`` never raises for network or HTTP problems: they come back as ``FetchResult.error`` so a
run can record them and go on with the next feed or page.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from pipelines.settings import Settings

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed_ms: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        """A 2xx response with its whole body (a 304 is not ``ok``: there is no body)."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class BlockedURL(Exception):
    """The URL points somewhere the fetcher must not go (scheme, private address, ...)."""


def make_client(settings: Settings) -> httpx.Client:
    """A client for one run, so connections to the same host are reused."""
    return httpx.Client(
        headers={"User-Agent": settings.user_agent},
        timeout=httpx.Timeout(settings.http_timeout),
        # Redirects are followed by hand so that every hop passes the address check.
        follow_redirects=False,
        # Proxies from the environment would connect somewhere other than the address we checked.
        trust_env=False,
    )


def fetch(
    url: str,
    settings: Settings,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET ``url`` with optional validators; a 304 comes back with ``not_modified`` and no body."""
    started = time.perf_counter()
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    own_client = client is None
    http = client or make_client(settings)
    current = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current, settings)
            with http.stream("GET", current, headers=headers) as response:
                location = response.headers.get("location")
                if response.is_redirect and location:
                    current = urljoin(current, location)
                    continue
                return _read(url, current, response, settings, started)
        return _result(url, current, started, error=f"more than {MAX_REDIRECTS} redirects")
    except BlockedURL as exc:
        return _result(url, current, started, error=f"blocked: {exc}")
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        return _result(url, current, started, error=f"{type(exc).__name__}: {exc}")
    finally:
        if own_client:
            http.close()


def check_url(url: str, settings: Settings) -> None:
    """Refuse non-http(s) URLs and hosts that resolve to non-public addresses, unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(f"scheme {parts.scheme!r} not allowed in {url!r}")
    host = (parts.hostname or "").lower()
    if not host:
        raise BlockedURL(f"no host in {url!r}")
    if host in settings.allowed_host_set:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise BlockedURL(f"cannot resolve {host!r}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        # is_global is False for private, loopback, link-local (cloud metadata 169.254.169.254),
        # shared (100.64/10), reserved and unspecified ranges alike.
        if not address.is_global:
            raise BlockedURL(f"{host!r} resolves to non-public address {address}")


def _read(
    url: str, final_url: str, response: httpx.Response, settings: Settings, started: float
) -> FetchResult:
    headers = {k.lower(): v for k, v in response.headers.items()}

    def done(body: bytes = b"", error: str | None = None) -> FetchResult:
        return _result(
            url,
            final_url,
            started,
            status=response.status_code,
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            body=body,
            error=error,
        )

    if response.status_code == 304:
        return done()
    if response.status_code >= 400:
        return done(error=f"HTTP {response.status_code}")

    limit = settings.max_body_bytes
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return done(error=f"body too large: {declared} > {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    # Counted after content decoding, so a small gzip bomb is capped too.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            return done(error=f"body too large: over {limit} bytes")
        chunks.append(chunk)
    return done(body=b"".join(chunks))


def _result(
    url: str,
    final_url: str,
    started: float,
    *,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    body: bytes = b"",
    error: str | None = None,
) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        body=body,
        headers=headers or {},
        etag=etag,
        last_modified=last_modified,
        error=error,
        elapsed_ms=(time.perf_counter() - started) * 1000.0,
    )
