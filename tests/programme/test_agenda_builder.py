"""The agenda builder in place (issue 15, item 1): speakers in the order
chosen, guests who are not participants ("to be confirmed", linked later),
the last room and length remembered, duplicate, and the same forms answered
as JSON fragments for static/agenda_builder.js — refusals (unknown speaker,
past midnight, outside the days, someone else's save) beside the field,
nothing changed, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import AgendaItem, AgendaItemPerson

from .helpers import count, field_errors, fresh
from .test_agenda import item_form

IN_PLACE = {"X-Agenda-Builder": "1", "Accept": "application/json"}


@pytest.fixture
def planned(make, auth, client):
    """A two-day workshop in Jakarta with three participants, its organiser logged in."""
    workshop = make.workshop(start_date=dt.date(2025, 6, 3), end_date=dt.date(2025, 6, 4), timezone="Asia/Jakarta")
    people = [make.participation(workshop, person=make.person(full_name=name, honorific=honorific))
              for name, honorific in (("Ann Lee", "Dr"), ("Budi Santoso", ""), ("Chen Wei", ""))]
    auth.login(role="organiser", networks=[workshop.series.network])
    return workshop, *people


def guest_row(n: int, name: str, role="speaker", honorific="", affiliation="", tbc=False, order=None) -> dict:
    row = {f"people-{n}-role": role, f"people-{n}-guest_name": name, f"people-{n}-guest_honorific": honorific,
           f"people-{n}-guest_affiliation": affiliation, f"people-{n}-order": order or n + 1}
    if tbc:
        row[f"people-{n}-to_be_confirmed"] = "y"
    return row


def publish(workshop, *participations):
    """Public, its participants consenting to be named there."""
    with unit_of_work(system="test"):
        workshop.visibility = "public"
        for p in participations:
            p.consent_to_be_named = True


def test_speakers_keep_the_order_chosen_on_every_page_and_export(client, planned):
    workshop, ann, budi, chen = planned
    data = item_form(title="Panel", speakers=[ann.id, budi.id, chen.id])
    # Chen first, then Ann, then Budi: the order numbers decide, not the alphabet.
    data.update({"people-0-order": 2, "people-1-order": 3, "people-2-order": 1})

    assert client.post(f"/workshops/{workshop.id}/agenda/new", data=data).status_code == 302

    item = db.session.scalar(select(AgendaItem))
    assert [p.participation_id for p in item.people] == [chen.id, ann.id, budi.id]
    builder = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "Chen Wei, Dr Ann Lee, Budi Santoso" in builder
    publish(workshop, ann, budi, chen)
    for url in (f"/agenda/{workshop.slug}", f"/agenda/{workshop.slug}/agenda.ics",
                f"/agenda/{workshop.slug}/schedule.json", f"/api/v1/workshops/{workshop.id}"):
        text = client.get(url).get_data(as_text=True)
        places = [text.find(name) for name in ("Chen Wei", "Ann Lee", "Budi Santoso")]
        assert -1 not in places and places == sorted(places), url


def test_a_guest_speaker_to_be_confirmed_is_listed_and_later_linked_to_a_participant(client, planned):
    workshop, ann, budi, _ = planned
    data = {**item_form(title="Keynote", chairs=[ann.id]),
            **guest_row(1, "Retno Marsudi", honorific="H.E.", affiliation="Ministry of Foreign Affairs", tbc=True)}

    assert client.post(f"/workshops/{workshop.id}/agenda/new", data=data).status_code == 302

    item = db.session.scalar(select(AgendaItem))
    chair, guest = item.people
    assert (guest.participation_id, guest.display_name, guest.to_be_confirmed) == (None, "H.E. Retno Marsudi", True)
    page = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "H.E. Retno Marsudi" in page and "to be confirmed" in page and "guest" in page
    publish(workshop, ann)
    public = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)
    assert "H.E. Retno Marsudi (to be confirmed)" in public
    api = client.get(f"/api/v1/workshops/{workshop.id}").get_json()
    assert [(p["name"], p["participation_id"], p["to_be_confirmed"]) for p in api["agenda"][0]["people"]] == [
        ("Dr Ann Lee", ann.id, False), ("H.E. Retno Marsudi", None, True)]

    # Linked later: the guest's row now names a participant, confirmed.
    edit = {**item_form(title="Keynote", chairs=[ann.id], version=item.version),
            **guest_row(1, "Retno Marsudi"), "people-1-participation": budi.id}
    assert client.post(f"/workshops/{workshop.id}/agenda/{item.id}/edit", data=edit).status_code == 302
    item = fresh(item)
    assert [(p.participation_id, p.guest_name, p.to_be_confirmed) for p in item.people] == [
        (ann.id, "", False), (budi.id, "", False)]


def test_a_row_is_a_participant_or_a_guest_never_neither(app, planned):
    workshop, *_ = planned
    item = AgendaItem(workshop=workshop, title="X", starts_at=dt.datetime(2025, 6, 3, 2, tzinfo=dt.UTC),
                      ends_at=dt.datetime(2025, 6, 3, 3, tzinfo=dt.UTC))
    item.people = [AgendaItemPerson(role="speaker")]
    with pytest.raises(IntegrityError), unit_of_work(system="test"):
        db.session.add(item)
        db.session.flush()
    db.session.rollback()
    assert count(AgendaItem) == 0


@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("row, field, message", [
    ({"people-0-participation": "999999"}, "people-0-participation", "Pick a participant of this workshop"),
    ({"people-0-participation": "abc"}, "people-0-participation", "Pick a participant of this workshop"),
    ({"people-0-guest_affiliation": "Ministry"}, "people-0-guest_name", "Enter the guest's name"),
    ({"people-0-guest_name": "G" * 201}, "people-0-guest_name", "at most 200 characters"),
])
def test_an_unknown_speaker_is_refused_beside_the_field_and_nothing_is_saved(client, planned, in_place, row, field,
                                                                             message):
    workshop, *_ = planned
    headers = IN_PLACE if in_place else {}

    response = client.post(f"/workshops/{workshop.id}/agenda/new", data={**item_form(), **row}, headers=headers)

    assert response.status_code == 422
    html = response.get_json()["form"] if in_place else response.get_data(as_text=True)
    assert f'id="{"new-" if in_place else ""}{field}-error"' in html
    assert any(message in e for e in field_errors(html)), field_errors(html)
    assert count(AgendaItem) == 0


def test_in_place_an_item_is_added_and_the_next_form_remembers_room_and_length(client, planned):
    workshop, ann, *_ = planned

    answer = client.post(f"/workshops/{workshop.id}/agenda/new", headers=IN_PLACE,
                         data=item_form(title="Opening", start="09:00", end="09:45", room="Garuda hall",
                                        chairs=[ann.id]))

    assert answer.status_code == 200
    data = answer.get_json()
    item = db.session.scalar(select(AgendaItem))
    assert data["focus"] == f"item-{item.id}"
    assert "Opening" in data["agenda"] and f'id="item-{item.id}"' in data["agenda"]
    assert {"text": "“Opening” added to the agenda.", "category": "success"} in data["messages"]
    add = data["add"]
    assert 'value="Garuda hall"' in add and 'value="09:45"' in add and 'value="10:30"' in add
    assert 'id="new-title"' in add
    # The message was given in place: the next page load does not repeat it.
    assert "added to the agenda" not in client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)


def test_in_place_edit_form_and_a_stale_save_answer_409_and_change_nothing(client, planned, make):
    workshop, ann, *_ = planned
    item = make.agenda_item(workshop, title="Panel", room="Hall")

    form = client.get(f"/workshops/{workshop.id}/agenda/{item.id}/edit", headers=IN_PLACE)
    assert form.status_code == 200 and f'id="item-{item.id}-title"' in form.get_json()["form"]
    seen = item_form(title="Panel", room="Hall", version=item.version)
    client.post(f"/workshops/{workshop.id}/agenda/{item.id}/edit", data={**seen, "title": "Colleague's title"})

    stale = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/edit", headers=IN_PLACE,
                        data={**seen, "title": "Mine"})

    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.get_json()["form"]
    assert fresh(item).title == "Colleague's title"


@pytest.mark.parametrize("in_place", [False, True])
def test_moving_past_midnight_or_off_the_workshop_is_refused_at_the_field(client, planned, make, in_place):
    workshop, *_ = planned
    item = make.agenda_item(workshop, start="20:00", end="22:00")
    headers = IN_PLACE if in_place else {}
    for data, message in (({"day": "2025-06-04", "start": "23:00"}, "past midnight"),
                          ({"day": "2025-06-09", "start": "09:00"}, "Pick one of the workshop's days")):
        response = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/move", headers=headers,
                               data={**data, "version": item.version})
        assert response.status_code == 422
        html = response.get_json()["form"] if in_place else response.get_data(as_text=True)
        assert any(message in e for e in field_errors(html)), field_errors(html)
    assert fresh(item).starts_at == item.starts_at and fresh(item).version == item.version


def test_duplicate_puts_a_copy_right_after_and_refuses_past_midnight(client, planned, make):
    workshop, ann, budi, _ = planned
    item = make.agenda_item(workshop, start="10:00", end="10:30", title="Coffee", kind="break", room="Foyer",
                            people=[(budi, "speaker"), (ann, "chair")])

    answer = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/duplicate", headers=IN_PLACE,
                         data={"version": item.version})

    assert answer.status_code == 200
    copy = db.session.scalars(select(AgendaItem).order_by(AgendaItem.id)).all()[-1]
    assert (copy.title, copy.kind, copy.room, copy.local_start().strftime("%H:%M")) == ("Coffee", "break", "Foyer",
                                                                                     "10:30")
    assert [(p.participation_id, p.role) for p in copy.people] == [(budi.id, "speaker"), (ann.id, "chair")]
    late = make.agenda_item(workshop, start="22:00", end="23:30", title="Late")
    refused = client.post(f"/workshops/{workshop.id}/agenda/{late.id}/duplicate", data={"version": late.version},
                          follow_redirects=True)
    assert "would run past midnight" in refused.get_data(as_text=True)
    assert count(AgendaItem) == 3
    seen = fresh(item).version
    client.post(f"/workshops/{workshop.id}/agenda/{item.id}/status", data={"status": "cancelled", "version": seen})
    stale = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/duplicate", headers=IN_PLACE,
                        data={"version": seen})
    assert stale.status_code == 409 and "Someone else changed" in stale.get_json()["error"]
    assert count(AgendaItem) == 3


def test_cancel_in_place_answers_the_agenda(client, planned, make):
    workshop, *_ = planned
    item = make.agenda_item(workshop, title="Site visit")

    seen = item.version
    answer = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/status", headers=IN_PLACE,
                         data={"status": "cancelled", "version": seen})

    assert answer.status_code == 200 and "Cancelled:</strong>" in answer.get_json()["agenda"]
    stale = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/status", headers=IN_PLACE,
                        data={"status": "scheduled", "version": seen})
    assert stale.status_code == 409 and fresh(item).status == "cancelled"


def test_adding_in_place_costs_the_same_however_big_the_agenda(client, planned, make, count_statements):
    workshop, ann, budi, chen = planned

    def add(n):
        with count_statements() as statements:
            answer = client.post(f"/workshops/{workshop.id}/agenda/new", headers=IN_PLACE,
                                 data={**item_form(title=f"Item {n}", day="2025-06-04", start="08:00", end="08:30",
                                                   chairs=[ann.id], speakers=[budi.id]),
                                       **guest_row(2, f"Guest {n}")})
        assert answer.status_code == 200
        return len(statements)

    small = add(0)
    for n in range(8):
        make.agenda_item(workshop, day=n % 2, start=f"1{n}:00", end=f"1{n}:30", room="Hall",
                         people=[(ann, "chair"), (budi, "speaker"), (chen, "discussant")])
    db.session.expire_all()
    add(1)  # the test's objects, expired above, are read again once
    assert add(2) == small
