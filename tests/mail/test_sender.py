"""The outbox and its sender against a real SMTP server on loopback
(aiosmtpd): a mail is queued in the change's transaction, sent once, tried
again after a server that is down, refuses or drops the connection, and
given up after MAIL_MAX_ATTEMPTS; a crashed sender's claim runs out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from tests.conftest import audit_entries
from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.audit.operations import unit_of_work
from workshops.db import utcnow
from workshops.errors import Invalid
from workshops.extensions import db
from workshops.mail.message import mask_mail_url, parse_mail_url
from workshops.mail.models import OutboxMessage
from workshops.mail.operations import Attachment, queue_mail
from workshops.mail.sender import backoff, send_waiting

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def queue(n=1, **kw) -> list[int]:
    ids = []
    with unit_of_work(None, system="test") as session:
        for i in range(n):
            fields = {"kind": "agenda_changed", "to": f"p{i}@example.org", "subject": f"Mail {i}",
                      "text": f"Hello {i}", "html": f"<p>Hello {i}</p>", **kw}
            message = queue_mail(session, **fields)
            session.flush()
            ids.append(message.id)
    return ids


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def later(minutes: float) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


@pytest.fixture
def mailer(app, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_FROM="Track-2 Workshops <workshops@example.org>",
                      MAIL_MAX_ATTEMPTS=4, MAIL_RETRY_SECONDS=60)
    return smtp_server


def test_a_queued_mail_arrives_once_as_a_proper_message(mailer):
    queue(1, unsubscribe_url="https://workshops.example.org/unsubscribe/abc",
          attachments=[Attachment("agenda.ics", "text/calendar", ICS)])
    result = send_waiting()
    assert (result.sent, result.retrying, result.failed) == (1, 0, 0)
    [message] = mailer.messages
    assert message["To"] == "p0@example.org"
    assert message["From"] == "Track-2 Workshops <workshops@example.org>"
    assert message["Message-ID"] == rows()[0].message_id and message["Message-ID"].endswith("@example.org>")
    assert message["Date"]
    assert message["List-Unsubscribe"] == "<https://workshops.example.org/unsubscribe/abc>"
    assert message.get_body(("plain",)).get_content().strip() == "Hello 0"
    assert message.get_body(("html",)).get_content().strip() == "<p>Hello 0</p>"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "agenda.ics" and attachment.get_content_type() == "text/calendar"
    assert attachment.get_content().encode() == ICS or attachment.get_payload(decode=True) == ICS
    assert mailer.envelopes == [("workshops@example.org", ["p0@example.org"])]
    [row] = rows()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None) and row.sent_at is not None
    assert send_waiting().sent == 0 and len(mailer.messages) == 1  # a second pass sends nothing again


def test_a_rolled_back_change_queues_nothing(mailer):
    with pytest.raises(RuntimeError), unit_of_work(None, system="test") as session:
        queue_mail(session, kind="agenda_changed", to="p@example.org", subject="S", text="T")
        session.flush()
        raise RuntimeError("the change fails after the mail was queued")
    assert rows() == []
    assert send_waiting().sent == 0 and mailer.messages == []


def test_mail_outside_a_unit_of_work_is_refused(app):
    queue_mail(db.session, kind="x", to="p@example.org", subject="S", text="T")
    with pytest.raises(RuntimeError, match="unit_of_work"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("address", ["", "no-at-sign", "a@b", "a@example.org, b@example.org",
                                     "a@example.org\r\nBcc: x@evil.example", "<a@example.org>", "a b@example.org"])
def test_a_malformed_address_is_refused_and_nothing_is_queued(app, address):
    with pytest.raises(Invalid) as refused, unit_of_work(None, system="test") as session:
        queue_mail(session, kind="x", to=address, subject="S", text="T")
    assert "to" in refused.value.errors
    assert rows() == []


def test_the_queued_mail_is_audited_without_its_bodies(app):
    queue(1, text="secret link https://x/password/TOKEN")
    [entry] = audit_entries("OutboxMessage", "create")
    assert entry.changes["to_address"] == [None, "p0@example.org"]
    assert "TOKEN" not in str(entry.changes) and "text_body" not in entry.changes


def test_a_server_that_is_down_then_back_gets_every_mail_once(app, mailer):
    queue(3)
    mailer.stop()
    result = send_waiting()
    # The pass stops at the first refused connection: one attempt counted, the rest untouched.
    assert (result.sent, result.retrying) == (0, 1)
    first, second, third = rows()
    assert (first.status, first.attempts) == ("waiting", 1) and "refused the connection" in first.last_error
    assert first.next_attempt_at > utcnow()
    assert [(r.status, r.attempts) for r in (second, third)] == [("waiting", 0), ("waiting", 0)]
    assert send_waiting(now=later(0.5)).retrying == 1  # still down (the first is not due yet)
    mailer.start()
    result = send_waiting(now=later(10))
    assert result.sent == 3
    assert sorted(m["To"] for m in mailer.messages) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert [r.status for r in rows()] == ["sent"] * 3
    assert send_waiting(now=later(120)).sent == 0 and len(mailer.messages) == 3


def test_a_temporary_refusal_is_tried_again_with_backoff(app, mailer):
    queue(1)
    mailer.refuse_next = 2
    assert send_waiting().retrying == 1
    [row] = rows()
    assert (row.status, row.attempts) == ("waiting", 1) and row.last_error.startswith("451")
    first_wait = row.next_attempt_at - utcnow()
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(seconds=60)
    assert send_waiting().sent == 0  # not due yet
    assert send_waiting(now=later(1.1)).retrying == 1
    [row] = rows()
    assert row.attempts == 2 and row.next_attempt_at - later(1.1) > dt.timedelta(seconds=110)  # doubled
    assert send_waiting(now=later(5)).sent == 1
    assert len(mailer.messages) == 1 and mailer.refused == 2
    assert backoff(1, 60) == dt.timedelta(minutes=1) and backoff(3, 60) == dt.timedelta(minutes=4)
    assert backoff(30, 60) == dt.timedelta(days=1)


def test_a_connection_dropped_mid_message_is_tried_again_and_arrives_once(app, mailer):
    queue(2)
    mailer.drop_next = 1
    result = send_waiting()
    assert result.sent == 1 and result.retrying == 1
    dropped = next(r for r in rows() if r.status == "waiting")
    assert "closed the connection" in dropped.last_error
    assert send_waiting(now=later(5)).sent == 1
    assert sorted(m["To"] for m in mailer.messages) == ["p0@example.org", "p1@example.org"]
    assert mailer.dropped == 1


def test_a_mail_that_keeps_failing_is_marked_failed_and_not_tried_again(app, mailer):
    queue(1)
    mailer.refuse_next = 100
    moment = utcnow()
    for _ in range(4):
        send_waiting(now=moment)
        moment += dt.timedelta(days=2)
    [row] = rows()
    assert (row.status, row.attempts) == ("failed", 4) and row.last_error.startswith("451")
    assert send_waiting(now=moment + dt.timedelta(days=30)).sent == 0 and mailer.refused == 4


def test_a_permanent_refusal_fails_at_once(app, mailer):
    queue(1)

    async def refuse_recipient(server, session, envelope, address, options):
        return "550 5.1.1 No such user here"

    mailer.controller.handler.handle_RCPT = refuse_recipient
    assert send_waiting().failed == 1
    [row] = rows()
    assert (row.status, row.attempts) == ("failed", 1) and "550" in row.last_error


def test_a_crashed_senders_claim_runs_out_and_the_mail_is_sent(app, mailer):
    app.config["MAIL_LEASE_SECONDS"] = 600
    [mail_id] = queue(1)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == mail_id)
                       .values(status="sending", claimed_at=utcnow(), attempts=1))
    db.session.commit()
    assert send_waiting().sent == 0  # another sender holds it
    assert send_waiting(now=later(11)).sent == 1
    [row] = rows()
    assert (row.status, row.attempts) == ("sent", 2) and len(mailer.messages) == 1


def test_without_mail_url_mail_is_written_to_the_log_and_marked_sent(app, caplog):
    app.config["MAIL_URL"] = ""
    queue(1, text="Your link: https://example.org/x")
    with caplog.at_level("INFO", logger="workshops.mail"):
        result = send_waiting()
    assert result.sent == 1 and rows()[0].status == "sent"
    assert "MAIL_URL is not set" in caplog.text and "Your link: https://example.org/x" in caplog.text


def test_the_mail_url_is_read_and_its_password_never_shown():
    server = parse_mail_url("smtp://mailer%40example.org:s%3Acret@smtp.example.org:587")
    assert (server.host, server.port, server.implicit_tls) == ("smtp.example.org", 587, False)
    assert (server.username, server.password) == ("mailer@example.org", "s:cret")
    assert "s:cret" not in mask_mail_url(server) and "***" in mask_mail_url(server)
    assert parse_mail_url("smtps://u:p@smtp.example.org").port == 465
    assert parse_mail_url("smtps://u:p@smtp.example.org").implicit_tls
    from workshops.config import ConfigError

    with pytest.raises(ConfigError):
        parse_mail_url("http://smtp.example.org")


def test_the_command_sends_what_is_waiting(app, mailer):
    queue(2)
    output = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert output.exit_code == 0, output.output
    assert "2 sent" in output.output and "127.0.0.1" in output.output
    assert len(mailer.messages) == 2


def test_the_loop_sends_then_polls_again(app, mailer):
    from workshops.mail.sender import send_loop

    queue(1)
    passes = []

    def stop():
        return len(passes) >= 2

    send_loop(5, stop=stop, sleep=passes.append)
    assert passes == [5, 5] and len(mailer.messages) == 1



def test_two_senders_at_once_send_every_mail_exactly_once(app, mailer):
    """Two senders, each with its own database connection, on the same
    outbox at the same time (on PostgreSQL the claim skips rows the other
    holds; on every engine the claim is a compare-and-set)."""
    import threading

    queue(30)
    mailer.delay = 0.01
    results, errors = [], []
    start = threading.Barrier(2)

    def sender():
        try:
            with app.app_context():
                start.wait()
                results.append(send_waiting())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    addresses = sorted(m["To"] for m in mailer.messages)
    assert addresses == sorted(f"p{i}@example.org" for i in range(30))  # each once
    assert sum(r.sent for r in results) == 30
    assert [(r.status, r.attempts) for r in rows()] == [("sent", 1)] * 30


def test_the_claim_skips_rows_another_sender_has_locked_on_postgresql(app, mailer, count_statements):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's; SQLite runs one sender")
    queue(1)
    with count_statements(lambda s: "outbox_message" in s.sql and s.sql.lstrip().startswith("SELECT")) as selects:
        send_waiting()
    assert any("FOR UPDATE SKIP LOCKED" in s.sql for s in selects)


def test_each_message_names_its_own_addressee_only(mailer):
    queue(3)
    send_waiting()
    assert len(mailer.messages) == 3
    for message, (_, recipients) in zip(mailer.messages, mailer.envelopes, strict=True):
        raw = message.as_string()
        others = {f"p{i}@example.org" for i in range(3)} - {message["To"]}
        assert recipients == [message["To"]] and not any(other in raw for other in others)
        assert message["Cc"] is None and message["Bcc"] is None


def test_the_loop_stops_on_sigterm_after_its_pass(app, mailer, tmp_path):
    """systemd stops the sender with SIGTERM: it finishes the pass and exits."""
    import os
    import signal
    import subprocess
    import sys
    import time

    queue(2)
    env = {**os.environ, "MAIL_URL": mailer.url, "MAIL_FROM": "workshops@example.org", "MAIL_POLL_SECONDS": "3600",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "INSTANCE_PATH": str(tmp_path),
           "SECRET_KEY": "test-secret-key"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "send-mail", "--loop"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(600):  # until both mails arrived (no wall-clock assertion: a bound on polling)
            if len(mailer.messages) == 2:
                break
            time.sleep(0.1)
        assert len(mailer.messages) == 2
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "mail sender stopped" in output
    assert [r.status for r in rows()] == ["sent", "sent"]


def test_the_password_of_mail_url_never_reaches_the_output_or_the_log(app, caplog):
    from tests.mail_server import free_port

    app.config["MAIL_URL"] = f"smtp://mailer:s3cret-Passw0rd@127.0.0.1:{free_port()}"  # nobody listens
    queue(1)
    with caplog.at_level("INFO"):
        output = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert "smtp://mailer:***@127.0.0.1" in output.output and "0 sent, 1 to be tried again" in output.output
    assert "refused the connection" in output.output
    assert "s3cret" not in output.output and "s3cret" not in caplog.text
    assert "s3cret" not in (rows()[0].last_error or "")
