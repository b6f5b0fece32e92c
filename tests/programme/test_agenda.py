"""The agenda builder: items added, edited, moved, cancelled and deleted in
the workshop's own time zone; refusals at the field, warnings that still
let the organiser save."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from workshops.audit.operations import Invalid
from workshops.extensions import db
from workshops.models import AgendaItem, AgendaItemPerson
from workshops.programme import operations

from .helpers import audit_entries, count, field_errors, flashes, fresh

ROLE_LISTS = (("chair", "chairs"), ("speaker", "speakers"), ("discussant", "discussants"))


def item_form(day="2025-06-03", start="09:00", end="10:30", **changes) -> dict:
    """The builder's item form as posted: chairs/speakers/discussants as its people rows, in order."""
    data = {"title": "Opening session", "kind": "opening", "day": day, "start": start, "end": end,
            "room": "Plenary hall", "description": "", "status": "scheduled"}
    data.update(changes)
    people = [(role, pid) for role, key in ROLE_LISTS for pid in (data.pop(key, None) or [])]
    form = {k: v for k, v in data.items() if v is not None}
    for n, (role, pid) in enumerate(people):
        form.update({f"people-{n}-role": role, f"people-{n}-participation": pid, f"people-{n}-order": n + 1})
    return form


@pytest.fixture
def planned(make, auth, client):
    """A two-day workshop in Jakarta with three participants, its organiser logged in."""
    workshop = make.workshop(start_date=dt.date(2025, 6, 3), end_date=dt.date(2025, 6, 4), timezone="Asia/Jakarta")
    ann = make.participation(workshop, person=make.person(full_name="Ann Lee", honorific="Dr"))
    budi = make.participation(workshop, person=make.person(full_name="Budi Santoso"))
    chen = make.participation(workshop, person=make.person(full_name="Chen Wei"))
    auth.login(role="organiser", networks=[workshop.series.network])
    return workshop, ann, budi, chen


def test_an_organiser_adds_an_item_in_local_time_with_chairs_and_speakers(client, planned):
    workshop, ann, budi, chen = planned

    form = client.get(f"/workshops/{workshop.id}/agenda/new?day=2025-06-04").get_data(as_text=True)
    assert "Wednesday 4 June 2025" in form and "Dr Ann Lee" in form and "Asia/Jakarta" in form
    response = client.post(f"/workshops/{workshop.id}/agenda/new",
                           data=item_form(chairs=[ann.id], speakers=[budi.id, chen.id]))

    assert response.status_code == 302
    item = db.session.scalar(select(AgendaItem))
    assert item.starts_at == dt.datetime(2025, 6, 3, 2, 0, tzinfo=dt.UTC)  # 09:00 in Jakarta (UTC+7)
    assert item.ends_at == dt.datetime(2025, 6, 3, 3, 30, tzinfo=dt.UTC)
    assert [(p.participation_id, p.role, p.position) for p in item.people] == [
        (ann.id, "chair", 0), (budi.id, "speaker", 1), (chen.id, "speaker", 2)]
    page = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "09:00–10:30" in page and "Opening session" in page and "Dr Ann Lee" in page
    assert "Budi Santoso, Chen Wei" in page
    [created] = audit_entries("AgendaItem", "create")
    assert created.changes["workshop_id"] == [None, workshop.id]
    assert {e.object_label for e in audit_entries("AgendaItemPerson", "create")} == {
        "Chair Ann Lee in “Opening session”", "Speaker Budi Santoso in “Opening session”",
        "Speaker Chen Wei in “Opening session”"}


@pytest.mark.parametrize("changes, field, message", [
    ({"end": "09:00"}, "end", "The end must be after the start"),
    ({"end": "08:00"}, "end", "The end must be after the start"),
    ({"day": "2025-06-05"}, "day", "Pick one of the workshop's days: an item cannot be outside its dates."),
    ({"day": "2025-06-02"}, "day", "Pick one of the workshop's days: an item cannot be outside its dates."),
    ({"start": "9h"}, "start", "Enter a time like 09:30 (24-hour clock)."),
    ({"start": "25:00"}, "start", "Enter a time like 09:30 (24-hour clock)."),
    ({"title": ""}, "title", "Enter a title"),
    ({"room": "R" * 101}, "room", "This is too long: at most 100 characters."),
    ({"kind": "party"}, "kind", "Pick from the list."),
])
def test_an_item_that_breaks_a_rule_is_refused_at_the_field_and_nothing_is_saved(client, planned, changes,
                                                                                 field, message):
    workshop, *_ = planned

    response = client.post(f"/workshops/{workshop.id}/agenda/new", data=item_form(**changes))

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(message in e for e in field_errors(html)), field_errors(html)
    assert f'id="{field}-error"' in html
    assert count(AgendaItem) == 0


def test_the_operation_refuses_a_day_outside_the_workshop_for_every_caller(app, planned):
    workshop, ann, *_ = planned
    from flask_login import current_user

    with app.test_request_context():
        from flask_login import login_user

        from workshops.models import User
        login_user(db.session.scalar(select(User)))
        for data, field in (({"day": "2025-06-02"}, "day"), ({"day": "2025-06-05"}, "day"),
                            ({"speakers": [999999]}, "speakers")):
            with pytest.raises(Invalid) as refused:
                operations.add_agenda_item(current_user, workshop, {**item_form(), **data})
            assert field in refused.value.errors
    assert count(AgendaItem) == 0


def test_chairs_from_another_workshop_are_refused(client, make, planned):
    workshop, *_ = planned
    stranger = make.participation(make.workshop())

    response = client.post(f"/workshops/{workshop.id}/agenda/new", data=item_form(chairs=[stranger.id]))

    assert response.status_code == 422
    assert count(AgendaItem) == 0


def test_a_room_clash_is_warned_after_saving_and_shown_on_the_builder(client, make, planned):
    workshop, *_ = planned
    make.agenda_item(workshop, start="09:00", end="10:00", title="Panel A", room="Room 2")

    response = client.post(f"/workshops/{workshop.id}/agenda/new",
                           data=item_form(title="Panel B", start="09:30", end="11:00", room="room 2 "),
                           follow_redirects=True)

    html = response.get_data(as_text=True)
    assert count(AgendaItem) == 2
    [warning] = flashes(html, "warning")
    assert "“Panel A” and “Panel B” are both in Room 2 at Tue 03 Jun, 09:30." in warning.replace("&#34;", '"')
    assert "Worth a second look (1)" in html


def test_a_person_in_two_places_at_once_is_warned_but_saved(client, make, planned):
    workshop, ann, budi, _ = planned
    first = make.agenda_item(workshop, start="09:00", end="10:00", title="Panel A", room="Room 1",
                             people=[(ann, "speaker")])

    response = client.post(f"/workshops/{workshop.id}/agenda/new",
                           data=item_form(title="Panel B", start="09:45", end="10:30", room="Room 2",
                                          chairs=[ann.id]), follow_redirects=True)

    html = response.get_data(as_text=True)
    assert count(AgendaItem) == 2
    assert any("Dr Ann Lee is in “Panel A” and “Panel B” at once" in w for w in flashes(html, "warning"))
    # Back to back is not a clash; a cancelled item is not either.
    client.post(f"/workshops/{workshop.id}/agenda/{first.id}/status", data={"status": "cancelled",
                                                                             "version": first.version})
    page = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "Worth a second look" not in page


def test_back_to_back_items_in_the_same_room_raise_no_warning(client, make, planned):
    workshop, *_ = planned
    make.agenda_item(workshop, start="09:00", end="10:00", room="Hall")

    response = client.post(f"/workshops/{workshop.id}/agenda/new",
                           data=item_form(start="10:00", end="10:30", room="Hall"), follow_redirects=True)

    assert flashes(response.get_data(as_text=True), "warning") == []


def test_editing_an_item_changes_its_people_and_a_stale_edit_saves_nothing(client, planned, make):
    workshop, ann, budi, chen = planned
    item = make.agenda_item(workshop, title="Panel", people=[(ann, "chair"), (budi, "speaker")])
    seen = item_form(title="Panel", chairs=[ann.id], speakers=[budi.id], version=item.version)

    response = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/edit",
                           data=item_form(title="Panel on HADR", chairs=[ann.id], speakers=[chen.id],
                                          discussants=[budi.id], version=item.version))
    assert response.status_code == 302
    item = fresh(item)
    assert item.title == "Panel on HADR"
    assert sorted((p.participation_id, p.role) for p in item.people) == sorted(
        [(ann.id, "chair"), (chen.id, "speaker"), (budi.id, "discussant")])

    stale = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/edit", data={**seen, "title": "Mine"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else changed this record" in html and "Panel on HADR" in html
    assert fresh(item).title == "Panel on HADR"


def test_removing_every_speaker_leaves_the_item_without_people(client, planned, make):
    workshop, ann, *_ = planned
    item = make.agenda_item(workshop, people=[(ann, "speaker")])

    client.post(f"/workshops/{workshop.id}/agenda/{item.id}/edit", data=item_form(version=item.version))

    assert fresh(item).people == [] and count(AgendaItemPerson) == 0


def test_moving_an_item_keeps_its_length(client, planned, make):
    workshop, *_ = planned
    item = make.agenda_item(workshop, day=0, start="09:00", end="10:30", title="Panel")

    page = client.get(f"/workshops/{workshop.id}/agenda/{item.id}/move").get_data(as_text=True)
    assert "90 minutes" in page
    response = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/move",
                           data={"day": "2025-06-04", "start": "14:00", "version": item.version})

    assert response.status_code == 302
    item = fresh(item)
    assert (item.local_start().isoformat(), item.local_end().isoformat()) == (
        "2025-06-04T14:00:00+07:00", "2025-06-04T15:30:00+07:00")
    late = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/move",
                       data={"day": "2025-06-04", "start": "23:00", "version": item.version})
    assert late.status_code == 422 and "past midnight" in " ".join(field_errors(late.get_data(as_text=True)))


def test_a_cancelled_item_is_kept_and_marked(client, planned, make):
    workshop, *_ = planned
    item = make.agenda_item(workshop, title="Site visit")

    client.post(f"/workshops/{workshop.id}/agenda/{item.id}/status",
                data={"status": "cancelled", "version": item.version})

    assert fresh(item).status == "cancelled"
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Cancelled:</strong> <span class=\"item-title\">Site visit" in page
    client.post(f"/workshops/{workshop.id}/agenda/{item.id}/status",
                data={"status": "scheduled", "version": fresh(item).version})
    assert fresh(item).status == "scheduled"


def test_deleting_an_item_asks_first_and_stays_in_the_agenda_history(client, planned, make):
    workshop, ann, *_ = planned
    client.post(f"/workshops/{workshop.id}/agenda/new", data=item_form(title="Dinner", kind="meal", chairs=[ann.id]))
    item = db.session.scalar(select(AgendaItem))

    confirm = client.get(f"/workshops/{workshop.id}/agenda/{item.id}/delete")
    assert confirm.status_code == 200 and "Delete “Dinner”?" in confirm.get_data(as_text=True)
    assert count(AgendaItem) == 1
    response = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/delete", data={"version": item.version})

    assert response.status_code == 302 and count(AgendaItem) == 0 and count(AgendaItemPerson) == 0
    history = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert history.count("<td>Deleted: ") == 2  # the item and its chair
    assert "Dinner" in history


def test_the_agenda_history_speaks_the_logs_words_not_column_names(client, planned, make):
    """The agenda's and the series' mixed histories use the audit log's labels (audit/labels.py)."""
    workshop, ann, *_ = planned
    client.post(f"/workshops/{workshop.id}/agenda/new", data=item_form(title="Dinner", kind="meal", chairs=[ann.id]))
    history = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    section = history[history.index("Change history"):]
    assert "<td>Created: " in section
    for column in ("starts_at", "ends_at", "agenda_item_id", "participation_id", "workshop_id"):
        assert f"<strong>{column}</strong>" not in section, column


def test_an_item_of_another_workshop_is_not_found_here(client, planned, make):
    workshop, *_ = planned
    elsewhere = make.agenda_item(make.workshop(series=workshop.series))

    assert client.get(f"/workshops/{workshop.id}/agenda/{elsewhere.id}/edit").status_code == 404
    assert client.post(f"/workshops/{workshop.id}/agenda/{elsewhere.id}/delete").status_code == 404


def test_local_times_are_right_across_the_change_to_summer_time(client, make, auth):
    """London moves its clocks forward at 01:00 UTC on Sunday 30 March 2025."""
    workshop = make.workshop(start_date=dt.date(2025, 3, 29), end_date=dt.date(2025, 3, 31),
                             timezone="Europe/London", country="GB")
    auth.login(role="admin")

    for day in ("2025-03-29", "2025-03-30", "2025-03-31"):
        client.post(f"/workshops/{workshop.id}/agenda/new", data=item_form(day=day, title=f"Morning {day}"))
    gap = client.post(f"/workshops/{workshop.id}/agenda/new", data=item_form(day="2025-03-30", start="01:30",
                                                                              end="02:30"))

    items = db.session.scalars(select(AgendaItem).order_by(AgendaItem.starts_at)).all()
    assert [i.starts_at.strftime("%d %H:%M") for i in items] == ["29 09:00", "30 08:00", "31 08:00"]
    assert gap.status_code == 422
    assert "This time does not exist on that day: the clocks go forward." in field_errors(gap.get_data(as_text=True))
    page = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert page.count("09:00–10:30") == 3
    assert "Saturday 29 March 2025" in page and "(GMT, UTC+00:00)" in page and "(BST, UTC+01:00)" in page
    edit = client.get(f"/workshops/{workshop.id}/agenda/{items[1].id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in edit and '<option selected value="2025-03-30">' in edit


def test_the_builder_runs_the_same_number_of_queries_however_big_the_agenda(client, planned, make,
                                                                           count_statements):
    workshop, ann, budi, chen = planned
    make.agenda_item(workshop, start="08:00", end="08:30", people=[(ann, "chair")])
    db.session.expire_all()
    with count_statements() as small:
        assert client.get(f"/workshops/{workshop.id}/agenda").status_code == 200
    for n in range(6):
        make.agenda_item(workshop, day=n % 2, start=f"10:{n * 5:02d}", end="11:00", room="Hall",
                         people=[(ann, "chair"), (budi, "speaker"), (chen, "discussant")])
    db.session.expire_all()
    with count_statements() as big:
        html = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "Worth a second look" in html
    assert len(big) == len(small)


def test_move_form_errors(client, planned, make):
    workshop, *_ = planned
    item = make.agenda_item(workshop, start="09:00", end="10:00")

    for data, message in (({"day": "2025-06-09", "start": "09:00"}, "Pick one of the workshop's days"),
                          ({"day": "2025-06-04", "start": "nine"}, "Enter a time like 09:30 (24-hour clock)."),
                          ({"day": "2025-06-04", "start": ""}, "Enter the start time, e.g. 09:00.")):
        response = client.post(f"/workshops/{workshop.id}/agenda/{item.id}/move",
                               data={**data, "version": item.version})
        assert response.status_code == 422
        assert any(message in e for e in field_errors(response.get_data(as_text=True))), data
    assert fresh(item).starts_at == item.starts_at
