"""Organisers of a recommendation's network mark it for the public page on
the recommendation's page; the change goes through the audited unit of
work; anyone else is refused and nothing changes."""

from __future__ import annotations

import pytest

from workshops.audit.operations import Conflict, Invalid
from workshops.extensions import db
from workshops.public_outcomes.operations import set_public

from ..conftest import audit_entries, fresh, log_in


def _post(client, rec, **data):
    return client.post(f"/recommendations/{rec.id}/public", data={"version": rec.version, **data})


def test_an_organiser_shows_and_hides_it_from_the_recommendation_page(client, world):
    rec = world.recs["unmarked"]
    log_in(client, world.organiser)
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Not shown publicly." in page and "Show it on the public page" in page
    response = _post(client, rec, is_public="1")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/recommendations/{rec.id}#public-outcome")
    assert fresh(rec).is_public is True
    entries = audit_entries("Recommendation", "update")
    assert entries[-1].object_id == rec.id and entries[-1].note == "Shown on the public outcomes page"
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Shown on the public outcomes page." in page
    assert 'href="/outcomes/nadi">NADI public outcomes page</a>' in page
    assert f'id="rec-{rec.id}"' in client.get("/outcomes/nadi").get_data(as_text=True)
    rec = fresh(rec)
    _post(client, rec, is_public="0")
    assert fresh(rec).is_public is False
    assert audit_entries("Recommendation", "update")[-1].note == "Taken off the public outcomes page"


def test_marking_one_of_a_private_workshop_says_it_does_not_appear(client, world, make):
    rec = make.recommendation(workshop=world.recs["private"].workshop, title="Another private proposal")
    db.session.commit()
    log_in(client, world.organiser)
    response = _post(client, rec, is_public="1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marked public, but it does not appear on the public page: its workshop is not public." in page
    assert "Another private proposal" not in client.get("/outcomes/nadi").get_data(as_text=True)


@pytest.mark.parametrize("who", ["viewer", "other_organiser"])
def test_others_are_refused_and_nothing_changes(client, world, make, who):
    rec = world.recs["unmarked"]
    user = world.other_organiser if who == "other_organiser" else make.user(role="viewer")
    db.session.commit()
    log_in(client, user)
    before = len(audit_entries("Recommendation"))
    assert _post(client, rec, is_public="1").status_code == 403
    assert fresh(rec).is_public is False and len(audit_entries("Recommendation")) == before
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Show it on the public page" not in page


def test_anonymous_is_sent_to_log_in(client, world):
    response = _post(client, world.recs["unmarked"], is_public="1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert fresh(world.recs["unmarked"]).is_public is False


@pytest.mark.parametrize("data", [{}, {"is_public": "yes"}, {"is_public": "1", "version": "x"}])
def test_an_unreadable_post_changes_nothing(client, world, data):
    rec = world.recs["unmarked"]
    log_in(client, world.organiser)
    response = client.post(f"/recommendations/{rec.id}/public", data=data)
    assert response.status_code == 302
    assert "could not be read" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(rec).is_public is False


def test_the_operation_refuses_a_stale_version_and_a_non_boolean(world):
    rec = world.recs["unmarked"]
    with pytest.raises(Conflict):
        set_public(world.organiser, rec, True, rec.version - 1)
    with pytest.raises(Invalid) as refused:
        set_public(world.organiser, rec, "yes")
    assert set(refused.value.errors) == {"is_public"}
    before = len(audit_entries("Recommendation"))
    set_public(world.organiser, rec, False)  # as it is: no write, no audit entry
    assert len(audit_entries("Recommendation")) == before
