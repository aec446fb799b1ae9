"""Alert emails: the context of one conflict group, its subject, text and HTML bodies, the message.

Pure functions: nothing here reads the database or the network. ``outbox`` gathers the rows.
"""

from __future__ import annotations

import email.policy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipelines.detect import source_key
from pipelines.ids import stable_id
from pipelines.settings import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

# Headers up to RFC 5322's 998 characters per line: the default folding at 78 breaks a subject with
# a non-ASCII character (an en dash in an event label) before its encoded word, and the reader's
# unfolding then shows two spaces there.
MESSAGE_POLICY = email.policy.default.clone(max_line_length=998)
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
    """The interval a claim was read as, in words (``80–90 minutes``, ``at most 59 minutes``)."""
    if low is None and high is None:
        text = "unknown"
    elif low is None:
        text = f"at most {format_number(high)}"  # type: ignore[arg-type]
    elif high is None:
        text = f"at least {format_number(low)}"
    elif low == high:
        text = format_number(low)
    else:
        text = f"{format_number(low)}\u2013{format_number(high)}"  # en dash: a range, not a minus
    return f"{text} {unit}".strip() if unit and text != "unknown" else text


def format_gap(gap: float | None, unit: str = "") -> str:
    return f"{format_number(gap)} {unit}".strip() if gap else ""


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
    title: str = ""
    article_id: str = ""
    source_outlet: str | None = None  # the outlet as stored (None: unknown, the article is its own source)
    source: str = ""  # who the article quotes for the figure, when it names someone
    conflicts_with: list[int] = field(default_factory=list)
    new: bool = False  # in a follow-up: not in the conflict when it was last alerted
    # for the chart: the interval as numbers and the publication time
    low: float | None = None
    high: float | None = None
    unit: str = ""
    published_at: datetime | None = None


SEVERITY_ORDER = ("low", "medium", "high")


@dataclass
class PairRow:
    a: ClaimRow
    b: ClaimRow
    reason: str
    severity: str
    is_new: bool
    gap: float | None = None

    @property
    def why(self) -> str:
        """The two readings side by side: ``80–90 minutes vs 100–119 minutes``."""
        return f"{self.a.interval} vs {self.b.interval}"

    @property
    def apart(self) -> str:
        """``10 minutes apart``: the distance between the two intervals."""
        gap = format_gap(self.gap, self.a.unit)
        return f"{gap} apart" if gap else ""


@dataclass(frozen=True)
class SideRow:
    """One conflicting value and the independent outlets that report it."""

    value: str
    outlets: list[str]

    @property
    def corroboration(self) -> str:
        """``3 independent outlets``, ``1 outlet``: how many stand behind the value."""
        n = len(self.outlets)
        return "1 outlet" if n == 1 else f"{n} independent outlets"


@dataclass(frozen=True)
class Thread:
    """Threading headers of a follow-up: the first email about the conflict (and the previous one)."""

    in_reply_to: str | None = None
    references: Sequence[str] = ()


@dataclass
class ConflictGroup:
    """Everything one alert shows about one conflict (event + attribute) in one state."""

    fingerprint: str
    event_id: str
    event_label: str
    attribute: str
    claims: list[ClaimRow]
    pairs: list[PairRow]
    changes: list[str] = field(default_factory=list)  # a follow-up: what is new since the last alert

    @property
    def attribute_words(self) -> str:
        return attribute_words(self.attribute)

    @property
    def is_update(self) -> bool:
        return bool(self.changes)

    @property
    def severity(self) -> str:
        """The highest severity among the conflicting pairs."""
        ranks = [SEVERITY_ORDER.index(p.severity) for p in self.pairs if p.severity in SEVERITY_ORDER]
        return SEVERITY_ORDER[max(ranks)] if ranks else "low"

    @property
    def conflicting_values(self) -> list[str]:
        """The distinct values in the conflicting pairs, in publication order, one per interval."""
        in_conflict = {c.claim_id for p in self.pairs for c in (p.a, p.b)}
        seen: set[str] = set()
        values: list[str] = []
        for c in self.claims:
            if c.claim_id in in_conflict and c.interval not in seen:
                seen.add(c.interval)
                values.append(c.value_text)
        return values

    @property
    def sides(self) -> list[SideRow]:
        """Each conflicting value with the independent outlets reporting it (corroboration): several
        reports by one outlet count once, as in detection (``detect.source_key``)."""
        in_conflict = {c.claim_id for p in self.pairs for c in (p.a, p.b)}
        sides: dict[str, dict[str, str]] = {}
        for c in self.claims:
            if c.claim_id in in_conflict:
                sides.setdefault(c.interval, {}).setdefault(source_key(c.source_outlet, c.article_id), c.publisher)
        return [SideRow(value, list(outlets.values())) for value, outlets in sides.items()]

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

    @property
    def chart_size(self) -> tuple[int, int]:
        """(width, height) in pixels, as drawn: the HTML's <img> states the same, so nothing is stretched."""
        return CHART_WIDTH, CHART_HEIGHT


CHART_WIDTH, CHART_HEIGHT = 760, 400


def build_group(
    fingerprint: str,
    event_id: str,
    event_label: str | None,
    attribute: str,
    claims: Sequence[dict[str, Any]],
    pairs: Sequence[dict[str, Any]],
    previous_claims: set[str] | None = None,
    changes: Sequence[str] = (),
) -> ConflictGroup:
    """Assemble a group from query rows (``sql/alerts/group_claims`` and ``group_pairs``).

    ``previous_claims``: the claims of the conflict when it was last alerted (a follow-up); claims
    not among them are marked new, and pairs among them as reported before.
    """
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
            title=(c.get("title") or "").strip(),
            article_id=c.get("article_id") or c["claim_id"],
            source_outlet=c.get("publisher"),
            source=(c.get("source_name") or "").strip(),
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
        before = previous_claims is not None and {a.claim_id, b.claim_id} <= previous_claims
        pair_rows.append(PairRow(a=a, b=b, reason=p["reason"], severity=p["severity"], is_new=not before,
                                 gap=p.get("gap")))
    for r in rows:
        r.conflicts_with.sort()
        r.new = previous_claims is not None and bool(r.conflicts_with) and r.claim_id not in previous_claims
    return ConflictGroup(
        fingerprint=fingerprint,
        event_id=event_id,
        event_label=event_label or event_id,
        attribute=attribute,
        claims=rows,
        pairs=pair_rows,
        changes=list(changes),
    )


def subject_for(groups: Sequence[ConflictGroup]) -> str:
    """One group: ``[newswatch] Conflict (high severity): <attribute> – <event> (<v1> vs <v2>)``, a
    follow-up ``[newswatch] Update: conflict (high severity): ...: <what changed>``; several groups:
    a digest line with the highest severity."""
    if len(groups) == 1:
        g = groups[0]
        values = " vs ".join(g.conflicting_values)
        tail = f" ({values})" if values else ""
        head = f"{'Update: conflict' if g.is_update else 'Conflict'} ({g.severity} severity)"
        return f"{SUBJECT_PREFIX} {head}: {g.attribute_words} \u2013 {g.event_label}{tail}"
    top = max((g.severity for g in groups), key=SEVERITY_ORDER.index)
    updates = sum(g.is_update for g in groups)
    shown = "; ".join(f"{g.attribute_words} \u2013 {g.event_label}" for g in groups[:3])
    more = f"; and {len(groups) - 3} more" if len(groups) > 3 else ""
    counted = f"{len(groups)} conflicts" + (f", {updates} of them updates" if updates else "")
    return f"{SUBJECT_PREFIX} Digest: {counted} ({top} severity at most): {shown}{more}"


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
    thread: Thread | None = None,
) -> EmailMessage:
    """The email: text and HTML alternatives; each chart ``(cid, filename, png)`` is embedded once,
    in the HTML part (``multipart/related``, shown where the HTML says ``cid:``). A follow-up carries
    ``In-Reply-To``/``References`` to the first email about its conflict, so mail clients thread it."""
    msg = EmailMessage(policy=MESSAGE_POLICY)
    msg["Subject"] = subject
    msg["From"] = settings.alert_from
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(fingerprints, settings.alert_from)
    if thread is not None:
        if thread.in_reply_to:
            msg["In-Reply-To"] = thread.in_reply_to
        if thread.references:
            msg["References"] = " ".join(thread.references)
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
    return msg
