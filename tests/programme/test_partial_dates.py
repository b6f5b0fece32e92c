"""Workshops dated only to the month or the year, or roughly (core/partial_dates.py):
the form, the API, the pages, and no agenda for them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AgendaItem, Workshop

from .helpers import count, field_errors, fresh
from .test_workshops import edit_form, workshop_form

D = dt.date


def test_a_workshop_known_to_the_month_is_created_from_the_form(client, make, auth):
    series = make.series()
    auth.login(role="admin")

    response = client.post("/workshops/new", data=workshop_form(
        series, start_date="2007-06-01", end_date="", date_precision="month", approximate="y"))

    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    workshop = db.session.scalar(select(Workshop))
    assert (workshop.start_date, workshop.end_date) == (D(2007, 6, 1), D(2007, 6, 1))
    assert (workshop.date_precision, workshop.approximate) == ("month", True)
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "c. June 2007" in page and "1 June 2007" not in page
    assert "known only to the month" in page
    assert "Build the agenda" not in page
    form = client.get(f"/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert '<option selected value="month">' in form
    assert 'name="end_date" type="date" value=""' in form  # no last day of its own to edit


@pytest.mark.parametrize("changes, field, words", [
    ({"start_date": "2007-06-12", "end_date": "", "date_precision": "month"}, "start_date",
     "A date known to the month is given as its first day, 2007-06-01."),
    ({"start_date": "2007-06-01", "end_date": "", "date_precision": "year"}, "start_date",
     "A date known to the year is given as its 1 January, 2007-01-01."),
    ({"start_date": "2007-06-01", "end_date": "2007-06-03", "date_precision": "month"}, "end_date",
     "A workshop known only to the month has no last day; leave it empty."),
    ({"date_precision": "week"}, "date_precision", "Pick from the list."),
    ({"start_date": "2008-02-30", "date_precision": "day"}, "start_date", "Enter a date like 2025-06-03."),
])
def test_a_precision_that_contradicts_its_date_is_refused_at_its_field(client, make, auth, changes, field, words):
    series = make.series()
    auth.login(role="admin")

    response = client.post("/workshops/new", data=workshop_form(series, **changes))

    assert response.status_code == 422
    assert words in field_errors(response.get_data(as_text=True))
    assert count(Workshop) == 0


def test_a_day_precision_workshop_still_needs_its_last_day(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    response = client.post("/workshops/new", data=workshop_form(series, end_date="", date_precision="day"))
    assert response.status_code == 422 and "Enter the last day." in field_errors(response.get_data(as_text=True))
    assert count(Workshop) == 0


def test_an_agenda_item_is_refused_for_a_workshop_known_only_to_the_month(client, make, auth):
    workshop = make.workshop(start_date=D(2007, 6, 1), end_date=D(2007, 6, 1), date_precision="month")
    auth.login(role="admin")

    response = client.post(f"/workshops/{workshop.id}/agenda/new", data={
        "title": "Opening", "kind": "opening", "day": "2007-06-01", "start": "09:00", "end": "10:00",
        "room": "", "description": "", "status": "scheduled"})

    assert response.status_code == 422
    [message] = [m for m in field_errors(response.get_data(as_text=True)) if "known only to the month" in m]
    assert "(June 2007)" in message and "an agenda needs its days" in message
    assert count(AgendaItem) == 0
    agenda = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "Add an item" not in agenda and "so it has no agenda" in agenda


def test_a_workshop_with_an_agenda_cannot_become_month_precision(client, make, auth):
    workshop = make.workshop(start_date=D(2025, 6, 3), end_date=D(2025, 6, 4))
    make.agenda_item(workshop)
    auth.login(role="admin")

    response = client.post(f"/workshops/{workshop.id}/edit", data=edit_form(
        workshop, start_date="2025-06-01", end_date="", date_precision="month"))

    assert response.status_code == 422
    assert any("1 agenda item(s)" in m for m in field_errors(response.get_data(as_text=True)))
    workshop = fresh(workshop)
    assert (workshop.date_precision, workshop.start_date) == ("day", D(2025, 6, 3))


def test_the_participants_agenda_and_calendar_say_the_date_is_known_only_to_the_year(client, make):
    workshop = make.workshop(start_date=D(2008, 1, 1), end_date=D(2008, 1, 1), date_precision="year",
                             approximate=True, visibility="public", status="published")

    page = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)
    assert "c. 2008" in page and "known only to the year" in page and "No agenda yet" not in page
    calendar = client.get(f"/agenda/{workshop.slug}/agenda.ics").get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in calendar and "BEGIN:VEVENT" not in calendar
    assert "known only to the year (c. 2008)" in calendar.replace("\r\n ", "")
    schedule = client.get(f"/agenda/{workshop.slug}/schedule.json").get_json()["schedule"]["conference"]
    assert all(not rooms for day in schedule["days"] for rooms in day["rooms"].values())


def test_the_workshops_list_shows_dates_in_their_precision_and_filters_by_the_first_day(client, make, auth):
    series = make.series()
    make.workshop(series=series, title="Known to the day", start_date=D(2007, 3, 4), end_date=D(2007, 3, 5))
    make.workshop(series=series, title="Known to the month", start_date=D(2007, 6, 1), end_date=D(2007, 6, 1),
                  date_precision="month")
    make.workshop(series=series, title="Roughly a year", start_date=D(2008, 1, 1), end_date=D(2008, 1, 1),
                  date_precision="year", approximate=True)
    auth.login(role="viewer")

    page = client.get("/workshops?year=2007").get_data(as_text=True)

    assert "4–5 March 2007" in page and "June 2007" in page
    assert "Roughly a year" not in page
    assert "c. 2008" in client.get("/workshops?year=2008").get_data(as_text=True)
