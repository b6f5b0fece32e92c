""""The agenda changed": one digest a day to each confirmed participant of a
published workshop, naming what moved, was added or was cancelled, in the
participant's own zone, with List-Unsubscribe; nothing for drafts, for
those who declined or unsubscribed, or for changes no organiser made."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.mail_server import smtp_server  # noqa: F401  (fixture)
from workshops.agenda_views.digests import send_agenda_digests
from workshops.audit.operations import unit_of_work
from workshops.db import utcnow
from workshops.extensions import db
from workshops.mail.sender import send_waiting
from workshops.programme.models import AgendaItem

from .conftest import change


@pytest.fixture
def mailer(app, smtp_server):  # noqa: F811
    app.config.update(MAIL_URL=smtp_server.url, MAIL_FROM="Track-2 Workshops <workshops@example.org>")
    return smtp_server


@pytest.fixture
def published(programme, make):
    start = dt.date.today() + dt.timedelta(days=30)
    p = programme(visibility="participants", status="published", per_day=3, people=3, start_date=start,
                  timezone="Asia/Jakarta")
    change(p.participations[0], timezone="America/New_York")
    change(p.participations[1], status="declined")
    organiser = make.user(role="organiser", networks=[p.workshop.series.network], name="Org Aniser")
    return p, organiser


def digests(app, now=None):
    with app.test_request_context("/", base_url="http://localhost"):
        return send_agenda_digests(now)


def edit_agenda(organiser, p, make):
    moved, cancelled, removed = p.items[0], p.items[1], p.items[2]
    with unit_of_work(organiser):
        moved.starts_at = moved.starts_at + dt.timedelta(hours=2)
        moved.ends_at = moved.ends_at + dt.timedelta(hours=2)
        cancelled.status = "cancelled"
        db.session.add(AgendaItem(workshop=p.workshop, title="Closing dinner", kind="meal",
                                  starts_at=moved.starts_at + dt.timedelta(hours=8),
                                  ends_at=moved.starts_at + dt.timedelta(hours=10)))
    with unit_of_work(organiser):
        for role in list(removed.people):
            db.session.delete(role)
        db.session.delete(removed)
    return moved


def test_one_digest_names_what_changed_in_the_participants_zone(app, mailer, published, make):
    p, organiser = published
    moved = edit_agenda(organiser, p, make)

    run = digests(app)
    send_waiting()

    assert run.sent == 2  # the two who confirmed; the one who declined gets nothing
    me = p.participations[0]
    [message] = mailer.to(me.person.email)
    text = message.get_body(("plain",)).get_content()
    local = moved.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert "Times are in America/New_York." in text
    assert f"MOVED: Session 1.1, now {local.strftime('%a %d %b, %H:%M')}" in text
    assert "CANCELLED: Session 1.2" in text
    assert "CANCELLED: Session 1.3" in text
    assert "ADDED: Closing dinner" in text
    assert message["List-Unsubscribe"] == f"<http://localhost/agenda/{p.slug}/p/{me.personal_token}/unsubscribe>"
    assert f"http://localhost/agenda/{p.slug}/p/{me.personal_token}" in text
    for other in p.participations[1:]:
        assert other.person.full_name not in message.as_string()
        assert other.person.email not in message.as_string()
    [jakarta] = mailer.to(p.participations[2].person.email)
    assert "Times are in Asia/Jakarta." in jakarta.get_body(("plain",)).get_content()
    assert mailer.to(p.participations[1].person.email) == []


def test_at_most_one_a_day_and_the_rest_waits_for_tomorrow(app, mailer, published, make):
    p, organiser = published
    edit_agenda(organiser, p, make)
    assert digests(app).sent == 2
    with unit_of_work(organiser):
        p.items[0].room = "Room 9"

    again = digests(app)
    assert (again.sent, again.waiting) == (0, 2)
    assert digests(app).sent == 0

    tomorrow = digests(app, utcnow() + dt.timedelta(days=1))
    send_waiting()
    assert tomorrow.sent == 2
    second = mailer.to(p.participations[0].person.email)[-1].get_body(("plain",)).get_content()
    assert "MOVED: Session 1.1" in second and "Room 9" in second and "Closing dinner" not in second
    assert digests(app, utcnow() + dt.timedelta(days=2)).sent == 0  # nothing new: no mail


def test_nothing_for_drafts_unsubscribed_or_changes_no_organiser_made(app, client, mailer, published, make):
    p, organiser = published
    with unit_of_work(system="import"):
        p.items[0].title = "Renamed by a command"
        p.items[0].starts_at = p.items[0].starts_at + dt.timedelta(hours=1)
        p.items[0].ends_at = p.items[0].ends_at + dt.timedelta(hours=1)
    assert digests(app).sent == 0

    client.post(p.personal_url(p.participations[0], "/unsubscribe"))
    edit_agenda(organiser, p, make)
    assert digests(app).sent == 1  # only participant 3: participant 1 unsubscribed

    change(p.workshop, status="draft")
    with unit_of_work(organiser):
        p.items[0].room = "Room 5"
    assert digests(app, utcnow() + dt.timedelta(days=1)).sent == 0
