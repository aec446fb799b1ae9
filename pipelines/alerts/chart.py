"""The chart in an alert email: every reported interval for one event and attribute, per outlet, over time.

Reports are placed left to right in publication order, one slot each, labelled with their number in
the email's table and their publication time: real time spacing would squeeze a burst of same-day
reports into one blur next to a single late one. Each report is a bar from its lower to its upper
bound, coloured by outlet; a single figure is a dot; an open bound ("more than 1,000", "less than an
hour") is an arrow pointing the way the interval is unbounded. Reports in the conflict being
alerted are outlined in red.

Built on matplotlib's object API with the Agg canvas (no pyplot, no global figure state), so it is
safe in any worker thread and needs no display.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pipelines.alerts.render import ClaimRow, ConflictGroup

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CONFLICT_EDGE = "#c0392b"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
BAR_WIDTH = 0.36


def _value_range(claims: Sequence[ClaimRow]) -> tuple[float, float]:
    values = [v for c in claims for v in (c.low, c.high) if v is not None]
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.12 or max(abs(hi) * 0.12, 1.0)
    return lo - pad, hi + pad


def _tick(c: ClaimRow) -> str:
    when = c.published_at.strftime("%d %b\n%H:%M") if c.published_at else "no date"
    return f"#{c.number}\n{when}"


def outlet_colours(claims: Sequence[ClaimRow]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for c in claims:
        colours.setdefault(c.publisher, PALETTE[len(colours) % len(PALETTE)])
    return colours


def interval_chart(group: ConflictGroup) -> bytes:
    """PNG bytes of the chart for one conflict group, ``group.chart_size`` pixels (the size the
    email's HTML states for it)."""
    width_px, height_px = group.chart_size
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    claims = group.claims
    colours = outlet_colours(claims)
    y_min, y_max = _value_range(claims)
    arrow = (y_max - y_min) * 0.15
    in_conflict = {c.claim_id for p in group.pairs for c in (p.a, p.b)}
    for x, c in enumerate(claims):
        colour = colours[c.publisher]
        edge = CONFLICT_EDGE if c.claim_id in in_conflict else colour
        lw = 2.2 if c.claim_id in in_conflict else 0.8
        low, high = c.low, c.high
        if low is not None and high is not None and low != high:
            ax.bar(x, high - low, bottom=low, width=BAR_WIDTH, color=colour, edgecolor=edge, linewidth=lw)
        elif low is not None or high is not None:
            value = low if low is not None else high
            assert value is not None
            if low is None or high is None:
                # unbounded on one side: an arrow from the known bound the open way
                tip = value + arrow if high is None else value - arrow
                ax.annotate("", xy=(x, tip), xytext=(x, value),
                            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 3, "mutation_scale": 20})
            ax.scatter([x], [value], s=110, color=colour, edgecolors=edge, linewidths=lw, zorder=3)
    ax.set_xlim(-0.7, len(claims) - 0.3)
    ax.set_ylim(y_min - arrow * 0.4, y_max + arrow * 1.2)
    ax.set_xticks(range(len(claims)), [_tick(c) for c in claims], fontsize=8)
    unit = next((c.unit for c in claims if c.unit), "")
    ax.set_ylabel(unit or "value")
    ax.set_xlabel("reports in publication order (number as in the table)", fontsize=8)
    ax.set_title(f"{group.attribute_words}: {group.event_label}", fontsize=11)
    ax.grid(True, axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    handles = [Line2D([], [], marker="s", linestyle="", markersize=9, color=col, label=name)
               for name, col in colours.items()]
    handles.append(Line2D([], [], marker="s", linestyle="", markersize=9, markerfacecolor="white",
                          markeredgecolor=CONFLICT_EDGE, markeredgewidth=2, label="in this conflict"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    # tight_layout leaves a placeholder layout engine behind, and savefig then draws the whole figure
    # once more before the real draw (a fifth of a chart's CPU); the layout is done, so drop it: the
    # PNG is the same byte for byte
    fig.set_layout_engine(None)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
