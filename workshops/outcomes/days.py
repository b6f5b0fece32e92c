"""Days between a workshop and what followed it: one rule, in Python and in
SQL, for the recommendation's timeline, the report's median, the CSV and
the API (docs/domain.md, "Days and dates").

Days after a workshop are counted from its **last day**: an event the day
after a workshop that ended on 5 March is 1 day after it. An event during
the workshop (a multi-day meeting whose first day already saw the memo
handed over) is 0 days after it, never a negative number.

Days are counted only between dates **known to the day**: a workshop or an
event dated only to the month or the year, or marked approximate
(core/partial_dates.py), gives no day count: the timeline says why, the API
and the CSV give none, and the report's median leaves the pair out and says
how many it left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, and_, case, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..vocab import STAGE_RANK, STAGES, TAKEN_UP
from .models import UptakeEvent


class days_between(FunctionElement):
    """Whole days from `earlier` to `later` (two DATE expressions):
    days_between(later, earlier)."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)")


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    # PostgreSQL: date - date is already a whole number of days.
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


def days_after_workshop(workshop_end: dt.date, day: dt.date | None) -> int | None:
    """Whole days from the workshop's last day to `day`; 0 for a day during
    (or, for a wrongly dated event, before) the workshop; None for no day."""
    if day is None:
        return None
    return max((day - workshop_end).days, 0)


def days_after_workshop_sql(workshop_end, day):
    """The SQL twin of days_after_workshop (NULL for a NULL day)."""
    days = days_between(day, workshop_end)
    return case((days < 0, 0), else_=days)


def day_known(precision: str | None, approximate: bool | None) -> bool:
    """A date a day count may use: known to the day and not approximate."""
    return (precision or "day") == "day" and not approximate


def day_known_sql(precision, approximate):
    """The SQL twin of day_known (two columns)."""
    return and_(precision == "day", approximate.is_(False))


def acknowledging_event_known_sql(recommendation_id, day):
    """SQL: an uptake event of the recommendation at "acknowledged" or beyond
    dated `day` (its first such day, the facts' acknowledged_on) is known to
    the day. Kept in the progress facts as acknowledged_day_known
    (outcomes/progress_facts.py), so a report reads no event for it."""
    # A scalar subquery with LIMIT 1 rather than EXISTS: one seek on
    # ix_uptake_event_recommendation_occurred per recommendation (PostgreSQL turned the EXISTS
    # into a hash of every such event in the database).
    return (
        select(UptakeEvent.id)
        .where(UptakeEvent.recommendation_id == recommendation_id, UptakeEvent.occurred_on == day,
               UptakeEvent.stage.in_(STAGES[STAGE_RANK[TAKEN_UP]:]),
               day_known_sql(UptakeEvent.date_precision, UptakeEvent.approximate))
        .limit(1).scalar_subquery().is_not(None)
    )


def acknowledgement_day_known_sql(origin_precision, origin_approximate, acknowledged_day_known):
    """SQL over progress facts columns: the days to acknowledgement may be
    counted — the workshop (or output) is known to the day, and so is the
    event on the first day at "acknowledged" or beyond
    (`acknowledged_day_known`, from acknowledging_event_known_sql)."""
    return and_(day_known_sql(origin_precision, origin_approximate), acknowledged_day_known == true())


def days_after_workshop_known(workshop, day: dt.date | None, precision: str | None = "day",
                              approximate: bool | None = False) -> int | None:
    """days_after_workshop when the workshop's last day and `day` are both
    known to the day (`workshop` has end_date, date_precision, approximate);
    None otherwise."""
    if not (day_known(workshop.date_precision, workshop.approximate) and day_known(precision, approximate)):
        return None
    return days_after_workshop(workshop.end_date, day)


def why_no_day_count(origin_precision: str | None, origin_approximate: bool | None,
                     precision: str | None = "day", approximate: bool | None = False,
                     origin: str = "workshop") -> str | None:
    """Why an event gets no day count after its workshop, in words, or None
    when both dates are known to the day."""
    if not day_known(precision, approximate):
        if (precision or "day") == "day":
            return "its date is approximate"
        return f"its date is known only to the {precision}"
    if not day_known(origin_precision, origin_approximate):
        if (origin_precision or "day") == "day":
            return f"the {origin}'s date is approximate"
        return f"the {origin}'s date is known only to the {origin_precision}"
    return None


@dataclass(frozen=True)
class SinceWorkshop:
    """Where today stands against a workshop: `state` is "planned" (it has
    not begun; `days` until it begins), "under_way" (`days` until its last
    day, 0 on the last day) or "ended" (`days` since its last day)."""

    state: str
    days: int


def since_workshop(start: dt.date, end: dt.date, today: dt.date) -> SinceWorkshop:
    if today < start:
        return SinceWorkshop("planned", (start - today).days)
    if today <= end:
        return SinceWorkshop("under_way", (end - today).days)
    return SinceWorkshop("ended", (today - end).days)
