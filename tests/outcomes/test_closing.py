"""Closing a recommendation as declined, superseded or withdrawn, and
reopening it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import form_errors

from .helpers import audit_entries, reload


@pytest.fixture
def rec(make, world):
    return make.recommendation(workshop=world.workshop, title="Regional HADR stockpile")


def test_closing_records_the_closure_its_date_and_reason(client, auth, world, rec):
    user = auth.login(role="organiser", networks=[world.network])
    response = client.post(f"/recommendations/{rec.id}/close", data={
        "closed_as": "superseded", "closed_on": "2025-02-01", "version": str(rec.version),
        "closed_reason": "Overtaken by the AHA Centre's own stockpile programme."})
    assert response.status_code == 302
    rec = reload(rec)
    assert (rec.closed_as, rec.closed_on) == ("superseded", dt.date(2025, 2, 1))
    assert rec.closed_reason == "Overtaken by the AHA Centre's own stockpile programme."
    (entry,) = audit_entries("Recommendation", "update")
    assert entry.user_id == user.id and entry.changes["closed_as"] == [None, "superseded"]
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Closed: Superseded" in page and "Reopen the recommendation" in page


def test_a_closure_without_a_reason_is_refused(client, auth, world, rec):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/close", data={
        "closed_as": "declined", "closed_on": "2025-02-01", "closed_reason": "  ", "version": str(rec.version)})
    assert response.status_code == 422
    assert "Say why the recommendation is closed; readers of the report will ask." in form_errors(
        response.get_data(as_text=True))
    assert reload(rec).closed_as is None


def test_a_closure_needs_a_kind_and_a_sensible_date(client, auth, world, rec):
    auth.login(role="admin")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(f"/recommendations/{rec.id}/close", data={
        "closed_as": "forgotten", "closed_on": future, "closed_reason": "Because.", "version": str(rec.version)})
    assert response.status_code == 422
    assert "Pick one from the list." in form_errors(response.get_data(as_text=True))

    response = client.post(f"/recommendations/{rec.id}/close", data={
        "closed_as": "declined", "closed_on": future, "closed_reason": "Because.", "version": str(rec.version)})
    assert any("in the future" in e for e in form_errors(response.get_data(as_text=True)))

    response = client.post(f"/recommendations/{rec.id}/close", data={
        "closed_as": "declined", "closed_on": "2020-01-01", "closed_reason": "Because.",
        "version": str(rec.version)})
    assert any("before the workshop began" in e for e in form_errors(response.get_data(as_text=True)))
    assert reload(rec).closed_as is None


def test_reopening_clears_the_closure_and_the_history_keeps_it(client, auth, make, world):
    rec = make.recommendation(workshop=world.workshop, closed_as="withdrawn", closed_on=dt.date(2024, 12, 1),
                              closed_reason="The network dropped it.")
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/reopen",
                           data={"version": str(rec.version), "note": "Revived at the 2025 meeting."})
    assert response.status_code == 302
    rec = reload(rec)
    assert rec.closed_as is None and rec.closed_on is None and rec.closed_reason == ""
    (entry,) = audit_entries("Recommendation", "update")
    assert entry.note == "Reopened: Revived at the 2025 meeting."
    assert entry.changes["closed_as"] == ["withdrawn", None]
    assert entry.changes["closed_reason"] == ["The network dropped it.", ""]
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Reopened: Revived at the 2025 meeting." in page and "The network dropped it." in page


def test_reopening_from_an_outdated_page_changes_nothing(client, auth, make, world):
    rec = make.recommendation(workshop=world.workshop, closed_as="declined", closed_on=dt.date(2024, 12, 1),
                              closed_reason="No.")
    auth.login(role="admin")
    stale = str(rec.version)
    client.post(f"/recommendations/{rec.id}/edit", data={
        "title": "Renamed", "text": rec.text, "priority": "medium", "version": stale})
    response = client.post(f"/recommendations/{rec.id}/reopen", data={"version": stale}, follow_redirects=True)
    assert "Someone else changed this recommendation meanwhile" in response.get_data(as_text=True)
    assert reload(rec).closed_as == "declined"


def test_a_closure_shows_every_problem_in_one_round(client, auth, world, rec):
    """The reason and the kind are the form's checks, the date the operation's: one submit shows all three."""
    auth.login(role="admin")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(f"/recommendations/{rec.id}/close", data={
        "closed_as": "forgotten", "closed_on": future, "closed_reason": "", "version": str(rec.version)})
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Pick one from the list." in errors
    assert "Say why the recommendation is closed; readers of the report will ask." in errors
    assert any("in the future" in e for e in errors), errors
    assert reload(rec).closed_as is None
