"""The annual report's API route: the same JSON as the report page's
download."""

from __future__ import annotations

from flask import Response

from ..reports.assembly import build_report
from ..reports.exporters import report_json
from ..reports.filters import FIRST_YEAR, LAST_YEAR, BadFilter, BadPeriod, parse_period, resolve_filters
from . import queries
from . import schemas as s
from .pipeline import ApiError, operation

# ------------------------------------------------------------------ reports


@operation("GET", "/reports/<int:year>", summary="The annual outcome report's figures", tag="Reports",
           query=s.ReportQuery, response_schema=s.REPORT_SCHEMA,
           path_params={"year": {"type": "integer", "minimum": FIRST_YEAR,
                                 "maximum": LAST_YEAR}})
def get_report(year: int, query: s.ReportQuery):
    """Every figure of the annual report page for a calendar year — or for a
    period of years ending with it (`first_year`) — the same JSON as the
    report's own download, with each figure's definition."""
    args = {k: str(v) for k, v in query.model_dump(exclude_none=True).items()}
    first_year = year if query.first_year is None else query.first_year
    try:
        parse_period(f"{first_year}-{year}")
    except BadPeriod as exc:
        raise ApiError(400, "The period is not valid; see errors.", {"first_year": str(exc)}) from None
    try:
        filters = resolve_filters(year, args, queries.today(), first_year=first_year)
    except BadFilter as exc:
        raise ApiError(400, "A filter is not valid; see errors.", exc.errors) from None
    return Response(report_json(build_report(filters)), mimetype="application/json")
