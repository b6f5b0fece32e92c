"""The report's filters: the year in the address and the query parameters
(network, series, theme, funder, as_of), read, checked and resolved to ids — or a
refusal that names the parameter and says what to do.

The figures read the filters through scope.py; docs/domain.md says what
each figure counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..core.cleaning import strip_controls
from ..extensions import db
from ..programme.models import MemberInstitute, Network, Series, Theme, WorkshopInstitute

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a report can be asked for


class BadFilter(Exception):
    """A filter the report cannot apply; `errors` maps the query parameter
    to a message that says what to do."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class NotAYear(Exception):
    """The year in the address is not a year a report can be made for."""


@dataclass(frozen=True)
class Filters:
    year: int
    as_of: dt.date
    network_id: int | None = None
    network: str | None = None  # its acronym
    series_id: int | None = None
    series: str | None = None  # its slug
    series_name: str | None = None
    theme_id: int | None = None
    theme: str | None = None  # its slug
    theme_name: str | None = None
    funder_id: int | None = None  # an institute with the funder role on at least one workshop
    funder: str | None = None  # its acronym
    funder_name: str | None = None
    as_of_given: bool = False

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the year."""
        return dt.date(self.year + 1, 1, 1)

    @property
    def previous_start(self) -> dt.date:
        return dt.date(self.year - 1, 1, 1)

    @property
    def until(self) -> dt.date:
        """The year's end, or the report date if sooner (carry-over, stale)."""
        return min(dt.date(self.year, 12, 31), self.as_of)

    @property
    def previous_until(self) -> dt.date:
        return dt.date(self.year - 1, 12, 31)

    def query_args(self) -> dict[str, str]:
        """The filters as query parameters, for links and downloads."""
        args = {}
        if self.network:
            args["network"] = self.network
        if self.series:
            args["series"] = self.series
        if self.theme:
            args["theme"] = self.theme
        if self.funder_id is not None:
            args["funder"] = str(self.funder_id)
        if self.as_of_given:
            args["as_of"] = self.as_of.isoformat()
        return args

    def describe(self) -> str:
        parts = [self.network or "All networks"]
        if self.series_name:
            parts.append(f"series “{self.series_name}”")
        if self.theme_name:
            parts.append(f"theme “{self.theme_name}”")
        if self.funder_name:
            parts.append(f"funded by {self.funder or self.funder_name}")
        return " · ".join(parts)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "report_date": self.as_of.isoformat(),
            "network": self.network,
            "series": self.series,
            "theme": self.theme,
            "funder": self.funder_id,
            "funder_name": self.funder_name,
        }


def parse_year(text: str) -> int:
    text = (text or "").strip()
    if not (text.isascii() and text.isdecimal() and len(text) == 4):
        raise NotAYear(text)
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotAYear(text)
    return year


def filter_text(args, name: str) -> str:
    """A filter's text as typed, without control characters (they can match
    nothing, and PostgreSQL refuses a NUL in a parameter), at most 200 long."""
    return strip_controls(args.get(name))[:200]


def _as_id(text: str) -> int:
    """The id a number typed as a filter names; -1 (no row) when no INTEGER
    column can hold it, rather than an error from the database."""
    return int(text) if len(text) < 10 else -1


def _named_filters() -> dict[str, tuple]:
    """The filters that name a row: for each query parameter, the word for
    "all of them", the id column, the column its text is matched against
    (lower-cased), the Filters fields the row fills, column by column, and
    what else the row must be (a funder: an institute that funded a workshop)."""
    funded = select(WorkshopInstitute.institute_id).where(WorkshopInstitute.role == "funder")
    return {
        "network": ("networks", Network.id, func.lower(Network.acronym),
                    {"network_id": Network.id, "network": Network.acronym}, None),
        "series": ("series", Series.id, Series.slug,
                   {"series_id": Series.id, "series": Series.slug, "series_name": Series.name}, None),
        "theme": ("themes", Theme.id, Theme.slug,
                  {"theme_id": Theme.id, "theme": Theme.slug, "theme_name": Theme.name}, None),
        "funder": ("funders", MemberInstitute.id, func.lower(MemberInstitute.acronym),
                   {"funder_id": MemberInstitute.id, "funder": MemberInstitute.acronym,
                    "funder_name": MemberInstitute.name}, MemberInstitute.id.in_(funded)),
    }


def resolve_filters(year: int, args, today: dt.date) -> Filters:
    """Turn query parameters (network: acronym or id; series: slug or id;
    theme: slug or id; funder: an institute's id or acronym, one that funded
    a workshop; as_of: YYYY-MM-DD) into Filters, or raise BadFilter."""
    errors: dict[str, str] = {}
    found: dict = {"year": year, "as_of": today}

    for name, (everything, id_column, key, fields, among) in _named_filters().items():
        typed = filter_text(args, name)
        if not typed:
            continue
        condition = id_column == _as_id(typed) if typed.isdecimal() else key == typed.lower()
        query = select(*fields.values()).where(condition)
        if among is not None:
            query = query.where(among)
        row = db.session.execute(query.order_by(id_column).limit(1)).first()
        if row is None:
            errors[name] = (f"There is no {name} “{typed}”. Choose one from the list, "
                            f"or leave it empty for all {everything}.")
        else:
            found.update(zip(fields, row, strict=True))

    as_of_text = filter_text(args, "as_of")
    if as_of_text:
        try:
            as_of = dt.date.fromisoformat(as_of_text)
        except ValueError:
            errors["as_of"] = f"“{as_of_text}” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31."
        else:
            if as_of < dt.date(year, 1, 1):
                errors["as_of"] = f"The report date must be on or after 1 January {year}."
            else:
                found.update(as_of=as_of, as_of_given=True)
    if errors:
        raise BadFilter(errors)
    return Filters(**found)


def filter_choices() -> dict[str, list]:
    """The networks, series, themes and funders a filter can name (four small lists)."""
    return {
        "networks": db.session.execute(
            select(Network.acronym, Network.name).order_by(Network.acronym)).all(),
        "series": db.session.execute(
            select(Series.slug, Series.name, Network.acronym).join(Network)
            .order_by(Network.acronym, Series.name)).all(),
        "themes": db.session.execute(select(Theme.slug, Theme.name).order_by(Theme.name)).all(),
        "funders": db.session.execute(
            select(MemberInstitute.id, MemberInstitute.acronym, MemberInstitute.name)
            .where(MemberInstitute.id.in_(select(WorkshopInstitute.institute_id)
                                          .where(WorkshopInstitute.role == "funder")))
            .order_by(MemberInstitute.name)).all(),
    }
