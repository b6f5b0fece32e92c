"""Account lifecycle: admins deactivate and reactivate accounts (a page and
a command), which ends their sessions and revokes their API tokens; a
password change revokes API tokens too."""

from __future__ import annotations

import re

from sqlalchemy import select

from workshops.api.operations import create_token
from workshops.audit.models import AuditEntry
from workshops.auth.models import ApiToken, LoginSession, User
from workshops.extensions import db

from ..conftest import PASSWORD, form_errors

NEW_PASSWORD = "a-quite-different-passphrase-7"


def _api_me(app, secret: str) -> int:
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code


def _login(app, user, password=PASSWORD):
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": password})
    return browser, response


def test_an_admin_deactivates_an_account_which_is_logged_out_its_tokens_refused_and_its_logins_too(
        app, client, auth, make):
    network = make.network(acronym="NADI")
    admin = auth.login(role="admin")
    target = make.user(role="organiser", networks=[network], name="Ann Organiser", email="ann@example.org")
    browser, _ = _login(app, target)
    assert browser.get("/profile").status_code == 200
    secret = create_token(target, target, "Institute website")[1]
    assert _api_me(app, secret) == 200

    page = client.get("/admin/users").get_data(as_text=True)
    row = re.search(r"<tr>\s*<th scope=\"row\">Ann Organiser</th>(.*?)</tr>", page, re.S).group(1)
    assert "ann@example.org" in row and "Organiser" in row and "NADI" in row and "Active" in row
    assert re.search(r"\d\d \w{3} \d{4}, \d\d:\d\d UTC", row)  # last login
    assert f"/admin/users/{target.id}/deactivate" in row
    assert "/deactivate" not in page.split(admin.name, 1)[1].split("</tr>", 1)[0]  # not oneself

    confirm = client.get(f"/admin/users/{target.id}/deactivate").get_data(as_text=True)
    assert "Deactivate Ann Organiser?" in confirm
    assert "1 open session" in confirm and "1 live token" in confirm
    done = client.post(f"/admin/users/{target.id}/deactivate", data={"version": target.version})
    assert done.status_code == 302 and done.headers["Location"] == "/admin/users"
    assert "Ann Organiser is deactivated" in client.get("/admin/users").get_data(as_text=True)

    # Logged out, token refused, and a login with the right password says
    # what a wrong one says (no hint that the account exists).
    assert browser.get("/profile").status_code == 302
    assert _api_me(app, secret) == 401
    _, again = _login(app, target)
    assert again.status_code == 200
    assert form_errors(again.get_data(as_text=True)) == ["The email or password is not right."]
    db.session.expire_all()
    assert db.session.scalars(select(LoginSession.ended_at).where(LoginSession.user_id == target.id)).all() \
        and all(db.session.scalars(select(LoginSession.ended_at).where(LoginSession.user_id == target.id)))
    assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == target.id)) is not None

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.note.like("%deactivated%"))).all()
    user_entry = next(e for e in entries if e.object_type == "User")
    assert user_entry.user_id == admin.id and user_entry.changes["active"] == [True, False]
    assert any(e.object_type == "ApiToken" and e.changes.get("revoked_at") for e in entries)


def test_a_reactivated_account_logs_in_again_but_its_revoked_tokens_stay_revoked(app, client, auth, make):
    auth.login(role="admin")
    target = make.user(role="viewer", name="Ben Viewer")
    secret = create_token(target, target, "Notebook")[1]
    client.post(f"/admin/users/{target.id}/deactivate", data={})
    assert "Deactivated" in client.get("/admin/users").get_data(as_text=True)
    page = client.get(f"/admin/users/{target.id}/reactivate").get_data(as_text=True)
    assert "Reactivate Ben Viewer?" in page
    assert client.post(f"/admin/users/{target.id}/reactivate", data={}).status_code == 302
    _, login = _login(app, target)
    assert login.status_code == 302
    assert _api_me(app, secret) == 401
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.note == "account reactivated"))
    assert entry.changes["active"] == [False, True]


def test_an_admin_cannot_deactivate_themselves_nor_a_stale_version_and_others_may_not_at_all(
        app, client, auth, make):
    admin = auth.login(role="admin")
    refused = client.post(f"/admin/users/{admin.id}/deactivate", data={})
    assert refused.status_code == 422
    assert "You cannot deactivate your own account" in refused.get_data(as_text=True)
    target = make.user(role="viewer")
    stale = client.post(f"/admin/users/{target.id}/deactivate", data={"version": target.version + 5})
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, admin.id).active and db.session.get(User, target.id).active

    organiser = app.test_client()
    other = make.user(role="organiser")
    organiser.post("/login", data={"email": other.email, "password": PASSWORD})
    assert organiser.get("/admin/users").status_code == 403
    assert organiser.post(f"/admin/users/{target.id}/deactivate", data={}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).active


def test_the_commands_deactivate_and_reactivate_an_account(app, make):
    target = make.user(role="viewer", email="cli-target@example.org")
    browser, _ = _login(app, target)
    secret = create_token(target, target, "Script")[1]
    runner = app.test_cli_runner()

    result = runner.invoke(args=["deactivate-user", "CLI-Target@example.org"])
    assert result.exit_code == 0, result.output
    assert "Deactivated cli-target@example.org" in result.output and "1 API token revoked" in result.output
    assert browser.get("/profile").status_code == 302 and _api_me(app, secret) == 401
    assert _login(app, target)[1].status_code == 200
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.note == "account deactivated"))
    assert entry.actor == "system: deactivate-user"

    again = runner.invoke(args=["deactivate-user", "cli-target@example.org"])
    assert again.exit_code == 1 and "already deactivated" in again.output
    missing = runner.invoke(args=["deactivate-user", "nobody@example.org"])
    assert missing.exit_code == 1 and "There is no user" in missing.output

    back = runner.invoke(args=["reactivate-user", "cli-target@example.org"])
    assert back.exit_code == 0 and "Reactivated" in back.output
    assert _login(app, target)[1].status_code == 302


def test_the_last_active_admin_cannot_be_deactivated(app, make):
    admin = make.user(role="admin", email="only-admin@example.org")
    result = app.test_cli_runner().invoke(args=["deactivate-user", admin.email])
    assert result.exit_code == 1 and "last active admin" in result.output
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_a_password_change_revokes_the_api_tokens_and_the_profile_says_so(app, client, auth):
    user = auth.login(role="viewer")
    secret = create_token(user, user, "Notebook")[1]
    assert _api_me(app, secret) == 200
    assert "revokes your API tokens" in client.get("/profile").get_data(as_text=True)
    changed = client.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    }, follow_redirects=True)
    assert "Your 1 API token is revoked" in changed.get_data(as_text=True)
    assert _api_me(app, secret) == 401
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "ApiToken",
                                                       AuditEntry.action == "update"))
    assert entry.note == "API token revoked: password changed" and entry.user_id == user.id
