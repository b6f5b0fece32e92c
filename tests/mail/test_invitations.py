"""Flow 2, an admin invites a user, end to end through a real SMTP server:
the account has no usable password, the mail carries a week-long link to
set one (never a password), inviting again voids the earlier link; bad
input is told at its field and changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, audit_entries, checksum, form_errors
from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.auth.models import PasswordLink, User
from workshops.extensions import db
from workshops.mail.sender import send_waiting

NEW_PASSWORD = "my-own-fresh-passphrase-42"


@pytest.fixture
def mailer(app, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_FROM="Track-2 Workshops <workshops@example.org>")
    return smtp_server


def link_in(message) -> str:
    [link] = re.findall(r"http://localhost(/password/[A-Za-z0-9_\-]+)", message.get_body(("plain",)).get_content())
    return link


def invite(client, **data):
    return client.post("/admin/users/invite", data={"email": "new@example.org", "name": "Nia Okafor",
                                                    "role": "viewer", **data})


def test_the_users_page_offers_an_invitation(auth, client):
    auth.login(role="admin")
    assert 'href="/admin/users/invite"' in client.get("/admin/users").get_data(as_text=True)
    assert client.get("/admin/users/invite").status_code == 200


@pytest.mark.parametrize("role", ["organiser", "viewer"])
def test_only_admins_invite(auth, client, make, role):
    auth.login(role=role, networks=[make.network()] if role == "organiser" else ())
    assert client.get("/admin/users/invite").status_code == 403
    assert invite(client).status_code == 403
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_invitation_end_to_end(app, auth, client, make, mailer):
    admin = auth.login(role="admin")
    nadi = make.network(acronym="NADI")
    response = invite(client, email=" New@Example.org", role="organiser", networks=[str(nadi.id)])
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert (user.name, user.role, [n.acronym for n in user.networks]) == ("Nia Okafor", "organiser", ["NADI"])
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert "Invited" in users_page and "Invite again" in users_page

    assert send_waiting().sent == 1
    [message] = mailer.messages
    assert message["To"] == "new@example.org" and message["Subject"] == "You are invited to Track-2 Workshops"
    text = message.get_body(("plain",)).get_content()
    assert admin.name in text and "NADI" in text and "for 7 days" in text
    assert message.get_body(("html",)) is not None and message["Message-ID"]
    assert message["List-Unsubscribe"] is None
    link = link_in(message)
    # No password in the mail, and the account cannot be logged into before the link is used.
    assert not re.search(r"^\s*(your )?password\s*[:=]", text, re.IGNORECASE | re.MULTILINE)
    other = app.test_client()
    assert other.post("/login", data={"email": "new@example.org", "password": PASSWORD}).status_code == 200

    row = db.session.scalar(select(PasswordLink))
    assert row.purpose == "invitation"
    assert dt.timedelta(days=6, hours=23) < row.expires_at - row.created_at <= dt.timedelta(days=7, seconds=1)

    page = other.get(link)
    assert page.status_code == 200 and "Welcome: set your password" in page.get_data(as_text=True)
    assert other.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert other.post("/login", data={"email": "new@example.org", "password": NEW_PASSWORD}).status_code == 302
    assert other.get(link).status_code == 410
    assert "Invite again" not in client.get("/admin/users").get_data(as_text=True)

    [created] = [e for e in audit_entries("User", "create") if e.object_id == user.id]
    assert created.user_id == admin.id and created.note == "invited new@example.org as organiser"
    assert "password_hash" not in created.changes


def test_inviting_again_voids_the_earlier_link(auth, client, mailer):
    auth.login(role="admin")
    invite(client)
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert client.post(f"/admin/users/{user.id}/invite-again").status_code == 302
    send_waiting()
    first, second = (link_in(m) for m in mailer.messages)
    assert [m["To"] for m in mailer.messages] == ["new@example.org"] * 2
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_accepted_invitation_cannot_be_sent_again(auth, client, make, mailer):
    auth.login(role="admin")
    invite(client)
    send_waiting()
    link = link_in(mailer.messages[0])
    client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    auth.login(role="admin")
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    response = client.post(f"/admin/users/{user.id}/invite-again", follow_redirects=True)
    assert "has set their password already" in response.get_data(as_text=True)
    assert send_waiting().sent == 0


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "not-an-address"}, "email", "Invalid email"),
    ({"email": "taken@example.org"}, "email", "already an account"),
    ({"role": "emperor"}, "role", "Not a valid choice"),
    ({"role": "organiser", "networks": ["999999"]}, "networks", "Pick only from the list"),
    ({"name": "x" * 201}, "name", "at most"),
])
def test_bad_input_is_told_at_its_field_and_changes_nothing(auth, client, make, mailer, data, field, message):
    auth.login(role="admin")
    make.user(email="taken@example.org")
    before = checksum()
    response = invite(client, **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message.lower() in page.lower()
    assert checksum() == before
