"""Days between a workshop and what followed it: one rule, in Python and in
SQL, for the recommendation's timeline, the report's median, the CSV and
the API (docs/domain.md, "Days and dates").

Days after a workshop are counted from its **last day**: an event the day
after a workshop that ended on 5 March is 1 day after it. An event during
the workshop (a multi-day meeting whose first day already saw the memo
handed over) is 0 days after it, never a negative number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


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
