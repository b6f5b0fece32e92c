"""Filters and globals every template may use."""

from __future__ import annotations

import datetime as dt

from flask import request, url_for

from .. import vocab
from .countries import country_name
from .partial_dates import format_partial_date, partial_date_filter
from .text import number, plural, plural_word, signed

LABELS = {
    "stage": vocab.STAGE_LABELS,
    "closure": vocab.CLOSURE_LABELS,
    "evidence": vocab.EVIDENCE_LABELS,
    "attribution": vocab.ATTRIBUTION_LABELS,
    "priority": vocab.PRIORITY_LABELS,
    "role": vocab.ROLE_LABELS,
    "participation_status": vocab.PARTICIPATION_STATUS_LABELS,
    "sector": vocab.SECTOR_LABELS,
    "format": vocab.FORMAT_LABELS,
    "visibility": vocab.VISIBILITY_LABELS,
    "workshop_status": vocab.WORKSHOP_STATUS_LABELS,
    "institute_role": vocab.INSTITUTE_ROLE_LABELS,
    "agenda_kind": vocab.AGENDA_KIND_LABELS,
    "series_status": vocab.SERIES_STATUS_LABELS,
    "series_kind": vocab.SERIES_KIND_LABELS,
    "track1_kind": vocab.TRACK1_KIND_LABELS,
    "track1_level": vocab.TRACK1_LEVEL_LABELS,
    "user_role": vocab.USER_ROLE_LABELS,
    "output_kind": vocab.OUTPUT_KIND_LABELS,
    "date_precision": vocab.DATE_PRECISION_LABELS,
}


def label(value: str | None, kind: str) -> str:
    if value is None:
        return ""
    return LABELS[kind].get(value, value)


def date_range(start: dt.date, end: dt.date) -> str:
    """'3–5 June 2025', '30 May – 1 June 2025', '30 Dec 2025 – 2 Jan 2026'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day}–{end.day} {start:%B %Y}"


def workshop_dates(workshop) -> str:
    """A workshop's dates in their precision (core/partial_dates.py):
    '3–5 June 2025', 'c. 3–5 June 2025', 'June 2007', 'c. 2008'."""
    precision = getattr(workshop, "date_precision", None) or "day"
    approximate = bool(getattr(workshop, "approximate", False))
    if precision != "day":
        return format_partial_date(workshop.start_date, precision, approximate)
    text = date_range(workshop.start_date, workshop.end_date)
    return f"c. {text}" if approximate else text


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (filters, pages, sorting)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app) -> None:
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["country"] = country_name
    app.jinja_env.filters["date_range"] = date_range
    # Dates known to the day, month or year (core/partial_dates.py): "June 2007", "c. 2008".
    app.jinja_env.filters["partial_date"] = partial_date_filter
    app.jinja_env.filters["workshop_dates"] = workshop_dates
    app.jinja_env.globals["format_partial_date"] = format_partial_date
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["vocab"] = vocab
    # One rule for numbers in words (core/text.py): "1 workshop", "+15 days".
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["signed"] = signed
    app.jinja_env.globals["plural"] = plural
    app.jinja_env.globals["plural_word"] = plural_word
