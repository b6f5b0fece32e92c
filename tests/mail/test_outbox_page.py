"""The outbox page: admins see every mail, organisers their networks'
mail, viewers nothing; resend queues a copy (audited); without MAIL_URL a
development server writes mail to the log at once and shows it sent."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from tests.conftest import audit_entries
from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.audit.operations import unit_of_work
from workshops.db import utcnow
from workshops.extensions import db
from workshops.mail.models import OutboxMessage
from workshops.mail.operations import queue_mail
from workshops.mail.sender import send_waiting


def queue(to: str, network_id=None, kind="agenda_changed", subject="The agenda changed") -> OutboxMessage:
    with unit_of_work(None, system="test") as session:
        message = queue_mail(session, kind=kind, to=to, subject=subject, text="Body with https://x/secret-link",
                             html="<p>Body</p>", network_id=network_id)
    return message


@pytest.fixture
def mail_of_two_networks(make):
    nadi, cscap = make.network(acronym="NADI"), make.network(acronym="CSCAP")
    queue("nadi-person@example.org", nadi.id)
    queue("cscap-person@example.org", cscap.id)
    queue("reset-person@example.org", None, kind="password_reset", subject="Reset your password")
    return nadi, cscap


def test_admins_see_every_mail_without_its_body(app, auth, client, mail_of_two_networks):
    app.config["MAIL_URL"] = "smtp://mailer:s3cret@smtp.example.org:587"
    auth.login(role="admin")
    page = client.get("/outbox").get_data(as_text=True)
    for address in ("nadi-person@example.org", "cscap-person@example.org", "reset-person@example.org"):
        assert address in page
    assert "secret-link" not in page
    assert "Waiting: 3" in page and "No mail server is set" not in page
    assert "smtp://mailer:***@smtp.example.org:587" in page and "s3cret" not in page


def test_in_development_without_mail_url_the_page_shows_each_mails_text(app, auth, client, mail_of_two_networks):
    """Nothing is sent and the log masks links: the text is on the page."""
    app.config["MAIL_URL"] = ""
    auth.login(role="admin")
    page = client.get("/outbox").get_data(as_text=True)
    assert "No mail server is set" in page and "https://x/secret-link" in page
    app.config["PRODUCTION"] = True
    assert "secret-link" not in client.get("/outbox").get_data(as_text=True)


def test_organisers_see_the_mail_of_their_networks_only(auth, client, mail_of_two_networks):
    nadi, _ = mail_of_two_networks
    auth.login(role="organiser", networks=[nadi])
    page = client.get("/outbox").get_data(as_text=True)
    assert "nadi-person@example.org" in page
    assert "cscap-person@example.org" not in page and "reset-person@example.org" not in page
    assert "Waiting: 1" in page
    others = [m for m in db.session.scalars(select(OutboxMessage)) if m.network_id != nadi.id]
    assert len(others) == 2
    for message in others:
        assert client.post(f"/outbox/{message.id}/resend").status_code == 403


def test_viewers_are_refused(auth, client, mail_of_two_networks):
    auth.login(role="viewer")
    assert client.get("/outbox").status_code == 403
    message = db.session.scalar(select(OutboxMessage))
    assert client.post(f"/outbox/{message.id}/resend").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/outbox").status_code == 302


def test_the_page_shows_failures_and_filters_by_status(app, auth, client, make, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_MAX_ATTEMPTS=1)
    queue("ok@example.org")
    queue("refused@example.org")

    async def refuse(server, session, envelope, address, options):
        if address == "refused@example.org":
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.controller.handler.handle_RCPT = refuse
    send_waiting()
    auth.login(role="admin")
    page = client.get("/outbox").get_data(as_text=True)
    assert "Sent: 1" in page and "Failed: 1" in page and "550 5.1.1 No such mailbox" in page
    failed = client.get("/outbox?status=failed").get_data(as_text=True)
    assert "refused@example.org" in failed and "ok@example.org" not in failed
    assert "ok@example.org" in client.get("/outbox?q=ok@").get_data(as_text=True)
    assert client.get("/outbox?status=nonsense&page=-3").status_code == 200


def test_resend_queues_a_copy_and_the_trail_says_who(app, auth, client, make, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url)
    nadi = make.network(acronym="NADI")
    original = queue("p@example.org", nadi.id)
    send_waiting()
    organiser = auth.login(role="organiser", networks=[nadi])
    response = client.post(f"/outbox/{original.id}/resend")
    assert response.status_code == 302
    copy = db.session.scalar(select(OutboxMessage).where(OutboxMessage.resent_from_id == original.id))
    assert copy.status == "waiting" and copy.message_id != original.message_id
    assert copy.text_body == original.text_body and copy.network_id == nadi.id
    [entry] = [e for e in audit_entries("OutboxMessage", "create") if e.object_id == copy.id]
    assert entry.user_id == organiser.id and entry.note == f"mail resent (a copy of #{original.id})"
    send_waiting()
    assert [m["To"] for m in smtp_server.messages] == ["p@example.org", "p@example.org"]
    assert "resent" in client.get("/outbox").get_data(as_text=True)


def test_the_outbox_is_paginated(app, auth, client):
    app.config["PAGE_SIZE"] = 5
    for i in range(12):
        queue(f"p{i:02}@example.org")
    auth.login(role="admin")
    first = client.get("/outbox").get_data(as_text=True)
    third = client.get("/outbox?page=3").get_data(as_text=True)
    assert "page 1 of 3" in first and "p11@example.org" in first and "p00@example.org" not in first
    assert "p00@example.org" in third and "p11@example.org" not in third


def test_development_without_mail_url_logs_mail_at_once(app, client, make, caplog):
    """`make run`: no MAIL_URL and no sender running; the reset mail is in
    the log straight after the request and shows as sent."""
    app.config.update(MAIL_URL="", MAIL_LOG_AT_ONCE=True)
    make.user(email="ana@example.org")
    with caplog.at_level("INFO", logger="workshops.mail"):
        assert client.post("/login/forgot", data={"email": "ana@example.org"}).status_code == 200
    assert "MAIL_URL is not set" in caplog.text and "http://localhost/password/" in caplog.text
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_production_without_mail_url_leaves_mail_for_the_sender(app, client, make):
    app.config.update(MAIL_URL="", MAIL_LOG_AT_ONCE=True, PRODUCTION=True)
    make.user(email="ana@example.org")
    client.post("/login/forgot", data={"email": "ana@example.org"})
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == "waiting"


def test_mail_no_sender_has_tried_for_ten_minutes_is_pointed_out(app, auth, client):
    app.config["MAIL_URL"] = "smtp://127.0.0.1:25"
    queue("old@example.org")
    queue("new@example.org")
    auth.login(role="admin")
    assert "send-mail --loop</code> running?" not in client.get("/outbox").get_data(as_text=True)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.to_address == "old@example.org")
                       .values(created_at=utcnow() - dt.timedelta(minutes=11)))
    db.session.commit()
    page = client.get("/outbox").get_data(as_text=True)
    assert "1 mail waited more than 10 minutes without being tried" in page
