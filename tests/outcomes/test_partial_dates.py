"""Uptake events dated only to the month or the year, or roughly
(core/partial_dates.py): the form and the API, and the timeline's day
counts (outcomes/days.py: only between dates known to the day)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.conftest import form_errors
from workshops.api.operations import create_token
from workshops.extensions import db
from workshops.models import UptakeEvent
from workshops.outcomes.days import days_after_workshop_known, why_no_day_count

from ..api.conftest import Caller
from .helpers import count, reload

D = dt.date


def _event(world, **overrides) -> dict:
    data = {"occurred_on": "2024-06-01", "date_precision": "month", "stage": "acknowledged",
            "track1_body_id": str(world.arf.id), "evidence_kind": "statement",
            "title": "ARF Chairman's Statement", "reference": "", "excerpt": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def rec(make, world):
    return make.recommendation(workshop=world.workshop, title="Hotline among coast guards")


def test_an_event_known_to_the_month_is_recorded_and_shown_in_its_precision(client, auth, world, rec):
    auth.login(role="organiser", networks=[world.network])

    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, approximate="y"))

    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    event = db.session.scalar(select(UptakeEvent))
    assert (event.occurred_on, event.date_precision, event.approximate) == (D(2024, 6, 1), "month", True)
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "c. June 2024" in page
    assert "no day count: its date is known only to the month" in page
    assert "days after the workshop" not in page
    assert "The last uptake event is dated c. June 2024, not to the day, so no days are counted." in page
    assert "since the last uptake event" not in page
    body = client.get(f"/track1-bodies/{world.arf.id}").get_data(as_text=True)
    assert "<td>c. June 2024</td>" in body
    edit = client.get(f"/recommendations/{rec.id}/events/{event.id}/edit").get_data(as_text=True)
    assert '<option selected value="month">' in edit


def test_a_month_event_in_the_month_the_workshop_began_is_not_before_it(client, auth, world, rec):
    # The workshop ran 4–6 March 2024: "March 2024" may be after it, "February 2024" may not.
    auth.login(role="admin")
    ok = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, occurred_on="2024-03-01"))
    assert ok.status_code == 302
    early = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, occurred_on="2024-02-01"))
    assert early.status_code == 422
    assert count(UptakeEvent) == 1


@pytest.mark.parametrize("changes, words", [
    ({"occurred_on": "2024-06-12"}, "A date known to the month is given as its first day, 2024-06-01."),
    ({"occurred_on": "2024-06-01", "date_precision": "year"},
     "A date known to the year is given as its 1 January, 2024-01-01."),
    ({"date_precision": "decade"}, "Pick one from the list."),
])
def test_a_precision_that_contradicts_its_date_is_refused_and_nothing_is_saved(client, auth, world, rec,
                                                                               changes, words):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, **changes))
    assert response.status_code == 422
    assert words in form_errors(response.get_data(as_text=True))
    assert count(UptakeEvent) == 0
    assert reload(rec).stage == "proposed"


def test_the_api_carries_an_events_precision_and_refuses_a_contradiction(client, make, world, rec):
    user = make.user(role="admin")
    caller = Caller(client, user, create_token(user, user, "tests")[1])
    event = {"stage": "acknowledged", "evidence_kind": "statement", "title": "ARF statement"}

    bad = caller.post(f"/recommendations/{rec.id}/events",
                      json={**event, "occurred_on": "2024-06-12", "date_precision": "month"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "first day, 2024-06-01" in bad.get_json()["errors"]["occurred_on"]
    assert count(UptakeEvent) == 0

    good = caller.post(f"/recommendations/{rec.id}/events",
                       json={**event, "occurred_on": "2024-01-01", "date_precision": "year", "approximate": True})
    assert good.status_code == 201, good.get_data(as_text=True)
    [out] = good.get_json()["events"]
    assert (out["occurred_on"], out["date_precision"], out["approximate"]) == ("2024-01-01", "year", True)
    assert out["days_after_workshop"] is None

    day = caller.post(f"/recommendations/{rec.id}/events", json={**event, "occurred_on": "2024-03-16"})
    days = {e["occurred_on"]: e["days_after_workshop"] for e in day.get_json()["events"]}
    assert days == {"2024-01-01": None, "2024-03-16": 10}  # from 6 March, the workshop's last day


def test_a_workshop_known_only_to_the_year_gives_no_day_counts_on_the_timeline(client, auth, make, world):
    workshop = make.workshop(series=world.workshop.series, start_date=D(2008, 1, 1), end_date=D(2008, 1, 1),
                             date_precision="year", approximate=True)
    rec = make.recommendation(workshop=workshop)
    make.uptake_event(rec, stage="transmitted", occurred_on=D(2009, 5, 4))
    auth.login(role="viewer")

    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)

    assert "c. 2008" in page and "4 May 2009" in page
    assert "no day count: the workshop&#39;s date is known only to the year" in page
    assert "days after the workshop" not in page and "since the workshop ended" not in page


@pytest.mark.parametrize("workshop, event, days, reason", [
    (("day", False), ("day", False), 10, None),
    (("day", False), ("month", False), None, "its date is known only to the month"),
    (("day", False), ("day", True), None, "its date is approximate"),
    (("month", False), ("day", False), None, "the workshop's date is known only to the month"),
    (("day", True), ("day", False), None, "the workshop's date is approximate"),
])
def test_days_are_counted_only_between_dates_known_to_the_day(workshop, event, days, reason):
    w = SimpleNamespace(end_date=D(2024, 3, 6), date_precision=workshop[0], approximate=workshop[1])
    assert days_after_workshop_known(w, D(2024, 3, 16), *event) == days
    assert why_no_day_count(*workshop, *event) == reason
