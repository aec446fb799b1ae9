"""Clean one HTML page into article text and metadata with trafilatura. Pure: no I/O.

Used for fetched pages (``pipelines.ingest.fetch_articles``) and for eval article files that carry
``html`` instead of ``text``, so both go through exactly the same cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document, set_date_params

# Ask htmldate for a full timestamp: trafilatura's default output is a bare day, which would put
# every article of a day at midnight and blur the stream order the detector relies on.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass(frozen=True)
class CleanPage:
    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    sitename: str | None = None


# Cleaning builds a tree of the whole page (~20 bytes per character of HTML); extraction reads the
# first 200,000 characters of text. Scripts and styles never hold article text, so they go first,
# then the page is cut to a size that holds far more text than extraction reads.
MAX_HTML_CHARS = 2_000_000
_NOT_TEXT = re.compile(r"<(script|style|svg|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def bounded_html(html: str) -> str:
    """The page without scripts and styles, cut to ``MAX_HTML_CHARS`` (tag soup parses anyway)."""
    if len(html) <= MAX_HTML_CHARS:
        return html
    return _NOT_TEXT.sub("", html)[:MAX_HTML_CHARS]


def clean_html(html: str, url: str | None = None) -> CleanPage:
    """Main text and metadata of a page; ``text`` is empty when no main content was found."""
    html = bounded_html(html)
    language = _declared_language(html)
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params={**set_date_params(True), "outputformat": _DATE_FORMAT},
    )
    if not isinstance(doc, Document):
        return CleanPage(text="", language=language)
    title = _blank_to_none(doc.title)
    return CleanPage(
        text=_drop_headline(doc.text or "", title),
        title=title,
        author=_blank_to_none(doc.author),
        published=parse_datetime(doc.date),
        # trafilatura only guesses a language with an optional detector installed; the page's own
        # declaration is cheaper and what publishers set.
        language=_blank_to_none(doc.language) or language,
        sitename=_site_name(doc.sitename, doc.url or url),
    )


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO-like timestamp or day as an aware datetime; a value without zone is taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _drop_headline(text: str, title: str | None) -> str:
    # trafilatura keeps the <h1> as the first line; the headline is stored in `title`, and keeping
    # it in the body too would make the claim extractor read the same figure twice.
    text = text.strip()
    if title:
        first, _, rest = text.partition("\n")
        if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
            return rest.strip()
    return text


def _declared_language(html: str) -> str | None:
    """Primary language subtag from <html lang> or a Content-Language meta tag ("en-GB" -> "en")."""
    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None
    declared = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        for meta in root.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language":
                declared = meta.get("content")
                break
    if not declared:
        return None
    primary = declared.strip().replace("_", "-").split("-")[0].lower()
    return primary or None


def _site_name(sitename: str | None, url: str | None) -> str | None:
    # Without og:site_name or a titled site, trafilatura falls back to the URL's host; a host is
    # not an outlet's name, and the caller has a better fallback (the feed's name).
    sitename = _blank_to_none(sitename)
    if sitename and url:
        host = urlsplit(url).netloc.lower()
        if sitename.lower() in (host, re.sub(r"^(?:www\.|w[0-9]+\.)", "", host)):
            return None
    return sitename


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None
