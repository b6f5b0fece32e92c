"""The large charts of the report (sectors, themes, funnel, uptake events): their
text is legible as shown on a wide page and on a phone. Drawn 640 px wide and
shrunk to a phone's 358 px, their 11-13 px text showed at 6-7 px; on a narrow page
static/app.css now keeps them wide enough, their cell scrolling sideways. Computed
as for the small charts (test_small_charts.py): font size x shown width / viewBox
width, with the widths of the charts' cells measured in Chromium (1rem = 16px)."""

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
CELLS = {320: {"pair": 288, "wide": 288}, 390: {"pair": 358, "wide": 358},
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


def narrow_rules(css: str) -> tuple[float, str]:
    """The widest page width of the media query that lays .chart-pair out in one column, and its rules."""
    for media in re.finditer(r"@media\s*\(max-width:\s*([\d.]+)px\)\s*\{(.*?\})\s*\}", css, re.S):
        if ".chart-pair" in media.group(2):
            return float(media.group(1)), media.group(2)
    raise AssertionError("static/app.css: no media query for .chart-pair")


def rem(css: str, selector: str, prop: str) -> float | None:
    found = re.search(rf"{re.escape(selector)}\s*\{{[^}}]*?\b{prop}:\s*([\d.]+)rem", css)
    return float(found.group(1)) * 16 if found else None


def shown_width(css: str, page: int, cell: float) -> float:
    """How wide app.css shows a large chart (.chart-svg) in a cell `cell` px wide."""
    width = min(cell, rem(css, ".chart-svg", "max-width") or cell)
    breakpoint, narrow = narrow_rules(css)
    floor = rem(narrow, ".chart-svg", "min-width") if page <= breakpoint else None
    return max(width, floor or 0)


def smallest_text(svg: str) -> tuple[float, float]:
    """The viewBox width of a chart and its smallest text."""
    root = ElementTree.fromstring(svg)
    default = float(root.get("font-size"))
    sizes = [float(t.get("font-size", default)) for t in root.iter(f"{SVG}text")]
    assert sizes
    return float(root.get("viewBox").split()[2]), min(sizes)


def test_every_large_chart_shows_its_text_at_11_px_or_more_on_a_wide_page_and_on_a_phone():
    css = APP_CSS.read_text()
    for first, last in ((2025, 2025), (2022, 2025)):
        made = charts.report_charts(report(first, last))
        for name, layout in LAYOUT.items():
            width, size = smallest_text(str(made[name]))
            for page, cells in CELLS.items():
                shown = size * shown_width(css, page, cells[layout]) / width
                assert shown >= LEGIBLE, (f"{name} ({first}-{last}) at {page} px: {size} px text "
                                          f"in a {width:.0f} px viewBox shows at {shown:.1f} px")


def test_a_large_chart_wider_than_its_cell_scrolls_in_it_and_the_keyboard_reaches_it():
    breakpoint, narrow = narrow_rules(APP_CSS.read_text())
    assert re.search(r"\.chart-pair > \.chart\s*\{[^}]*overflow-x:\s*auto", narrow)
    sections = SECTIONS.read_text()
    for name in LAYOUT:
        assert (f'<div class="chart" tabindex="0" role="group" aria-labelledby="chart-{name}-title">'
                f"{{{{ charts.{name} }}}}</div>") in sections


def test_large_charts_stay_one_image_each_with_presentation_attributes_only():
    made = charts.report_charts(report(2025, 2025))
    for name in LAYOUT:
        svg = str(made[name])
        assert svg.count("<svg ") == 1 and svg.count('role="img"') == 1
        assert f'aria-labelledby="chart-{name}-title chart-{name}-desc"' in svg
        assert "style=" not in svg and "<style" not in svg
