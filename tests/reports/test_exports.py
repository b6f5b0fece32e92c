"""The report's files: a streamed CSV, an XLSX workbook, a PDF with the same
charts, none of which names a participant (the PDF's text is checked in its
own test, so the slow rendering happens once)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
from pypdf import PdfReader

from workshops.audit.operations import unit_of_work
from workshops.core.downloads import XLSX_MIME
from workshops.reports import exporters
from workshops.reports.queries import build_report, resolve_filters

from .conftest import AS_OF

Q = f"as_of={AS_OF.isoformat()}"
SVG = re.compile(r"<svg .*?</svg>", re.S)


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_one_row_per_recommendation_of_the_year_with_stage_dates_and_targets(client, auth, world):
    auth.login(role="viewer")
    response = client.get(f"/reports/2025.csv?{Q}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="outcome-report-2025-as-of-2026-03-01.csv"' in response.headers["Content-Disposition"]
    rows = {row["Reference"]: row for row in csv_rows(response.get_data(as_text=True))}
    assert list(rows) == ["R1", "R2", "R3", "R4", "R5"]
    r1 = rows["R1"]
    assert (r1["Stage"], r1["First transmitted"], r1["First acknowledged"], r1["First adopted"]) == \
        ("adopted", "2025-04-01", "2025-06-14", "2026-01-20")
    assert (r1["Target bodies"], r1["Themes"], r1["Days to acknowledgement"], r1["Events"]) == \
        ("ADMM; ARF", "HADR", "101", "3")
    assert (rows["R2"]["Stage"], rows["R2"]["Last event"], rows["R2"]["Events"]) == ("proposed", "", "0")
    assert (rows["R3"]["Closed as"], rows["R3"]["Closed on"]) == ("declined", "2025-09-01")
    # The spanning workshop's recommendations belong to 2025; R4's implementation comes later.
    assert (rows["R4"]["Workshop start"], rows["R4"]["Workshop end"], rows["R4"]["Stage"]) == \
        ("2025-12-30", "2026-01-02", "acknowledged")


def test_csv_is_streamed_from_a_server_side_cursor(client, auth, world, monkeypatch, count_statements):
    auth.login(role="viewer")
    monkeypatch.setattr(exporters, "CSV_CHUNK_ROWS", 2)

    with count_statements(lambda s: "recs" in s.sql and "aggregate" not in s.sql) as rows_query:
        response = client.get(f"/reports/2025.csv?{Q}", buffered=False)
        assert response.is_streamed
        chunks = list(response.response)
    # Header + 5 rows, two rows a chunk: the body arrives in pieces, not as one string.
    assert len(chunks) == 3
    assert [s.options.get("stream_results") for s in rows_query] == [True]


def test_formula_cells_are_neutralised_in_csv_and_xlsx(client, auth, world):
    with unit_of_work(system="test"):
        world.recs.r2.title = '=HYPERLINK("http://evil.example","click")'
        world.recs.r3.title = "@SUM(A1:A9)"
    auth.login(role="viewer")
    rows = {r["Reference"]: r for r in csv_rows(client.get(f"/reports/2025.csv?{Q}").get_data(as_text=True))}
    assert rows["R2"]["Title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows["R3"]["Title"] == "'@SUM(A1:A9)"
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/2025.xlsx?{Q}").data), read_only=True)
    titles = [row[1] for row in book["Recommendations"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in titles and "'@SUM(A1:A9)" in titles


def test_xlsx_holds_the_figures_the_recommendations_and_the_definitions(client, auth, world):
    auth.login(role="viewer")
    response = client.get(f"/reports/2025.xlsx?{Q}")
    assert response.status_code == 200
    assert response.mimetype == XLSX_MIME
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert {"Headline", "Funnel", "Series", "Recommendations", "Definitions"} <= set(book.sheetnames)
    headline = {row[0]: row[1:4] for row in book["Headline"].iter_rows(min_row=2, values_only=True)}
    assert headline["Workshops held"] == (2, 1, 1)
    assert headline["Median days to acknowledgement"] == (30, 51, -21)
    recs = list(book["Recommendations"].iter_rows(values_only=True))
    assert recs[0][0] == "Reference" and [r[0] for r in recs[1:]] == ["R1", "R2", "R3", "R4", "R5"]


def test_pdf_has_a_cover_page_numbers_the_charts_as_vectors_and_no_names(client, auth, world):
    auth.login(role="viewer")
    response = client.get(f"/reports/2025.pdf?network=NADI&{Q}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.data))
    assert len(pdf.pages) >= 3
    pages = [page.extract_text() for page in pdf.pages]
    cover = pages[0]
    today = dt.date.today()
    assert "2025" in cover and "NADI" in cover
    assert f"{today.day} {today:%B %Y}" in cover and "1 March 2026" in cover
    assert "Page 2 of" in pages[1]
    text = "\n".join(pages)
    # The charts' own labels, drawn as text in vector graphics (no bitmap anywhere).
    assert "3 (100%)" in text  # the funnel chart: NADI's three recommendations of 2025
    assert "Academia / think tank" in text
    assert all(not page.images for page in pdf.pages)
    assert "Definitions" in text
    # Chatham House: counts only, no participant named.
    for name in world.names:
        for part in name.split():
            assert part not in text, part


def test_the_pdf_uses_the_same_svg_charts_as_the_page(app, client, auth, world):
    auth.login(role="viewer")
    page = client.get(f"/reports/2025?{Q}").get_data(as_text=True)
    with app.test_request_context(f"/reports/2025.pdf?{Q}"):
        report = build_report(resolve_filters(2025, {"as_of": AS_OF.isoformat()}, dt.date.today()))
        in_pdf = SVG.findall(exporters.report_pdf_html(report))
    assert len(in_pdf) == 4 + 3  # and a small chart per series (substance.py): s1, s2, s3
    # The page draws each large chart a second time for a phone, hidden from screen readers:
    # the PDF's charts are exactly the page's others, the ones it names.
    accessible = [svg for svg in SVG.findall(page) if 'aria-hidden="true"' not in svg.split(">", 1)[0]]
    assert len(SVG.findall(page)) == len(accessible) + 4
    assert accessible == in_pdf


def test_no_export_names_a_participant(client, auth, world):
    auth.login(role="viewer")
    csv_text = client.get(f"/reports/2025.csv?{Q}").get_data(as_text=True)
    xlsx = zipfile.ZipFile(io.BytesIO(client.get(f"/reports/2025.xlsx?{Q}").data))
    xlsx_text = "".join(xlsx.read(name).decode("utf-8") for name in xlsx.namelist() if name.endswith(".xml"))
    for name in world.names:
        for part in name.split():
            assert part not in csv_text and part not in xlsx_text, part


def _page_text_starts(page) -> list[tuple[float, str]]:
    """Where each piece of a page's own text starts (x, in points), leaving out the text of
    the SVG charts, which pypdf reports in the chart's own coordinates: the page's text is
    drawn under the same transform as its footer (the cover, without one, gives nothing)."""
    pieces = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: pieces.append((tuple(cm), tm, text)))
    footer = [cm for cm, _, text in pieces if "Track-2 workshop planner and outcome tracker" in text]
    return [(tm[4] * cm[0] + tm[5] * cm[2] + cm[4], text.strip())
            for cm, tm, text in pieces if footer and cm == footer[0] and text.strip()]


def test_pdf_tables_fit_the_page_their_total_row_comes_once_and_headings_keep_their_content(app, world):
    """The PDF of a period, its substance table long enough to run over pages: every table
    fits the page's width (the substance table's last column and its caption were past the
    right edge), the total row comes once at the end (a table footer is repeated at every
    page break), and the per-series charts' heading is on the page of their first chart."""
    with app.test_request_context(f"/reports/2024-2025.pdf?{Q}"):
        report = build_report(resolve_filters(2025, {"as_of": AS_OF.isoformat()}, AS_OF, first_year=2024))
        by_series = report.substance["by_series"]
        first = by_series[0]
        by_series += [{**first, "series": f"Series {i} of the study group on maritime security cooperation"}
                      for i in range(40)]
        pdf = PdfReader(io.BytesIO(exporters.report_pdf(report)))
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    text = "\n".join(pages)

    caption = "Symbolic against substantive uptake, and the strength of attribution, of the recommendations of 2024–2025"
    assert caption in text
    table_pages = [p for p in pages if "Explicit citation" in p]
    assert len(table_pages) >= 2  # the table runs over pages, its header repeated on each
    assert all("Thematic echo Not recorded" in p for p in table_pages)
    assert text.count("All series") == 1
    assert pages.index(table_pages[-1]) == next(i for i, p in enumerate(pages) if "All series" in p)

    right = float(pdf.pages[0].mediabox.width) - 15 / 25.4 * 72  # the page's right margin: 15 mm
    for number, page in enumerate(pdf.pages, start=1):
        past = [(round(x), piece) for x, piece in _page_text_starts(page) if x >= right]
        assert not past, f"page {number}: text past the right margin {past}"

    heading = next(p for p in pages if "Each series, 2021–2025" in p)
    assert f"{first['series']} · {first['network']}" in heading.split("Each series, 2021–2025", 1)[1]
