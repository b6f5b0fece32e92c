"""A recommendation's two marks through the API: `featured` (first among the
report's highlights) and `is_public` (its network's public outcomes page).
Read with the recommendation; written on create and PATCH by the operations
the page's buttons call (outcomes/operations_featured.py set_featured,
public_outcomes/operations.py set_public): their rights, version check and
audit notes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Recommendation


def _notes(rec_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.note).where(
        AuditEntry.object_type == "Recommendation", AuditEntry.object_id == rec_id).order_by(AuditEntry.id)))


def _flags(rec_id: int) -> tuple[bool, bool]:
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec_id)
    return rec.featured, rec.is_public


def test_a_recommendation_reads_with_its_marks(api, world, make):
    marked = make.recommendation(workshop=world.workshop, featured=True, is_public=True)
    plain = make.recommendation(workshop=world.workshop)
    caller = api.as_role("viewer")
    one = caller.get(f"/recommendations/{marked.id}").get_json()
    assert (one["featured"], one["is_public"]) == (True, True)
    listed = {r["id"]: (r["featured"], r["is_public"])
              for r in caller.get(f"/recommendations?workshop={world.workshop.id}").get_json()["items"]}
    assert listed == {marked.id: (True, True), plain.id: (False, False)}


def test_patch_sets_the_marks_as_the_buttons_do(api, world, make):
    rec = make.recommendation(workshop=world.workshop, title="Standing HADR cell")
    first = rec.version
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.patch(f"/recommendations/{rec.id}", json={
        "version": first, "featured": True, "is_public": True})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["featured"], body["is_public"], body["title"]) == (True, True, "Standing HADR cell")
    assert body["version"] == first + 2  # one audited change per mark, as two presses of the buttons
    assert _flags(rec.id) == (True, True)
    assert _notes(rec.id)[-2:] == ["Featured in the report", "Shown on the public outcomes page"]

    off = caller.patch(f"/recommendations/{rec.id}", json={"version": body["version"], "is_public": False,
                                                            "priority": "high"})
    assert off.status_code == 200, off.get_data(as_text=True)
    assert (off.get_json()["featured"], off.get_json()["is_public"], off.get_json()["priority"]) == \
        (True, False, "high")
    assert _notes(rec.id)[-1] == "Taken off the public outcomes page"

    stale = caller.patch(f"/recommendations/{rec.id}", json={"version": body["version"], "featured": False})
    assert stale.status_code == 409
    assert _flags(rec.id) == (True, False)


def test_a_new_recommendation_may_be_marked_by_who_records_it(api, world, make):
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.post(f"/workshops/{world.workshop.id}/recommendations", json={
        "title": "A maritime hotline", "text": "Set up a hotline.", "featured": True, "is_public": True})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["featured"], body["is_public"]) == (True, True)
    assert _flags(body["id"]) == (True, True)
    assert _notes(body["id"])[-2:] == ["Featured in the report", "Shown on the public outcomes page"]

    plain = caller.post("/recommendations", json={"workshop_id": world.workshop.id, "title": "Plain",
                                                  "text": "Nothing marked."})
    assert plain.status_code == 201, plain.get_data(as_text=True)
    assert (plain.get_json()["featured"], plain.get_json()["is_public"]) == (False, False)


@pytest.mark.parametrize("field", ["featured", "is_public"])
@pytest.mark.parametrize("value", ["yes", 1, None, "true"])
def test_a_mark_that_is_not_a_boolean_is_422_naming_it_and_changes_nothing(api, world, make, field, value):
    rec = make.recommendation(workshop=world.workshop, title="Standing HADR cell")
    caller = api.as_role("admin")
    entries = db.session.query(AuditEntry).count()
    patched = caller.patch(f"/recommendations/{rec.id}", json={"version": rec.version, "title": "Changed",
                                                                field: value})
    assert patched.status_code == 422, patched.get_data(as_text=True)
    assert patched.get_json()["errors"] == {field: "Give true or false."}
    created = caller.post(f"/workshops/{world.workshop.id}/recommendations",
                          json={"title": "Refused", "text": "X", field: value})
    assert created.status_code == 422 and created.get_json()["errors"] == {field: "Give true or false."}
    db.session.expire_all()
    assert db.session.query(AuditEntry).count() == entries
    assert db.session.get(Recommendation, rec.id).title == "Standing HADR cell"
    assert _flags(rec.id) == (False, False)
    assert db.session.scalar(select(Recommendation).where(Recommendation.title == "Refused")) is None


def test_who_may_not_press_the_buttons_may_not_set_the_marks(api, world, make):
    rec = make.recommendation(workshop=world.workshop)
    callers = (api.as_role("viewer"), api.as_role("organiser", networks=[world.other_network]))
    entries = db.session.query(AuditEntry).count()
    for caller in callers:
        for field in ("featured", "is_public"):
            response = caller.patch(f"/recommendations/{rec.id}", json={"version": rec.version, field: True})
            assert response.status_code == 403, (caller.user.role, field, response.get_json())
            created = caller.post(f"/workshops/{world.workshop.id}/recommendations",
                                  json={"title": "Marked", "text": "X", field: True})
            assert created.status_code == 403
    assert api.anonymous.patch(f"/recommendations/{rec.id}",
                               json={"version": rec.version, "featured": True}).status_code == 401
    db.session.expire_all()
    assert db.session.query(AuditEntry).count() == entries
    assert _flags(rec.id) == (False, False)


@pytest.mark.parametrize("route", ["workshop", "origin"])
def test_a_new_recommendation_whose_mark_is_refused_is_not_recorded_either(api, world, make, monkeypatch, route):
    """The recommendation and its marks are one transaction: when a mark's operation refuses
    (here made to, after the recommendation is already flushed), nothing is left behind —
    no recommendation, no audit entry, no first mark."""
    from workshops.api import views_outcomes
    from workshops.errors import Invalid

    def refuse(actor, rec, public, version=None):
        raise Invalid({"is_public": "Refused for the test."})

    monkeypatch.setitem(views_outcomes.FLAGS, "is_public", refuse)
    caller = api.as_role("organiser", networks=[world.network])
    entries = db.session.query(AuditEntry).count()
    body = {"title": "Half-saved?", "text": "X", "featured": True, "is_public": True}
    if route == "workshop":
        response = caller.post(f"/workshops/{world.workshop.id}/recommendations", json=body)
    else:
        response = caller.post("/recommendations", json={"workshop_id": world.workshop.id, **body})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["errors"] == {"is_public": "Refused for the test."}
    db.session.expire_all()
    assert db.session.scalar(select(Recommendation).where(Recommendation.title == "Half-saved?")) is None
    assert db.session.query(AuditEntry).count() == entries
