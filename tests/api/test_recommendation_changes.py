"""A recommendation changed, closed and reopened through the API, with the
same operations (rules, permissions, version checks, audit trail) as the
web forms; an uptake event added or removed raises its version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent

EVENT = {"stage": "transmitted", "evidence_kind": "document", "title": "Memo to the ARF", "occurred_on": "2025-06-20"}


def _entries(rec_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "Recommendation", AuditEntry.object_id == rec_id).order_by(AuditEntry.id)))


def test_a_recommendation_is_patched_field_by_field_with_its_version(api, world, make):
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    rec = make.recommendation(workshop=world.workshop, title="Standing HADR cell", priority="low")
    first = rec.version
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.patch(f"/recommendations/{rec.id}", json={
        "version": first, "priority": "high", "target_ids": [arf.id]})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["priority"] == "high" and body["title"] == "Standing HADR cell"
    assert [t["acronym"] for t in body["targets"]] == ["ARF"]
    assert body["version"] > first
    entry = _entries(rec.id)[-1]
    assert entry.action == "update" and entry.user_id == caller.user.id
    assert entry.changes["priority"] == ["low", "high"]


def test_a_stale_version_is_409_and_bad_input_names_the_field(api, world, make):
    rec = make.recommendation(workshop=world.workshop, title="Standing HADR cell")
    first = rec.version
    caller = api.as_role("admin")
    stale = caller.patch(f"/recommendations/{rec.id}", json={"version": first + 5, "title": "Lost"})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert stale.get_json()["current_version"] == first
    empty = caller.patch(f"/recommendations/{rec.id}", json={"version": first, "title": "  "})
    assert empty.status_code == 422 and set(empty.get_json()["errors"]) == {"title"}
    unknown = caller.patch(f"/recommendations/{rec.id}", json={"version": first, "priority": "urgent"})
    assert unknown.status_code == 422 and "priority" in unknown.get_json()["errors"]
    missing = caller.patch(f"/recommendations/{rec.id}", json={"title": "No version"})
    assert missing.status_code == 422 and "version" in missing.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).title == "Standing HADR cell"


def test_close_and_reopen_as_the_forms_do(api, world, make):
    rec = make.recommendation(workshop=world.workshop)
    first = rec.version
    caller = api.as_role("organiser", networks=[world.network])
    no_reason = caller.post(f"/recommendations/{rec.id}/close", json={"version": first,
                                                                      "closed_as": "withdrawn", "closed_reason": ""})
    assert no_reason.status_code == 422 and set(no_reason.get_json()["errors"]) == {"closed_reason"}
    closed = caller.post(f"/recommendations/{rec.id}/close", json={
        "version": first, "closed_as": "superseded", "closed_reason": "Overtaken by an ADMM initiative.",
        "closed_on": "2025-07-01"})
    assert closed.status_code == 200, closed.get_data(as_text=True)
    body = closed.get_json()
    assert (body["closed_as"], body["closed_on"]) == ("superseded", "2025-07-01")
    again = caller.post(f"/recommendations/{rec.id}/close", json={
        "version": body["version"], "closed_as": "declined", "closed_reason": "Twice"})
    assert again.status_code == 422 and "closed_as" in again.get_json()["errors"]
    stale = caller.post(f"/recommendations/{rec.id}/reopen", json={"version": first})
    assert stale.status_code == 409

    reopened = caller.post(f"/recommendations/{rec.id}/reopen", json={"version": body["version"],
                                                                      "note": "The initiative lapsed."})
    assert reopened.status_code == 200, reopened.get_data(as_text=True)
    assert reopened.get_json()["closed_as"] is None and reopened.get_json()["closed_reason"] == ""
    assert _entries(rec.id)[-1].note == "Reopened: The initiative lapsed."
    open_already = caller.post(f"/recommendations/{rec.id}/reopen", json={"version": reopened.get_json()["version"]})
    assert open_already.status_code == 422 and "closed_as" in open_already.get_json()["errors"]


def test_only_the_networks_organisers_change_close_or_reopen(api, world, make):
    rec = make.recommendation(workshop=world.workshop, title="Kept")
    first = rec.version
    writes = [("patch", f"/recommendations/{rec.id}", {"version": first, "title": "Intruder"}),
              ("post", f"/recommendations/{rec.id}/close",
               {"version": first, "closed_as": "declined", "closed_reason": "Intruder"}),
              ("post", f"/recommendations/{rec.id}/reopen", {"version": first})]
    for method, path, body in writes:
        assert getattr(api.anonymous, method)(path, json=body).status_code == 401
        for caller in (api.as_role("viewer"), api.as_role("organiser", networks=[world.other_network])):
            assert getattr(caller, method)(path, json=body).status_code == 403
        assert getattr(api.as_role("admin"), method)(path.replace(str(rec.id), "4040"), json=body).status_code == 404
    db.session.expire_all()
    stored = db.session.get(Recommendation, rec.id)
    assert (stored.title, stored.closed_as, stored.version) == ("Kept", None, first)


def test_adding_or_removing_an_uptake_event_raises_the_version(api, world, make, client, auth):
    rec = make.recommendation(workshop=world.workshop)
    first = rec.version
    caller = api.as_role("organiser", networks=[world.network])
    added = caller.post(f"/recommendations/{rec.id}/events", json=EVENT)
    assert added.status_code == 201
    assert added.get_json()["version"] == first + 1
    # A change made from the recommendation as it was before the event is refused.
    stale = caller.patch(f"/recommendations/{rec.id}", json={"version": first, "title": "From an old page"})
    assert stale.status_code == 409

    event_id = added.get_json()["events"][0]["id"]
    auth.login(role="admin")  # removed on the web page: the same operation
    response = client.post(f"/recommendations/{rec.id}/events/{event_id}/delete", data={})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(UptakeEvent, event_id) is None
    assert db.session.get(Recommendation, rec.id).version == first + 2
    assert caller.get(f"/recommendations/{rec.id}").get_json()["version"] == first + 2


def test_an_event_added_on_the_web_raises_the_version_too(client, auth, world, make):
    rec = make.recommendation(workshop=world.workshop)
    first = rec.version
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new", data={
        "stage": "transmitted", "evidence_kind": "document", "title": "Memo", "occurred_on": "2025-06-20"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).version == first + 1
    assert dt.date(2025, 6, 20) in [e.occurred_on for e in db.session.get(Recommendation, rec.id).events]
