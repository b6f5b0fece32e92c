"""Who may change what: every state-changing route answers 403 to a user
without the right, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.audit.models import AuditEntry
from workshops.models import Recommendation, Track1Body, UptakeEvent

from .helpers import count, reload


@pytest.fixture
def scene(make, world):
    rec = make.recommendation(workshop=world.workshop, title="Untouched")
    event = make.uptake_event(recommendation=rec, stage="transmitted", title="Untouched event")
    closed = make.recommendation(workshop=world.workshop, title="Closed one", closed_as="declined",
                                 closed_on=dt.date(2024, 12, 1), closed_reason="No.")
    bare = make.recommendation(workshop=world.workshop, title="No events")
    return {"w": world.workshop.id, "rec": rec.id, "event": event.id, "closed": closed.id, "bare": bare.id,
            "body": world.arf.id, "objects": (rec, event, closed, bare, world.arf)}


REC_FORM = {"title": "Changed", "text": "Changed", "priority": "low", "version": "1"}
EVENT_FORM = {"occurred_on": "2024-06-01", "stage": "implemented", "evidence_kind": "press",
              "title": "Changed", "version": "1"}
BODY_FORM = {"name": "Changed", "kind": "summit", "version": "1"}

NETWORK_ROUTES = [
    ("GET", "/workshops/{w}/recommendations/new", None),
    ("POST", "/workshops/{w}/recommendations/new", REC_FORM),
    ("GET", "/recommendations/{rec}/edit", None),
    ("POST", "/recommendations/{rec}/edit", REC_FORM),
    ("GET", "/recommendations/{bare}/delete", None),
    ("POST", "/recommendations/{bare}/delete", {}),
    ("GET", "/recommendations/{rec}/close", None),
    ("POST", "/recommendations/{rec}/close", {"closed_as": "declined", "closed_on": "2025-01-01",
                                               "closed_reason": "No.", "version": "1"}),
    ("POST", "/recommendations/{closed}/reopen", {"version": "1"}),
    ("GET", "/recommendations/{rec}/events/new", None),
    ("POST", "/recommendations/{rec}/events/new", EVENT_FORM),
    ("GET", "/recommendations/{rec}/events/{event}/edit", None),
    ("POST", "/recommendations/{rec}/events/{event}/edit", EVENT_FORM),
    ("GET", "/recommendations/{rec}/events/{event}/delete", None),
    ("POST", "/recommendations/{rec}/events/{event}/delete", {}),
]
REGISTRY_ROUTES = [
    ("GET", "/track1-bodies/new", None),
    ("POST", "/track1-bodies/new", BODY_FORM),
    ("GET", "/track1-bodies/{body}/edit", None),
    ("POST", "/track1-bodies/{body}/edit", BODY_FORM),
]


def _snapshot(scene) -> tuple:
    rec, event, closed, bare, body = (reload(o) for o in scene["objects"])
    return (count(Recommendation), count(UptakeEvent), count(Track1Body), count(AuditEntry),
            rec.title, rec.closed_as, event.title, event.stage, closed.closed_as, bare.title, body.name)


def _call(client, method, path, data):
    if method == "GET":
        return client.get(path)
    return client.post(path, data=data)


def _every_route_refused(client, scene, routes, status):
    """One login, then every route in turn (a login per route would make
    the suite slow); each answer and each unchanged database is checked."""
    before = _snapshot(scene)
    for method, path, data in routes:
        response = _call(client, method, path.format(**scene), data)
        assert response.status_code == status, (method, path)
        if status == 302:
            assert "/login" in response.headers["Location"], (method, path)
        assert _snapshot(scene) == before, (method, path)


def test_a_viewer_is_refused_everywhere_and_nothing_changes(client, auth, scene):
    auth.login(role="viewer")
    _every_route_refused(client, scene, NETWORK_ROUTES + REGISTRY_ROUTES, 403)


def test_an_organiser_of_another_network_is_refused_and_nothing_changes(client, auth, world, scene):
    auth.login(role="organiser", networks=[world.other_network])
    _every_route_refused(client, scene, NETWORK_ROUTES, 403)


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, scene):
    _every_route_refused(client, scene, NETWORK_ROUTES + REGISTRY_ROUTES, 302)


def test_the_organiser_of_the_network_may_do_what_the_others_may_not(client, auth, world, scene):
    """The same requests succeed for the right person: the 403s above are
    about the person, not a broken route."""
    auth.login(role="organiser", networks=[world.network])
    for method, path, _ in NETWORK_ROUTES:
        if method == "GET":
            assert client.get(path.format(**scene)).status_code == 200, path


def test_an_organiser_of_another_network_sees_no_editing_buttons(client, auth, world, scene):
    auth.login(role="organiser", networks=[world.other_network])
    page = client.get(f"/recommendations/{scene['rec']}").get_data(as_text=True)
    assert "Untouched" in page
    assert "Add an uptake event" not in page and "/edit" not in page and "/delete" not in page
