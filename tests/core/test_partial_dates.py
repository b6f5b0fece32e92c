"""Dates known to the day, the month or the year, and roughly (core/partial_dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.core.partial_dates import (
    DateInvalid,
    PartialDate,
    check_precision,
    format_partial_date,
    parse_partial_date,
)
from workshops.errors import Invalid

D = dt.date


@pytest.mark.parametrize("text, expected", [
    ("2007-06-12", PartialDate(D(2007, 6, 12), "day")),
    ("2007-06", PartialDate(D(2007, 6, 1), "month")),
    ("2007", PartialDate(D(2007, 1, 1), "year")),
    ("12 June 2007", PartialDate(D(2007, 6, 12), "day")),
    ("12th June, 2007", PartialDate(D(2007, 6, 12), "day")),
    ("June 12, 2007", PartialDate(D(2007, 6, 12), "day")),
    ("June 2007", PartialDate(D(2007, 6, 1), "month")),
    ("Jun 2007", PartialDate(D(2007, 6, 1), "month")),
    ("Sept. 2007", PartialDate(D(2007, 9, 1), "month")),
    ("  jUNE    2007 ", PartialDate(D(2007, 6, 1), "month")),
    ("2008?", PartialDate(D(2008, 1, 1), "year", True)),
    ("June 2007 ?", PartialDate(D(2007, 6, 1), "month", True)),
    ("c. 2008", PartialDate(D(2008, 1, 1), "year", True)),
    ("C.2008", PartialDate(D(2008, 1, 1), "year", True)),
    ("ca. 2008", PartialDate(D(2008, 1, 1), "year", True)),
    ("circa 2008", PartialDate(D(2008, 1, 1), "year", True)),
    ("CIRCA June 2008", PartialDate(D(2008, 6, 1), "month", True)),
    ("~2008", PartialDate(D(2008, 1, 1), "year", True)),
    ("c. 3 May 2008", PartialDate(D(2008, 5, 3), "day", True)),
    # "before": the unit before, approximate.
    ("before March 2010", PartialDate(D(2010, 2, 1), "month", True)),
    ("Before January 2010", PartialDate(D(2009, 12, 1), "month", True)),
    ("before 2010", PartialDate(D(2009, 1, 1), "year", True)),
    ("before 1 March 2008", PartialDate(D(2008, 2, 29), "day", True)),
    # One year or the next: the first, approximate.
    ("2009/2010", PartialDate(D(2009, 1, 1), "year", True)),
    ("2009 / 10", PartialDate(D(2009, 1, 1), "year", True)),
    ("1999/2000", PartialDate(D(1999, 1, 1), "year", True)),
])
def test_parses_what_records_say(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text, words", [
    ("2008-02-30", "has no day 30"),
    ("2007-02-29", "has no day 29"),
    ("31 April 2007", "has no day 31"),
    ("2007-13", "no month 13"),
    ("before", "not the date"),
    ("c.", "not the date"),
    ("?", "not the date"),
    ("", "Give a date"),
    ("   ", "Give a date"),
    (None, "Give a date"),
    ("June 2007x", "not a date this app can read"),
    ("Juneish 2007", '"Juneish" is not a month name'),
    ("2009/2012", "not consecutive"),
    ("2009/2008", "not consecutive"),
    ("12/06/2007", "not a date this app can read"),
    ("1066", "between 1900 and 2100"),
    ("99999", "not a date this app can read"),
    ("tomorrow", "not a date this app can read"),
])
def test_refuses_impossible_input_with_a_clear_message(text, words):
    with pytest.raises(ValueError) as raised:
        parse_partial_date(text)
    assert words in str(raised.value)
    # The same refusal is the project's Invalid, naming the date field.
    assert isinstance(raised.value, Invalid)
    assert list(raised.value.errors) == ["date"]


@pytest.mark.parametrize("day, precision", [
    (D(2007, 6, 12), "day"), (D(2007, 6, 1), "month"), (D(2007, 1, 1), "year"), (D(2007, 1, 1), "month"),
])
def test_check_precision_accepts_a_date_that_agrees(day, precision):
    assert check_precision(day, precision) == PartialDate(day, precision)


@pytest.mark.parametrize("day, precision, field, words", [
    (D(2007, 6, 12), "month", "date", "a date known to the month is given as its first day, 2007-06-01"),
    (D(2007, 6, 1), "year", "date", "known to the year is given as its 1 January, 2007-01-01"),
    (D(2007, 3, 12), "year", "date", "2007-01-01"),
    (D(2007, 6, 1), "week", "date_precision", "one of: day, month, year"),
])
def test_check_precision_refuses_a_precision_that_contradicts_its_date(day, precision, field, words):
    with pytest.raises(DateInvalid) as raised:
        check_precision(day, precision, field="date")
    assert list(raised.value.errors) == [field]
    assert words.lower() in raised.value.errors[field].lower()


def test_a_partial_date_cannot_be_built_inconsistent():
    with pytest.raises(ValueError):
        PartialDate(D(2007, 6, 12), "month")


@pytest.mark.parametrize("day, precision, approximate, text", [
    (D(2007, 6, 12), "day", False, "12 June 2007"),
    (D(2007, 6, 1), "month", False, "June 2007"),
    (D(2008, 1, 1), "year", False, "2008"),
    (D(2008, 1, 1), "year", True, "c. 2008"),
    (D(2007, 6, 1), "month", True, "c. June 2007"),
    (D(2007, 6, 2), "day", True, "c. 2 June 2007"),
    (None, "day", False, ""),
])
def test_formats_in_its_precision(day, precision, approximate, text):
    assert format_partial_date(day, precision, approximate) == text


@pytest.mark.parametrize("text", ["12 June 2007", "June 2007", "2008", "c. 2008", "c. June 2007"])
def test_what_is_shown_reads_back_the_same(text):
    parsed = parse_partial_date(text)
    assert str(parsed) == text
    assert parse_partial_date(str(parsed)) == parsed


def test_only_a_day_known_date_counts_days():
    assert parse_partial_date("12 June 2007").day_known
    assert not parse_partial_date("June 2007").day_known
    assert not parse_partial_date("c. 12 June 2007").day_known


def test_the_filter_is_registered(app):
    from types import SimpleNamespace

    rendered = app.jinja_env.from_string("{{ w|partial_date('start_date') }}").render(
        w=SimpleNamespace(start_date=D(2007, 6, 1), date_precision="month", approximate=True))
    assert rendered == "c. June 2007"


@pytest.mark.parametrize("day, precision, last", [
    (D(2008, 2, 1), "month", D(2008, 2, 29)),
    (D(2007, 6, 1), "month", D(2007, 6, 30)),
    (D(2007, 1, 1), "year", D(2007, 12, 31)),
    (D(2007, 6, 12), "day", D(2007, 6, 12)),
])
def test_last_possible_day(day, precision, last):
    from workshops.core.partial_dates import last_possible_day

    assert last_possible_day(day, precision) == last
