"""The weekly follow-up digest: each owner gets one mail a week listing
what they own that is due for a check, through a real SMTP server on
loopback; the command is idempotent per week."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.extensions import db
from workshops.mail.sender import send_waiting
from workshops.outcomes.digests import send_follow_up_digests, week_of
from workshops.outcomes.models import FollowUpDigest

from .helpers import days_ago


@pytest.fixture
def mailer(app, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_FROM="Track-2 Workshops <workshops@example.org>")
    return smtp_server


def test_each_owner_gets_what_is_due_once_a_week(app, mailer, make, world):
    ann = make.user(role="organiser", networks=[world.network], name="Ann Owner", email="ann@example.org")
    bob = make.user(role="organiser", networks=[world.network], name="Bob Owner", email="bob@example.org")
    make.recommendation(workshop=world.workshop, title="Due for Ann", owner_id=ann.id, next_check_on=days_ago(3))
    make.recommendation(workshop=world.workshop, title="Also due for Ann", owner_id=ann.id, next_check_on=days_ago(0))
    make.recommendation(workshop=world.workshop, title="Later for Ann", owner_id=ann.id,
                        next_check_on=dt.date.today() + dt.timedelta(days=9))
    make.recommendation(workshop=world.workshop, title="Closed for Bob", owner_id=bob.id, next_check_on=days_ago(5),
                        closed_as="withdrawn", closed_on=dt.date(2024, 6, 1), closed_reason="Dropped.")
    today = dt.date.today()

    with app.test_request_context("/", base_url="http://localhost"):
        first = send_follow_up_digests(today)
        second = send_follow_up_digests(today)
        later_that_week = send_follow_up_digests(week_of(today) + dt.timedelta(days=6))
    send_waiting()

    assert (first.sent, second.sent, second.already, later_that_week.sent) == (1, 0, 1, 0)
    [message] = mailer.to("ann@example.org")
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Follow-up due: 2 recommendations"
    assert "Due for Ann" in text and "Also due for Ann" in text and "Later for Ann" not in text
    assert "http://localhost/recommendations/" in text
    assert "http://localhost/follow-up?show=due&owner=me" in text
    assert mailer.to("bob@example.org") == []  # a closed recommendation is never due
    assert db.session.query(FollowUpDigest).count() == 1

    with app.test_request_context("/", base_url="http://localhost"):
        next_week = send_follow_up_digests(week_of(today) + dt.timedelta(days=7))
    assert next_week.sent == 1


def test_the_commands_need_the_site_address_and_run(app, make, world, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("SERVER_NAME", raising=False)
    owner = make.user(role="admin", email="owner@example.org")
    make.recommendation(workshop=world.workshop, owner_id=owner.id, next_check_on=days_ago(1))
    runner = app.test_cli_runner()

    refused = runner.invoke(args=["send-follow-up-digests"])
    assert refused.exit_code != 0 and "--site-url" in refused.output

    untrusted = runner.invoke(args=["send-follow-up-digests", "--site-url", "https://elsewhere.example.net"])
    assert untrusted.exit_code != 0 and "TRUSTED_HOSTS" in untrusted.output

    done = runner.invoke(args=["send-follow-up-digests", "--site-url", "http://localhost"])
    assert done.exit_code == 0, done.output
    assert "Follow-up digests queued: 1" in done.output
    again = runner.invoke(args=["send-follow-up-digests", "--site-url", "http://localhost"])
    assert "Follow-up digests queued: 0; already sent this week: 1." in again.output
    agenda = runner.invoke(args=["send-digests", "--site-url", "http://localhost"])
    assert agenda.exit_code == 0 and "Agenda change digests queued: 0" in agenda.output
