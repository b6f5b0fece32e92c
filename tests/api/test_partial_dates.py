"""The API carries a workshop's date precision (core/partial_dates.py) in
and out, refuses a precision that contradicts its date naming the field,
and refuses agenda items for a workshop not known to the day."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.models import AgendaItem, Workshop

from ..conftest import count

D = dt.date

NEW = {"title": "CSCAP Study Group on Maritime Security", "timezone": "Asia/Singapore", "country": "SG"}


def test_the_api_carries_date_precision_and_approximate_in_and_out(api, world):
    caller = api.as_role("admin")
    response = caller.post("/workshops", json={**NEW, "series": world.series.id, "start_date": "2007-06-01",
                                               "date_precision": "month", "approximate": True})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["start_date"], body["end_date"], body["date_precision"], body["approximate"]) == \
        ("2007-06-01", "2007-06-01", "month", True)
    again = caller.get(f"/workshops/{body['id']}").get_json()
    assert (again["date_precision"], again["approximate"]) == ("month", True)
    # A PATCH of other fields keeps them.
    patched = caller.patch(f"/workshops/{body['id']}", json={"version": body["version"], "city": "Singapore"})
    assert patched.status_code == 200 and patched.get_json()["date_precision"] == "month"
    # A workshop known to the day becomes known only to the month: its last day goes with it.
    moved = caller.patch(f"/workshops/{world.workshop.id}", json={
        "version": world.workshop.version, "start_date": "2025-06-01", "date_precision": "month"})
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert (moved.get_json()["end_date"], moved.get_json()["date_precision"]) == ("2025-06-01", "month")
    # An existing-style workshop reads as known to the day.
    day = caller.get(f"/workshops/{world.private_workshop.id}").get_json()
    assert (day["date_precision"], day["approximate"]) == ("day", False)


@pytest.mark.parametrize("changes, field", [
    ({"start_date": "2007-06-12", "date_precision": "month"}, "start_date"),
    ({"start_date": "2007-03-01", "date_precision": "year"}, "start_date"),
    ({"start_date": "2007-06-01", "end_date": "2007-06-02", "date_precision": "month"}, "end_date"),
    ({"start_date": "2007-06-01", "date_precision": "week"}, "date_precision"),
])
def test_the_api_refuses_a_precision_that_contradicts_its_date_naming_the_field(api, world, changes, field):
    caller = api.as_role("admin")
    before = count(Workshop)
    response = caller.post("/workshops", json={**NEW, "series": world.series.id, **changes})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert count(Workshop) == before


def test_the_api_refuses_an_agenda_item_for_a_workshop_known_only_to_the_year(api, world, make):
    workshop = make.workshop(series=world.series, start_date=D(2008, 1, 1), end_date=D(2008, 1, 1),
                             date_precision="year")
    caller = api.as_role("admin")
    response = caller.post(f"/workshops/{workshop.id}/agenda", json={
        "day": "2008-01-01", "start": "09:00", "end": "10:00", "title": "Opening"})
    assert response.status_code == 422
    assert "known only to the year" in response.get_json()["errors"]["day"]
    assert count(AgendaItem) == 0
