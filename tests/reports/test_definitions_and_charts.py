"""One wording for every definition, in the page and in the README's
docs/report-definitions.md; charts that are accessible and CSP-safe."""

from __future__ import annotations

import re
from pathlib import Path

from workshops.reports import charts
from workshops.reports.definitions import DEFINITIONS, as_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-definitions.md"


def test_the_documented_definitions_are_the_ones_the_page_shows():
    assert DOC.read_text(encoding="utf-8") == as_markdown(), (
        "docs/report-definitions.md is out of date: run "
        "`python -m workshops.reports.definitions > docs/report-definitions.md`")
    for name, text in DEFINITIONS.values():
        assert f"- **{name}**: {text}" in as_markdown()


def test_every_definition_is_one_line():
    for key, (_name, text) in DEFINITIONS.items():
        assert "\n" not in text and text.endswith("."), key
        assert len(text) < 400, key


def test_a_chart_is_an_image_with_a_title_and_a_description_and_escapes_its_labels():
    svg = str(charts.bar_chart("c1", "Recommendations <by> theme", "Counts & more",
                               [("<script>alert(1)</script>", 3), ("Maritime security", 1)]))
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Recommendations &lt;by&gt; theme</title>' in svg
    assert '<desc id="c1-desc">Counts &amp; more</desc>' in svg
    assert "<script" not in svg and "&lt;script&gt;" in svg
    # Presentation attributes only: nothing a strict Content-Security-Policy would block.
    assert "style=" not in svg and "<style" not in svg
    # The longest bar is the first one.
    widths = [float(w) for w in re.findall(r'<rect x="210" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] > widths[1] > 0


def test_charts_with_nothing_to_show_say_so():
    assert "Nothing to show" in str(charts.bar_chart("c2", "t", "d", []))
    assert "Nothing to show" in str(charts.funnel_chart("c3", "t", "d", [{"stage": "proposed", "label": "P",
                                                                          "count": 0}]))
    assert "Nothing to show" in str(charts.stacked_columns("c4", "t", "d", [{"label": "Jan", "counts": {}}]))


def test_stacked_columns_stack_each_month_by_stage_with_a_legend():
    svg = str(charts.stacked_columns("c5", "Events", "By month", [
        {"label": "Jan", "counts": {"transmitted": 2, "acknowledged": 1}},
        {"label": "Feb", "counts": {"adopted": 4}},
    ], names={"transmitted": "Transmitted", "acknowledged": "Acknowledged", "adopted": "Adopted"}))
    for legend in ("Transmitted", "Acknowledged", "Adopted"):
        assert f">{legend}</text>" in svg
    assert "Implemented" not in svg  # a stage with no event stays out of the legend
    assert "<title>Jan: 3 (Transmitted 2, Acknowledged 1)</title>" in svg
