"""What a fetched body is and how to read it: XML dangers, binary sniffing, charset decoding. Pure."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

_FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
    "application/feed+json", "text/plain", "application/octet-stream", "",
}
_HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
_BINARY_TYPES = re.compile(r"^(image|audio|video|font)/|^application/(pdf|zip|gzip|x-|vnd\.|octet-stream)")
# The WHATWG "prescan" looks for a <meta> charset in the first 1024 bytes; some CMSs put it later.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def xml_danger(body: bytes) -> str | None:
    """Why this XML must not reach feedparser (entity declarations, external references), or None.

    defusedxml stops at the declaration, before any expansion, so a billion-laughs document costs
    no more than reading it. A malformed document is not a danger: feedparser reports it as bozo.
    """
    try:
        defused_fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return f"refused XML: {type(exc).__name__} ({exc})"
    except Exception:  # noqa: BLE001 - any parse error is feedparser's to report, not a danger
        return None
    return None


def looks_binary(body: bytes) -> bool:
    """NUL bytes in the first 1 KB: no text format we read contains them (UTF-16 is declared by BOM)."""
    head = body[:1024]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\0" in head


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def feed_type_problem(content_type: str, body: bytes) -> str | None:
    """Why this body cannot be a feed (binary, an HTML page), or None."""
    if looks_binary(body) or (_BINARY_TYPES.match(content_type) and content_type not in _FEED_TYPES):
        return f"binary body, not a feed (content-type {content_type or 'none'})"
    # By the body, not the header: real feeds are often served as text/html.
    if looks_like_html(body):
        return f"an HTML page, not a feed (content-type {content_type or 'none'})"
    return None


def page_type_problem(content_type: str, body: bytes) -> str | None:
    """Why this body cannot be an article page, or None."""
    if looks_binary(body) or (content_type not in _HTML_TYPES and _BINARY_TYPES.match(content_type)):
        return f"binary body, not an HTML page (content-type {content_type or 'none'})"
    if content_type not in _HTML_TYPES:
        return f"not an HTML page: {content_type}"
    return None


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # set when the declaration was missing or wrong


def decode_html(body: bytes, header_charset: str | None) -> Decoded:
    """Decode a page: BOM, then declared charsets checked against the bytes, then detection.

    Bytes that are valid UTF-8 and not plain ASCII are read as UTF-8 whatever is declared: text in
    another encoding is almost never valid UTF-8 by accident, while "ISO-8859-1" left in a
    template over UTF-8 content is common.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return Decoded(body.decode(name, errors="replace"), name)
    match = _META_CHARSET.search(body[:8192])
    declared = [c for c in (header_charset, match.group(1).decode("ascii").lower() if match else None) if c]
    declared = [c for c in declared if _known(c)]
    shown = "/".join(dict.fromkeys(declared)) or "none"

    if not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if declared and codecs.lookup(declared[0]).name != "utf-8":
                return Decoded(text, "utf-8", f"declared charset {shown} is wrong: bytes are UTF-8")
            return Decoded(text, "utf-8", None if declared else "no charset declared: bytes are UTF-8")
    for name in declared:
        try:
            return Decoded(body.decode(name), codecs.lookup(name).name)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    guess = best.encoding if best is not None else "cp1252"
    note = f"declared charset {shown} does not fit the bytes: decoded as {guess}" if declared else (
        None if body.isascii() else f"no charset declared: detected {guess}")
    return Decoded(body.decode(guess, errors="replace"), guess, note)


def _known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
