"""Routes of the reports capability: the annual outcome report as a page,
a PDF, a CSV and an XLSX file and JSON, all with the same filters.

    /reports/                      the years with data (?first=&last= goes on to the period's report)
    /reports/<year>                the report (?network=&series=&theme=&funder=&as_of=)
    /reports/<year>.pdf|.csv|.xlsx|.json
    /reports/<first>-<last>        a period of years, the grant cycle (/reports/2020-2025),
    /reports/<first>-<last>.pdf|.csv|.xlsx|.json   with the same filters
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, Response, abort, redirect, render_template, request, stream_with_context, url_for
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
    MAX_PERIOD_YEARS,
    BadFilter,
    BadPeriod,
    Filters,
    NotAYear,
    filter_choices,
    filter_text,
    parse_period,
    resolve_filters,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _not_a_year(text: str):
    shown = text if len(text) <= 40 else text[:40] + "…"
    abort(404, description=f"“{shown}” is not a year a report can be made for. Reports are at "
                           f"addresses like /reports/2025 (a year from 1900 to 2200) or "
                           f"/reports/2020-2025 (a period of years).")


def _period(text: str) -> tuple[int, int]:
    """The first and last year the address names, or a 404/400 with the reason."""
    try:
        return parse_period(text)
    except NotAYear:
        _not_a_year(text)
    except BadPeriod as exc:
        abort(400, description=str(exc))


def _filters(period_text: str) -> Filters:
    """The period and filters of an export, or a 404/400 with the reason."""
    first, last = _period(period_text)
    try:
        return resolve_filters(last, request.args, dt.date.today(), first_year=first)
    except BadFilter as exc:
        abort(400, description=" ".join(exc.errors.values()))


def _address(year=None, period=None) -> str:
    """The period of a download's address: /reports/<int:year>.x or /reports/<period>.x."""
    return period if period is not None else str(year)


def _download_name(f: Filters, extension: str) -> str:
    parts = ["outcome-report", f.period]
    for value in (f.network, f.series, f.theme, f.funder or (str(f.funder_id) if f.funder_id else None)):
        if value:
            parts.append("".join(c for c in value if c.isalnum() or c in "-_")[:40])
    if f.as_of_given:
        parts.append(f"as-of-{f.as_of.isoformat()}")
    return "-".join(p for p in parts if p) + "." + extension


def _download_url(fmt: str, f: Filters) -> str:
    """A download of the report for the filters: by year for one year, by period for several."""
    where = {"year": f.year} if f.years == 1 else {"period": f.period}
    return url_for(f"reports.report_{fmt}", **where, **f.query_args())


@bp.route("/")
@login_required
def index():
    """The years with data, and a form that opens the report of a period
    (?first=2020&last=2025 goes on to /reports/2020-2025, checked there)."""
    first, last = (filter_text(request.args, name).strip() for name in ("first", "last"))
    if first or last:
        try:  # the check of the report's address, with its reasons
            year_from, year_to = parse_period(f"{first or last}-{last or first}")
        except NotAYear:
            abort(400, description=f"Choose the first and the last year of the period, each a year from "
                                   f"{FIRST_YEAR} to {LAST_YEAR}.")
        except BadPeriod as exc:
            abort(400, description=str(exc))
        period = str(year_to) if year_from == year_to else f"{year_from}-{year_to}"
        return redirect(url_for("reports.report", year=period))
    today = dt.date.today()
    years = years_with_data(today)
    known = [y["year"] for y in years] + [today.year]
    choices = list(range(max(min(known), max(known) - MAX_PERIOD_YEARS + 1), max(known) + 1))
    recent = [(n, f"{today.year - n + 1}-{today.year}") for n in (3, 5)]
    return render_template("reports/index.html", years=years, this_year=today.year, today=today,
                           period_years=choices, recent=recent, max_period=MAX_PERIOD_YEARS)


@bp.route("/<year>")
@login_required
def report(year: str):
    first, last = _period(year)
    choices = filter_choices()
    typed = {name: filter_text(request.args, name) for name in ("network", "series", "theme", "funder", "as_of")}
    period = {"year": last, "first_year": first, "period": year.strip(),
              "period_label": str(last) if first == last else f"{first}–{last}"}
    try:
        filters = resolve_filters(last, request.args, dt.date.today(), first_year=first)
    except BadFilter as exc:
        return render_template("reports/report.html", **period, report=None, errors=exc.errors,
                               choices=choices, args=typed, definitions=DEFINITIONS), 400
    result = build_report(filters)
    return render_template(
        "reports/report.html", **period, report=result, charts=report_charts(result), errors={},
        choices=choices, args=typed, definitions=DEFINITIONS,
        downloads={fmt: _download_url(fmt, filters) for fmt in ("pdf", "csv", "xlsx", "json")},
    )


@bp.route("/<int:year>.json")
@bp.route("/<period>.json")
@login_required
def report_json(year: int | None = None, period: str | None = None):
    """Refusals as application/problem+json naming the parameter, as the API
    answers them (core/errors.py), never an HTML page."""
    text = _address(year, period)
    try:
        first, last = parse_period(text)
        filters = resolve_filters(last, request.args, dt.date.today(), first_year=first)
    except NotAYear:
        shown = text if len(text) <= 40 else text[:40] + "…"
        return problem(404, f"“{shown}” is not a year or a period a report can be made for "
                            f"(a year from {FIRST_YEAR} to {LAST_YEAR}, or a period such as 2020-2025).",
                       errors={"period": "Write a year (2025) or a period of years (2020-2025)."})
    except BadPeriod as exc:
        return problem(400, "The period is not valid; see errors.", errors={"period": str(exc)})
    except BadFilter as exc:
        return problem(400, "A filter is not valid; see errors.", errors=exc.errors)
    return Response(exporters.report_json(build_report(filters)), mimetype="application/json")


@bp.route("/<int:year>.csv")
@bp.route("/<period>.csv")
@login_required
def report_csv(year: int | None = None, period: str | None = None):
    filters = _filters(_address(year, period))
    return download(stream_with_context(exporters.csv_chunks(filters)), _download_name(filters, "csv"), "csv")


def _report_file(text: str, extension: str, render: Callable[[Report], bytes]):
    """The whole report for the address's period and filters, as the file `render` makes."""
    filters = _filters(text)
    return download(render(build_report(filters)), _download_name(filters, extension), extension)


@bp.route("/<int:year>.xlsx")
@bp.route("/<period>.xlsx")
@login_required
def report_xlsx(year: int | None = None, period: str | None = None):
    return _report_file(_address(year, period), "xlsx", exporters.report_xlsx)


@bp.route("/<int:year>.pdf")
@bp.route("/<period>.pdf")
@login_required
def report_pdf(year: int | None = None, period: str | None = None):
    return _report_file(_address(year, period), "pdf", exporters.report_pdf)


# The report's foreword, written by organisers ("reports.foreword_edit").
from . import views_foreword  # noqa: E402,F401,I001
