"""Every query of the annual outcome report, in one place.

Each figure is one SQL aggregate (GROUP BY, window functions); Python only
arranges the few grouped rows that come back. The number of statements a
report runs is fixed: it does not grow with the data. Stages are derived from
uptake events with a single GROUP BY per statement (the furthest rank per
recommendation, as of a date: the aggregates of outcomes/progress.py), never
from stored stages.

Definitions (workshops/reports/definitions.py) say in words what each
function computes; keep them in step.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import (
    Select,
    and_,
    case,
    distinct,
    exists,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
    union_all,
)

from ..core.cleaning import strip_controls
from ..extensions import db
from ..outcomes import progress
from ..outcomes.days import days_after_workshop_sql
from ..outcomes.models import (
    Recommendation,
    Track1Body,
    UptakeEvent,
    recommendation_target,
    recommendation_theme,
)
from ..people.models import Participation
from ..programme.models import Network, Series, SeriesStatusChange, Theme, Workshop, workshop_theme
from ..vocab import (
    CLOSURE_LABELS,
    CLOSURES,
    FED_INTO_TRACK1,
    FORMAT_LABELS,
    SECTOR_LABELS,
    SECTORS,
    SERIES_KIND_LABELS,
    SERIES_STATUS_LABELS,
    STAGE_LABELS,
    STAGE_RANK,
    STAGES,
    TAKEN_UP,
)
from .definitions import DEFINITIONS

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a report can be asked for
SERIES_WINDOW = 5  # "how regularly it met": years met out of the last five
RANK_FED = STAGE_RANK[FED_INTO_TRACK1]
RANK_TAKEN_UP = STAGE_RANK[TAKEN_UP]
RANK_IMPLEMENTED = STAGE_RANK["implemented"]
MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


# ---- filters --------------------------------------------------------------


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
        if self.as_of_given:
            args["as_of"] = self.as_of.isoformat()
        return args

    def describe(self) -> str:
        parts = [self.network or "All networks"]
        if self.series_name:
            parts.append(f"series “{self.series_name}”")
        if self.theme_name:
            parts.append(f"theme “{self.theme_name}”")
        return " · ".join(parts)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "report_date": self.as_of.isoformat(),
            "network": self.network,
            "series": self.series,
            "theme": self.theme,
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


def resolve_filters(year: int, args, today: dt.date) -> Filters:
    """Turn query parameters (network: acronym or id; series: slug or id;
    theme: slug or id; as_of: YYYY-MM-DD) into Filters, or raise BadFilter."""
    errors: dict[str, str] = {}
    found: dict = {"year": year, "as_of": today}

    network_text = filter_text(args, "network")
    if network_text:
        query = select(Network.id, Network.acronym)
        if network_text.isdecimal():
            query = query.where(Network.id == _as_id(network_text))
        else:
            query = query.where(func.lower(Network.acronym) == network_text.lower())
        row = db.session.execute(query).first()
        if row is None:
            errors["network"] = (f"There is no network “{network_text}”. Choose one from the list, "
                                 "or leave it empty for all networks.")
        else:
            found.update(network_id=row.id, network=row.acronym)

    series_text = filter_text(args, "series")
    if series_text:
        query = select(Series.id, Series.slug, Series.name)
        if series_text.isdecimal():
            query = query.where(Series.id == _as_id(series_text))
        else:
            query = query.where(Series.slug == series_text.lower())
        row = db.session.execute(query).first()
        if row is None:
            errors["series"] = (f"There is no series “{series_text}”. Choose one from the list, "
                                "or leave it empty for all series.")
        else:
            found.update(series_id=row.id, series=row.slug, series_name=row.name)

    theme_text = filter_text(args, "theme")
    if theme_text:
        query = select(Theme.id, Theme.slug, Theme.name)
        if theme_text.isdecimal():
            query = query.where(Theme.id == _as_id(theme_text))
        else:
            query = query.where(Theme.slug == theme_text.lower())
        row = db.session.execute(query).first()
        if row is None:
            errors["theme"] = (f"There is no theme “{theme_text}”. Choose one from the list, "
                               "or leave it empty for all themes.")
        else:
            found.update(theme_id=row.id, theme=row.slug, theme_name=row.name)

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
    """The networks, series and themes a filter can name (three small lists)."""
    return {
        "networks": db.session.execute(
            select(Network.acronym, Network.name).order_by(Network.acronym)).all(),
        "series": db.session.execute(
            select(Series.slug, Series.name, Network.acronym).join(Network)
            .order_by(Network.acronym, Series.name)).all(),
        "themes": db.session.execute(select(Theme.slug, Theme.name).order_by(Theme.name)).all(),
    }


def held(as_of: dt.date):
    """A workshop held by the report date: not cancelled and begun on or
    before it (definitions: "Workshops held")."""
    return and_(Workshop.status != "cancelled", Workshop.start_date <= as_of)


def planned(as_of: dt.date):
    """A workshop planned after the report date: not cancelled and not yet
    begun (definitions: "Workshops planned"). Counted nowhere else."""
    return and_(Workshop.status != "cancelled", Workshop.start_date > as_of)


def years_with_data(as_of: dt.date) -> list[dict]:
    """Years that have a workshop (held or planned) or an uptake event, with
    the figures their report shows as of `as_of`: workshops held and planned,
    recommendations made at the workshops held, uptake events up to `as_of`
    of recommendations of held workshops. One grouped statement each."""
    year = func.extract("year", Workshop.start_date)
    workshops = select(year.label("year"), _count_if(held(as_of)).label("held"),
                       _count_if(planned(as_of)).label("planned")) \
        .where(Workshop.status != "cancelled").group_by(year)
    recs = select(year.label("year"), func.count(Recommendation.id).label("recommendations")) \
        .join(Workshop, Workshop.id == Recommendation.workshop_id) \
        .where(held(as_of)).group_by(year)
    event_year = func.extract("year", UptakeEvent.occurred_on)
    events = select(event_year.label("year"), func.count(UptakeEvent.id).label("events")) \
        .join(Recommendation, Recommendation.id == UptakeEvent.recommendation_id) \
        .join(Workshop, Workshop.id == Recommendation.workshop_id) \
        .where(held(as_of), UptakeEvent.occurred_on <= as_of).group_by(event_year)
    table: dict[int, dict] = {}
    for query in (workshops, recs, events):
        for row in db.session.execute(query):
            entry = table.setdefault(int(row.year), {"year": int(row.year), "held": 0, "planned": 0,
                                                    "recommendations": 0, "events": 0})
            entry.update({key: value or 0 for key, value in row._mapping.items() if key != "year"})
    return [table[y] for y in sorted(table, reverse=True)]


# ---- the scope of a report -----------------------------------------------


def _workshop_conditions(f: Filters, start: dt.date | None, end: dt.date, *, theme: bool,
                         held_only: bool = True) -> list:
    """Workshops held between `start` (inclusive) and `end` (exclusive) within
    the filters; `theme` applies the theme filter to the workshop itself;
    `held_only=False` keeps the planned ones too (not cancelled, any date)."""
    conditions = [
        held(f.as_of) if held_only else Workshop.status != "cancelled",
        Workshop.start_date < end,
    ]
    if start is not None:
        conditions.append(Workshop.start_date >= start)
    if f.series_id is not None:
        conditions.append(Workshop.series_id == f.series_id)
    if f.network_id is not None:
        conditions.append(
            Workshop.series_id.in_(select(Series.id).where(Series.network_id == f.network_id)))
    if theme and f.theme_id is not None:
        # An alias, so a query that itself joins workshop_theme does not swallow the subquery.
        tagged = workshop_theme.alias("tagged_workshop")
        conditions.append(exists().where(tagged.c.workshop_id == Workshop.id, tagged.c.theme_id == f.theme_id))
    return conditions


def _recommendation_conditions(f: Filters, start: dt.date | None, end: dt.date) -> list:
    conditions = _workshop_conditions(f, start, end, theme=False)
    if f.theme_id is not None:
        tagged = recommendation_theme.alias("tagged_recommendation")
        conditions.append(exists().where(tagged.c.recommendation_id == Recommendation.id,
                                         tagged.c.theme_id == f.theme_id))
    return conditions


def _year_of(f: Filters, column):
    """The report year or the previous one, for a date in [previous_start, end)."""
    return case((column >= f.start, f.year), else_=f.year - 1)


def _share(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round((part or 0) / whole, 4)


def _plain(value):
    """A number from a UNION column (PostgreSQL gives NUMERIC there) as int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _union(parts: dict[str, Select]) -> dict[str, list[dict]]:
    """Run several small grouped queries as ONE statement (UNION ALL), so
    the CTEs they share — the per-recommendation GROUP BY over the events —
    are computed once. Columns named label* are text, the others numbers;
    each part's rows come back as dicts under its own column names."""
    subqueries = {name: query.subquery(f"part_{name}") for name, query in parts.items()}
    shapes = {}
    for name, sq in subqueries.items():
        texts = [c for c in sq.c if c.name.startswith("label")]
        numbers = [c for c in sq.c if not c.name.startswith("label")]
        shapes[name] = (texts, numbers)
    width_t = max(len(t) for t, _ in shapes.values())
    width_n = max(len(n) for _, n in shapes.values())
    selects = []
    for name, (texts, numbers) in shapes.items():
        columns = [literal_column(f"'{name}'").label("part")]
        columns += [(texts[i] if i < len(texts) else null()).label(f"t{i}") for i in range(width_t)]
        columns += [(numbers[i] if i < len(numbers) else null()).label(f"n{i}") for i in range(width_n)]
        selects.append(select(*columns))
    out: dict[str, list[dict]] = {name: [] for name in parts}
    for row in db.session.execute(union_all(*selects)):
        texts, numbers = shapes[row.part]
        values = dict(zip((c.name for c in texts), row[1:1 + len(texts)], strict=True))
        values.update(zip((c.name for c in numbers), (_plain(v) for v in row[1 + width_t:1 + width_t + len(numbers)]),
                          strict=True))
        out[row.part].append(values)
    return out


# ---- the figures ------------------------------------------------------------


def activity(f: Filters) -> dict:
    """Workshops held, this year and last, the year's workshops planned after
    the report date, and this year's held ones by network, theme and format."""
    both = _workshop_conditions(f, f.previous_start, f.end, theme=True, held_only=False)
    year = _year_of(f, Workshop.start_date)
    totals = {row.year: row for row in db.session.execute(
        select(year.label("year"), _count_if(held(f.as_of)).label("held"),
               _count_if(planned(f.as_of)).label("planned")).where(*both).group_by(year))}

    this_year = _workshop_conditions(f, f.start, f.end, theme=True)
    by_network = db.session.execute(
        select(Network.acronym.label("label"), func.count(Workshop.id).label("count"))
        .select_from(Workshop).join(Series, Series.id == Workshop.series_id).join(Network)
        .where(*this_year).group_by(Network.acronym).order_by(func.count(Workshop.id).desc(), Network.acronym)
    ).all()
    by_theme = db.session.execute(
        select(Theme.name.label("label"), func.count(Workshop.id).label("count"))
        .select_from(Workshop)
        .outerjoin(workshop_theme, workshop_theme.c.workshop_id == Workshop.id)
        .outerjoin(Theme, Theme.id == workshop_theme.c.theme_id)
        .where(*this_year).group_by(Theme.name).order_by(func.count(Workshop.id).desc(), Theme.name)
    ).all()
    by_format = db.session.execute(
        select(Workshop.format.label("format"), func.count(Workshop.id).label("count"))
        .where(*this_year).group_by(Workshop.format)
    ).all()
    formats = {row.format: row.count for row in by_format}

    def count(y: int, kind: str) -> int:
        row = totals.get(y)
        return int(getattr(row, kind) or 0) if row else 0

    return {
        "workshops_held": count(f.year, "held"),
        "workshops_planned": count(f.year, "planned"),
        "previous_workshops_held": count(f.year - 1, "held"),
        "by_network": [{"label": r.label, "count": r.count} for r in by_network],
        "by_theme": [{"label": r.label or "No theme", "count": r.count} for r in by_theme],
        "by_format": [{"format": k, "label": FORMAT_LABELS[k], "count": formats[k]}
                      for k in FORMAT_LABELS if k in formats],
    }


def participation(f: Filters) -> dict:
    """Distinct attendees, countries, returning people and serving officials
    (this year and last, one statement), and this year's sector mix."""
    year = _year_of(f, Workshop.start_date)
    attended = (
        select(Participation.person_id, Participation.country, Participation.serving_official,
               year.label("year"))
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .where(Participation.status == "attended",
               *_workshop_conditions(f, f.previous_start, f.end, theme=True))
        .cte("attended")
    )
    # People who attended before last year, within the filters. Driven from the
    # set of earlier workshops (an IN list), which both engines run as a hash or
    # an ephemeral index rather than walking participations person by person.
    earlier_workshops = select(Workshop.id).where(*_workshop_conditions(f, None, f.previous_start, theme=True))
    earlier = (
        select(Participation.person_id)
        .where(Participation.status == "attended", Participation.workshop_id.in_(earlier_workshops))
        .distinct()
        .cte("earlier")
    )
    a = attended.c
    last_year = select(a.person_id).where(a.year == f.year - 1)
    # Returning this year = seen before last year, or last year; last year = seen before it.
    returning = or_(a.person_id.in_(select(earlier.c.person_id)),
                    and_(a.year == f.year, a.person_id.in_(last_year)))
    rows = db.session.execute(
        select(
            a.year,
            func.count(distinct(a.person_id)).label("attendees"),
            func.count(distinct(a.country)).label("countries"),
            func.count(distinct(case((a.serving_official.is_(True), a.person_id)))).label("serving"),
            func.count(distinct(case((returning, a.person_id)))).label("returners"),
        )
        .group_by(a.year)
    ).all()
    by_year = {row.year: row for row in rows}

    # Sector at each attendee's last attended participation of the year.
    latest = (
        select(
            Participation.sector,
            func.row_number().over(
                partition_by=Participation.person_id,
                order_by=(Workshop.start_date.desc(), Participation.id.desc()),
            ).label("n"),
        )
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .where(Participation.status == "attended", *_workshop_conditions(f, f.start, f.end, theme=True))
        .subquery()
    )
    sectors = dict(db.session.execute(
        select(latest.c.sector, func.count()).where(latest.c.n == 1).group_by(latest.c.sector)
    ).all())

    def figures(y: int) -> dict:
        row = by_year.get(y)
        attendees = row.attendees if row else 0
        return {
            "attendees": attendees,
            "countries": row.countries if row else 0,
            "returning": row.returners if row else 0,
            "returning_share": _share(row.returners if row else 0, attendees),
            "serving_officials": row.serving if row else 0,
            "serving_officials_share": _share(row.serving if row else 0, attendees),
        }

    this = figures(f.year)
    return {
        **this,
        "previous": figures(f.year - 1),
        "sector_mix": [
            {"sector": s, "label": SECTOR_LABELS[s], "count": sectors.get(s, 0),
             "share": _share(sectors.get(s, 0), this["attendees"])}
            for s in SECTORS
        ],
    }


def _recommendation_facts(f: Filters):
    """One row per recommendation of the filtered workshops up to the year's
    end, with what its events say as of three dates: the report date (the
    funnel), the year's end and the previous year's end (carry-over, stale).
    One GROUP BY over the events of those recommendations."""
    recs = (
        select(Recommendation.id, Recommendation.closed_as, Recommendation.closed_on,
               Workshop.series_id, Workshop.start_date, Workshop.end_date)
        .join(Workshop, Workshop.id == Recommendation.workshop_id)
        .where(*_recommendation_conditions(f, None, f.end))
        .cte("recs")
    )
    reach = (
        select(
            UptakeEvent.recommendation_id.label("rid"),
            progress.rank_reached().label("rank"),
            progress.first_reached(TAKEN_UP).label("first_taken_up"),
            progress.rank_reached(f.until).label("rank_until"),
            progress.last_event_reached(f.until).label("last_until"),
            progress.rank_reached(f.previous_until).label("rank_before"),
            progress.last_event_reached(f.previous_until).label("last_before"),
        )
        # IN rather than a join: SQLite then walks the events of these recommendations
        # by index instead of scanning every event (5× faster for an early year).
        .where(UptakeEvent.recommendation_id.in_(select(recs.c.id)), UptakeEvent.occurred_on <= f.as_of)
        .group_by(UptakeEvent.recommendation_id)
        .cte("reach")
    )
    r, e = recs.c, reach.c
    bucket = case((r.start_date >= f.start, f.year), (r.start_date >= f.previous_start, f.year - 1))
    return (
        select(
            r.id, r.series_id, r.start_date, r.end_date, r.closed_as, r.closed_on,
            bucket.label("year"),
            func.coalesce(e.rank, 0).label("rank"),
            e.first_taken_up,
            func.coalesce(e.rank_until, 0).label("rank_until"), e.last_until,
            func.coalesce(e.rank_before, 0).label("rank_before"), e.last_before,
        )
        .select_from(recs).outerjoin(reach, e.rid == r.id)
        .cte("facts")
    )


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def outcomes(f: Filters) -> dict:
    """Every figure about recommendations — by theme and target body, the
    funnel and median days (this year and last), carry-over and stale (at
    both years' ends), and each series' recommendations over five years —
    in ONE statement over the recommendation facts."""
    facts = _recommendation_facts(f)
    x = facts.c
    taken_up = x.rank >= RANK_TAKEN_UP
    this_year = x.year == f.year
    parts: dict[str, Select] = {}

    # Funnel of this year's and last year's recommendations, as of the report date.
    closed = and_(x.closed_as.is_not(None), x.closed_on <= f.as_of)
    parts["funnel"] = (
        select(x.year, func.count(x.id).label("total"),
               *[_count_if(x.rank >= STAGE_RANK[s]).label(s) for s in STAGES[1:]],
               *[_count_if(and_(closed, x.closed_as == c)).label(c) for c in CLOSURES])
        .where(x.year.is_not(None)).group_by(x.year)
    )
    # The median in SQL: number the waiting times per year, keep the middle one or two.
    waits = (
        select(x.year, days_after_workshop_sql(x.end_date, x.first_taken_up).label("days"))
        .where(x.year.is_not(None), x.first_taken_up.is_not(None))
        .subquery("waits")
    )
    numbered = select(
        waits.c.year, waits.c.days,
        func.row_number().over(partition_by=waits.c.year, order_by=waits.c.days).label("n"),
        func.count().over(partition_by=waits.c.year).label("size"),
    ).subquery("numbered")
    parts["median"] = (
        select(numbered.c.year, func.avg(numbered.c.days).label("median"), func.max(numbered.c.size).label("size"))
        .where(or_(numbered.c.n == (numbered.c.size + 1) // 2, numbered.c.n == (numbered.c.size + 2) // 2))
        .group_by(numbered.c.year)
    )

    # By theme and by target body: this year's recommendations, counted under each.
    parts["theme"] = (
        select(Theme.name.label("label"), func.count(x.id).label("count"), _count_if(taken_up).label("taken_up"))
        .select_from(facts)
        .outerjoin(recommendation_theme, recommendation_theme.c.recommendation_id == x.id)
        .outerjoin(Theme, Theme.id == recommendation_theme.c.theme_id)
        .where(this_year).group_by(Theme.name)
    )
    body = func.coalesce(func.nullif(Track1Body.acronym, ""), Track1Body.name)
    parts["target"] = (
        select(body.label("label"), func.count(x.id).label("count"), _count_if(taken_up).label("taken_up"))
        .select_from(facts)
        .outerjoin(recommendation_target, recommendation_target.c.recommendation_id == x.id)
        .outerjoin(Track1Body, Track1Body.id == recommendation_target.c.track1_body_id)
        .where(this_year).group_by(body)
    )

    # Carry-over and stale, at the year's end (or the report date) and at last year's end.
    def open_at(day: dt.date, rank_col):
        return and_(progress.open_on(day, closed_as=x.closed_as, closed_on=x.closed_on),
                    rank_col < RANK_IMPLEMENTED)

    def stale_at(day: dt.date, rank_col, last_col):
        # definitions: "Stale"; the CSV's Stale column uses the same rule.
        return progress.stale_on(day, start=x.start_date, end=x.end_date, closed_as=x.closed_as,
                                 closed_on=x.closed_on, rank=rank_col, last_on=last_col)

    origin = func.extract("year", x.start_date)
    parts["carry"] = (
        select(
            origin.label("origin"), x.rank_until.label("rank"),
            _count_if(and_(x.start_date < f.start, open_at(f.until, x.rank_until))).label("open"),
            _count_if(stale_at(f.until, x.rank_until, x.last_until)).label("stale"),
            _count_if(and_(x.start_date < f.previous_start, open_at(f.previous_until, x.rank_before)))
            .label("open_before"),
            _count_if(stale_at(f.previous_until, x.rank_before, x.last_before)).label("stale_before"),
        )
        .where(x.start_date <= f.until)
        .group_by(origin, x.rank_until)
    )

    # Each series' recommendations over the five years up to this one.
    window_start = dt.date(f.year - SERIES_WINDOW + 1, 1, 1)
    parts["series"] = (
        select(
            x.series_id,
            _count_if(this_year).label("recommendations"),
            func.count(x.id).label("recommendations_window"),
            _count_if(taken_up).label("taken_up_window"),
        )
        .where(x.start_date >= window_start)
        .group_by(x.series_id)
    )
    rows = _union(parts)

    by_year = {row["year"]: row for row in rows["funnel"]}
    medians = {row["year"]: row for row in rows["median"]}

    def funnel_of(y: int) -> dict:
        row = by_year.get(y, {})
        total = row.get("total", 0)
        reached = {"proposed": total, **{s: row.get(s) or 0 for s in STAGES[1:]}}
        median = medians.get(y)
        return {
            "total": total,
            "stages": [{"stage": s, "label": STAGE_LABELS[s], "count": reached[s],
                        "share": _share(reached[s], total)} for s in STAGES],
            "fed_into_track1": reached[FED_INTO_TRACK1],
            "fed_into_track1_share": _share(reached[FED_INTO_TRACK1], total),
            "taken_up": reached[TAKEN_UP],
            "taken_up_share": _share(reached[TAKEN_UP], total),
            "closed": [{"closure": c, "label": CLOSURE_LABELS[c], "count": row.get(c) or 0} for c in CLOSURES],
            "median_days_to_acknowledgement": round(float(median["median"]), 1) if median else None,
            "median_measured_over": median["size"] if median else 0,
        }

    def ranked(key: str, missing: str) -> list[dict]:
        entries = [{"label": r["label"] or missing, "count": r["count"], "taken_up": r["taken_up"] or 0}
                   for r in rows[key]]
        return sorted(entries, key=lambda e: (-e["count"], e["label"] == missing, e["label"]))

    carry_rows = rows["carry"]
    years: dict[int, dict] = {}
    stages = dict.fromkeys(STAGES[:-1], 0)
    for row in carry_rows:
        entry = years.setdefault(int(row["origin"]), {"year": int(row["origin"]), "open": 0, "stale": 0})
        entry["open"] += row["open"] or 0
        entry["stale"] += row["stale"] or 0
        if row["open"]:
            stages[STAGES[row["rank"]]] += row["open"]
    return {
        "recommendations": {"by_theme": ranked("theme", "No theme"), "by_target": ranked("target", "No target body")},
        "funnel": {**funnel_of(f.year), "previous": funnel_of(f.year - 1)},
        "carry_over": {
            "date": f.until.isoformat(),
            "open": sum(row["open"] or 0 for row in carry_rows),
            "stale": sum(row["stale"] or 0 for row in carry_rows),
            "previous_open": sum(row["open_before"] or 0 for row in carry_rows),
            "previous_stale": sum(row["stale_before"] or 0 for row in carry_rows),
            "by_stage": [{"stage": s, "label": STAGE_LABELS[s], "count": n} for s, n in stages.items()],
            "by_origin_year": [years[y] for y in sorted(years, reverse=True)
                               if years[y]["open"] or years[y]["stale"]],
        },
        "series_recommendations": {row["series_id"]: row for row in rows["series"]},
    }


def uptake_events(f: Filters) -> dict:
    """Uptake events dated in the year, whatever year their recommendation
    came from: this year's and last year's totals and this year's by month
    and stage, in one statement."""
    # The workshops in scope as IN lists: SQLite then reads recommendation ids from the
    # workshop_id index and never touches the wide recommendation rows (2× faster).
    in_scope = select(Workshop.id).where(*_workshop_conditions(f, None, f.end, theme=False))
    before_this_year = select(Workshop.id).where(*_workshop_conditions(f, None, f.start, theme=False))
    conditions = [
        Recommendation.workshop_id.in_(in_scope),
        UptakeEvent.occurred_on >= f.previous_start,
        UptakeEvent.occurred_on < f.end,
        UptakeEvent.occurred_on <= f.as_of,
    ]
    if f.theme_id is not None:
        tagged = recommendation_theme.alias("tagged_recommendation")
        conditions.append(exists().where(tagged.c.recommendation_id == Recommendation.id,
                                         tagged.c.theme_id == f.theme_id))
    events = (
        select(
            _year_of(f, UptakeEvent.occurred_on).label("year"),
            func.extract("month", UptakeEvent.occurred_on).label("month"),
            UptakeEvent.stage, UptakeEvent.recommendation_id,
            case((Recommendation.workshop_id.in_(before_this_year), 1), else_=0).label("earlier"),
        )
        .join(Recommendation, Recommendation.id == UptakeEvent.recommendation_id)
        .where(*conditions)
        .cte("events")
    )
    e = events.c
    rows = _union({
        "grid": select(e.year, e.month, e.stage.label("label_stage"), func.count().label("n"),
                       func.sum(e.earlier).label("earlier")).group_by(e.year, e.month, e.stage),
        "moved": select(e.year, func.count(distinct(e.recommendation_id)).label("n")).group_by(e.year),
    })
    grid = {(int(r["month"]), r["label_stage"]): r["n"] for r in rows["grid"] if r["year"] == f.year}
    totals = {y: sum(r["n"] for r in rows["grid"] if r["year"] == y) for y in (f.year, f.year - 1)}
    moved = {r["year"]: r["n"] for r in rows["moved"]}
    return {
        "total": totals[f.year],
        "previous_total": totals[f.year - 1],
        "recommendations_moved": moved.get(f.year, 0),
        "from_earlier_years": sum(r["earlier"] or 0 for r in rows["grid"] if r["year"] == f.year),
        "by_stage": [{"stage": s, "label": STAGE_LABELS[s],
                      "count": sum(grid.get((m, s), 0) for m in range(1, 13))} for s in STAGES],
        "by_month": [{"month": m, "label": MONTHS[m - 1],
                      "counts": {s: grid.get((m, s), 0) for s in STAGES},
                      "total": sum(grid.get((m, s), 0) for s in STAGES)} for m in range(1, 13)],
    }


def series_table(f: Filters, produced: dict[int, dict]) -> list[dict]:
    """Substance or symbolism: per series, how regularly it met over five
    years (one grouped statement) beside what its recommendations became
    (`produced`, from outcomes())."""
    window_start = dt.date(f.year - SERIES_WINDOW + 1, 1, 1)
    status = (
        select(SeriesStatusChange.status)
        .where(SeriesStatusChange.series_id == Series.id, SeriesStatusChange.effective_on <= f.until)
        .order_by(SeriesStatusChange.effective_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    met = (
        select(
            Workshop.series_id,
            func.sum(case((Workshop.start_date >= f.start, 1), else_=0)).label("workshops"),
            func.count(distinct(func.extract("year", Workshop.start_date))).label("years_met"),
        )
        .where(*_workshop_conditions(f, window_start, f.end, theme=True))
        .group_by(Workshop.series_id)
        .subquery("met")
    )
    ids = [sid for sid in produced]
    rows = db.session.execute(
        select(Series.id, Series.name, Series.kind, Network.acronym, status.label("status"),
               met.c.workshops, met.c.years_met)
        .join(Network, Network.id == Series.network_id)
        .outerjoin(met, met.c.series_id == Series.id)
        .where(or_(met.c.series_id.is_not(None), Series.id.in_(ids) if ids else false()))
    ).all()
    table = []
    for row in rows:
        made = produced.get(row.id, {})
        entry = {
            "series": row.name, "network": row.acronym, "kind": SERIES_KIND_LABELS.get(row.kind, row.kind),
            "status": SERIES_STATUS_LABELS.get(row.status, "") if row.status else "",
            "workshops": row.workshops or 0, "years_met": row.years_met or 0, "window": SERIES_WINDOW,
            "recommendations": made.get("recommendations") or 0,
            "recommendations_window": made.get("recommendations_window") or 0,
            "taken_up_window": made.get("taken_up_window") or 0,
        }
        entry["taken_up_share"] = _share(entry["taken_up_window"], entry["recommendations_window"])
        table.append(entry)
    return sorted(table, key=lambda e: (e["network"], -e["workshops"], -e["years_met"], e["series"]))


# ---- the whole report ---------------------------------------------------------


def _tune_postgresql() -> None:
    """PostgreSQL settings for this transaction only. The JIT compiler would
    spend longer compiling the report's aggregates than running them
    (measured: 1.3 s of a 2 s query). And a server-side cursor (the streamed
    CSV) is planned for its first 10% of rows by default, which picked
    nested loops: 180 s instead of 1.2 s for 9,650 rows."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT set_config('jit', 'off', true), "
                                "set_config('cursor_tuple_fraction', '1', true)"))


@dataclass
class Report:
    filters: Filters
    generated_on: dt.date
    activity: dict
    participation: dict
    recommendations: dict
    funnel: dict
    uptake_events: dict
    carry_over: dict
    series: list[dict]
    headline: list[dict] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.filters.year

    @property
    def is_empty(self) -> bool:
        begun = self.filters.as_of >= self.filters.start
        return not (self.activity["workshops_held"] or self.funnel["total"] or self.uptake_events["total"]
                    or (begun and (self.carry_over["open"] or self.carry_over["stale"])))

    def as_dict(self) -> dict:
        """Every figure on the page, for the JSON export."""
        return {
            "report": "annual outcome report",
            "filters": self.filters.as_dict(),
            "generated_on": self.generated_on.isoformat(),
            "empty": self.is_empty,
            "headline": self.headline,
            "activity": self.activity,
            "participation": self.participation,
            "recommendations": self.recommendations,
            "funnel": self.funnel,
            "uptake_events": self.uptake_events,
            "carry_over": self.carry_over,
            "series": self.series,
            "definitions": {key: {"name": name, "definition": text}
                            for key, (name, text) in DEFINITIONS.items()},
        }


def _headline_row(key: str, label: str, value, previous, unit: str) -> dict:
    change = None
    if value is not None and previous is not None:
        change = round(value - previous, 4 if unit == "share" else 1)
        if unit == "count":
            change = int(change)
    return {"key": key, "label": label, "value": value, "previous": previous, "change": change,
            "unit": unit}


def headline(report: Report) -> list[dict]:
    a, p, fu, ev, co = (report.activity, report.participation, report.funnel, report.uptake_events,
                        report.carry_over)
    pp, fp = p["previous"], fu["previous"]
    return [
        _headline_row("workshops_held", "Workshops held", a["workshops_held"], a["previous_workshops_held"],
                      "count"),
        _headline_row("attendees", "Distinct attendees", p["attendees"], pp["attendees"], "count"),
        _headline_row("countries", "Countries represented", p["countries"], pp["countries"], "count"),
        _headline_row("returning", "Returning participants", p["returning"], pp["returning"], "count"),
        _headline_row("serving_officials", "Share of serving officials", p["serving_officials_share"],
                      pp["serving_officials_share"], "share"),
        _headline_row("recommendations_made", "Recommendations made", fu["total"], fp["total"], "count"),
        _headline_row("fed_into_track1", "Fed into Track-1", fu["fed_into_track1"], fp["fed_into_track1"],
                      "count"),
        _headline_row("taken_up", "Taken up", fu["taken_up"], fp["taken_up"], "count"),
        _headline_row("median_days", "Median days to acknowledgement", fu["median_days_to_acknowledgement"],
                      fp["median_days_to_acknowledgement"], "days"),
        _headline_row("uptake_events", "Uptake events in the year", ev["total"], ev["previous_total"],
                      "count"),
        _headline_row("carry_over", "Carry-over (open from earlier years)", co["open"], co["previous_open"],
                      "count"),
        _headline_row("stale", "Stale", co["stale"], co["previous_stale"], "count"),
    ]


def build_report(f: Filters, generated_on: dt.date | None = None) -> Report:
    """Every figure of the report for the filters: a fixed number of statements."""
    _tune_postgresql()
    found = outcomes(f)
    report = Report(
        filters=f,
        generated_on=generated_on or dt.date.today(),
        activity=activity(f),
        participation=participation(f),
        recommendations=found["recommendations"],
        funnel=found["funnel"],
        uptake_events=uptake_events(f),
        carry_over=found["carry_over"],
        series=series_table(f, found["series_recommendations"]),
    )
    report.headline = headline(report)
    return report


# ---- the CSV/XLSX rows: one per recommendation of the year -----------------------

RECOMMENDATION_COLUMNS = (
    "Reference", "Title", "Network", "Series", "Workshop", "Workshop start", "Workshop end",
    "Themes", "Target bodies", "Priority", "Stage", "First transmitted", "First acknowledged",
    "First adopted", "First implemented", "Last event", "Events", "Days to acknowledgement",
    "Closed as", "Closed on", "Stale",
)


def recommendation_columns(f: Filters) -> list[str]:
    """The header of the CSV/XLSX recommendation table: the Stale column
    names the day it is computed on, the day of the report's Stale figure."""
    return [*RECOMMENDATION_COLUMNS[:-1], f"Stale on {f.until.isoformat()}"]


def recommendation_rows_query(f: Filters):
    """One row per recommendation of the year with its stage and dates as of
    the report date: themes and target bodies aggregated in SQL, so rows can
    be streamed straight from a server-side cursor."""
    recs = (
        select(Recommendation.id)
        .join(Workshop, Workshop.id == Recommendation.workshop_id)
        .where(*_recommendation_conditions(f, f.start, f.end))
        .cte("recs")
    )
    reach = (
        select(
            UptakeEvent.recommendation_id.label("rid"),
            progress.rank_reached().label("rank"),
            *[progress.first_reached(stage).label(stage) for stage in STAGES[1:]],
            progress.last_event_reached().label("last_on"),
            func.count(UptakeEvent.id).label("events"),
            progress.rank_reached(f.until).label("rank_until"),
            progress.last_event_reached(f.until).label("last_until"),
        )
        .where(UptakeEvent.recommendation_id.in_(select(recs.c.id)), UptakeEvent.occurred_on <= f.as_of)
        .group_by(UptakeEvent.recommendation_id)
        .subquery("reach")
    )
    themes = (
        select(recommendation_theme.c.recommendation_id.label("rid"),
               func.aggregate_strings(Theme.name, "; ").label("names"))
        .join(recs, recs.c.id == recommendation_theme.c.recommendation_id)
        .join(Theme, Theme.id == recommendation_theme.c.theme_id)
        .group_by(recommendation_theme.c.recommendation_id)
        .subquery("themes")
    )
    body = func.coalesce(func.nullif(Track1Body.acronym, ""), Track1Body.name)
    targets = (
        select(recommendation_target.c.recommendation_id.label("rid"),
               func.aggregate_strings(body, "; ").label("names"))
        .join(recs, recs.c.id == recommendation_target.c.recommendation_id)
        .join(Track1Body, Track1Body.id == recommendation_target.c.track1_body_id)
        .group_by(recommendation_target.c.recommendation_id)
        .subquery("targets")
    )
    closed = and_(Recommendation.closed_as.is_not(None), Recommendation.closed_on <= f.as_of)
    # Stale on the same day as the report's Stale figure: the year's end, or the report date if sooner.
    stale = progress.stale_on(f.until, start=Workshop.start_date, end=Workshop.end_date,
                              closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on,
                              rank=reach.c.rank_until, last_on=reach.c.last_until)
    return (
        select(
            Recommendation.reference, Recommendation.title, Network.acronym.label("network"),
            Series.name.label("series"), Workshop.title.label("workshop"),
            Workshop.start_date, Workshop.end_date,
            themes.c.names.label("themes"), targets.c.names.label("targets"), Recommendation.priority,
            func.coalesce(reach.c.rank, 0).label("rank"),
            reach.c.transmitted, reach.c.acknowledged, reach.c.adopted, reach.c.implemented,
            reach.c.last_on, func.coalesce(reach.c.events, 0).label("events"),
            days_after_workshop_sql(Workshop.end_date, reach.c.acknowledged).label("days_to_ack"),
            case((closed, Recommendation.closed_as)).label("closed_as"),
            case((closed, Recommendation.closed_on)).label("closed_on"),
            case((stale, 1), else_=0).label("stale"),
        )
        .select_from(recs)
        .join(Recommendation, Recommendation.id == recs.c.id)
        .join(Workshop, Workshop.id == Recommendation.workshop_id)
        .join(Series, Series.id == Workshop.series_id)
        .join(Network, Network.id == Series.network_id)
        .outerjoin(reach, reach.c.rid == recs.c.id)
        .outerjoin(themes, themes.c.rid == recs.c.id)
        .outerjoin(targets, targets.c.rid == recs.c.id)
        .order_by(Workshop.start_date, Recommendation.id)
    )


def _sorted_list(text: str | None) -> str:
    # The order inside group_concat/string_agg is not defined; sort for stable files.
    return "; ".join(sorted(text.split("; "))) if text else ""


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a CASE over dates comes back as text on SQLite
        return value
    return value.isoformat()


def recommendation_rows(f: Filters, batch: int = 1000):
    """The rows of the recommendation table, fetched `batch` at a time from a
    server-side cursor (memory stays flat however many rows there are)."""
    _tune_postgresql()
    result = db.session.execute(
        recommendation_rows_query(f), execution_options={"stream_results": True, "yield_per": batch}
    )
    try:
        for row in result:
            yield (
                row.reference, row.title, row.network, row.series, row.workshop,
                row.start_date.isoformat(), row.end_date.isoformat(),
                _sorted_list(row.themes), _sorted_list(row.targets), row.priority,
                STAGES[row.rank], _iso(row.transmitted), _iso(row.acknowledged), _iso(row.adopted),
                _iso(row.implemented), _iso(row.last_on), row.events,
                "" if row.days_to_ack is None else row.days_to_ack,
                row.closed_as or "", _iso(row.closed_on), "yes" if row.stale else "no",
            )
    finally:
        result.close()


__all__ = [
    "BadFilter", "Filters", "NotAYear", "RECOMMENDATION_COLUMNS", "Report", "build_report",
    "recommendation_columns",
    "filter_choices", "parse_year", "recommendation_rows", "resolve_filters", "years_with_data",
]
