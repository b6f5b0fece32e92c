"""Routes of the reports capability: the annual outcome report as a page,
a PDF, a CSV and an XLSX file and JSON, all with the same filters.

    /reports/                      the years with data
    /reports/<year>                the report (?network=&series=&theme=&funder=&as_of=)
    /reports/<year>.pdf|.csv|.xlsx|.json
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, abort, jsonify, render_template, request, stream_with_context, url_for
from flask_login import login_required

from ..core.downloads import download
from ..core.errors import problem
from . import exporters
from .assembly import Report, build_report
from .charts import report_charts
from .definitions import DEFINITIONS
from .figures import years_with_data
from .filters import (
    FIRST_YEAR,
    LAST_YEAR,
    BadFilter,
    Filters,
    NotAYear,
    filter_choices,
    filter_text,
    parse_year,
    resolve_filters,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _not_a_year(text: str):
    shown = text if len(text) <= 40 else text[:40] + "…"
    abort(404, description=f"“{shown}” is not a year a report can be made for. Reports are at "
                           f"addresses like /reports/2025 (a year from 1900 to 2200).")


def _filters(year_text: str) -> Filters:
    """The year and filters of an export, or a 404/400 with the reason."""
    try:
        year = parse_year(year_text)
    except NotAYear:
        _not_a_year(year_text)
    try:
        return resolve_filters(year, request.args, dt.date.today())
    except BadFilter as exc:
        abort(400, description=" ".join(exc.errors.values()))


def _download_name(f: Filters, extension: str) -> str:
    parts = ["outcome-report", str(f.year)]
    for value in (f.network, f.series, f.theme, f.funder or (str(f.funder_id) if f.funder_id else None)):
        if value:
            parts.append("".join(c for c in value if c.isalnum() or c in "-_")[:40])
    if f.as_of_given:
        parts.append(f"as-of-{f.as_of.isoformat()}")
    return "-".join(p for p in parts if p) + "." + extension


@bp.route("/")
@login_required
def index():
    today = dt.date.today()
    return render_template("reports/index.html", years=years_with_data(today), this_year=today.year, today=today)


@bp.route("/<year>")
@login_required
def report(year: str):
    try:
        number = parse_year(year)
    except NotAYear:
        _not_a_year(year)
    choices = filter_choices()
    typed = {name: filter_text(request.args, name) for name in ("network", "series", "theme", "funder", "as_of")}
    try:
        filters = resolve_filters(number, request.args, dt.date.today())
    except BadFilter as exc:
        return render_template("reports/report.html", year=number, report=None, errors=exc.errors,
                               choices=choices, args=typed, definitions=DEFINITIONS), 400
    result = build_report(filters)
    return render_template(
        "reports/report.html", year=number, report=result, charts=report_charts(result), errors={},
        choices=choices, args=typed, definitions=DEFINITIONS,
        downloads={fmt: url_for(f"reports.report_{fmt}", year=number, **filters.query_args())
                   for fmt in ("pdf", "csv", "xlsx", "json")},
    )


@bp.route("/<int:year>.json")
@login_required
def report_json(year: int):
    """Refusals as application/problem+json naming the parameter, as the API
    answers them (core/errors.py), never an HTML page."""
    try:
        filters = resolve_filters(parse_year(str(year)), request.args, dt.date.today())
    except NotAYear:
        return problem(404, f"{year} is not a year a report can be made for "
                            f"(a year from {FIRST_YEAR} to {LAST_YEAR}).")
    except BadFilter as exc:
        return problem(400, "A filter is not valid; see errors.", errors=exc.errors)
    return jsonify(build_report(filters).as_dict())


@bp.route("/<int:year>.csv")
@login_required
def report_csv(year: int):
    filters = _filters(str(year))
    return download(stream_with_context(exporters.csv_chunks(filters)), _download_name(filters, "csv"), "csv")


def _report_file(year: int, extension: str, render: Callable[[Report], bytes]):
    """The whole report for the address's filters, as the file `render` makes."""
    filters = _filters(str(year))
    return download(render(build_report(filters)), _download_name(filters, extension), extension)


@bp.route("/<int:year>.xlsx")
@login_required
def report_xlsx(year: int):
    return _report_file(year, "xlsx", exporters.report_xlsx)


@bp.route("/<int:year>.pdf")
@login_required
def report_pdf(year: int):
    return _report_file(year, "pdf", exporters.report_pdf)
