"""The check-in list of a workshop's day: one tap marks a participant
attended (a full round without JavaScript, JSON in place with it), undo sets
the status they had back, "mark all confirmed" in one unit of work, every
change audited; refusals (stale, not on the list, outsiders) change nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AuditEntry, Participation

from ..conftest import checksum, fresh
from .conftest import text_of

JSON = {"Accept": "application/json"}


def url(workshop, participation=None) -> str:
    base = f"/workshops/{workshop.id}/check-in"
    return base if participation is None else f"{base}/{participation.id if hasattr(participation, 'id') else participation}"


def tap(client, workshop, participation, status="attended", version=None, headers=None):
    version = participation.version if version is None else version
    return client.post(url(workshop, participation), data={"status": status, "version": str(version)},
                       headers=headers or {})


@pytest.fixture
def day(make, workshop):
    people = {
        "ann": make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"), status="confirmed"),
        "tran": make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc"),
                                   status="invited"),
        "aki": make.participation(workshop=workshop, person=make.person(full_name="Akiko Sato"),
                                  status="confirmed"),
        "dec": make.participation(workshop=workshop, person=make.person(full_name="Declan Nope"),
                                  status="declined"),
    }
    return people


def test_the_list_shows_everyone_expected_with_counts_and_links(client, organiser, workshop, day):
    page = text_of(client.get(url(workshop)))
    for name in ("Ann Lee", "Tran Minh Duc", "Akiko Sato"):
        assert name in page
    assert "Declan Nope" not in page  # declined: not expected
    assert re.search(r"data-attended>0</span> attended of <span[^>]*data-expected>3<", page)
    assert "Mark all <span data-confirmed>2</span> confirmed as attended" in page
    assert f'href="/workshops/{workshop.id}/check-in"' in text_of(client.get(f"/workshops/{workshop.id}/participants"))
    assert f'href="/workshops/{workshop.id}/check-in"' in text_of(client.get(f"/workshops/{workshop.id}"))
    filtered = text_of(client.get(url(workshop) + "?q=ann"))
    assert "Ann Lee" in filtered and "Tran Minh Duc" not in filtered


def test_a_tap_marks_attended_audited_and_redirects_to_the_row(client, organiser, workshop, day):
    ann = day["ann"]
    response = tap(client, workshop, ann)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}/check-in#p-{ann.id}")
    assert fresh(ann).status == "attended"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation",
                                                        AuditEntry.object_id == ann.id)
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["status"] == ["confirmed", "attended"]
    page = text_of(client.get(url(workshop)))
    assert "Ann Lee is marked attended." in page
    assert re.search(r"data-attended>1</span>", page)
    # The undo in Ann's row goes back to what the audit trail says she was.
    row = re.search(rf'<li id="p-{ann.id}".*?</li>', page, re.S).group(0)
    assert 'name="status" value="confirmed"' in row and "Undo" in row


def test_undo_sets_back_the_previous_status(client, organiser, workshop, day):
    tran = day["tran"]
    tap(client, workshop, tran)
    page = text_of(client.get(url(workshop)))
    row = re.search(rf'<li id="p-{tran.id}".*?</li>', page, re.S).group(0)
    assert 'name="status" value="invited"' in row
    version = int(re.search(r'name="version" value="(\d+)"', row).group(1))
    assert tap(client, workshop, tran, status="invited", version=version).status_code == 303
    assert fresh(tran).status == "invited"


def test_with_javascript_a_tap_answers_the_new_row_and_counts(client, organiser, workshop, day):
    ann = day["ann"]
    response = tap(client, workshop, ann, headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    assert data["attended"] == 1 and data["expected"] == 3 and data["id"] == f"p-{ann.id}"
    assert "Undo" in data["row"] and 'value="confirmed"' in data["row"]
    assert data["message"] == "Ann Lee is marked attended."


def test_mark_all_confirmed_is_one_unit_of_work(client, organiser, workshop, day):
    before = db.session.scalar(select(db.func.max(AuditEntry.id))) or 0
    response = client.post(url(workshop) + "/all", data={})
    assert response.status_code == 303
    assert fresh(day["ann"]).status == "attended" and fresh(day["aki"]).status == "attended"
    assert fresh(day["tran"]).status == "invited" and fresh(day["dec"]).status == "declined"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.id > before)).all()
    assert sorted(e.object_id for e in entries) == sorted([day["ann"].id, day["aki"].id])
    assert {e.note for e in entries} == {"Checked in all 2 confirmed participants"}
    # Nothing left to mark: a clear message, nothing changed.
    state = checksum()
    response = client.post(url(workshop) + "/all", data={})
    assert response.status_code == 422
    assert "No participant is confirmed" in text_of(response)
    assert checksum() == state


@pytest.mark.parametrize("headers", [{}, JSON])
def test_a_stale_tap_is_refused_and_changes_nothing(client, organiser, workshop, day, headers):
    ann = day["ann"]
    seen = ann.version
    tap(client, workshop, ann)  # someone else marked her attended meanwhile
    state = checksum()
    response = tap(client, workshop, ann, status="attended", version=seen, headers=headers)
    assert response.status_code == 409
    message = response.get_json()["error"] if headers else text_of(response)
    assert "Someone else changed Ann Lee's status meanwhile (now: Attended)" in message
    assert checksum() == state


@pytest.mark.parametrize("headers", [{}, JSON])
def test_a_check_in_for_someone_not_on_the_list_is_refused(client, organiser, make, workshop, day, headers):
    elsewhere = make.participation(workshop=make.workshop(), person=make.person(full_name="Secret Person"),
                                   status="confirmed")
    state = checksum()
    for target, named in ((day["dec"], "Declan Nope"), (elsewhere, None), (999999, None)):
        response = tap(client, workshop, target if not isinstance(target, int) else type("P", (), {
            "id": target, "version": 1})(), headers=headers)
        assert response.status_code == 422
        message = response.get_json()["error"] if headers else text_of(response)
        assert "is not on the check-in list" in message
        assert "Secret Person" not in message
        if named:
            assert named in message
    response = tap(client, workshop, day["ann"], status="declined", headers=headers)
    assert response.status_code == 422
    assert checksum() == state


@pytest.mark.parametrize("role", ["viewer", "other_organiser"])
def test_only_organisers_of_the_workshops_network_may_check_in(client, make, auth, workshop, day, role):
    networks = [make.network(acronym="ELSE", slug="else")] if role == "other_organiser" else []
    auth.login(role=role.replace("other_", ""), networks=networks)
    state = checksum()
    assert client.get(url(workshop)).status_code == 403
    assert tap(client, workshop, day["ann"]).status_code == 403
    assert client.post(url(workshop) + "/all").status_code == 403
    assert checksum() == state


def test_the_number_of_statements_stays_the_same_as_the_list_grows(client, make, organiser, workshop,
                                                                   count_statements):
    def statements_for_page() -> int:
        with count_statements() as statements:
            assert client.get(url(workshop)).status_code == 200
        return len(statements)

    for i in range(3):
        make.participation(workshop=workshop, person=make.person(full_name=f"Early {i}"), status="confirmed")
    small = statements_for_page()
    for i in range(25):
        p = make.participation(workshop=workshop, person=make.person(full_name=f"Late {i}"), status="confirmed")
        if i % 2:
            tap(client, workshop, p)
    assert statements_for_page() == small
    assert db.session.scalar(select(db.func.count()).select_from(Participation)
                             .where(Participation.status == "attended")) == 12
