"""The large charts of the report (sectors, themes, funnel, uptake events): their
text is legible as shown on a wide page and on a phone. Drawn 640 px wide and
shrunk to a phone's 358 px, their 11-13 px text showed at 6-7 px; each now comes
in a wide and a narrow drawing and static/app.css shows one per width, so that no
chart is wider than its cell (none scrolls sideways). Computed
as for the small charts (test_small_charts.py): font size x shown width / viewBox
width, with the widths of the charts' cells measured in Chromium."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from defusedxml import ElementTree

from workshops.reports import charts

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "static" / "app.css"
SECTIONS = ROOT / "templates" / "reports" / "_sections.html"
SVG = "{http://www.w3.org/2000/svg}"
LEGIBLE = 11  # px of text, as displayed
# The width of a chart's cell (.chart-pair > .chart) by page width, measured in Chromium:
# a chart beside its table (sectors, themes, funnel) and one above its table (uptake events).
CELLS = {320: {"pair": 288, "wide": 288}, 390: {"pair": 358, "wide": 358}, 573: {"pair": 541, "wide": 541},
         600: {"pair": 510, "wide": 510}, 767: {"pair": 510, "wide": 510}, 768: {"pair": 700, "wide": 700},
         1024: {"pair": 555.6, "wide": 950}, 1280: {"pair": 705.6, "wide": 1200}}
LAYOUT = {"sectors": "pair", "themes": "pair", "funnel": "pair", "uptake": "wide"}
THEMES = ["Climate resilience", "Maritime security", "Humanitarian assistance and disaster relief (HADR)",
          "The South China Sea", "Public health", "Counter-terrorism", "Natural disaster response",
          "The Korean peninsula", "Cyber security", "The Myanmar crisis", "Transnational crime"]
SECTORS = ["Academia / think tank", "Government (private capacity)", "Military", "Civil society",
           "International organisation", "Private sector"]
STAGE_NAMES = {"proposed": "Proposed", "transmitted": "Transmitted", "acknowledged": "Acknowledged",
               "adopted": "Adopted", "implemented": "Implemented"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def report(first: int, last: int) -> SimpleNamespace:
    """What report_charts reads of a report, with the demo's labels and more events."""
    steps = ([(m, MONTHS[m - 1]) for m in range(1, 13)] if first == last
             else [(y, str(y)) for y in range(first, last + 1)])
    timeline = [{"label": label, "total": 30 + k % 7,
                 "counts": {"transmitted": 20 + k % 5, "acknowledged": 8, "adopted": 2 + k % 2}}
                for k, label in steps]
    counts = [130, 100, 50, 20, 10]
    return SimpleNamespace(
        filters=SimpleNamespace(period_label=str(last) if first == last else f"{first}–{last}",
                                as_of=date(last + 1, 3, 1)),
        funnel={"total": 130, "stages": [{"stage": s, "label": n, "count": c}
                                         for (s, n), c in zip(STAGE_NAMES.items(), counts, strict=True)]},
        uptake_events={"step": "month" if first == last else "year", "total": sum(t["total"] for t in timeline),
                       "by_month": timeline if first == last else [], "by_year": [] if first == last else timeline},
        participation={"attendees": 1250, "sector_mix": [{"label": s, "count": 1000 // (i + 1)}
                                                         for i, s in enumerate(SECTORS)]},
        recommendations={"by_theme": [{"label": t, "count": 60 - 5 * i} for i, t in enumerate(THEMES)]},
        substance={},
    )


def rule(css: str, selector: str, prop: str) -> str | None:
    found = re.search(rf"{re.escape(selector)}\s*\{{[^}}]*?\b{prop}:\s*([^;}}]+)", css)
    return found and found.group(1).strip()


def narrow_breakpoint(css: str) -> float:
    """The page width below which app.css shows a chart's narrow drawing (0: never)."""
    for media in re.finditer(r"@media\s*\(max-width:\s*([\d.]+)px\)\s*\{(.*?\})\s*\}", css, re.S):
        if rule(media.group(2), ".chart-narrow", "display") == "block":
            return float(media.group(1))
    return 0


def max_width(css: str, selector: str) -> float:
    value = rule(css, selector, "max-width")
    return float(value.removesuffix("rem")) * 16 if value else float("inf")


def drawings(markup: str) -> list:
    return [ElementTree.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", markup, re.S)]


def shown_drawing(markup: str, page: int, css: str):
    """The drawing of a chart app.css shows at a page `page` px wide, and its max-width."""
    svgs = drawings(markup)
    if len(svgs) == 1:
        return svgs[0], max_width(css, ".chart-svg")
    narrow = page <= narrow_breakpoint(css)
    kind = "chart-narrow" if narrow else "chart-wide"
    svg = next(s for s in svgs if kind in s.get("class").split())
    return svg, min(max_width(css, ".chart-svg"), max_width(css, f".{kind}"))


def smallest_text(svg) -> float:
    default = float(svg.get("font-size"))
    sizes = [float(t.get("font-size", default)) for t in svg.iter(f"{SVG}text")]
    assert sizes
    return min(sizes)


def test_every_large_chart_shows_its_text_at_11_px_or_more_on_a_wide_page_and_on_a_phone():
    css = APP_CSS.read_text()
    for first, last in ((2025, 2025), (2022, 2025)):
        made = charts.report_charts(report(first, last))
        for name, layout in LAYOUT.items():
            for page, cells in CELLS.items():
                svg, limit = shown_drawing(str(made[name]), page, css)
                width = float(svg.get("viewBox").split()[2])
                shown = smallest_text(svg) * min(cells[layout], limit) / width
                assert shown >= LEGIBLE, (f"{name} ({first}-{last}) at {page} px: {smallest_text(svg)} px text "
                                          f"in a {width:.0f} px viewBox shows at {shown:.1f} px")


def test_a_chart_drawn_twice_is_one_image_with_its_title_and_the_pdf_shows_the_wide_drawing():
    made = charts.report_charts(report(2025, 2025))
    for name in LAYOUT:
        markup = str(made[name])
        wide, narrow = drawings(markup)
        assert "style=" not in markup and "<style" not in markup
        assert wide.get("role") == "img" and wide.get("aria-labelledby") == f"chart-{name}-title chart-{name}-desc"
        assert wide.get("class") == "chart-svg chart-wide"
        # The narrow twin is for the eye only: a screen reader reads the wide one at every width.
        assert narrow.get("aria-hidden") == "true" and narrow.get("role") is None
        assert "id=" not in re.findall(r"<svg .*?</svg>", markup, re.S)[1]
        assert narrow.get("class") == "chart-svg chart-narrow"
        assert float(narrow.get("viewBox").split()[2]) == charts.NARROW_WIDTH
    css = APP_CSS.read_text()
    assert rule(css, ".chart-narrow", "display") == "none"  # hidden unless the media query shows it
    media = re.search(r"@media\s*\(max-width:[^)]*\)\s*\{[^@]*?\.chart-wide\s*\{([^}]*)\}", css)
    assert media and "display: none" not in media.group(1), "the wide drawing stays in the accessibility tree"
    # The PDF has the wide drawing only.
    pdf = charts.report_charts(report(2025, 2025), narrow=False)
    for name in LAYOUT:
        assert str(pdf[name]).count("<svg ") == 1 and 'aria-hidden' not in str(pdf[name])
        assert str(pdf[name]) == re.findall(r"<svg .*?</svg>", str(made[name]), re.S)[0]


def test_no_large_chart_is_wider_than_its_cell_on_a_phone():
    """No min-width, no sideways scrolling: the drawing shown fits its cell at every width."""
    css = APP_CSS.read_text()
    assert not re.search(r"\.chart[^{]*\{[^}]*(overflow-x|min-width)", css)
    sections = SECTIONS.read_text()
    for name in LAYOUT:
        assert f'<div class="chart">{{{{ charts.{name} }}}}</div>' in sections


def test_the_narrow_drawings_keep_every_label_whole_and_inside_the_chart():
    made = charts.report_charts(report(2025, 2025))
    for name, labels in (("themes", THEMES), ("sectors", SECTORS), ("funnel", list(STAGE_NAMES.values()))):
        narrow = drawings(str(made[name]))[1]
        texts = [" ".join(s.text for s in t.iter(f"{SVG}tspan")) or t.text for t in narrow.iter(f"{SVG}text")]
        for label in labels:
            assert label in texts, f"{name}: {label!r} not whole in the narrow drawing"
        for t in narrow.iter(f"{SVG}text"):
            lines = [s.text for s in t.iter(f"{SVG}tspan")] or [t.text]
            x = float(t.get("x"))
            for line in lines:
                w = charts.text_width(line)
                left = x - w if t.get("text-anchor") == "end" else x
                assert 0 <= left and left + w <= charts.NARROW_WIDTH, f"{name}: {line!r} outside the chart"
