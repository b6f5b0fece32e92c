"""Flow 1, "Forgot your password?", end to end through a real SMTP server:
one answer whether the address exists or not, a mailed link that works
once for an hour, the password rules, every session ended, throttled by
the login limiter, audited; a used, expired or made-up link gives a clear
page, never a 500."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, audit_entries, log_in
from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.audit.operations import unit_of_work
from workshops.auth.models import ApiToken, LoginSession, PasswordLink
from workshops.db import utcnow
from workshops.extensions import db
from workshops.mail.models import OutboxMessage
from workshops.mail.sender import send_waiting

NEW_PASSWORD = "a-brand-new-passphrase-77"
SAME_ANSWER = "If an account exists for that address, we have sent a link"


@pytest.fixture
def mailer(app, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_FROM="Track-2 Workshops <workshops@example.org>")
    return smtp_server


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    [link] = re.findall(r"http://localhost/password/[A-Za-z0-9_\-]+", text)
    return link.removeprefix("http://localhost")


def ask_reset(client, email: str):
    return client.post("/login/forgot", data={"email": email})


def test_the_login_page_links_to_the_reset_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/login/forgot"' in page and "Forgot your password?" in page
    assert client.get("/login/forgot").status_code == 200


def test_reset_end_to_end(app, client, make, mailer):
    user = make.user(role="organiser", email="ana@example.org", name="Ana Reyes")
    other_browser = app.test_client()
    log_in(other_browser, user)
    with unit_of_work(user) as session:
        make_token = ApiToken(user_id=user.id, name="script", token_hash="h" * 64, prefix="abc")
        session.add(make_token)

    answer = ask_reset(client, "Ana@Example.org ")
    assert answer.status_code == 200 and SAME_ANSWER in answer.get_data(as_text=True)
    assert send_waiting().sent == 1
    [message] = mailer.messages
    assert message["To"] == "ana@example.org" and message["Subject"] == "Reset your Track-2 Workshops password"
    assert message["Message-ID"] and message["List-Unsubscribe"] is None  # not a notice
    assert message.get_body(("html",)) is not None
    link = link_in(message)
    assert "works once, for 1 hour" in message.get_body(("plain",)).get_content()

    # Opening the link changes nothing (mail scanners open links).
    assert client.get(link).status_code == 200 and client.get(link).status_code == 200
    page = client.get(link).get_data(as_text=True)
    assert "ana@example.org" in page

    # The password rules apply, and a refusal leaves the link usable.
    weak = client.post(link, data={"new_password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422 and "most common" in weak.get_data(as_text=True)
    differ = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert differ.status_code == 422

    done = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")

    # Every session of the user ended, the API token revoked.
    assert other_browser.get("/profile").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id,
                                                        LoginSession.ended_at.is_(None))) is None
    assert db.session.get(ApiToken, make_token.id).revoked_at is not None

    # The new password works, the old one does not.
    assert client.post("/login", data={"email": "ana@example.org", "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": "ana@example.org", "password": NEW_PASSWORD}).status_code == 302

    # The link works once.
    client.post("/logout")
    again = client.post(link, data={"new_password": "another-passphrase-88", "confirm": "another-passphrase-88"})
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)
    assert client.get(link).status_code == 410

    # The trail says who asked and who changed what (never the token).
    [created] = audit_entries("PasswordLink", "create")
    assert created.actor == "system: password reset" and created.note == "password reset requested"
    changed = [e for e in audit_entries("User", "update") if "password_hash" in e.changes]
    assert changed and changed[-1].user_id == user.id and changed[-1].note.startswith("set a new password")
    assert "token" not in str(created.changes).lower().replace("token_hash", "")
    assert len(mailer.messages) == 1  # and the mail came once


def test_the_answer_is_the_same_for_an_unknown_or_deactivated_address(app, client, make, mailer):
    make.user(email="gone@example.org", active=False)
    known = make.user(email="here@example.org")
    answers = [ask_reset(client, email) for email in ("nobody@example.org", "gone@example.org", known.email)]
    texts = [a.get_data(as_text=True) for a in answers]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all(SAME_ANSWER in t for t in texts)
    strip = [re.sub(r'name="csrf_token"[^>]*', "", t) for t in texts]
    assert strip[0] == strip[1] == strip[2]
    send_waiting()
    assert [m["To"] for m in mailer.messages] == ["here@example.org"]


def test_a_malformed_address_is_told_next_to_the_field(client, mailer):
    answer = client.post("/login/forgot", data={"email": "not-an-address"})
    assert answer.status_code == 422 and 'class="field-error"' in answer.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_reset_requests_are_throttled_like_logins(app, client, make, mailer):
    user = make.user(email="ana@example.org")
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        assert ask_reset(client, user.email).status_code == 200
    refused = ask_reset(client, user.email)
    assert refused.status_code == 429 and "Too many failed attempts" in refused.get_data(as_text=True)
    assert send_waiting().sent == app.config["LOGIN_MAX_ATTEMPTS"]
    # The same limiter: logins for that account from this address wait too.
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 429


def test_an_expired_link_is_refused_clearly(app, client, make, mailer):
    make.user(email="ana@example.org")
    ask_reset(client, "ana@example.org")
    send_waiting()
    link = link_in(mailer.messages[0])
    db.session.execute(update(PasswordLink).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    db.session.commit()
    for response in (client.get(link), client.post(link, data={"new_password": NEW_PASSWORD,
                                                               "confirm": NEW_PASSWORD})):
        assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def test_a_link_is_valid_one_hour(app, client, make, mailer):
    make.user(email="ana@example.org")
    ask_reset(client, "ana@example.org")
    link = db.session.scalar(select(PasswordLink))
    assert dt.timedelta(minutes=59) < link.expires_at - link.created_at <= dt.timedelta(hours=1, seconds=1)


@pytest.mark.parametrize("token", ["made-up", "x" * 300, "%C3%A9t%C3%A9", "' OR 1=1 --"])
def test_a_made_up_link_is_a_clear_404(client, token):
    response = client.get(f"/password/{token}")
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)


def test_a_newer_reset_voids_nothing_but_setting_a_password_voids_every_open_link(app, client, make, mailer):
    make.user(email="ana@example.org")
    ask_reset(client, "ana@example.org")
    ask_reset(client, "ana@example.org")
    send_waiting()
    first, second = (link_in(m) for m in mailer.messages)
    assert client.get(first).status_code == 200 and client.get(second).status_code == 200
    assert client.post(second, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert client.get(first).status_code == 410
