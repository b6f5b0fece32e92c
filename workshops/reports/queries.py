"""The annual outcome report as other packages and the tests use it (the
API's report route, the benchmark): its filters, the whole report and the
rows of its recommendation table. The work is done in

    filters.py          the year and the query parameters, read and checked
    scope.py            which workshops and recommendations the filters keep;
                        the SQL pieces every figure shares
    figures.py          activity, participation, uptake events, series, years
    recommendations.py  the funnel, themes and targets, carry-over and stale
    assembly.py         the whole report, its headline and its JSON dict
    rows.py             the CSV/XLSX rows, streamed

Each figure is one SQL aggregate and the number of statements a report runs
does not grow with the data; docs/report-definitions.md says in words what
each figure computes.
"""

from __future__ import annotations

from .assembly import Report, build_report
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
from .rows import RECOMMENDATION_COLUMNS, recommendation_columns, recommendation_rows

__all__ = [
    "FIRST_YEAR", "LAST_YEAR", "RECOMMENDATION_COLUMNS", "BadFilter", "Filters", "NotAYear", "Report",
    "build_report", "filter_choices", "filter_text", "parse_year", "recommendation_columns",
    "recommendation_rows", "resolve_filters", "years_with_data",
]
