"""Writing through the API: the same operations as the web forms, so the
same rules, permissions, version checks and audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import AgendaItem, Participation, Person, Recommendation, UptakeEvent, Workshop


def _audit(object_type: str, object_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id).order_by(AuditEntry.id)))


NEW_WORKSHOP = {"title": "NADI Workshop on Climate Resilience", "start_date": "2025-10-14",
                "end_date": "2025-10-15", "timezone": "Asia/Bangkok", "country": "TH", "city": "Bangkok",
                "visibility": "public"}


# -------------------------------------------------------------- workshops


def test_an_organiser_creates_a_workshop_in_their_network(api, world, make):
    theme = make.theme(name="Climate resilience")
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id, "themes": [theme.id]})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "draft" and body["slug"] == "nadi-workshop-on-climate-resilience"
    assert body["themes"] == [{"id": theme.id, "slug": theme.slug, "name": "Climate resilience"}]
    assert response.headers["Location"].endswith(f"/api/v1/workshops/{body['id']}")
    workshop = db.session.get(Workshop, body["id"])
    assert workshop.timezone == "Asia/Bangkok" and workshop.chatham_house is True
    entry, = _audit("Workshop", workshop.id)
    assert entry.action == "create" and entry.user_id == caller.user.id


@pytest.mark.parametrize("role", ["viewer", "organiser"])
def test_others_may_not_create_workshops_there(api, world, role):
    caller = api.as_role(role, networks=[world.other_network] if role == "organiser" else [])
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "organisers change the records of their own networks" in response.get_json()["detail"]
    assert db.session.scalar(select(Workshop).where(Workshop.title == NEW_WORKSHOP["title"])) is None


def test_anonymous_writes_need_a_token(api, world):
    response = api.anonymous.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id})
    assert response.status_code == 401


def test_the_domain_rules_of_the_web_form_apply(api, world):
    caller = api.as_role("admin")
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id,
                                               "start_date": "2025-10-15", "end_date": "2025-10-14"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"end_date": "The last day cannot be before the first day."}
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id,
                                               "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 422 and "timezone" in response.get_json()["errors"]
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": 999999})
    assert response.status_code == 422 and "series" in response.get_json()["errors"]


def test_a_workshop_is_patched_field_by_field_and_its_agenda_moves_with_it(api, world, make):
    make.agenda_item(workshop=world.workshop, title="Opening", start="09:00", end="09:30")
    caller = api.as_role("organiser", networks=[world.network])
    old_version = world.workshop.version
    response = caller.patch(f"/workshops/{world.workshop.id}", json={
        "version": old_version, "start_date": "2025-06-10", "end_date": "2025-06-11",
        "venue": "Shangri-La"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["start_date"], body["venue"], body["title"]) == ("2025-06-10", "Shangri-La", "HADR Workshop Jakarta")
    assert body["visibility"] == "public" and body["chatham_house"] is True  # untouched fields stay
    assert body["agenda"][0]["day"] == "2025-06-10" and body["agenda"][0]["start"] == "09:00"
    assert body["version"] > old_version
    changes = _audit("Workshop", world.workshop.id)[-1].changes
    assert set(changes) >= {"start_date", "end_date", "venue"} and "title" not in changes


def test_a_stale_version_gets_409_and_saves_nothing(api, world):
    caller = api.as_role("admin")
    old = world.workshop.version
    first = caller.patch(f"/workshops/{world.workshop.id}", json={"version": old, "title": "First edit"})
    assert first.status_code == 200
    second = caller.patch(f"/workshops/{world.workshop.id}", json={"version": old, "title": "Second edit"})
    assert second.status_code == 409
    body = second.get_json()
    assert body["status"] == 409 and body["current_version"] == first.get_json()["version"]
    db.session.expire_all()
    assert db.session.get(Workshop, world.workshop.id).title == "First edit"


def test_an_update_needs_the_version(api, world):
    response = api.as_role("admin").patch(f"/workshops/{world.workshop.id}", json={"title": "No version"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"version": "This field is required."}


def test_publishing_and_cancelling(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    draft = world.draft_workshop
    response = caller.post(f"/workshops/{draft.id}/status", json={"status": "published", "version": draft.version})
    assert response.status_code == 200 and response.get_json()["status"] == "published"
    assert api.anonymous.get(f"/workshops/{draft.id}").status_code == 200  # public now
    other = api.as_role("organiser", networks=[world.other_network])
    refused = other.post(f"/workshops/{draft.id}/status", json={"status": "cancelled", "version": 99})
    assert refused.status_code == 403


# ----------------------------------------------------------- agenda items


def test_an_agenda_item_in_local_time_with_its_speakers(api, world, make):
    speaker = make.participation(workshop=world.workshop, person=make.person(full_name="Ann Lee"))
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.post(f"/workshops/{world.workshop.id}/agenda", json={
        "day": "2025-06-04", "start": "14:00", "end": "15:30", "title": "Panel: lessons from Typhoon Haiyan",
        "kind": "panel", "room": "Hall B", "speakers": [speaker.id]})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["starts_at"] == "2025-06-04T07:00:00Z" and body["start"] == "14:00"
    assert body["people"][0]["name"] == "Ann Lee" and body["warnings"] == []
    item = db.session.get(AgendaItem, body["id"])
    assert item.workshop_id == world.workshop.id
    assert _audit("AgendaItem", item.id)[0].user_id == caller.user.id


def test_an_agenda_item_outside_the_workshop_or_ending_before_it_starts_is_refused(api, world):
    caller = api.as_role("admin")
    path = f"/workshops/{world.workshop.id}/agenda"
    outside = caller.post(path, json={"day": "2025-07-01", "start": "09:00", "end": "10:00", "title": "Late"})
    assert outside.status_code == 422 and "day" in outside.get_json()["errors"]
    backwards = caller.post(path, json={"day": "2025-06-03", "start": "11:00", "end": "10:00", "title": "Odd"})
    assert backwards.status_code == 422 and "end" in backwards.get_json()["errors"]
    stranger = caller.post(path, json={"day": "2025-06-03", "start": "09:00", "end": "10:00", "title": "X",
                                       "chairs": [123456]})
    assert stranger.status_code == 422 and "chairs" in stranger.get_json()["errors"]
    assert db.session.scalar(select(AgendaItem)) is None


def test_an_agenda_item_is_patched_with_its_version(api, world, make):
    item = make.agenda_item(workshop=world.workshop, title="Opening", start="09:00", end="09:30", room="Hall A")
    caller = api.as_role("organiser", networks=[world.network])
    seen = item.version
    response = caller.patch(f"/agenda-items/{item.id}", json={"version": seen, "end": "10:00",
                                                              "status": "cancelled"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["start"], body["end"], body["room"], body["status"]) == ("09:00", "10:00", "Hall A", "cancelled")
    stale = caller.patch(f"/agenda-items/{item.id}", json={"version": seen, "title": "Again"})
    assert stale.status_code == 409
    other = api.as_role("organiser", networks=[world.other_network])
    assert other.patch(f"/agenda-items/{item.id}", json={"version": 1, "title": "Mine"}).status_code == 403
    assert caller.patch("/agenda-items/777777", json={"version": 1}).status_code == 404


# ---------------------------------------------------------- participations


def test_adding_a_recorded_person_and_a_new_one(api, world, make):
    known = make.person(full_name="Kenji Sato", country="JP", affiliation="NIDS", sector="government")
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/participants"
    response = caller.post(path, json={"person_id": known.id, "role": "speaker", "status": "confirmed"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["role"], body["country"], body["affiliation"], body["sector"]) == ("speaker", "JP", "NIDS",
                                                                                    "government")
    again = caller.post(path, json={"person_id": known.id})
    assert again.status_code == 422 and "person_id" in again.get_json()["errors"]

    response = caller.post(path, json={"new_person": {"full_name": "Nguyen Van An", "email": "An@Example.org"},
                                       "country": "VN", "consent_to_list": True})
    assert response.status_code == 201, response.get_data(as_text=True)
    person = db.session.scalar(select(Person).where(Person.full_name == "Nguyen Van An"))
    assert person.email == "an@example.org"
    participation = db.session.get(Participation, response.get_json()["id"])
    assert participation.consent_to_list and participation.country == "VN"
    assert _audit("Participation", participation.id)[0].user_id == caller.user.id


def test_the_consent_to_be_named_publicly_is_read_and_written_through_the_api(api, world, make):
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/participants"
    response = caller.post(path, json={"person_id": make.person().id, "role": "speaker"})
    assert response.status_code == 201 and response.get_json()["consent_to_be_named"] is False
    created = response.get_json()

    changed = caller.patch(f"/participations/{created['id']}",
                           json={"version": created["version"], "consent_to_be_named": True})

    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["consent_to_be_named"] is True
    assert db.session.get(Participation, created["id"]).consent_to_be_named is True
    listed = caller.get(path).get_json()["items"]
    assert [p["consent_to_be_named"] for p in listed if p["id"] == created["id"]] == [True]
    bad = caller.patch(f"/participations/{created['id']}",
                       json={"version": changed.get_json()["version"], "consent_to_be_named": "perhaps"})
    assert bad.status_code == 422 and "consent_to_be_named" in bad.get_json()["errors"]


def test_a_participation_needs_exactly_one_person(api, world):
    caller = api.as_role("admin")
    path = f"/workshops/{world.workshop.id}/participants"
    assert "person_id" in caller.post(path, json={"role": "speaker"}).get_json()["errors"]
    assert caller.post(path, json={"person_id": 99999}).status_code == 422


def test_participations_are_changed_by_the_workshops_organisers_only(api, world, make):
    participation = make.participation(workshop=world.workshop, status="invited")
    path = f"/participations/{participation.id}"
    assert api.as_role("viewer").patch(path, json={"version": 1, "status": "confirmed"}).status_code == 403
    other = api.as_role("organiser", networks=[world.other_network])
    assert other.patch(path, json={"version": 1, "status": "confirmed"}).status_code == 403
    caller = api.as_role("organiser", networks=[world.network])
    seen = participation.version
    response = caller.patch(path, json={"version": seen, "status": "attended",
                                        "serving_official": True})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "attended" and response.get_json()["serving_official"] is True
    assert caller.patch(path, json={"version": seen, "status": "no_show"}).status_code == 409


# -------------------------------------------------------- recommendations


def test_recording_a_recommendation_and_its_uptake(api, world, make):
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.post(f"/workshops/{world.workshop.id}/recommendations", json={
        "title": "Standing HADR coordination cell", "text": "Establish a standing cell.",
        "reference": "NADI-2025-1", "priority": "high", "target_ids": [arf.id]})
    assert response.status_code == 201, response.get_data(as_text=True)
    rec = response.get_json()
    assert rec["stage"] == "proposed" and rec["targets"][0]["acronym"] == "ARF"
    assert response.headers["Location"].endswith(f"/api/v1/recommendations/{rec['id']}")

    response = caller.post(f"/recommendations/{rec['id']}/events", json={
        "stage": "acknowledged", "occurred_on": "2025-08-01", "evidence_kind": "statement",
        "title": "ARF chairman's statement", "track1_body_id": arf.id,
        "references": [{"url": "https://asean.org/arf-chairmans-statement"}]})
    assert response.status_code == 201, response.get_data(as_text=True)
    after = response.get_json()
    assert after["stage"] == "acknowledged"
    event = after["events"][0]
    assert event["recorded_by"] == caller.user.name and event["track1_body"]["acronym"] == "ARF"
    stored = db.session.get(UptakeEvent, event["id"])
    assert stored.recorded_by_id == caller.user.id
    assert _audit("UptakeEvent", stored.id)[0].user_id == caller.user.id
    assert _audit("Recommendation", rec["id"])[0].action == "create"


def test_an_uptake_event_before_its_workshop_or_in_the_future_is_refused(api, world, make):
    rec = make.recommendation(workshop=world.workshop)
    caller = api.as_role("admin")
    event = {"stage": "transmitted", "evidence_kind": "document", "title": "Memo"}
    early = caller.post(f"/recommendations/{rec.id}/events", json={**event, "occurred_on": "2025-01-01"})
    assert early.status_code == 422
    assert "before the workshop began" in early.get_json()["errors"]["occurred_on"]
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    late = caller.post(f"/recommendations/{rec.id}/events", json={**event, "occurred_on": future})
    assert late.status_code == 422 and "occurred_on" in late.get_json()["errors"]
    assert db.session.scalar(select(UptakeEvent)) is None


def test_only_the_networks_organisers_record_recommendations_and_events(api, world, make):
    rec = make.recommendation(workshop=world.workshop)
    event = {"stage": "transmitted", "evidence_kind": "document", "title": "Memo", "occurred_on": "2025-06-20"}
    for caller in (api.as_role("viewer"), api.as_role("organiser", networks=[world.other_network])):
        assert caller.post(f"/recommendations/{rec.id}/events", json=event).status_code == 403
        assert caller.post(f"/workshops/{world.workshop.id}/recommendations",
                           json={"title": "T", "text": "X"}).status_code == 403
    assert api.anonymous.post(f"/recommendations/{rec.id}/events", json=event).status_code == 401
    assert db.session.scalar(select(Recommendation).where(Recommendation.title == "T")) is None
    assert api.as_role("admin").post("/recommendations/4040/events", json=event).status_code == 404


def test_every_write_refuses_anonymous_callers_viewers_and_other_networks_organisers(api, world, make):
    item = make.agenda_item(workshop=world.workshop)
    participation = make.participation(workshop=world.workshop)
    rec = make.recommendation(workshop=world.workshop)
    writes = [
        ("post", "/workshops", {**NEW_WORKSHOP, "series": world.series.id}),
        ("patch", f"/workshops/{world.workshop.id}", {"version": world.workshop.version, "title": "Taken over"}),
        ("post", f"/workshops/{world.workshop.id}/status", {"status": "cancelled", "version": world.workshop.version}),
        ("post", f"/workshops/{world.workshop.id}/agenda",
         {"day": "2025-06-03", "start": "16:00", "end": "17:00", "title": "Intruder"}),
        ("patch", f"/agenda-items/{item.id}", {"version": item.version, "title": "Intruder"}),
        ("post", f"/workshops/{world.workshop.id}/participants", {"new_person": {"full_name": "Mallory"}}),
        ("patch", f"/participations/{participation.id}", {"version": participation.version, "status": "declined"}),
        ("post", f"/workshops/{world.workshop.id}/recommendations", {"title": "Intruder", "text": "X"}),
        ("post", f"/recommendations/{rec.id}/events",
         {"stage": "adopted", "occurred_on": "2025-07-01", "evidence_kind": "press", "title": "Intruder"}),
        ("post", "/outputs", {"kind": "memorandum", "title": "Intruder", "date": "2025-01-10",
                              "network": world.network.id}),
    ]
    callers = {401: [api.anonymous],
               403: [api.as_role("viewer"), api.as_role("organiser", networks=[world.other_network])]}
    entries_before = db.session.query(AuditEntry).count()
    for status, group in callers.items():
        for caller in group:
            for method, path, body in writes:
                response = getattr(caller, method)(path, json=body)
                assert response.status_code == status, (method, path, caller.user, response.get_json())
                assert response.mimetype == "application/problem+json"
    db.session.expire_all()
    assert db.session.query(AuditEntry).count() == entries_before  # nothing was changed
    assert db.session.get(Workshop, world.workshop.id).title == "HADR Workshop Jakarta"


# ------------------------------------------ issue 15: country and format agree, current zone names


@pytest.mark.parametrize(("changes", "message"), [
    ({"format": "online", "country": "TH"}, "An online meeting has no country"),
    ({"format": "in_person", "country": None}, "Pick a country."),
    ({"format": "hybrid", "country": None}, "Pick a country."),
])
def test_country_and_format_must_agree_as_on_the_form(api, world, changes, message):
    caller = api.as_role("admin")
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id, **changes})
    assert response.status_code == 422, response.get_data(as_text=True)
    errors = response.get_json()["errors"]
    assert set(errors) == {"country"} and errors["country"].startswith(message)
    assert db.session.scalar(select(Workshop).where(Workshop.title == NEW_WORKSHOP["title"])) is None


def test_an_online_meeting_without_a_country_is_created(api, world):
    caller = api.as_role("admin")
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id, "format": "online",
                                               "country": None, "city": ""})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["country"] is None


def test_a_patch_to_online_must_clear_the_country(api, world):
    caller = api.as_role("admin")
    version = world.workshop.version
    refused = caller.patch(f"/workshops/{world.workshop.id}", json={"version": version, "format": "online"})
    assert refused.status_code == 422 and "country" in refused.get_json()["errors"]
    done = caller.patch(f"/workshops/{world.workshop.id}", json={"version": version, "format": "online",
                                                                  "country": None})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert (done.get_json()["format"], done.get_json()["country"]) == ("online", None)


@pytest.mark.parametrize(("sent", "stored"), [("Asia/Saigon", "Asia/Ho_Chi_Minh"), ("Asia/Calcutta", "Asia/Kolkata"),
                                              ("Etc/UTC", "UTC"), ("Asia/Bangkok", "Asia/Bangkok")])
def test_an_alias_zone_is_accepted_and_kept_as_its_current_name(api, world, sent, stored):
    caller = api.as_role("admin")
    response = caller.post("/workshops", json={**NEW_WORKSHOP, "series": world.series.id, "timezone": sent})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["timezone"] == stored
    assert db.session.get(Workshop, response.get_json()["id"]).timezone == stored
