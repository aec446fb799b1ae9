"""Alert emails: the context of one conflict group, its subject, text and HTML bodies, the message.

Pure functions: nothing here reads the database or the network. ``outbox`` gathers the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipelines.ids import stable_id
from pipelines.settings import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
SUBJECT_PREFIX = "[newswatch]"

# Attribute ids in words for subjects and headings. An attribute missing here still reads
# acceptably through ``attribute_words``' fallback, so a new catalog entry needs no code change.
ATTRIBUTE_WORDS: dict[str, str] = {
    "talks.duration_minutes": "talks duration",
    "prisoner_exchange.count_per_side": "prisoner exchange per side",
    "prisoner_exchange.total": "prisoner exchange total",
    "bodies_returned.count": "bodies returned",
    "bodies_returned.total": "bodies returned, both sides",
    "bodies_returned.cumulative": "bodies returned so far",
    "ceasefire.duration_days": "ceasefire length",
    "death_toll": "death toll",
    "death_toll.onboard": "death toll on board",
    "death_toll.ground": "death toll on the ground",
    "injured": "injured",
    "missing": "missing",
}

# HTML is autoescaped (quotes and titles come from scraped pages); the text body is not HTML.
_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def attribute_words(attribute: str) -> str:
    """``prisoner_exchange.count_per_side`` -> ``prisoner exchange per side``."""
    if attribute in ATTRIBUTE_WORDS:
        return ATTRIBUTE_WORDS[attribute]
    return attribute.replace(".", " ").replace("_", " ")


def _safe_href(url: str | None) -> str:
    """Only http(s) links become clickable: a scraped ``javascript:`` URL must not."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return ""


def format_number(x: float) -> str:
    """1000.0 -> ``1,000``; 2.5 -> ``2.5``."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def format_interval(low: float | None, high: float | None, unit: str = "") -> str:
    """The interval a claim was read as, in words (``80 to 90 minutes``, ``at most 59 minutes``)."""
    if low is None and high is None:
        text = "unknown"
    elif low is None:
        text = f"at most {format_number(high)}"  # type: ignore[arg-type]
    elif high is None:
        text = f"at least {format_number(low)}"
    elif low == high:
        text = format_number(low)
    else:
        text = f"{format_number(low)} to {format_number(high)}"
    return f"{text} {unit}".strip() if unit and text != "unknown" else text


@dataclass
class ClaimRow:
    number: int
    claim_id: str
    publisher: str
    published: str
    value_text: str
    interval: str
    quote: str
    url: str
    href: str
    conflicts_with: list[int] = field(default_factory=list)
    # for the chart: the interval as numbers and the publication time
    low: float | None = None
    high: float | None = None
    unit: str = ""
    published_at: datetime | None = None


@dataclass
class PairRow:
    a: ClaimRow
    b: ClaimRow
    reason: str
    severity: str
    is_new: bool


@dataclass
class ConflictGroup:
    """Everything one alert shows about one fingerprint (one event + attribute + set of values)."""

    fingerprint: str
    event_id: str
    event_label: str
    attribute: str
    claims: list[ClaimRow]
    pairs: list[PairRow]

    @property
    def attribute_words(self) -> str:
        return attribute_words(self.attribute)

    @property
    def conflicting_values(self) -> list[str]:
        """The distinct values in the new conflicting pairs, in publication order, one per interval."""
        in_new = {c.claim_id for p in self.pairs if p.is_new for c in (p.a, p.b)}
        seen: set[str] = set()
        values: list[str] = []
        for c in self.claims:
            if c.claim_id in in_new and c.interval not in seen:
                seen.add(c.interval)
                values.append(c.value_text)
        return values

    @property
    def has_old_pairs(self) -> bool:
        return any(not p.is_new for p in self.pairs)

    @property
    def chart_cid(self) -> str:
        """Content-ID of this group's chart: the HTML refers to it as ``cid:<chart_cid>``."""
        return f"chart.{stable_id(self.fingerprint, length=16)}@newswatch"

    @property
    def chart_filename(self) -> str:
        return f"newswatch-{stable_id(self.fingerprint, length=16)}.png"


def build_group(
    fingerprint: str,
    event_id: str,
    event_label: str | None,
    attribute: str,
    claims: Sequence[dict[str, Any]],
    pairs: Sequence[dict[str, Any]],
) -> ConflictGroup:
    """Assemble a group from query rows (``sql/alerts/group_claims`` and ``group_pairs``)."""
    rows: list[ClaimRow] = []
    by_id: dict[str, ClaimRow] = {}
    for i, c in enumerate(claims, start=1):
        row = ClaimRow(
            number=i,
            claim_id=c["claim_id"],
            publisher=c.get("publisher") or "(unknown outlet)",
            published=c.get("published_utc") or "(no date)",
            value_text=c["value_text"],
            interval=format_interval(c.get("value_low"), c.get("value_high"), c.get("unit") or ""),
            quote=c["quote"],
            url=c.get("url") or "",
            href=_safe_href(c.get("url")),
            low=c.get("value_low"),
            high=c.get("value_high"),
            unit=c.get("unit") or "",
            published_at=c.get("published"),
        )
        rows.append(row)
        by_id[row.claim_id] = row
    pair_rows: list[PairRow] = []
    for p in pairs:
        a, b = by_id.get(p["claim_a"]), by_id.get(p["claim_b"])
        if a is None or b is None:
            # A pair whose claim moved to another event no longer belongs to this group.
            continue
        a.conflicts_with.append(b.number)
        b.conflicts_with.append(a.number)
        pair_rows.append(PairRow(a=a, b=b, reason=p["reason"], severity=p["severity"], is_new=bool(p["is_new"])))
    for r in rows:
        r.conflicts_with.sort()
    return ConflictGroup(
        fingerprint=fingerprint,
        event_id=event_id,
        event_label=event_label or event_id,
        attribute=attribute,
        claims=rows,
        pairs=pair_rows,
    )


def subject_for(groups: Sequence[ConflictGroup]) -> str:
    """One group: ``[newswatch] Conflict: <attribute> - <event> (<v1> vs <v2>)``; several: a digest line."""
    if len(groups) == 1:
        g = groups[0]
        values = " vs ".join(g.conflicting_values)
        tail = f" ({values})" if values else ""
        return f"{SUBJECT_PREFIX} Conflict: {g.attribute_words} - {g.event_label}{tail}"
    shown = "; ".join(f"{g.attribute_words} - {g.event_label}" for g in groups[:3])
    more = f"; and {len(groups) - 3} more" if len(groups) > 3 else ""
    return f"{SUBJECT_PREFIX} Digest: {len(groups)} conflicts: {shown}{more}"


def render_bodies(groups: Sequence[ConflictGroup]) -> tuple[str, str]:
    """(text, html) for one alert (one group) or a digest (several)."""
    ctx = {"groups": list(groups), "digest": len(groups) > 1}
    return _ENV.get_template("alert.txt.j2").render(ctx), _ENV.get_template("alert.html.j2").render(ctx)


def message_id(fingerprints: Iterable[str], sender: str) -> str:
    """Same fingerprints -> same Message-ID, so a duplicate delivery is recognisable downstream."""
    domain = sender.rpartition("@")[2] or "newswatch.invalid"
    return f"<newswatch.{stable_id(*sorted(fingerprints), length=32)}@{domain}>"


def build_message(
    settings: Settings,
    subject: str,
    text: str,
    html: str,
    recipients: Sequence[str],
    fingerprints: Sequence[str],
    charts: Sequence[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """The email: text and HTML alternatives; each chart ``(cid, filename, png)`` is embedded in the
    HTML part (``multipart/related``, shown where the HTML says ``cid:``) and also attached, for mail
    clients that show no HTML."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.alert_from
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(fingerprints, settings.alert_from)
    for fp in fingerprints:
        msg["X-Newswatch-Fingerprint"] = fp
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if charts:
        html_part = msg.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)  # the alternative added just above
        for cid, filename, png in charts:
            html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>", filename=filename,
                                  disposition="inline")
        for _cid, filename, png in charts:
            msg.add_attachment(png, maintype="image", subtype="png", filename=filename)
    return msg
