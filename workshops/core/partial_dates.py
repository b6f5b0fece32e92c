"""Dates known to the day, the month or the year, and roughly: one rule for
reading, checking and showing them (docs/domain.md, "Days and dates").

Real Track-2 records say "June 2007", "2008?", "c. 2008", "before March
2010", "2009/2010". Such a date is stored as three values:

- `first_day`: the first possible day ("June 2007" is 2007-06-01, "2008" is
  2008-01-01). Sorting and filters use it, and a month- or year-precision
  record counts in its year.
- `precision`: "day", "month" or "year" (vocab.DATE_PRECISIONS).
- `approximate`: the record itself is unsure ("2008?", "c. 2008").

Loose notations and what they become (parse_partial_date):

- "before March 2010" is read as the unit before, approximate: February
  2010, "c. February 2010" ("before 2010" is c. 2009, "before 12 March 2010"
  is c. 11 March 2010). The month itself would claim a month the record
  rules out; the month before is the nearest the record allows.
- "2009/2010" (two consecutive years, also "2009/10") is the first year,
  approximate: c. 2009, whose first day is the first possible day.

A structured date (the API's `date` + `date_precision` + `approximate`, the
forms' select) is checked by check_precision: a month is given as its first
day, a year as its 1 January; a precision that contradicts its date is
refused rather than silently moved.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..errors import Invalid
from ..vocab import DATE_PRECISIONS

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

# The years a record may name: a Track-2 history, with room either side.
FIRST_YEAR = 1900
LAST_YEAR = 2100

EXAMPLES = '"12 June 2007", "2007-06-12", "June 2007", "2007", "c. 2008", "2008?", "before March 2010"'


@dataclass(frozen=True)
class PartialDate:
    """A date and how well it is known; `first_day` is the first possible day."""

    first_day: dt.date
    precision: str = "day"
    approximate: bool = False

    def __post_init__(self) -> None:
        message = precision_problem(self.first_day, self.precision)
        if message:
            raise ValueError(message)

    @property
    def day_known(self) -> bool:
        """Known to the day and not approximate: a day count may use it."""
        return self.precision == "day" and not self.approximate

    def __str__(self) -> str:
        return format_partial_date(self.first_day, self.precision, self.approximate)


class DateInvalid(Invalid, ValueError):
    """An impossible or unreadable date: an `Invalid` for the given field
    (forms and the API show it at that field) and a ValueError for callers
    that only parse."""

    def __init__(self, message: str, field: str = "date"):
        self.message = message
        super().__init__({field: message})

    def __str__(self) -> str:
        return self.message


def precision_problem(first_day: dt.date, precision: str) -> str | None:
    """What is wrong with this date for this precision, or None."""
    if precision not in DATE_PRECISIONS:
        return f"The precision must be one of: {', '.join(DATE_PRECISIONS)}."
    if precision == "month" and first_day.day != 1:
        return ("A date known to the month is given as its first day, "
                f"{first_day.replace(day=1).isoformat()}.")
    if precision == "year" and (first_day.month, first_day.day) != (1, 1):
        return ("A date known to the year is given as its 1 January, "
                f"{first_day.replace(month=1, day=1).isoformat()}.")
    return None


def check_precision(first_day: dt.date, precision: str, field: str = "date") -> PartialDate:
    """The structured input's rule: the precision must agree with its date
    (a month on the 1st, a year on 1 January). Raises DateInvalid naming
    `field` (use "date_precision" when the precision itself is unknown)."""
    if precision not in DATE_PRECISIONS:
        raise DateInvalid(precision_problem(first_day, precision) or "", "date_precision")
    message = precision_problem(first_day, precision)
    if message:
        raise DateInvalid(message, field)
    return PartialDate(first_day, precision)


_APPROX_PREFIX = re.compile(r"^(?:circa|approx\.?|about|ca\.|c\.|ca(?=[\s\d])|c(?=[\s\d])|~)\s*",
                            re.IGNORECASE)
_BEFORE = re.compile(r"^before\b\s*", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_TWO_YEARS = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")


def _unreadable(text: str) -> DateInvalid:
    return DateInvalid(f'"{text}" is not a date this app can read; write it as {EXAMPLES}.')


def _year(text: str, original: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateInvalid(f'"{original}": the year must be between {FIRST_YEAR} and {LAST_YEAR}.')
    return year


def _month(name: str, original: str) -> int:
    number = MONTHS.get(name.lower())
    if number is None:
        raise DateInvalid(f'"{original}": "{name}" is not a month name (January … December, or Jan … Dec).')
    return number


def _day(year: int, month: int, day: int, original: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateInvalid(f'"{original}": there is no month {month}; months run from 1 to 12.')
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateInvalid(f'"{original}": {calendar.month_name[month]} {year} has no day {day} '
                          f"(it has {last} days).")
    return dt.date(year, month, day)


def _exact(text: str, original: str) -> PartialDate:
    """A date with no 'c.', '?' or 'before' around it."""
    if m := _ISO.match(text):
        year = _year(m.group(1), original)
        if m.group(2) is None:
            return PartialDate(dt.date(year, 1, 1), "year")
        month = int(m.group(2))
        if m.group(3) is None:
            return PartialDate(_day(year, month, 1, original), "month")
        return PartialDate(_day(year, month, int(m.group(3)), original), "day")
    if m := _DAY_MONTH_YEAR.match(text):
        year, month = _year(m.group(3), original), _month(m.group(2), original)
        return PartialDate(_day(year, month, int(m.group(1)), original), "day")
    if m := _MONTH_DAY_YEAR.match(text):
        year, month = _year(m.group(3), original), _month(m.group(1), original)
        return PartialDate(_day(year, month, int(m.group(2)), original), "day")
    if m := _MONTH_YEAR.match(text):
        year, month = _year(m.group(2), original), _month(m.group(1), original)
        return PartialDate(dt.date(year, month, 1), "month")
    if m := _TWO_YEARS.match(text):
        first = _year(m.group(1), original)
        second_text = m.group(2)
        second = int(second_text) if len(second_text) == 4 else first - first % 100 + int(second_text)
        if second != first + 1:
            raise DateInvalid(f'"{original}": two years are read as "one or the next" '
                              f"(e.g. 2009/2010); {first} and {second} are not consecutive.")
        return PartialDate(dt.date(first, 1, 1), "year", approximate=True)
    raise _unreadable(original)


def _before(date: PartialDate) -> PartialDate:
    """The unit before `date`, approximate (see the module docstring)."""
    first = date.first_day
    if date.precision == "day":
        earlier = first - dt.timedelta(days=1)
    elif date.precision == "month":
        earlier = (first - dt.timedelta(days=1)).replace(day=1)
    else:
        earlier = first.replace(year=first.year - 1)
    if earlier.year < FIRST_YEAR:
        raise DateInvalid(f"The year must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return PartialDate(earlier, date.precision, approximate=True)


def parse_partial_date(text: str | None) -> PartialDate:
    """Read a date as records write it (see the module docstring for the
    notations). Raises DateInvalid (a ValueError and an Invalid for "date")
    with a message a person understands."""
    original = " ".join((text or "").split())
    rest = original
    if not rest:
        raise DateInvalid(f"Give a date, such as {EXAMPLES}.")
    approximate = before = False
    if rest.endswith("?"):
        approximate, rest = True, rest[:-1].rstrip()
    if m := _BEFORE.match(rest):
        before, rest = True, rest[m.end():]
    if m := _APPROX_PREFIX.match(rest):
        approximate, rest = True, rest[m.end():]
    if not rest:
        raise DateInvalid(f'"{original}" says how sure the date is but not the date; write it as {EXAMPLES}.')
    date = _exact(rest, original)
    if before:
        return _before(date)
    if approximate:
        return PartialDate(date.first_day, date.precision, approximate=True)
    return date


def last_possible_day(first_day: dt.date, precision: str | None) -> dt.date:
    """The last day a date of this precision may mean: 30 June for "June", 31 December for a year."""
    if precision == "year":
        return first_day.replace(month=12, day=31)
    if precision == "month":
        return first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])
    return first_day


def format_partial_date(first_day: dt.date | None, precision: str | None = "day",
                        approximate: bool | None = False) -> str:
    """'12 June 2007', 'June 2007', '2008', 'c. 2008', 'c. June 2007'."""
    if first_day is None:
        return ""
    if precision == "year":
        text = f"{first_day.year}"
    elif precision == "month":
        text = f"{first_day:%B} {first_day.year}"
    else:
        text = f"{first_day.day} {first_day:%B} {first_day.year}"
    return f"c. {text}" if approximate else text


def partial_date_filter(obj, attribute: str = "date") -> str:
    """The Jinja filter for a record: `workshop|partial_date('start_date')`,
    `event|partial_date` (reads `<attribute>`, `date_precision`, `approximate`)."""
    return format_partial_date(getattr(obj, attribute), getattr(obj, "date_precision", "day") or "day",
                               bool(getattr(obj, "approximate", False)))
