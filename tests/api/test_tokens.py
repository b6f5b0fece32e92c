"""Personal API tokens: created and revoked on the profile's tokens page,
stored only as a hash, sent as a bearer token; the session cookie never
authorises the API."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.auth.models import ApiToken
from workshops.extensions import db

from .conftest import PREFIX


def _create(client, name="Institute website"):
    return client.post("/profile/tokens", data={"create-name": name, "create-submit": "1"})


def _secret(html: str) -> str:
    return re.search(r'class="token-secret">([^<]+)<', html).group(1)


def test_the_tokens_page_needs_a_login(client):
    response = client.get("/profile/tokens")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_new_token_is_shown_once_and_stored_only_as_its_hash(client, auth):
    user = auth.login(role="viewer")
    response = _create(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = _secret(html)
    assert secret.startswith("t2w_") and len(secret) > 40
    assert "shown only this once" in html

    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "Institute website"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert secret not in str([token.token_hash, token.prefix, token.name])

    again = client.get("/profile/tokens").get_data(as_text=True)
    assert secret not in again
    assert token.prefix in again and "Institute website" in again

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "ApiToken"))
    assert entry.action == "create" and entry.user_id == user.id
    assert secret not in str(entry.changes) and "token_hash" not in entry.changes


def test_the_token_works_as_a_bearer_token_and_records_its_use(client, auth):
    auth.login(role="viewer")
    secret = _secret(_create(client).get_data(as_text=True))
    auth.logout()
    response = client.get(PREFIX + "/networks", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # the API keeps no session
    assert response.headers["Cache-Control"] == "no-store"
    token = db.session.scalar(select(ApiToken))
    db.session.refresh(token)
    assert token.last_used_at is not None


def test_a_token_needs_a_name_and_nothing_is_saved_without_one(client, auth):
    auth.login(role="viewer")
    response = _create(client, name="   ")
    assert response.status_code == 422
    assert "Name the token" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_a_revoked_token_stops_working_at_once(client, auth):
    user = auth.login(role="organiser")
    secret = _secret(_create(client).get_data(as_text=True))
    token = db.session.scalar(select(ApiToken))
    response = client.post("/profile/tokens", data={"revoke-token_id": token.id, "revoke-submit": "1"},
                           follow_redirects=True)
    assert "no longer works" in response.get_data(as_text=True)
    db.session.refresh(token)
    assert token.revoked_at is not None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "ApiToken")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.note == "API token revoked" and entry.user_id == user.id

    auth.logout()
    answer = client.get(PREFIX + "/networks", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]


def test_nobody_revokes_someone_elses_token(client, auth, make, api):
    owner = api.as_role("viewer")
    auth.login(role="admin")
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.user.id))
    response = client.post("/profile/tokens", data={"revoke-token_id": token.id, "revoke-submit": "1"},
                           follow_redirects=True)
    assert "There is no such token of yours." in response.get_data(as_text=True)
    db.session.refresh(token)
    assert token.revoked_at is None
    assert owner.get("/networks").status_code == 200


def test_a_deactivated_users_token_is_refused(api):
    caller = api.as_role("organiser")
    from workshops.audit.operations import unit_of_work

    with unit_of_work(system="test"):
        caller.user.active = False
    assert caller.get("/networks").status_code == 401


def test_malformed_and_unknown_tokens_are_refused_with_problem_details(client):
    for header in ("Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-token", "Bearer " + "x" * 5000):
        response = client.get(PREFIX + "/networks", headers={"Authorization": header})
        assert response.status_code == 401, header
        body = response.get_json()
        assert body["status"] == 401 and body["title"] and body["detail"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_does_not_authorise_the_api(client, auth, world):
    auth.login(role="admin")
    # Logged in on the web pages, but the API answers as to anyone without a token...
    assert client.get(PREFIX + "/networks").status_code == 401
    response = client.post(PREFIX + "/workshops", json={
        "title": "Forged", "series": world.series.id, "start_date": "2025-09-01", "timezone": "Asia/Jakarta",
        "country": "ID"})
    # ...so a cross-site form riding on the cookie can change nothing.
    assert response.status_code == 401
    # The web session itself is untouched.
    assert client.get("/profile/tokens").status_code == 200


def test_bearer_requests_need_no_csrf_token(make_app, make, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make.user(role="admin")
    from workshops.api.operations import create_token

    _, secret = create_token(user, user, "ci")
    response = client.post(PREFIX + f"/workshops/{world.workshop.id}/status",
                           json={"status": "cancelled", "version": world.workshop.version},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    # while the tokens page keeps its CSRF protection
    assert client.post("/profile/tokens", data={"create-name": "x", "create-submit": "1"}).status_code == 400
