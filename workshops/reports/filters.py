"""The report's filters: the period in the address (a year, 2025, or a
period of years, 2020-2025: the grant cycle) and the query parameters
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
from ..outcomes.progress import stale_cutoff
from ..programme.models import MemberInstitute, Network, Series, Theme, WorkshopInstitute

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a report can be asked for
MAX_PERIOD_YEARS = 30  # the longest period a report covers
SERIES_WINDOW = 5  # "how regularly it met": years met out of the last five


class BadFilter(Exception):
    """A filter the report cannot apply; `errors` maps the query parameter
    to a message that says what to do."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class NotAYear(Exception):
    """The year in the address is not a year a report can be made for."""


class BadPeriod(Exception):
    """A period of years (first-last) the report refuses; the message says why
    and what to write instead."""


@dataclass(frozen=True)
class Filters:
    """The report's period and filters. A period runs from 1 January of
    `first_year` to 31 December of `year` (its last year); a single year is
    a period of one (`first_year` left out). `year` stays the last year, so
    a figure that labels "this period" and "the previous one" by `year` and
    `year - 1` (scope.year_of) reads its dates from the properties below."""

    year: int  # the period's last year
    as_of: dt.date
    network_id: int | None = None
    network: str | None = None  # its acronym
    series_id: int | None = None
    series: str | None = None  # its slug
    series_name: str | None = None
    series_network: str | None = None  # the acronym of the network the series belongs to
    theme_id: int | None = None
    theme: str | None = None  # its slug
    theme_name: str | None = None
    funder_id: int | None = None  # an institute with the funder role on at least one workshop
    funder: str | None = None  # its acronym
    funder_name: str | None = None
    as_of_given: bool = False
    first_year: int | None = None  # the period's first year; None: the period is `year` alone

    def __post_init__(self):
        if self.first_year is None:
            object.__setattr__(self, "first_year", self.year)

    @property
    def series_elsewhere(self) -> str | None:
        """What a reader must know when the series filtered on belongs to
        another network than the one filtered on: only its workshops held
        jointly with that network count (a workshop may be of several
        networks). None otherwise."""
        if not (self.network and self.series_network) or self.network == self.series_network:
            return None
        return (f"The series “{self.series_name}” belongs to {self.series_network}, not {self.network}: "
                f"only its workshops held jointly with {self.network} count here.")

    @property
    def years(self) -> int:
        """How many years the period spans (1 for a single year)."""
        return self.year - self.first_year + 1

    @property
    def period(self) -> str:
        """The period as the address writes it: 2025, or 2020-2025."""
        return str(self.year) if self.years == 1 else f"{self.first_year}-{self.year}"

    @property
    def period_label(self) -> str:
        """The period as a title writes it: 2025, or 2020–2025."""
        return str(self.year) if self.years == 1 else f"{self.first_year}–{self.year}"

    @property
    def previous_period_label(self) -> str:
        """The previous period of the same length as a title writes it: 2024, or 2014–2019."""
        first, last = self.first_year - self.years, self.first_year - 1
        return str(last) if first == last else f"{first}–{last}"

    @property
    def start(self) -> dt.date:
        """1 January of the period's first year."""
        return dt.date(self.first_year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return dt.date(self.year + 1, 1, 1)

    @property
    def previous_start(self) -> dt.date:
        """The start of the previous period of the same length."""
        return dt.date(self.first_year - self.years, 1, 1)

    @property
    def until(self) -> dt.date:
        """The period's end, or the report date if sooner (carry-over, stale)."""
        return min(dt.date(self.year, 12, 31), self.as_of)

    @property
    def previous_until(self) -> dt.date:
        """The previous period's end."""
        return dt.date(self.first_year - 1, 12, 31)

    @property
    def previous_first_year(self) -> int:
        """The previous period's first year."""
        return self.first_year - self.years

    @property
    def window_start(self) -> dt.date:
        """The first day of the SERIES_WINDOW years up to the report year (of
        the whole period, when it is longer): how regularly a series met."""
        return dt.date(min(self.first_year, self.year - SERIES_WINDOW + 1), 1, 1)

    @property
    def facts_start(self) -> dt.date:
        """The first origin day whose recommendations the year's own figures
        read: the previous period's or the series window's, the earlier."""
        return min(self.previous_start, self.window_start)

    @property
    def both_days(self) -> dt.date:
        """The earlier of the two days carry-over and stale are counted on."""
        return min(self.until, self.previous_until)

    @property
    def counted_from(self) -> dt.date:
        """1 January of the year in which falls the stale cutoff of
        both_days: carry-over reads the settled recommendations whose last
        change is earlier from the counts kept on write, the later ones row
        by row (recommendations.outcomes)."""
        return dt.date(self.stale_cutoff(self.both_days).year, 1, 1)

    @property
    def counted_from_year(self) -> int:
        return self.counted_from.year

    def stale_cutoff(self, day: dt.date) -> dt.date:
        """The latest last activity that leaves a recommendation stale on
        `day` (outcomes/progress.py's stale_cutoff, the rule's one home)."""
        return stale_cutoff(day)

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
        """The filters in words, after the period the title already names:
        "6 years · NADI · series “…”" (the years only for a period)."""
        parts = [self.network or "All networks"]
        if self.years > 1:
            parts.insert(0, f"{self.years} years")
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
            "first_year": self.first_year,
            "last_year": self.year,
            "period": self.period,
            "years": self.years,
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


def parse_period(text: str) -> tuple[int, int]:
    """The first and last year of a period written 2025 or 2020-2025.
    Raises NotAYear when the text is not written so (the address names no
    report), BadPeriod with the reason when the period cannot be reported:
    it runs backwards, spans more than MAX_PERIOD_YEARS years, or has a
    year outside FIRST_YEAR–LAST_YEAR."""
    text = (text or "").strip()
    first_text, dash, last_text = text.partition("-")
    if not dash:
        year = parse_year(text)
        return year, year
    digits = [t for t in (first_text, last_text) if t.isascii() and t.isdecimal() and len(t) == 4]
    if len(digits) != 2:
        raise NotAYear(text)
    first, last = int(first_text), int(last_text)
    if not (FIRST_YEAR <= first <= LAST_YEAR and FIRST_YEAR <= last <= LAST_YEAR):
        raise BadPeriod(f"The period {first}-{last} has a year outside {FIRST_YEAR}–{LAST_YEAR}; "
                        f"write both years from {FIRST_YEAR} to {LAST_YEAR}.")
    if last < first:
        raise BadPeriod(f"The period {first}-{last} runs backwards; write the first year first, "
                        f"e.g. {last}-{first}.")
    if last - first + 1 > MAX_PERIOD_YEARS:
        raise BadPeriod(f"The period {first}-{last} spans {last - first + 1} years; a report covers "
                        f"at most {MAX_PERIOD_YEARS} years.")
    return first, last


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
                   {"series_id": Series.id, "series": Series.slug, "series_name": Series.name,
                    "series_network": select(Network.acronym).where(Network.id == Series.network_id)
                    .scalar_subquery()}, None),
        "theme": ("themes", Theme.id, Theme.slug,
                  {"theme_id": Theme.id, "theme": Theme.slug, "theme_name": Theme.name}, None),
        "funder": ("funders", MemberInstitute.id, func.lower(MemberInstitute.acronym),
                   {"funder_id": MemberInstitute.id, "funder": MemberInstitute.acronym,
                    "funder_name": MemberInstitute.name}, MemberInstitute.id.in_(funded)),
    }


def resolve_filters(year: int, args, today: dt.date, first_year: int | None = None) -> Filters:
    """For the period `first_year`–`year` (the year alone without
    `first_year`), turn query parameters (network: acronym or id; series: slug or id;
    theme: slug or id; funder: an institute's id or acronym, one that funded
    a workshop; as_of: YYYY-MM-DD) into Filters, or raise BadFilter."""
    errors: dict[str, str] = {}
    first_year = year if first_year is None else first_year
    found: dict = {"year": year, "as_of": today, "first_year": first_year}

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
            if as_of < dt.date(first_year, 1, 1):
                errors["as_of"] = f"The report date must be on or after 1 January {first_year}."
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
