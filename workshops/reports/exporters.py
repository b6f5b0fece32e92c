"""The report as files: JSON, CSV (streamed), XLSX and PDF. One function per format.

Chatham House: these files carry counts and recommendations only; no query
behind them selects a person's name, so no participant can appear.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pydantic_core
from flask import current_app, render_template
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..core.cleaning import NOT_IN_XML
from ..core.spreadsheets import neutralise
from .assembly import Report
from .charts import report_charts
from .contents import with_contents
from .definitions import DEFINITIONS
from .filters import Filters
from .rows import recommendation_columns, recommendation_rows

CSV_CHUNK_ROWS = 500


def _cell(value):
    value = neutralise(value)
    if isinstance(value, str):
        value = NOT_IN_XML.sub("", value)  # an XLSX file cannot hold them
    return value


# ---- JSON -----------------------------------------------------------------------

def report_json(report: Report) -> bytes:
    """The report as JSON, for the report's download and the API alike: UTF-8,
    keys in the report's own order, a date as ISO 8601. pydantic_core (the
    API's serialiser) writes it: a year's report at 10,000 workshops is some
    300 KB, which json.dumps took 3.4 ms to write and this 0.7 ms
    (docs/report-cost.md)."""
    return pydantic_core.to_json(report.as_dict(), fallback=str)


# ---- CSV ------------------------------------------------------------------------


def csv_chunks(filters: Filters) -> Iterator[str]:
    """The CSV file a few hundred rows at a time, read from a server-side
    cursor: memory stays flat whatever the number of recommendations."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # Excel then reads the file as UTF-8
    writer.writerow(recommendation_columns(filters))
    for n, row in enumerate(recommendation_rows(filters), start=1):
        writer.writerow(["" if v is None else _cell(v) for v in row])
        if n % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# ---- XLSX -----------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, header: list[str], rows) -> None:
    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=_cell(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_cell(v) for v in row])


def report_xlsx(report: Report) -> bytes:
    """A workbook: the headline figures, the tables of the page, one row per
    recommendation of the year, and the definitions (write-only mode)."""
    f = report.filters
    workbook = Workbook(write_only=True)
    _sheet(workbook, "Headline", ["Figure", f.period_label, f.previous_period_label, "Change", "Unit"],
           [[r["label"], r["value"], r["previous"], r["change"], r["unit"]] for r in report.headline])
    _sheet(workbook, "Activity", ["Breakdown", "Value", "Workshops"],
           [["Network", r["label"], r["count"]] for r in report.activity["by_network"]]
           + [["Theme", r["label"], r["count"]] for r in report.activity["by_theme"]]
           + [["Format", r["label"], r["count"]] for r in report.activity["by_format"]])
    _sheet(workbook, "Sector mix", ["Sector", "Distinct attendees", "Share"],
           [[s["label"], s["count"], s["share"]] for s in report.participation["sector_mix"]])
    _sheet(workbook, "By theme", ["Theme", "Recommendations", "Taken up"],
           [[r["label"], r["count"], r["taken_up"]] for r in report.recommendations["by_theme"]])
    _sheet(workbook, "By target body", ["Track-1 body", "Recommendations", "Taken up"],
           [[r["label"], r["count"], r["taken_up"]] for r in report.recommendations["by_target"]])
    _sheet(workbook, "Funnel", ["Stage", "Reached", "Share"],
           [[s["label"], s["count"], s["share"]] for s in report.funnel["stages"]]
           + [[f"Closed: {c['label']}", c["count"], None] for c in report.funnel["closed"]])
    ev = report.uptake_events
    steps = ev["by_month"] if ev["step"] == "month" else ev["by_year"]
    _sheet(workbook, f"Uptake by {ev['step']}", [ev["step"].capitalize(), *[s["label"] for s in ev["by_stage"]],
                                                  "Total"],
           [[m["label"], *m["counts"].values(), m["total"]] for m in steps])
    _sheet(workbook, "Carry-over", ["Year of origin", "Open", "Stale"],
           [[r["year"], r["open"], r["stale"]] for r in report.carry_over["by_origin_year"]])
    _sheet(workbook, "Series", ["Series", "Network", "Status", f"Workshops {f.period_label}",
                                f"Years met of {report.series[0]['window'] if report.series else 5}",
                                f"Recommendations {f.period_label}", "Recommendations, five years",
                                "Taken up, five years"],
           [[s["series"], s["network"], s["status"], s["workshops"], s["years_met"], s["recommendations"],
             s["recommendations_window"], s["taken_up_window"]] for s in report.series])
    _sheet(workbook, "Recommendations", recommendation_columns(f), recommendation_rows(f))
    _sheet(workbook, "Definitions", ["Figure", "Definition"], list(DEFINITIONS.values()))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------


def _refuse_fetch(url: str, *args, **kwargs):
    # The PDF needs nothing from outside: no data in a report may make the server fetch a URL.
    raise ValueError(f"The report PDF does not load external resources ({url[:80]}).")


def report_pdf(report: Report) -> bytes:
    """A4: a cover with the year, network and date of generation, the
    contents with each section's page (contents.py), the foreword and the
    highlights, then the page's sections with the same SVG charts and the
    definitions; page numbers in the footer."""
    from weasyprint import CSS, HTML

    stylesheet = Path(current_app.static_folder) / "reports-pdf.css"
    return HTML(string=report_pdf_html(report), url_fetcher=_refuse_fetch).write_pdf(
        stylesheets=[CSS(filename=str(stylesheet))])


def report_pdf_html(report: Report) -> str:
    """The HTML the PDF is made from: the page's sections and the very same SVG charts
    (each large chart's wide drawing, without the one for a phone)."""
    return with_contents(render_template("reports/report_pdf.html", report=report,
                                         charts=report_charts(report, narrow=False),
                                         definitions=DEFINITIONS))
