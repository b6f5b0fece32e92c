"""Operations act for the actor they are given (issue 12, item 3): who may
act and whom the audit trail names is the `actor` argument, never the user
Flask-Login finds in the request. The API gives the bearer token's user."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_login import current_user, login_user
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from workshops.api.operations import create_token
from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Recommendation
from workshops.outcomes import operations as outcomes_ops
from workshops.programme import operations as programme_ops

ROOT = Path(__file__).resolve().parents[2]
NEW = {"title": "Joint maritime search and rescue", "text": "Hold a yearly exercise.", "priority": "high"}


def _entries(object_type: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == object_type)))


def test_no_operation_reads_the_logged_in_user_and_the_api_uses_no_private_flask_login_call():
    modules = [*(ROOT / "workshops").glob("*/operations*.py"), ROOT / "workshops/people/importing.py"]
    assert len(modules) > 8  # the split operations modules are all read
    readers = [str(p.relative_to(ROOT)) for p in modules
               if re.search(r"\bcurrent_user\b", p.read_text(encoding="utf-8"))]
    assert readers == []
    private = [str(p.relative_to(ROOT)) for p in (ROOT / "workshops").rglob("*.py")
               if "_update_request_context_with_user" in p.read_text(encoding="utf-8")]
    assert private == []


def test_an_operation_acts_for_its_actor_with_nobody_logged_in(app, make):
    organiser_network = make.network(acronym="NADI")
    organiser = make.user(role="organiser", networks=[organiser_network])
    workshop = make.workshop(series=make.series(network=organiser_network))
    with app.test_request_context("/"):
        assert not current_user.is_authenticated
        rec = outcomes_ops.create_recommendation(organiser, workshop, NEW)
    entry, = _entries("Recommendation")
    assert (entry.object_id, entry.action, entry.user_id) == (rec.id, "create", organiser.id)


def test_an_operation_judges_the_actor_not_whoever_is_logged_in(app, make):
    """A viewer as actor is refused although an admin is logged in; an
    organiser as actor is recorded although an admin is logged in."""
    network = make.network(acronym="CSCAP")
    admin, viewer = make.user(role="admin"), make.user(role="viewer")
    organiser = make.user(role="organiser", networks=[network])
    workshop = make.workshop(series=make.series(network=network))
    with app.test_request_context("/"):
        login_user(admin)
        with pytest.raises(Forbidden):
            outcomes_ops.create_recommendation(viewer, workshop, NEW)
        with pytest.raises(Forbidden):
            programme_ops.create_network(organiser, {"acronym": "NEW", "name": "A new network"})
        assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 0
        outcomes_ops.create_recommendation(organiser, workshop, NEW)
    entry, = _entries("Recommendation")
    assert entry.user_id == organiser.id


def test_an_api_write_by_token_records_the_tokens_user_not_the_browsers(client, auth, make):
    """The token's user is the actor and the audit trail names them; an
    admin's browser session sent along is not read, and not written."""
    network = make.network(acronym="NADI")
    organiser = make.user(role="organiser", networks=[network])
    workshop = make.workshop(series=make.series(network=network))
    _, secret = create_token(organiser, organiser, "tests")
    headers = {"Authorization": f"Bearer {secret}"}

    response = client.post(f"/api/v1/workshops/{workshop.id}/recommendations", json=NEW, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    entry, = _entries("Recommendation")
    assert entry.user_id == organiser.id

    admin = auth.login(role="admin")
    response = client.post(f"/api/v1/workshops/{workshop.id}/recommendations",
                           json={**NEW, "title": "A second one"}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert sorted(e.user_id for e in _entries("Recommendation")) == [organiser.id, organiser.id]
    assert admin.id != organiser.id
    # Without the token the admin's session does not authorise the API.
    response = client.post(f"/api/v1/workshops/{workshop.id}/recommendations", json={**NEW, "title": "Third"})
    assert response.status_code == 401
