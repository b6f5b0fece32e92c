"""The scope of a report and the SQL pieces every figure shares: which
workshops and recommendations the filters keep, the report year a date
falls in, a conditional count, a share, one statement for several small
grouped queries (UNION ALL), and each figure's statement built once per shape
from bound parameters (Bound, built, run). The PostgreSQL settings a report
runs with are set on every connection (db.py).

docs/report-definitions.md says in words what each figure counts
(written from workshops/reports/definitions.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from ..extensions import db
from ..outcomes.models import (
    RecommendationProgress,
    Track1Body,
    recommendation_theme,
)
from ..programme.models import Workshop, WorkshopInstitute, in_networks, workshop_theme
from .filters import Filters


def held(as_of: dt.date):
    """A workshop held by the report date: not cancelled and begun on or
    before it (definitions: "Workshops held")."""
    return and_(Workshop.status != "cancelled", Workshop.start_date <= as_of)


def planned(as_of: dt.date):
    """A workshop planned after the report date: not cancelled and not yet
    begun (definitions: "Workshops planned"). Counted nowhere else."""
    return and_(Workshop.status != "cancelled", Workshop.start_date > as_of)


def workshop_conditions(f: Filters, start: dt.date | None, end: dt.date, *, theme: bool,
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
    if f.network_id is not None:  # every workshop the network organised, as lead or co-organiser
        conditions.append(in_networks([f.network_id]))
    if f.funder_id is not None:  # served by ix_workshop_institute_institute_role
        funded = WorkshopInstitute.__table__.alias("funded_workshop")
        conditions.append(Workshop.id.in_(select(funded.c.workshop_id).where(
            funded.c.institute_id == f.funder_id, funded.c.role == "funder")))
    if theme and f.theme_id is not None:
        # An alias, so a query that itself joins workshop_theme does not swallow the subquery.
        tagged = workshop_theme.alias("tagged_workshop")
        conditions.append(exists().where(tagged.c.workshop_id == Workshop.id, tagged.c.theme_id == f.theme_id))
    return conditions


def facts_conditions(f: Filters, start: dt.date | None, end: dt.date, facts=None) -> list:
    """The recommendations in the report's scope made in [start, end), on
    progress facts rows (outcomes/progress_facts.py; `facts` is the table's
    columns or a CTE's with the same names), the one scope rule of every
    recommendation figure, export and highlight: its origin (the workshop,
    or the output for a recommendation of an output alone:
    outcomes/origin.py) held — not cancelled — and begun by the report date,
    within the filters, as workshop_conditions and outputs.output_conditions
    scope workshops and outputs themselves. Reading one narrow table by its origin day is what keeps a
    report's cost to its year (docs/report-cost.md)."""
    from ..outputs.models import Output

    c = facts if facts is not None else RecommendationProgress.__table__.c
    conditions = [c.origin_cancelled == false(), c.origin_start <= f.as_of, c.origin_start < end]
    if start is not None:
        conditions.append(c.origin_start >= start)
    if f.series_id is not None:
        conditions.append(c.series_id == f.series_id)
    if f.network_id is not None:  # its workshop's networks (lead or co-organiser), else its output's
        conditions.append(or_(
            c.workshop_id.in_(select(Workshop.id).where(in_networks([f.network_id]))),
            and_(c.workshop_id.is_(None),
                 c.output_id.in_(select(Output.id).where(Output.network_id == f.network_id)))))
    if f.funder_id is not None:  # an output has no funder: only workshops' recommendations
        funded = WorkshopInstitute.__table__.alias("funded_workshop")
        conditions.append(c.workshop_id.in_(select(funded.c.workshop_id).where(
            funded.c.institute_id == f.funder_id, funded.c.role == "funder")))
    if f.theme_id is not None:
        tagged = recommendation_theme.alias("tagged_recommendation")
        conditions.append(exists().where(tagged.c.recommendation_id == c.recommendation_id,
                                         tagged.c.theme_id == f.theme_id))
    return conditions


def closed_by(day: dt.date, *, closed_as, closed_on):
    """SQL: closed on or before `day` (a closure dated later does not count yet)."""
    return and_(closed_as.is_not(None), closed_on <= day)


def body_label():
    """SQL: a Track-1 body as the report names it, its acronym or else its name."""
    return func.coalesce(func.nullif(Track1Body.acronym, ""), Track1Body.name)


def year_of(f: Filters, column):
    """The report year or the previous one, for a date in [previous_start, end)."""
    return case((column >= f.start, f.year), else_=f.year - 1)


def count_if(condition):
    """SQL: how many rows of the group meet `condition`."""
    return func.sum(case((condition, 1), else_=0))


def share(part: int | None, whole: int | None) -> float | None:
    """part / whole to four places; None when there is no whole."""
    if not whole:
        return None
    return round((part or 0) / whole, 4)


def _plain(value):
    """A number from a UNION column (PostgreSQL gives NUMERIC there) as int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --------------------------------------------------------------------------- statements built once per shape
#
# Building a figure's statement (thousands of SQLAlchemy objects) cost more than running most of
# them: about 20 ms of Python a report, even on an empty database. So each figure's statement is
# built once per *shape* — the number of years and which filters are set, all its SQL depends on —
# from Bound, a stand-in for the Filters whose values are bound parameters, and each report runs
# it with its own values (values()). A value a statement needs is a Filters attribute here, so
# both give it: a day derived in Python (the stale cutoff of a day, the series window) is a
# property of Filters and its own parameter here. Reading anything else from Bound raises, and
# so would a Python comparison of two parameters: a missing value cannot pass silently.

_DAYS = ("as_of", "start", "end", "previous_start", "until", "previous_until", "window_start", "facts_start",
         "both_days", "counted_from")
_NUMBERS = ("year", "first_year", "previous_first_year", "counted_from_year")
_IDS = ("network_id", "series_id", "theme_id", "funder_id")
_CUTOFF_DAYS = ("until", "previous_until", "both_days")  # the days the stale rule is asked about


class Bound:
    """The Filters' values as bound parameters, for building the statements
    of one shape (shape()); None for a filter not set. `engine` names the
    database ("sqlite", "postgresql"), for the rare statement whose best
    form differs between them."""

    def __init__(self, shape: tuple):
        self.engine, self.years, *filters_set = shape
        for name in _DAYS:
            setattr(self, name, bindparam(name, type_=Date))
        for name in _NUMBERS:
            setattr(self, name, bindparam(name, type_=Integer))
        for name, is_set in zip(_IDS, filters_set, strict=True):
            setattr(self, name, bindparam(name, type_=Integer) if is_set else None)
        self._cutoffs = {getattr(self, day).key: bindparam(f"{day}_stale_cutoff", type_=Date) for day in _CUTOFF_DAYS}

    def stale_cutoff(self, day):
        """The parameter holding Filters.stale_cutoff of one of the report's days."""
        return self._cutoffs[day.key]


def shape(f: Filters, engine: str | None = None) -> tuple:
    """What a report's statements depend on besides values: the database
    (the session's, unless named), the period's length and which filters
    are set."""
    engine = engine or db.session.get_bind().dialect.name
    return (engine, f.years, *(getattr(f, name) is not None for name in _IDS))


def values(f: Filters) -> dict:
    """The values of Bound's parameters for these filters."""
    found = {name: getattr(f, name) for name in (*_DAYS, *_NUMBERS)}
    found.update({name: getattr(f, name) for name in _IDS if getattr(f, name) is not None})
    found.update({f"{day}_stale_cutoff": f.stale_cutoff(getattr(f, day)) for day in _CUTOFF_DAYS})
    return found


# Statements kept: about 1.2 MB a shape (seven statements and their compiled forms), so the
# least recently used go beyond this many (some twenty shapes: a period's length times the
# filters set is 30 x 16 possible shapes).
STATEMENTS_KEPT = 128


@lru_cache(maxsize=STATEMENTS_KEPT)
def _made(build: Callable[[Bound], object], shape_of: tuple, as_union: bool):
    made = build(Bound(shape_of))
    return union_statement(made) if as_union else made


def built(build: Callable[[Bound], object], f: Filters, *, as_union: bool = False):
    """What `build`, a module-level function, makes from Bound for the shape
    of `f` (union_statement of it when `as_union`) — made once per shape
    and kept (STATEMENTS_KEPT), then reused by every report of the shape."""
    assert "<" not in build.__qualname__, "a builder is a module-level function, made once"
    return _made(build, shape(f), as_union)


def run(build: Callable[[Bound], object], f: Filters, **more):
    """Execute the statement `build` makes (built once per shape) with the
    values of `f` and any `more` parameters of its own."""
    return db.session.execute(built(build, f), {**values(f), **more})


def union_statement(parts: dict[str, Select]):
    """Several small grouped queries as ONE statement (UNION ALL), so the
    CTEs they share — the per-recommendation GROUP BY over the events — are
    computed once; with where each part's columns sit in its rows. Columns
    named label* are text, the others numbers.

    A whole number stays a whole number: on PostgreSQL a SUM of BIGINT (and
    EXTRACT) is NUMERIC, which arrives as Decimal, and a UNION column is
    NUMERIC for every part when one part's is. So each whole number (an
    Integer expression) is cast to BIGINT (on SQLite too: one portable
    statement), and only the columns that may still hold a fraction in some
    part are converted row by row (_plain)."""
    subqueries = {name: query.subquery(f"part_{name}") for name, query in parts.items()}
    shapes = {}
    for name, sq in subqueries.items():
        texts = [c for c in sq.c if c.name.startswith("label")]
        numbers = [c for c in sq.c if not c.name.startswith("label")]
        shapes[name] = (texts, numbers)
    width_t = max(len(t) for t, _ in shapes.values())
    width_n = max(len(n) for _, n in shapes.values())
    # The number columns that are whole in every part that fills them.
    whole = [all(i >= len(n) or isinstance(n[i].type, Integer) for _, n in shapes.values()) for i in range(width_n)]

    def number(c):
        return cast(c, BigInteger) if isinstance(c.type, Integer) else c

    selects = []
    for name, (texts, numbers) in shapes.items():
        columns = [literal_column(f"'{name}'").label("part")]
        columns += [(texts[i] if i < len(texts) else null()).label(f"t{i}") for i in range(width_t)]
        columns += [(number(numbers[i]) if i < len(numbers) else null()).label(f"n{i}") for i in range(width_n)]
        selects.append(select(*columns))
    # Each part's plan: its column names, where they sit in the row, and the names to convert (_plain).
    plans = {}
    for name, (texts, numbers) in shapes.items():
        keys = tuple(c.name for c in (*texts, *numbers))
        at = [1 + i for i in range(len(texts))] + [1 + width_t + i for i in range(len(numbers))]
        fractional = tuple(c.name for i, c in enumerate(numbers) if not whole[i])
        plans[name] = (keys, itemgetter(*at) if len(at) > 1 else (lambda row, i=at[0]: (row[i],)), fractional)
    return union_all(*selects), plans


def union(build: Callable[[Bound], dict[str, Select]], f: Filters, **more) -> dict[str, list[dict]]:
    """Run the parts `build` makes from Bound as ONE statement
    (union_statement, built once per shape) with the values of `f`; each
    part's rows come back as dicts under its own column names."""
    statement, plans = built(build, f, as_union=True)
    out: dict[str, list[dict]] = {name: [] for name in plans}
    for row in db.session.execute(statement, {**values(f), **more}).all():
        keys, columns, fractional = plans[row[0]]
        found = dict(zip(keys, columns(row), strict=True))
        for key in fractional:
            found[key] = _plain(found[key])
        out[row[0]].append(found)
    return out
