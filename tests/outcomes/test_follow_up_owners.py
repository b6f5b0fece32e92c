"""Follow-up that someone owns: an owner and a next check per
recommendation, "checked, no trace found" logged with a note (the stage
stays), and the follow-up list's "mine" and "due" filters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workshops.extensions import db
from workshops.models import Recommendation
from workshops.outcomes import operations as ops
from workshops.outcomes.models import FollowUpCheck
from workshops.outcomes.progress import due_condition, is_due

from .helpers import audit_entries, days_ago, reload


def _titles_in(html: str, *titles: str) -> list[str]:
    return [t for t in titles if f">{t}</a>" in html]


def test_due_in_python_and_sql_agree(make, world):
    today = dt.date.today()
    recs = {
        "past": make.recommendation(workshop=world.workshop, title="past", next_check_on=today - dt.timedelta(days=3)),
        "today": make.recommendation(workshop=world.workshop, title="today", next_check_on=today),
        "later": make.recommendation(workshop=world.workshop, title="later", next_check_on=today + dt.timedelta(days=1)),
        "none": make.recommendation(workshop=world.workshop, title="none"),
        "closed": make.recommendation(workshop=world.workshop, title="closed", next_check_on=today,
                                      closed_as="withdrawn", closed_on=today, closed_reason="Dropped."),
    }
    in_sql = set(db.session.scalars(select(Recommendation.title).where(due_condition(today))))
    in_python = {key for key, rec in recs.items() if is_due(rec, today)}
    assert in_sql == in_python == {"past", "today"}


def test_an_organiser_sets_the_owner_and_next_check(client, auth, make, world):
    organiser = auth.login(role="organiser", networks=[world.network])
    colleague = make.user(role="organiser", networks=[world.network], name="Colleague")
    outsider = make.user(role="organiser", networks=[world.other_network], name="Outsider")
    rec = make.recommendation(workshop=world.workshop, title="Owned")
    url = f"/recommendations/{rec.id}/follow-up"

    page = client.get(url).get_data(as_text=True)
    assert "Colleague" in page and organiser.name in page and "Outsider" not in page

    refused = client.post(url, data={"owner_id": outsider.id, "next_check_on": "2026-13-01",
                                     "version": rec.version})
    assert refused.status_code == 422
    assert reload(rec).owner_id is None

    response = client.post(url, data={"owner_id": colleague.id, "next_check_on": "2027-01-15",
                                      "version": rec.version})
    assert response.status_code == 302
    saved = reload(rec)
    assert (saved.owner_id, saved.next_check_on) == (colleague.id, dt.date(2027, 1, 15))
    assert audit_entries("Recommendation", "update")[-1].changes["owner_id"] == [None, colleague.id]
    detail = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Colleague" in detail and "15 January 2027" in detail


def test_a_check_with_no_trace_keeps_the_stage_and_may_reschedule(client, auth, make, world):
    auth.login(role="organiser", networks=[world.network])
    rec = make.recommendation(workshop=world.workshop, title="Checked", next_check_on=days_ago(1))
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 5, 1))
    stage, version = reload(rec).stage, reload(rec).version
    next_check = dt.date.today() + dt.timedelta(days=90)

    response = client.post(f"/recommendations/{rec.id}/checks/new", data={
        "checked_on": dt.date.today().isoformat(), "note": "Nothing in the ARF chair's statement.",
        "next_check_on": next_check.isoformat()})

    assert response.status_code == 302
    saved = reload(rec)
    assert saved.stage == stage == "transmitted"
    assert saved.next_check_on == next_check
    assert not is_due(saved, dt.date.today())
    [check] = saved.checks
    assert check.note == "Nothing in the ARF chair's statement."
    assert check.checked_by.id is not None
    assert saved.version == version + 1  # only the next check moved
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Nothing in the ARF chair&#39;s statement." in page or "Nothing in the ARF chair's statement." in page


def test_a_bad_check_is_refused_and_nothing_is_saved(client, auth, make, world):
    auth.login(role="organiser", networks=[world.network])
    rec = make.recommendation(workshop=world.workshop)
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()

    response = client.post(f"/recommendations/{rec.id}/checks/new",
                           data={"checked_on": future, "note": "x" * 2001})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "in the future" in html and "at most 2000 characters" in html
    assert db.session.scalar(select(FollowUpCheck.id)) is None


def test_closed_recommendations_take_no_check(make, world):
    user = make.user(role="admin")
    rec = make.recommendation(workshop=world.workshop, closed_as="withdrawn", closed_on=dt.date(2024, 6, 1),
                              closed_reason="Dropped.")
    try:
        ops.log_check(user, rec, {"note": "late"})
    except ops.Invalid as exc:
        assert "closed" in exc.errors["checked_on"]
    else:
        raise AssertionError("a closed recommendation took a check")


def test_the_follow_up_list_filters_mine_and_due(client, auth, make, world):
    me = auth.login(role="organiser", networks=[world.network])
    other = make.user(role="organiser", networks=[world.network])
    old = make.workshop(series=world.workshop.series, start_date=days_ago(801), end_date=days_ago(800))
    recent = make.workshop(series=world.workshop.series, start_date=days_ago(31), end_date=days_ago(30))
    make.recommendation(workshop=old, title="Stale and mine", owner_id=me.id)
    make.recommendation(workshop=old, title="Stale, theirs", owner_id=other.id)
    make.recommendation(workshop=recent, title="Due and mine", owner_id=me.id, next_check_on=days_ago(2))
    make.recommendation(workshop=recent, title="Due, theirs", owner_id=other.id, next_check_on=days_ago(0))
    make.recommendation(workshop=recent, title="Not yet due", owner_id=me.id,
                        next_check_on=dt.date.today() + dt.timedelta(days=5))
    every = ("Stale and mine", "Stale, theirs", "Due and mine", "Due, theirs", "Not yet due")

    def shown(**args):
        response = client.get("/follow-up", query_string=args)
        assert response.status_code == 200
        return _titles_in(response.get_data(as_text=True), *every)

    assert shown() == ["Stale and mine", "Stale, theirs"]
    assert shown(owner="me") == ["Stale and mine"]
    assert shown(show="due") == ["Due and mine", "Due, theirs"]
    assert shown(show="due", owner="me") == ["Due and mine"]
    # A value not offered is ignored with a note, never an error page.
    assert shown(show="everything") == ["Stale and mine", "Stale, theirs"]
