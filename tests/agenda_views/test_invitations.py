"""Inviting participants by mail: each gets their own personal link, the
answer page and a calendar file, through the outbox and a real SMTP server
on loopback; no mail names another participant; no address is reported,
not an error; resend; the mail-merge CSV; drafts are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.audit.operations import unit_of_work
from workshops.core.clock import today
from workshops.extensions import db
from workshops.mail.models import OutboxMessage
from workshops.mail.sender import send_waiting
from workshops.people.models import Participation

from .conftest import change


@pytest.fixture
def mailer(app, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_FROM="Track-2 Workshops <workshops@example.org>")
    return smtp_server


@pytest.fixture
def organised(programme, auth):
    # A workshop still to come: one that has ended is not invited to (test_an_ended_workshop_…).
    p = programme(visibility="participants", status="published", per_day=2, people=3,
                  start_date=today() + dt.timedelta(days=30))
    for participation in p.participations:
        change(participation, status="invited")
    auth.login(role="organiser", networks=[p.workshop.series.network])
    return p


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _everyone_else(p, me):
    others = [x for x in p.participations if x.id != me.id]
    return [x.person.full_name for x in others] + [x.person.email for x in others]


def test_invitations_arrive_with_the_personal_link_and_a_calendar_naming_no_one_else(client, organised, mailer):
    p = organised
    first, second = p.participations[0], p.participations[1]

    response = client.post(f"/agenda/{p.slug}/invitations",
                           data={"which": "selected", "participation_id": [first.id, second.id]})

    assert response.status_code == 303
    assert "Sent 2 invitations" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert send_waiting().sent == 2
    for participation in (first, second):
        participation = reload(participation)
        assert participation.invited_at is not None
        [message] = mailer.to(participation.person.email)
        token = participation.personal_token
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert f"http://localhost/agenda/{p.slug}/p/{token}" in text
        assert f"http://localhost/agenda/{p.slug}/p/{token}/reply" in text
        assert f"/agenda/{p.slug}/p/{token}" in html
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
        calendar = attachment.get_payload(decode=True).decode("utf-8")
        assert "BEGIN:VEVENT" in calendar and "Session 1.1" in calendar
        assert participation.person.full_name in calendar  # their own roles stay
        whole = message.as_string() + calendar
        for other in _everyone_else(p, participation):
            assert other not in whole, other
    assert reload(p.participations[2]).invited_at is None
    assert mailer.to(p.participations[2].person.email) == []


def test_all_not_yet_invited_then_resend_and_no_address(client, organised, mailer, make):
    p = organised
    nobody = make.person(full_name="Without Address", email=None)
    with unit_of_work(system="test"):
        db.session.add(Participation(workshop=p.workshop, person=nobody, role="participant", status="invited",
                                     sector="academia"))
    client.post(f"/agenda/{p.slug}/invitations", data={"which": "selected", "participation_id": [p.participations[0].id]})
    send_waiting()

    page = client.get(client.post(f"/agenda/{p.slug}/invitations", data={"which": "not_invited"})
                      .headers["Location"]).get_data(as_text=True)

    assert "Sent 2 invitations" in page
    assert "No address for Without Address" in page
    send_waiting()
    assert len(mailer.messages) == 3  # the first one was not sent twice
    assert len(mailer.to(p.participations[0].person.email)) == 1

    again = client.post(f"/agenda/{p.slug}/invitations",
                        data={"which": "selected", "participation_id": [p.participations[0].id]})
    assert "Already invited" in client.get(again.headers["Location"]).get_data(as_text=True)
    client.post(f"/agenda/{p.slug}/invitations",
                data={"which": "selected", "resend": "yes", "participation_id": [p.participations[0].id]})
    send_waiting()
    assert len(mailer.to(p.participations[0].person.email)) == 2


def test_a_revoked_link_is_replaced_by_the_invitation(client, organised, mailer):
    p = organised
    me = p.participations[0]
    old = p.personal_url(me)
    client.post(f"/agenda/{p.slug}/links/people/{me.id}/revoke")
    assert client.get(old).status_code == 404

    client.post(f"/agenda/{p.slug}/invitations", data={"which": "selected", "participation_id": [me.id]})
    send_waiting()

    token = reload(me).personal_token
    assert token and token not in old
    [message] = mailer.to(me.person.email)
    assert f"/p/{token}" in message.get_body(("plain",)).get_content()
    assert client.get(f"/agenda/{p.slug}/p/{token}").status_code == 200


def test_a_draft_is_not_invited_and_nothing_is_queued(client, organised):
    p = organised
    change(p.workshop, status="draft")

    response = client.post(f"/agenda/{p.slug}/invitations", data={"which": "not_invited"})

    assert "Publish the workshop first" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None
    assert reload(p.participations[0]).invited_at is None


def test_an_ended_workshop_offers_no_invitation_and_the_operation_refuses_one(client, organised):
    p = organised
    change(p.workshop, start_date=today() - dt.timedelta(days=10), end_date=today() - dt.timedelta(days=9))
    page = client.get(f"/workshops/{p.workshop.id}/participants").get_data(as_text=True)
    assert "Invite all not yet invited" not in page and "Invite the ticked participants" not in page
    assert 'name="participation_id"' not in page  # no boxes to tick for a mail that cannot go
    assert "This workshop has ended, so invitations are no longer sent." in page

    for data in ({"which": "not_invited"}, {"which": "selected", "participation_id": [p.participations[0].id]},
                 {"which": "selected", "resend": "yes", "participation_id": [p.participations[0].id]}):
        response = client.post(f"/agenda/{p.slug}/invitations", data=data)
        assert "This workshop has ended" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None
    assert reload(p.participations[0]).invited_at is None


def test_a_workshop_on_its_last_day_still_invites(client, organised):
    p = organised
    change(p.workshop, start_date=today() - dt.timedelta(days=1), end_date=today())
    page = client.get(f"/workshops/{p.workshop.id}/participants").get_data(as_text=True)
    assert "Invite all not yet invited (3)" in page


def test_others_may_not_invite(client, programme, auth):
    p = programme(visibility="participants", status="published", per_day=1, people=2)
    auth.login(role="organiser")  # of no network of this workshop
    assert client.post(f"/agenda/{p.slug}/invitations", data={"which": "not_invited"}).status_code == 403
    assert client.get(f"/agenda/{p.slug}/personal-links.csv").status_code == 403
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_the_mail_merge_csv_lists_every_personal_link(client, organised):
    p = organised
    client.post(f"/agenda/{p.slug}/links/people/{p.participations[1].id}/revoke")

    response = client.get(f"/agenda/{p.slug}/personal-links.csv")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    for participation in p.participations:
        participation = reload(participation)
        assert f"http://localhost/agenda/{p.slug}/p/{participation.personal_token}" in text
        assert participation.person.email in text
