"""Organisers plan workshops: create, edit, publish, cancel, delete when
empty, and plan the next meeting of a series from the last one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AgendaItem, Workshop

from .helpers import audit_entries, count, field_errors, fresh


def workshop_form(series, **changes) -> dict:
    data = {
        "title": "NADI Workshop on Disaster Relief 2025", "slug": "", "series": series.id if series else 0, "host": 0,
        "start_date": "2025-06-03", "end_date": "2025-06-04", "timezone": "Asia/Jakarta",
        "format": "in_person", "venue": "Borobudur Hotel", "city": "Jakarta", "country": "ID",
        "visibility": "participants", "chatham_house": "y", "objectives": "Share lessons.\nAgree next steps.",
        "rules": "", "themes": [],
    }
    data.update(changes)
    host = data.pop("host")
    if host:  # the first row of institutes and their roles
        data.update({"institutes-0-institute": host, "institutes-0-role": "host"})
    return {k: v for k, v in data.items() if v is not None}


def edit_form(workshop, **changes) -> dict:
    data = workshop_form(
        workshop.series, title=workshop.title, slug=workshop.slug, start_date=workshop.start_date.isoformat(),
        end_date=workshop.end_date.isoformat(), timezone=workshop.timezone, city=workshop.city,
        country=workshop.country or "", format=workshop.format, visibility=workshop.visibility,
        version=workshop.version, shift_agenda="y",
    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ----------------------------------------------------------------- create


def test_an_organiser_creates_a_draft_workshop_with_a_slug_made_from_its_title(client, make, auth):
    series = make.series(name="NADI Workshop Series")
    host = make.institute(networks=[series.network], name="Indonesia Defense University", acronym="IDU")
    hadr = make.theme(name="HADR")
    auth.login(role="organiser", networks=[series.network])

    response = client.post("/workshops/new", data=workshop_form(series, host=host.id, themes=[hadr.id]))

    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop).where(Workshop.title == "NADI Workshop on Disaster Relief 2025"))
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}")
    assert workshop.status == "draft"
    assert workshop.slug == "nadi-workshop-on-disaster-relief-2025"
    assert workshop.host == host and [t.name for t in workshop.themes] == ["HADR"]
    assert workshop.timezone == "Asia/Jakarta" and workshop.chatham_house is True
    [entry] = audit_entries("Workshop", "create")
    assert entry.object_id == workshop.id and entry.changes["title"][1] == workshop.title
    assert entry.changes["themes"] == [None, ["HADR"]]


def test_a_second_workshop_with_the_same_title_gets_a_unique_slug(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    client.post("/workshops/new", data=workshop_form(series, title="Maritime Security Roundtable"))
    client.post("/workshops/new", data=workshop_form(series, title="Maritime Security Roundtable"))

    slugs = sorted(db.session.scalars(select(Workshop.slug)))
    assert slugs == ["maritime-security-roundtable", "maritime-security-roundtable-2"]


def test_the_new_workshop_form_offers_the_organisers_series_and_a_one_off_meeting(client, make, auth):
    mine = make.series(name="Mine Study Group")
    make.series(name="Someone Else's Group")
    auth.login(role="organiser", networks=[mine.network])

    html = client.get(f"/workshops/new?series={mine.id}").get_data(as_text=True)

    assert "Mine Study Group" in html and "Someone Else" not in html
    assert "No series — a one-off meeting" in html and "Co-organising networks" in html
    assert f'<option selected value="{mine.id}">Mine Study Group</option>' in html
    assert '<option selected value="Asia/Singapore">' in html
    assert "Europe/London" in html


def test_a_workshop_in_another_network_is_refused_and_nothing_is_saved(client, make, auth):
    other = make.series()
    mine = make.series()
    auth.login(role="organiser", networks=[mine.network])

    response = client.post("/workshops/new", data=workshop_form(other))
    assert response.status_code == 403
    # A one-off meeting led by a network the organiser does not organise (not offered), none of theirs.
    response = client.post("/workshops/new", data=workshop_form(None, network=other.network_id))
    assert response.status_code == 403
    assert count(Workshop) == 0


def test_an_organiser_with_no_series_yet_plans_a_one_off_meeting(client, make, auth):
    network = make.network()
    auth.login(role="organiser", networks=[network])
    assert client.get("/workshops/new").status_code == 200

    response = client.post("/workshops/new", data=workshop_form(None, network=network.id))

    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop.series is None and workshop.network == network and workshop.series_label == "One-off meeting"


def test_bad_input_is_shown_next_to_each_field_and_kept(client, make, auth):
    series = make.series()
    auth.login(role="admin")

    cases = [
        ({"title": ""}, "Enter the workshop's title."),
        ({"title": "x" * 301}, "This is too long: at most 300 characters."),
        ({"start_date": "2025-06-05", "end_date": "2025-06-04"}, "The last day cannot be before the first day."),
        ({"end_date": "2025-08-30"}, "A workshop lasts at most 31 days."),
        ({"start_date": "3rd of June"}, "Enter a date like 2025-06-03."),
        ({"timezone": "Mars/Olympus_Mons"}, "Pick from the list."),
        ({"country": ""}, "Pick a country."),
        ({"country": "XX"}, "Pick from the list."),
        ({"slug": "Not A Slug!"}, "Use lower-case letters, digits and single hyphens only"),
        ({"start_date": "1066-10-14", "end_date": "1066-10-14"}, "Enter a date between 1900 and 2200."),
    ]
    for changes, message in cases:
        response = client.post("/workshops/new", data=workshop_form(series, **changes))
        html = response.get_data(as_text=True)
        assert response.status_code == 422, changes
        assert any(message in e for e in field_errors(html)), (changes, field_errors(html))
        assert "Nothing has been saved yet" in html
    assert count(Workshop) == 0
    # What the organiser typed is still there.
    html = client.post("/workshops/new", data=workshop_form(series, title="Kept title", end_date="2025-01-01")) \
        .get_data(as_text=True)
    assert 'value="Kept title"' in html


def test_every_error_of_the_workshop_form_shows_in_one_round(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    cases = [
        # The form's own check (a date it cannot read) and a domain rule (an in-person meeting has a country).
        ({"start_date": "3rd of June", "country": ""}, ["Enter a date like 2025-06-03.", "Pick a country."]),
        # Several domain rules at once.
        ({"start_date": "2025-06-05", "end_date": "2025-06-04", "country": "", "slug": "Not A Slug!"},
         ["The last day cannot be before the first day.", "Pick a country.", "Use lower-case letters"]),
        ({"title": "", "end_date": "2025-05-01", "timezone": "Mars/Olympus_Mons", "venue": "x" * 201},
         ["Enter the workshop's title.", "The last day cannot be before the first day.", "Pick from the list.",
          "This is too long: at most 200 characters."]),
    ]
    for changes, messages in cases:
        response = client.post("/workshops/new", data={**workshop_form(series), **changes})
        shown = field_errors(response.get_data(as_text=True))
        assert response.status_code == 422, changes
        for message in messages:
            assert sum(message in e for e in shown) == 1, (message, shown)
        assert len(shown) == len(messages), shown
    assert count(Workshop) == 0

    workshop = make.workshop(series=series)
    response = client.post(f"/workshops/{workshop.id}/edit",
                           data=edit_form(workshop, end_date="1999-01-01", country="", start_date="not a date"))
    shown = field_errors(response.get_data(as_text=True))
    assert response.status_code == 422
    for message in ("Enter a date like 2025-06-03.", "Pick a country."):
        assert any(e.startswith(message) for e in shown), (message, shown)


def test_an_online_workshop_needs_no_country(client, make, auth):
    series = make.series()
    auth.login(role="admin")

    response = client.post("/workshops/new", data=workshop_form(series, format="online", country="", city=""))

    assert response.status_code == 302
    assert db.session.scalar(select(Workshop.country)) is None


def test_strange_text_is_stored_safely_and_shown_escaped(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    title = "<script>alert(1)</script> \u202eCSCAP\u202c \x00\x07 Ω"

    response = client.post("/workshops/new", data=workshop_form(series, title=title, venue="Hall\x00 1"))

    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop.title == "<script>alert(1)</script> \u202eCSCAP\u202c  Ω"
    assert workshop.venue == "Hall 1"
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ------------------------------------------------------------------- edit


def test_an_organiser_edits_a_workshop_and_the_page_shows_the_change_history(client, make, auth):
    workshop = make.workshop(title="Old title")
    user = auth.login(role="organiser", networks=[workshop.series.network])

    response = client.post(f"/workshops/{workshop.id}/edit", data=edit_form(workshop, title="New title",
                                                                             venue="Hotel Indonesia"))

    assert response.status_code == 302
    workshop = fresh(workshop)
    assert workshop.title == "New title" and workshop.venue == "Hotel Indonesia" and workshop.version == 2
    update = audit_entries("Workshop", "update")[-1]
    assert update.actor == user.name and update.changes["title"] == ["Old title", "New title"]
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Change history" in html and "<del>Old title</del>" in html


def test_a_stale_edit_shows_what_changed_meanwhile_and_saves_nothing(client, make, auth):
    workshop = make.workshop(title="Original")
    auth.login(role="admin")
    seen = edit_form(workshop)
    client.post(f"/workshops/{workshop.id}/edit", data=edit_form(workshop, title="Changed by a colleague"))

    response = client.post(f"/workshops/{workshop.id}/edit", data={**seen, "title": "My change"})

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this record" in html
    assert "Changed by a colleague" in html
    assert 'value="My change"' in html
    assert fresh(workshop).title == "Changed by a colleague"
    # Having read the changes, saving again goes through.
    again = client.post(f"/workshops/{workshop.id}/edit", data={**seen, "title": "My change",
                                                                "version": fresh(workshop).version})
    assert again.status_code == 302 and fresh(workshop).title == "My change"
    assert f'id="version" name="version" type="hidden" value="{fresh(workshop).version - 1}"' in html


def test_changing_the_time_zone_keeps_the_agenda_s_local_times(client, make, auth):
    workshop = make.workshop(timezone="Asia/Jakarta")
    item = make.agenda_item(workshop, start="09:00", end="10:00")
    auth.login(role="admin")

    client.post(f"/workshops/{workshop.id}/edit", data=edit_form(workshop, timezone="Asia/Bangkok"))
    client.post(f"/workshops/{workshop.id}/edit", data=edit_form(fresh(workshop), timezone="Asia/Manila"))

    item = fresh(item)
    assert item.starts_at == dt.datetime(2025, 6, 3, 1, 0, tzinfo=dt.UTC)  # 09:00 in Manila (UTC+8)


def test_moving_the_dates_moves_the_agenda_or_is_refused_when_items_would_fall_outside(client, make, auth):
    workshop = make.workshop(start_date=dt.date(2025, 6, 3), end_date=dt.date(2025, 6, 4))
    item = make.agenda_item(workshop, day=1, start="14:00", end="15:00")
    auth.login(role="admin")

    kept = client.post(f"/workshops/{workshop.id}/edit",
                       data=edit_form(workshop, start_date="2025-06-05", end_date="2025-06-06", shift_agenda=None))
    assert kept.status_code == 422
    assert any("1 agenda item(s) would fall outside" in e for e in field_errors(kept.get_data(as_text=True)))

    moved = client.post(f"/workshops/{workshop.id}/edit",
                        data=edit_form(workshop, start_date="2025-06-10", end_date="2025-06-11"))
    assert moved.status_code == 302
    assert fresh(item).local_start().isoformat() == "2025-06-11T14:00:00+07:00"

    shortened = client.post(f"/workshops/{workshop.id}/edit",
                            data=edit_form(fresh(workshop), start_date="2025-06-10", end_date="2025-06-10"))
    assert shortened.status_code == 422
    assert fresh(workshop).end_date == dt.date(2025, 6, 11)


# ------------------------------------------------------ status and delete


def test_publish_unpublish_cancel_and_reinstate(client, make, auth):
    workshop = make.workshop(status="draft")
    auth.login(role="organiser", networks=[workshop.series.network])

    def post(action):
        w = fresh(workshop)
        return client.post(f"/workshops/{w.id}/{action}", data={"version": w.version})

    assert post("publish").status_code == 302 and fresh(workshop).status == "published"
    assert post("unpublish").status_code == 302 and fresh(workshop).status == "draft"
    confirm = client.get(f"/workshops/{workshop.id}/cancel").get_data(as_text=True)
    assert "The workshop is kept" in confirm
    post("cancel")
    assert fresh(workshop).status == "cancelled"
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "This workshop was cancelled" in html and "Reinstate as draft" in html
    refused = client.post(f"/workshops/{workshop.id}/publish", data={"version": fresh(workshop).version},
                          follow_redirects=True)
    assert "reinstated as a draft before it is published" in refused.get_data(as_text=True)
    assert fresh(workshop).status == "cancelled"
    post("reinstate")
    assert fresh(workshop).status == "draft"
    assert [e.changes["status"] for e in audit_entries("Workshop", "update")] == [
        ["draft", "published"], ["published", "draft"], ["draft", "cancelled"], ["cancelled", "draft"]]


def test_publishing_from_an_outdated_page_changes_nothing(client, make, auth):
    workshop = make.workshop(status="draft")
    auth.login(role="admin")
    old_version = workshop.version
    client.post(f"/workshops/{workshop.id}/edit", data=edit_form(workshop, title="Renamed"))

    response = client.post(f"/workshops/{workshop.id}/publish", data={"version": old_version}, follow_redirects=True)

    assert "Someone else changed this workshop meanwhile" in response.get_data(as_text=True)
    assert fresh(workshop).status == "draft"


def test_an_empty_workshop_is_deleted_after_confirmation(client, make, auth):
    workshop = make.workshop(title="Never held")
    series_id = workshop.series_id
    auth.login(role="organiser", networks=[workshop.series.network])

    confirm = client.get(f"/workshops/{workshop.id}/delete")
    assert confirm.status_code == 200 and "Delete the workshop" in confirm.get_data(as_text=True)
    assert count(Workshop) == 1

    response = client.post(f"/workshops/{workshop.id}/delete", data={"version": workshop.version})

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/series/{series_id}")
    assert count(Workshop) == 0
    [entry] = audit_entries("Workshop", "delete")
    assert entry.object_label == "Never held"


def test_a_workshop_with_an_agenda_participants_or_recommendations_is_not_deleted(client, make, auth):
    with_item = make.workshop()
    make.agenda_item(with_item)
    with_person = make.workshop()
    make.participation(with_person)
    with_recommendation = make.workshop()
    make.recommendation(with_recommendation)
    auth.login(role="admin")

    for workshop, held in ((with_item, "1 agenda items"), (with_person, "1 participants"),
                           (with_recommendation, "1 recommendations")):
        page = client.get(f"/workshops/{workshop.id}/delete").get_data(as_text=True)
        assert "cannot be deleted" in page and held in page and "Cancel the workshop instead" in page
        response = client.post(f"/workshops/{workshop.id}/delete", data={"version": workshop.version})
        assert response.status_code == 422
        assert "can be cancelled but not deleted" in response.get_data(as_text=True)
    assert count(Workshop) == 3


# ------------------------------------------------------------------ clone


def test_plan_the_next_meeting_copies_the_agenda_skeleton_a_year_later_as_a_draft(client, make, auth):
    series = make.series()
    theme = make.theme(name="Maritime security")
    source = make.workshop(series=series, title="CSCAP Maritime Study Group 2025", themes=[theme],
                           start_date=dt.date(2025, 3, 28), end_date=dt.date(2025, 3, 29),
                           timezone="Europe/London", country="GB", city="London", status="published")
    speaker = make.participation(source)
    make.agenda_item(source, day=0, start="09:00", end="10:00", title="Opening", kind="opening", room="Hall",
                     people=[(speaker, "chair")])
    make.agenda_item(source, day=1, start="11:00", end="11:30", title="Coffee", kind="break")
    make.agenda_item(source, day=1, start="12:00", end="13:00", title="Dropped panel", status="cancelled")
    auth.login(role="organiser", networks=[series.network])

    page = client.get(f"/workshops/{source.id}/clone").get_data(as_text=True)
    assert 'value="2026-03-28"' in page and 'value="CSCAP Maritime Study Group 2026"' in page
    assert "2 items" in page

    response = client.post(f"/workshops/{source.id}/clone",
                           data={"start_date": "2026-03-28", "title": "CSCAP Maritime Study Group 2026"})

    assert response.status_code == 302
    clone = db.session.scalar(select(Workshop).where(Workshop.id != source.id))
    assert (clone.series_id, clone.status, clone.slug) == (series.id, "draft", "cscap-maritime-study-group-2026")
    assert (clone.start_date, clone.end_date) == (dt.date(2026, 3, 28), dt.date(2026, 3, 29))
    assert [t.name for t in clone.themes] == ["Maritime security"] and clone.timezone == "Europe/London"
    items = clone.agenda_items
    assert [(i.title, i.kind, i.room, i.status) for i in items] == [
        ("Opening", "opening", "Hall", "scheduled"), ("Coffee", "break", "", "scheduled")]
    assert all(not i.people for i in items)
    assert clone.participations == []
    # 29 March 2026 is in summer time: the coffee stays at 11:00 local, so 10:00 UTC.
    assert [i.local_start().strftime("%Y-%m-%d %H:%M %Z") for i in items] == [
        "2026-03-28 09:00 GMT", "2026-03-29 11:00 BST"]
    assert items[1].starts_at == dt.datetime(2026, 3, 29, 10, 0, tzinfo=dt.UTC)
    assert count(AgendaItem) == 5
    [created] = [e for e in audit_entries("Workshop", "create") if e.object_id == clone.id]
    assert "Planned from" in created.note


def test_plan_the_next_meeting_refuses_a_taken_web_address(client, make, auth):
    source = make.workshop(slug="nadi-2025")
    make.workshop(slug="nadi-2026")
    auth.login(role="admin")

    response = client.post(f"/workshops/{source.id}/clone",
                           data={"start_date": "2026-06-03", "title": "NADI 2026", "slug": "nadi-2026"})

    assert response.status_code == 422
    assert "This web address is already used; choose another." in field_errors(response.get_data(as_text=True))
    assert count(Workshop) == 2


# ------------------------------------------------------- list and detail


def test_the_workshop_list_filters_sorts_and_pages(client, make, auth, app):
    nadi, cscap = make.network(acronym="NADI"), make.network(acronym="CSCAP")
    annual = make.series(network=nadi, name="NADI Annual Meeting")
    study = make.series(network=cscap, name="CSCAP Study Group")
    hadr = make.theme(name="HADR")
    make.workshop(series=annual, title="Alpha 2024", start_date=dt.date(2024, 4, 1), country="ID", themes=[hadr])
    make.workshop(series=annual, title="Bravo 2025", start_date=dt.date(2025, 4, 1), country="SG",
                  status="draft")
    make.workshop(series=study, title="Charlie 2025", start_date=dt.date(2025, 9, 1), country="VN",
                  format="online")
    auth.login(role="viewer")

    def titles(query):
        html = client.get("/workshops" + query).get_data(as_text=True)
        return [t for t in ("Alpha 2024", "Bravo 2025", "Charlie 2025") if t in html]

    assert titles("") == ["Alpha 2024", "Bravo 2025", "Charlie 2025"]
    assert titles(f"?network={nadi.id}") == ["Alpha 2024", "Bravo 2025"]
    assert titles(f"?series={study.id}") == ["Charlie 2025"]
    assert titles("?year=2025") == ["Bravo 2025", "Charlie 2025"]
    assert titles(f"?theme={hadr.id}") == ["Alpha 2024"]
    assert titles("?country=SG") == ["Bravo 2025"]
    assert titles("?status=draft") == ["Bravo 2025"]
    assert titles("?format=online") == ["Charlie 2025"]
    assert titles("?year=1999&country=%00&network=abc&status=<x>") == ["Alpha 2024", "Bravo 2025", "Charlie 2025"]

    newest = client.get("/workshops").get_data(as_text=True)
    assert newest.index("Charlie 2025") < newest.index("Bravo 2025") < newest.index("Alpha 2024")
    oldest = client.get("/workshops?sort=date_asc").get_data(as_text=True)
    assert oldest.index("Alpha 2024") < oldest.index("Bravo 2025") < oldest.index("Charlie 2025")

    app.config["PAGE_SIZE"] = 2
    first = client.get("/workshops?sort=title").get_data(as_text=True)
    second = client.get("/workshops?sort=title&page=2").get_data(as_text=True)
    assert "Alpha 2024" in first and "Bravo 2025" in first and "Charlie 2025" not in first
    assert "Charlie 2025" in second and "page 2 of 2" in second
    assert "sort=title" in first and "page=2" in first


def test_the_workshop_page_shows_everything_linked_to_it(client, make, auth):
    nadi = make.network(acronym="NADI")
    series = make.series(network=nadi, name="NADI Workshop Series")
    host = make.institute(networks=[nadi], name="Indonesia Defense University", acronym="IDU")
    workshop = make.workshop(series=series, host=host, title="NADI HADR Workshop", venue="Borobudur Hotel",
                             timezone="Asia/Jakarta", themes=[make.theme(name="HADR")], chatham_house=True,
                             objectives="Compare national disaster response.", format="hybrid")
    chair = make.participation(workshop, person=make.person(full_name="Ann Lee", honorific="Dr"), status="confirmed")
    make.participation(workshop, status="invited")
    make.agenda_item(workshop, day=0, start="09:00", end="09:30", title="Opening", people=[(chair, "chair")])
    make.agenda_item(workshop, day=1, start="10:00", end="10:30", title="Coffee", kind="break")
    make.recommendation(workshop)
    auth.login(role="viewer")

    response = client.get(f"/workshops/{workshop.id}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("NADI HADR Workshop", "3–4 June 2025", "Asia/Jakarta", "Borobudur Hotel", "Indonesia",
                 "Indonesia Defense University", "Hybrid", "Yes: nothing said is attributed to a person", "HADR",
                 "Compare national disaster response.", "NADI Workshop Series", "Day 1 · Tuesday 3 June 2025",
                 "Day 2 · Wednesday 4 June 2025", "09:00–09:30", "Dr Ann Lee", "Coffee"):
        assert text in html, text
    assert "Participants" in html and "<strong>2</strong>" in html and "(1 invited, 1 confirmed)" in html
    assert "Recommendations" in html
    # A viewer reads, but gets no editing controls.
    assert "Edit details" not in html and "Build the agenda" not in html


def test_pages_need_a_login_and_unknown_ids_are_404(client, make, auth):
    workshop = make.workshop()
    assert client.get(f"/workshops/{workshop.id}").status_code == 302
    assert client.get("/workshops").status_code == 302
    auth.login(role="viewer")
    assert client.get("/workshops/999999").status_code == 404
    assert client.get("/workshops/999999/agenda").status_code == 404
    assert client.get("/series/999999").status_code == 404
    assert client.get("/networks/999999").status_code == 404


def test_the_workshop_page_runs_the_same_number_of_queries_however_big_the_agenda(client, make, auth,
                                                                                     count_statements):
    workshop = make.workshop(themes=[make.theme(), make.theme()])
    people = [make.participation(workshop) for _ in range(4)]
    make.agenda_item(workshop, start="09:00", end="10:00", people=[(people[0], "chair")])
    auth.login(role="admin")
    db.session.expire_all()  # the page loads all it shows, as in a fresh request
    with count_statements() as small:
        assert client.get(f"/workshops/{workshop.id}").status_code == 200
    for n in range(8):
        make.agenda_item(workshop, day=n % 2, start=f"1{n}:00", end=f"1{n}:30",
                         people=[(people[n % 4], "chair"), (people[(n + 1) % 4], "speaker")])
    db.session.expire_all()
    with count_statements() as big:
        assert client.get(f"/workshops/{workshop.id}").status_code == 200
    assert len(big) == len(small)


def test_plan_the_next_meeting_form_errors(client, make, auth):
    source = make.workshop()
    auth.login(role="admin")

    for data, message in (({"start_date": "", "title": "Next"}, "Enter the first day."),
                          ({"start_date": "next year", "title": "Next"}, "Enter a date like 2025-06-03."),
                          ({"start_date": "2026-06-03", "title": ""}, "Enter the title."),
                          ({"start_date": "2026-06-03", "title": "T" * 301}, "This is too long: at most 300")):
        response = client.post(f"/workshops/{source.id}/clone", data=data)
        assert response.status_code == 422
        assert any(message in e for e in field_errors(response.get_data(as_text=True))), data
    assert count(Workshop) == 1


def test_a_host_id_no_column_can_hold_is_refused_at_the_field_not_a_500(client, auth, make):
    """Found by tests/reliability/test_fuzzing.py: with every error of the form
    gathered in one round, an id of 2**63 reached the database."""
    auth.login(role="admin")
    series = make.series()
    response = client.post("/workshops/new", data={
        "title": "Huge host", "series": str(series.id), "institutes-0-institute": "9223372036854775808",
        "start_date": "2025-06-03", "end_date": "2025-06-04", "timezone": "Asia/Singapore",
        "format": "in_person", "city": "Jakarta", "country": "SG", "visibility": "participants",
        "themes": ["9223372036854775808"],
    })
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors and all("list" in e or "choice" in e.lower() for e in errors), errors
