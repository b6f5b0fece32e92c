"""Charts drawn on the server as SVG, the same markup in the page and in the PDF.

Only presentation attributes (fill="…", font-size="…"): no style attribute and
no <style> element, so the strict Content-Security-Policy allows them. Each
chart is an image with a title and a description (role="img",
aria-labelledby); the page puts a data table with the same numbers beside it.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..vocab import STAGES
from .chart_text import LINE, label_lines, text_width, wrap

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
INK = "#1e293b"
MUTED = "#64748b"
GRID = "#e2e8f0"
BAR = "#0f766e"
# One colour per stage, light to dark along the road; each has contrast with white text on it
# or is labelled outside the bar.
STAGE_COLOURS = {
    "proposed": "#94a3b8",
    "transmitted": "#3b82f6",
    "acknowledged": "#6366f1",
    "adopted": "#16a34a",
    "implemented": "#14532d",
}
WIDTH = 640
LABEL_WIDTH = 210
ROW = 28


def _number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _open(chart_id: str, title: str, desc: str, height: int, width: int = WIDTH,
          css_class: str = "chart-svg", hidden: bool = False) -> list[str]:
    """The <svg> of a chart: an image named by its title and description, or
    (`hidden`) the narrow twin of a chart drawn twice, hidden from assistive
    technology, which reads the wide drawing's title and description instead."""
    cid = escape(chart_id)
    size = f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{escape(FONT)}" font-size="13"'
    if hidden:
        return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" aria-hidden="true" {size}>',
                f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" {size}>',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _svg(parts: list[str]) -> Markup:
    # Safe: every piece of text that came from data went through escape() above.
    return Markup("".join(parts))  # noqa: S704


def _empty(chart_id: str, title: str, desc: str, width: int = WIDTH,
           css_class: str = "chart-svg", hidden: bool = False) -> Markup:
    parts = _open(chart_id, title, desc, 60, width, css_class, hidden)
    parts.append(f'<text x="{width / 2:.0f}" y="35" text-anchor="middle" fill="{MUTED}">'
                 f'Nothing to show for these filters.</text></svg>')
    return _svg(parts)


def bar_chart(chart_id: str, title: str, desc: str, rows: list[tuple[str, float]], *,
              colour: str = BAR, suffix: str = "", width: int = WIDTH, css_class: str = "chart-svg",
              hidden: bool = False) -> Markup:
    """Horizontal bars, one per (label, value), longest first as given. A
    long label wraps onto several lines and its row grows to hold them.
    Narrower than WIDTH, each label goes above its bar, across the chart."""
    if not rows or not any(v for _, v in rows):
        return _empty(chart_id, title, desc, width, css_class, hidden)
    top = max(v for _, v in rows) or 1
    if width < WIDTH:
        return _bars_under_labels(chart_id, title, desc, rows, top, colour, suffix, width, css_class, hidden)
    plot = WIDTH - LABEL_WIDTH - 70
    wrapped = [wrap(label, LABEL_WIDTH - 8) for label, _ in rows]
    heights = [max(ROW, len(lines) * LINE + 10) for lines in wrapped]
    height = sum(heights) + 12
    parts = _open(chart_id, title, desc, height, WIDTH, css_class)
    y = 6
    for (label, value), lines, row in zip(rows, wrapped, heights, strict=True):
        length = plot * value / top
        middle = y + row / 2
        parts.append(
            f'<g><title>{escape(label)}: {_number(value)}{escape(suffix)}</title>'
            + label_lines(lines, LABEL_WIDTH - 8, middle - (len(lines) - 1) * LINE / 2 + 4.5,
                     text_anchor="end", fill=INK)
            + f'<rect x="{LABEL_WIDTH}" y="{middle - (ROW - 8) / 2:.1f}" width="{length:.1f}" '
            f'height="{ROW - 8}" fill="{escape(colour)}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle + 4.5:.1f}" fill="{INK}">'
            f'{_number(value)}{escape(suffix)}</text></g>'
        )
        y += row
    parts.append("</svg>")
    return _svg(parts)


def _bars_under_labels(chart_id: str, title: str, desc: str, rows: list[tuple[str, float]], top: float,
                       colour: str, suffix: str, width: int, css_class: str, hidden: bool) -> Markup:
    """bar_chart on a narrow chart: each label on lines of its own across the
    chart, its bar under it and the value at the end of the bar."""
    values = [f"{_number(v)}{suffix}" for _, v in rows]
    plot = width - 4 - max(text_width(v) for v in values) - 8
    wrapped = [wrap(label, width - 4) for label, _ in rows]
    bar_h = 14
    heights = [len(lines) * LINE + 4 + bar_h + 10 for lines in wrapped]
    parts = _open(chart_id, title, desc, sum(heights) + 4, width, css_class, hidden)
    y = 4
    for (label, value), lines, row, shown in zip(rows, wrapped, heights, values, strict=True):
        length = plot * value / top
        bar_y = y + len(lines) * LINE + 4
        parts.append(
            f'<g><title>{escape(label)}: {escape(shown)}</title>'
            + label_lines(lines, 2, y + 12, fill=INK)
            + f'<rect x="2" y="{bar_y}" width="{length:.1f}" height="{bar_h}" fill="{escape(colour)}" rx="2"/>'
            f'<text x="{2 + length + 6:.1f}" y="{bar_y + 11.5:.1f}" fill="{INK}">{escape(shown)}</text></g>'
        )
        y += row
    parts.append("</svg>")
    return _svg(parts)


def funnel_chart(chart_id: str, title: str, desc: str, stages: list[dict], *, width: int = WIDTH,
                 css_class: str = "chart-svg", hidden: bool = False) -> Markup:
    """Centred bars narrowing along the road: how many reached each stage.
    Narrower than WIDTH, each stage's name and count go above its bar."""
    total = stages[0]["count"] if stages else 0
    if not total:
        return _empty(chart_id, title, desc, width, css_class, hidden)
    if width < WIDTH:
        return _funnel_under_labels(chart_id, title, desc, stages, total, width, css_class, hidden)
    plot = WIDTH - LABEL_WIDTH - 110
    centre = LABEL_WIDTH + plot / 2
    row = 34
    height = len(stages) * row + 12
    parts = _open(chart_id, title, desc, height, WIDTH, css_class)
    for i, stage in enumerate(stages):
        y = 6 + i * row
        length = max(plot * stage["count"] / total, 1.5 if stage["count"] else 0)
        share = stage["count"] / total
        parts.append(
            f'<g><title>{escape(stage["label"])}: {_number(stage["count"])} ({share:.0%})</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 21}" text-anchor="end" fill="{INK}">'
            f'{escape(stage["label"])}</text>'
            f'<rect x="{centre - length / 2:.1f}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{STAGE_COLOURS.get(stage["stage"], BAR)}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + plot + 8}" y="{y + 21}" fill="{INK}">'
            f'{_number(stage["count"])} ({share:.0%})</text></g>'
        )
    parts.append("</svg>")
    return _svg(parts)


def _funnel_under_labels(chart_id: str, title: str, desc: str, stages: list[dict], total: int,
                         width: int, css_class: str, hidden: bool) -> Markup:
    """funnel_chart on a narrow chart: a line per stage, its name at the left and
    its count at the right, above its centred bar as wide as the chart."""
    plot = width - 4
    row = 42
    parts = _open(chart_id, title, desc, len(stages) * row + 4, width, css_class, hidden)
    for i, stage in enumerate(stages):
        y = 4 + i * row
        length = max(plot * stage["count"] / total, 1.5 if stage["count"] else 0)
        share = stage["count"] / total
        parts.append(
            f'<g><title>{escape(stage["label"])}: {_number(stage["count"])} ({share:.0%})</title>'
            f'<text x="2" y="{y + 12}" fill="{INK}">{escape(stage["label"])}</text>'
            f'<text x="{width - 2}" y="{y + 12}" text-anchor="end" fill="{INK}">'
            f'{_number(stage["count"])} ({share:.0%})</text>'
            f'<rect x="{width / 2 - length / 2:.1f}" y="{y + 17}" width="{length:.1f}" height="16" '
            f'fill="{STAGE_COLOURS.get(stage["stage"], BAR)}" rx="2"/></g>'
        )
    parts.append("</svg>")
    return _svg(parts)


def _nice_ceiling(value: float) -> tuple[int, int]:
    """An axis maximum and a whole-number tick step that read well (1, 2, 5 × 10^n)."""
    if value <= 5:
        return max(int(math.ceil(value)), 1), 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        tick = max(int(step * magnitude), 1)
        if value / tick <= 5:
            return int(math.ceil(value / tick)) * tick, tick
    return int(value), int(value)


def _label_step(count: int, slot: float, widest: float) -> int:
    """Label every n-th column so that labels `widest` px wide never touch."""
    return max(1, math.ceil((widest + 6) / slot)) if count else 1


def stacked_columns(chart_id: str, title: str, desc: str, columns: list[dict],
                    keys: tuple[str, ...] = STAGES, colours: dict[str, str] = STAGE_COLOURS,
                    names: dict[str, str] | None = None, *, width: int = WIDTH, plot_h: int = 200,
                    text_size: int = 11, legend_size: int = 12, css_class: str = "chart-svg",
                    every_key: bool = False, hidden: bool = False) -> Markup:
    """One column per entry of `columns` ({"label", "counts": {key: n}}),
    stacked by key, with a legend and a value axis. `width` is the width the
    chart is drawn at (its viewBox): a small multiple is drawn at about the
    size it is shown, so its text keeps its size. The legend wraps onto more
    rows when it is wider than the chart; when the column labels would touch,
    every n-th is shown, always the last (each column keeps its title).
    `every_key`: the legend names every key, even one with nothing to show, so
    that small multiples side by side have the same legend and the same height.
    `hidden`: the narrow twin of a chart drawn twice (see _open)."""
    totals = [sum(c["counts"].get(k, 0) for k in keys) for c in columns]
    if not columns or not any(totals):
        return _empty(chart_id, title, desc, width, css_class, hidden)
    shown = list(keys) if every_key else [k for k in keys if any(c["counts"].get(k, 0) for c in columns)]
    names = names or {}
    top_value, tick = _nice_ceiling(max(totals))
    left = max(44 if width >= WIDTH else 24, round(text_width(_number(top_value), text_size)) + 12)
    right = width - 10
    # Legend: an item per key, in rows no wider than the chart.
    swatch = round(legend_size * 0.9)
    row_h = legend_size + 8
    legend, x, row = [], left, 0
    for key in shown:
        label = names.get(key, key.capitalize())
        item = swatch + 4 + round(text_width(label, legend_size))
        if x > left and x + item > right:
            x, row = left, row + 1
        y = 8 + row * row_h
        legend.append(f'<rect x="{x}" y="{y}" width="{swatch}" height="{swatch}" fill="{colours.get(key, BAR)}"/>'
                      f'<text x="{x + swatch + 4}" y="{y + swatch - 1}" fill="{INK}" '
                      f'font-size="{legend_size}">{escape(label)}</text>')
        x += item + 14
    legend_h = 12 + (row + 1) * row_h
    bottom = text_size + 15
    height = legend_h + plot_h + bottom + 8
    plot_w = right - left
    parts = _open(chart_id, title, desc, height, width, css_class, hidden)
    parts.extend(legend)
    # Axis and grid.
    base = legend_h + plot_h
    steps = int(round(top_value / tick))
    for i in range(steps + 1):
        value = i * tick
        y = base - plot_h * value / top_value
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 6}" y="{y + text_size * 0.35:.1f}" text-anchor="end" fill="{MUTED}" '
                     f'font-size="{text_size}">{_number(value)}</text>')
    slot = plot_w / len(columns)
    bar_w = slot * 0.64
    every = _label_step(len(columns), slot, max(text_width(c["label"], text_size) for c in columns))
    for i, column in enumerate(columns):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        pieces = []
        for key in shown:
            n = column["counts"].get(key, 0)
            if not n:
                continue
            h = plot_h * n / top_value
            y -= h
            pieces.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                          f'fill="{colours.get(key, BAR)}"/>')
        detail = ", ".join(f"{names.get(k, k)} {column['counts'].get(k, 0)}" for k in shown
                           if column["counts"].get(k, 0))
        label = ""
        if (len(columns) - 1 - i) % every == 0:
            half = text_width(column["label"], text_size) / 2  # kept inside the chart at its ends
            centre = min(max(x + bar_w / 2, half + 1), width - half - 1)
            label = (f'<text x="{centre:.1f}" y="{base + text_size + 6}" text-anchor="middle" '
                     f'fill="{INK}" font-size="{text_size}">{escape(column["label"])}</text>')
        parts.append(f'<g><title>{escape(column["label"])}: {totals[i]}'
                     f'{" (" + escape(detail) + ")" if detail else ""}</title>{"".join(pieces)}{label}</g>')
    parts.append(f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{MUTED}"/></svg>')
    return _svg(parts)


# The small multiples are drawn at about the width they are shown at (a grid cell of
# 20-28rem on a page, 48% of an A4 column in the PDF), so their 12 px text shows at
# 11 px or more down to a cell 293 px wide: drawn at 640 and shrunk, it showed at 6 px.
SMALL_WIDTH = 320
SMALL_TEXT = 12
SUBSTANCE_KEYS = ("symbolic", "substantive")
SUBSTANCE_NAMES = {"symbolic": "Symbolic (acknowledged)", "substantive": "Substantive (adopted or implemented)"}
SUBSTANCE_COLOURS = {"symbolic": STAGE_COLOURS["acknowledged"], "substantive": STAGE_COLOURS["adopted"]}


def substance_charts(substance: dict) -> list[Markup]:
    """A small chart per series (reports/substance.py): its symbolic and
    substantive recommendations by year of origin across the series window."""
    charts = []
    for i, s in enumerate(substance.get("by_series", []), start=1):
        years = s["years"]
        charts.append(stacked_columns(
            f"chart-substance-{i}", f"{s['series']} ({s['network']}): symbolic and substantive uptake by year",
            f"Recommendations of {s['series']} taken up, by the year they were made: "
            + "; ".join(f"{y['year']} symbolic {y['symbolic']}, substantive {y['substantive']}" for y in years)
            + ".",
            [{"label": str(y["year"]), "counts": {k: y[k] for k in SUBSTANCE_KEYS}} for y in years],
            keys=SUBSTANCE_KEYS, colours=SUBSTANCE_COLOURS, names=SUBSTANCE_NAMES,
            width=SMALL_WIDTH, plot_h=110, text_size=SMALL_TEXT, legend_size=SMALL_TEXT,
            css_class="chart-svg chart-svg-small", every_key=True,
        ))
    return charts


# The large charts are drawn twice, with no text under 13 px. At WIDTH for a page of 768 px or
# more, where static/app.css shows them 556-672 px wide (text at 11.3 px or more); at NARROW_WIDTH,
# each label above its bar, for a phone or a page under 768 px, shown 288-448 px wide (text at 11-17
# px). Shrunk from 640 to a phone's 358 px, the wide drawing's text showed at 6-7 px. The narrow
# drawing is hidden from assistive technology; the PDF has the wide one only.
LARGE_TEXT = 13
NARROW_WIDTH = 340


def _twice(narrow_too: bool, draw, *args, wide: dict | None = None, narrow: dict | None = None,
           **kwargs) -> Markup:
    """A chart's wide drawing, an image with its title and description, then
    (`narrow_too`) its narrow drawing, hidden from assistive technology (app.css
    keeps the wide one in the accessibility tree at every width)."""
    parts = [draw(*args, **kwargs, **(wide or {}), css_class="chart-svg chart-wide")]
    if narrow_too:
        parts.append(draw(*args, **kwargs, **(narrow or {}), width=NARROW_WIDTH,
                          css_class="chart-svg chart-narrow", hidden=True))
    return _svg(parts)


def report_charts(report, narrow: bool = True) -> dict[str, Markup]:
    """The charts of a report, keyed by the section that shows them; `narrow`:
    with each large chart's drawing for a phone (the page's, not the PDF's)."""
    year = report.filters.period_label
    funnel = report.funnel
    events = report.uptake_events
    steps = events["by_month"] if events["step"] == "month" else events["by_year"]
    participation = report.participation
    themes = report.recommendations["by_theme"]
    stage_names = {s["stage"]: s["label"] for s in funnel["stages"]}
    return {
        "funnel": _twice(
            narrow, funnel_chart,
            "chart-funnel", f"Uptake funnel of the {year} recommendations",
            f"Of {funnel['total']} recommendations made in {year}, how many reached each stage by "
            f"{report.filters.as_of.isoformat()}: "
            + "; ".join(f"{s['label']} {s['count']}" for s in funnel["stages"]) + ".",
            funnel["stages"],
        ),
        "themes": _twice(
            narrow, bar_chart,
            "chart-themes", f"Recommendations of {year} by theme",
            "Number of recommendations under each theme: "
            + "; ".join(f"{t['label']} {t['count']}" for t in themes) + ".",
            [(t["label"], t["count"]) for t in themes],
        ),
        "uptake": _twice(
            narrow, stacked_columns,
            "chart-uptake", f"Uptake events in {year} by {events['step']}",
            f"{events['total']} uptake events dated in {year}, by {events['step']} and stage: "
            + "; ".join(f"{m['label']} {m['total']}" for m in steps) + ".",
            [{"label": m["label"], "counts": m["counts"]} for m in steps],
            names=stage_names,
            text_size=LARGE_TEXT, legend_size=LARGE_TEXT, narrow={"plot_h": 170},
        ),
        "sectors": _twice(
            narrow, bar_chart,
            "chart-sectors", f"Attendees of {year} by sector",
            f"{participation['attendees']} distinct attendees by sector: "
            + "; ".join(f"{s['label']} {s['count']}" for s in participation["sector_mix"]) + ".",
            [(s["label"], s["count"]) for s in participation["sector_mix"]],
            colour="#7c3aed",
        ),
        "substance": substance_charts(report.substance),
    }
