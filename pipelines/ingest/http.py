"""One HTTP fetcher for feeds, pages and robots.txt: guarded, capped and polite.

``fetch`` never raises for network or HTTP problems: they come back as ``FetchResult.error`` (words
for people) and ``FetchResult.failure`` (a short code the scheduler weighs), so a run can record
them and go on with the next feed or page.

Limits, all per fetch: connect and read timeouts, a total time cap that also stops slow-drip
bodies, a body cap counted on the *decoded* bytes while streaming, a redirect limit, and our own
gzip/deflate decoding with a bounded output size per chunk (httpx's decoder would inflate a whole
network chunk at once, which is how a small gzip bomb takes a lot of memory).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from pipelines.settings import Settings

if TYPE_CHECKING:
    from pipelines.ingest.politeness import Politeness

MAX_REDIRECTS = 5  # the default of settings.max_redirects, kept for callers that name it


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
    # blocked | robots | host_backoff | timeout | too_large | redirects | network | http | encoding
    failure: str | None = None
    retry_after: float | None = None  # seconds, from a 429/503 Retry-After header
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

    @property
    def charset(self) -> str | None:
        """The charset declared in the Content-Type header, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None


class BlockedURL(Exception):
    """The URL points somewhere the fetcher must not go (scheme, private address, ...)."""


class _Failure(Exception):
    def __init__(self, failure: str, message: str) -> None:
        super().__init__(message)
        self.failure = failure


def origin_of(url: str) -> str:
    """scheme://host:port: the unit of politeness (robots.txt and rate limits are per origin)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class AddressPins:
    """The addresses ``check_url`` approved, per host: the only ones a connection may go to.

    Checking a host's addresses and then letting the HTTP library look the name up again would let
    a DNS server answer the check with a public address and the connection with a private one (DNS
    rebinding). The latest check of a host wins; every address kept here passed the check."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._addresses: dict[str, list[str]] = {}

    def pin(self, host: str, addresses: list[str]) -> None:
        with self._lock:
            self._addresses[host.lower()] = addresses

    def addresses(self, host: str) -> list[str] | None:
        with self._lock:
            return self._addresses.get(host.lower())


PINS = AddressPins()


class PinnedBackend(httpcore.SyncBackend):
    """TCP connections to the address the check approved for the host, never a fresh lookup.

    Only the socket's destination changes: the URL keeps the host name, so the Host header, the TLS
    server name (SNI) and the certificate check are all about the host name, as without pinning."""

    def __init__(self, pins: AddressPins, allowed_hosts: frozenset[str]) -> None:
        self._pins = pins
        self._allowed = allowed_hosts

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = self._pins.addresses(host)
        if addresses is None:
            if host.lower() not in self._allowed:  # allowed hosts are not checked, so not pinned
                raise httpcore.ConnectError(f"{host!r} was not checked before connecting")
            addresses = [host]
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address for {host!r}")


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool whose sockets go to pinned addresses."""

    def __init__(self, settings: Settings, limits: httpx.Limits, pins: AddressPins = PINS) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(pins, settings.allowed_host_set),
        )


def make_client(settings: Settings) -> httpx.Client:
    """A client for one run, so connections to the same host are reused; it connects only to
    addresses ``check_url`` approved."""
    timeout = httpx.Timeout(settings.http_timeout, connect=settings.connect_timeout)
    limits = httpx.Limits(max_connections=max(settings.fetch_workers, 1) * 2)
    return httpx.Client(
        transport=PinnedTransport(settings, limits),
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=timeout,
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
    gate: Politeness | None = None,
    robots: bool = True,
) -> FetchResult:
    """GET ``url`` with optional validators; a 304 comes back with ``not_modified`` and no body.

    With a ``gate``, every hop waits for its origin's turn (concurrency and delay), is refused
    while the origin is backing off after a Retry-After, and (when ``robots``) must be allowed by
    the origin's robots.txt.
    """
    started = time.perf_counter()
    deadline: float | None = None  # starts with the first request, not while queued for a host slot
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    own_client = client is None
    http = client or make_client(settings)
    current = url
    try:
        for _hop in range(settings.max_redirects + 1):
            check_url(current, settings)
            if gate is not None:
                backoff = gate.backoff_reason(current)
                if backoff:
                    raise _Failure("host_backoff", backoff)
                if robots and settings.respect_robots:
                    refusal = gate.robots_refusal(current, http)
                    if refusal:
                        raise _Failure("robots", refusal)
            slot: AbstractContextManager[object] = gate.slot(current) if gate is not None else nullcontext()
            with slot:
                if deadline is None:
                    deadline = time.monotonic() + settings.fetch_total_timeout
                if time.monotonic() > deadline:
                    raise _Failure("timeout", f"total time cap of {settings.fetch_total_timeout:g} s exceeded")
                with http.stream("GET", current, headers=headers) as response:
                    location = response.headers.get("location")
                    if response.is_redirect and location:
                        current = urljoin(current, location)
                        continue
                    result = _read(url, current, response, settings, started, deadline)
            if gate is not None and result.retry_after is not None:
                gate.back_off(current, result.retry_after, f"HTTP {result.status} Retry-After")
            return result
        return _result(url, current, started, error=f"more than {settings.max_redirects} redirects",
                       failure="redirects")
    except BlockedURL as exc:
        return _result(url, current, started, error=f"blocked: {exc}", failure="blocked")
    except _Failure as exc:
        return _result(url, current, started, error=str(exc), failure=exc.failure)
    except httpx.TimeoutException as exc:
        return _result(url, current, started, error=f"{type(exc).__name__}: {exc}", failure="timeout")
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        return _result(url, current, started, error=f"{type(exc).__name__}: {exc}", failure="network")
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
    approved: list[str] = []
    for info in infos:
        raw = str(info[4][0])
        address = ipaddress.ip_address(raw.split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not is_public(address):
            raise BlockedURL(f"{host!r} resolves to non-public address {address}")
        if raw not in approved:
            approved.append(raw)
    PINS.pin(host, approved)  # the connection goes to these, not to a second lookup's answer


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # is_global is False for private, loopback, link-local (cloud metadata 169.254.169.254),
    # shared (100.64/10), reserved and unspecified ranges alike.
    return address.is_global


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Decoder:
    """Content-Encoding decoding that never produces more than ``budget + 1`` bytes per call."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self._z: zlib._Decompress | None
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            # 32 + MAX_WBITS accepts both gzip and zlib headers, which "deflate" means in practice.
            self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)
        else:
            raise _Failure("encoding", f"unsupported content-encoding {encoding!r}")

    def feed(self, data: bytes, budget: int) -> bytes:
        if self._z is None:
            return data
        try:
            # Output stops at budget + 1: enough to know the cap is exceeded, never more.
            return self._z.decompress(data, budget + 1)
        except zlib.error as exc:
            raise _Failure("encoding", f"corrupt compressed body: {exc}") from exc


def _read(
    url: str, final_url: str, response: httpx.Response, settings: Settings, started: float, deadline: float
) -> FetchResult:
    headers = {k.lower(): v for k, v in response.headers.items()}

    def done(body: bytes = b"", error: str | None = None, failure: str | None = None,
             retry_after: float | None = None) -> FetchResult:
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
            failure=failure,
            retry_after=retry_after,
        )

    if response.status_code == 304:
        return done()
    if response.status_code >= 400:
        retry_after = None
        if response.status_code in (429, 503):
            waited = parse_retry_after(headers.get("retry-after"))
            if waited is not None:
                retry_after = min(waited, settings.retry_after_max)
        note = f" (Retry-After {retry_after:g} s)" if retry_after is not None else ""
        return done(error=f"HTTP {response.status_code}{note}", failure="http", retry_after=retry_after)

    limit = settings.max_body_bytes
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return done(error=f"body too large: {declared} > {limit} bytes", failure="too_large")
    decoder = _Decoder(headers.get("content-encoding", ""))
    body = bytearray()
    # iter_raw() without a chunk size yields each network read as it arrives (at most 64 KB); with
    # one, httpx would buffer up to that size and a slow drip would never reach the deadline check.
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            return done(error=f"total time cap of {settings.fetch_total_timeout:g} s exceeded", failure="timeout")
        body += decoder.feed(chunk, limit - len(body))
        if len(body) > limit:
            return done(error=f"body too large: over {limit} bytes", failure="too_large")
    return done(body=bytes(body))


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
    failure: str | None = None,
    retry_after: float | None = None,
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
        failure=failure,
        retry_after=retry_after,
        elapsed_ms=(time.perf_counter() - started) * 1000.0,
    )
