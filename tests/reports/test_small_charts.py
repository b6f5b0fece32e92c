"""The small multiples of the report ("Each series, <years>"): their text is
legible as shown, at the narrowest cell the page gives them and on a phone,
not drawn at 640 px and shrunk to half (text of 5-6 px)."""

from __future__ import annotations

import re
from pathlib import Path

from defusedxml import ElementTree

from workshops.reports import charts

APP_CSS = Path(__file__).resolve().parents[2] / "static" / "app.css"
SVG = "{http://www.w3.org/2000/svg}"
PHONE_CELL = 358  # px: a 390 px wide phone less the page's padding (measured in Chromium)
LEGIBLE = 11  # px of text, as displayed


def substance(years: range, series: int = 2) -> dict:
    return {"by_series": [
        {"series": f"Series {n}", "network": "NADI",
         "years": [{"year": y, "symbolic": (y + n) % 3, "substantive": y % 2} for y in years]}
        for n in range(series)
    ]}


def narrowest_cell() -> float:
    """The narrowest grid cell .chart-grid gives a chart on a wide page, in px (1rem = 16px)."""
    rule = re.search(r"\.chart-grid\s*\{[^}]*minmax\(\s*(?:min\(\s*)?([\d.]+)rem", APP_CSS.read_text())
    assert rule, "static/app.css: .chart-grid's minimum column width not found"
    return float(rule.group(1)) * 16


def text_sizes(svg: str) -> tuple[float, list[float]]:
    """The viewBox width of a chart and the font size of each of its texts."""
    root = ElementTree.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    default = float(root.get("font-size"))
    return width, [float(t.get("font-size", default)) for t in root.iter(f"{SVG}text")]


def test_small_charts_text_is_legible_as_displayed_on_a_wide_page_and_on_a_phone():
    for years in (range(2021, 2026), range(1996, 2026)):
        for svg in map(str, charts.substance_charts(substance(years))):
            width, sizes = text_sizes(svg)
            assert sizes
            for cell in (narrowest_cell(), PHONE_CELL):
                shown = min(sizes) * min(cell, width * 1.4) / width
                assert shown >= LEGIBLE, f"{min(sizes)} px text in a {width:.0f} px viewBox shows at " \
                                         f"{shown:.1f} px in a {cell:.0f} px cell"


def test_small_charts_keep_presentation_attributes_their_titles_and_one_legend():
    svgs = [str(s) for s in charts.substance_charts(substance(range(2021, 2026), series=3))]
    heights = set()
    for i, svg in enumerate(svgs, start=1):
        assert "style=" not in svg and "<style" not in svg
        assert f'aria-labelledby="chart-substance-{i}-title chart-substance-{i}-desc"' in svg
        assert 'class="chart-svg chart-svg-small"' in svg
        # Every series names both kinds, even one it has none of: the charts side by side match.
        assert ">Symbolic (acknowledged)</text>" in svg and ">Substantive (adopted or implemented)</text>" in svg
        heights.add(ElementTree.fromstring(svg).get("height"))
    assert len(heights) == 1


def test_a_long_period_labels_every_nth_year_without_overlap_and_keeps_each_years_title():
    years = range(1996, 2026)
    svg = str(charts.substance_charts(substance(years, series=1))[0])
    root = ElementTree.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    labels = [(float(t.get("x")), t.text, float(t.get("font-size"))) for t in root.iter(f"{SVG}text")
              if t.text and t.text.isdigit() and len(t.text) == 4]
    assert labels[-1][1] == "2025"  # the last year is always labelled
    assert 3 <= len(labels) < len(years)
    for (x1, text1, size), (x2, _, _) in zip(labels, labels[1:], strict=False):
        assert x2 - x1 >= charts.text_width(text1, size) + 4
    assert all(x + charts.text_width(t, s) / 2 <= width for x, t, s in labels)
    for year in years:  # the year's figures stay readable on hover and to a screen reader
        assert f"<title>{year}: " in svg


def test_a_legend_wider_than_the_chart_wraps_onto_rows_inside_it():
    svg = str(charts.stacked_columns("c", "t", "d", [{"label": "2025", "counts": {"a": 1, "b": 2}}], keys=("a", "b"),
                                     names={"a": "A long name of a kind", "b": "Another long name of a kind"},
                                     width=240, text_size=12, legend_size=12))
    root = ElementTree.fromstring(svg)
    legend = [t for t in root.iter(f"{SVG}text") if t.text and "long name" in t.text]
    assert len({t.get("y") for t in legend}) == 2
    assert all(float(t.get("x")) + charts.text_width(t.text, 12) <= 240 for t in legend)
