"""The participant's reply on their personal page: coming or not, consents
and needs, saved through the people operations with an audit entry naming
their link; the organiser sees the answers and counts; a revoked link opens
nothing; bad input changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.people.models import Participation, revoke_personal_token
from workshops.people.privacy import erase_person, person_data

from .conftest import change


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _invited(programme, people=3):
    p = programme(visibility="participants", per_day=1, people=people)
    for participation in p.participations:
        change(participation, status="invited", consent_to_list=False)
    return p


ANSWER = {"reply": "confirmed", "consent_to_list": "y", "consent_to_be_named": "y",
          "dietary_needs": "Vegetarian, no nuts", "access_needs": "", "timezone": "America/New_York",
          "agenda_mail": "y"}


def test_the_personal_page_asks_for_an_answer_and_links_to_the_form(client, programme):
    p = _invited(programme)
    me = p.participations[0]

    page = client.get(p.personal_url(me)).get_data(as_text=True)

    assert "Answer the invitation" in page
    assert f'href="/agenda/{p.slug}/p/{me.personal_token}/reply"' in page
    form = client.get(p.personal_url(me, "/reply"))
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    html = form.get_data(as_text=True)
    assert 'name="reply"' in html and 'name="dietary_needs"' in html and 'name="consent_to_be_named"' in html
    # Nobody else's name on their page.
    assert p.participations[1].person.full_name not in html


def test_a_confirmation_with_consent_and_needs_reaches_the_organiser(client, auth, programme):
    p = _invited(programme)
    me, other = p.participations[0], p.participations[1]

    response = client.post(p.personal_url(me, "/reply"), data=ANSWER)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/agenda/{p.slug}/p/{me.personal_token}#reply")
    saved = reload(me)
    assert (saved.status, saved.consent_to_list, saved.consent_to_be_named) == ("confirmed", True, True)
    assert saved.dietary_needs == "Vegetarian, no nuts"
    assert saved.timezone == "America/New_York"
    assert saved.responded_at is not None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation",
                                                        AuditEntry.object_id == me.id)
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.user_id is None
    assert entry.actor == f"system: personal link of {me.person.full_name}"
    assert entry.changes["status"] == ["invited", "confirmed"]
    assert "will take part" in entry.note
    assert "You will take part." in client.get(p.personal_url(me)).get_data(as_text=True)

    client.post(p.personal_url(other, "/reply"), data={"reply": "declined"})
    assert reload(other).status == "declined"

    auth.login(role="organiser", networks=[p.workshop.series.network])
    page = client.get(f"/workshops/{p.workshop.id}/participants").get_data(as_text=True)
    # The workshop (3 June 2025) has ended: the summary speaks of it in the past, and leaves out what counts no one.
    assert "1 participant confirmed and 1 declined on their personal page. 1 invited participant did not answer." \
        in page
    assert "1 participant gave dietary needs." in page and "access needs" not in page
    assert "Vegetarian, no nuts" in page
    download = client.get(f"/workshops/{p.workshop.id}/participants.csv").get_data(as_text=True)
    assert "Dietary needs" in download and "Vegetarian, no nuts" in download


def test_needs_are_hidden_from_those_who_may_not_see_participants(client, auth, programme):
    p = _invited(programme)
    client.post(p.personal_url(p.participations[0], "/reply"), data=ANSWER)

    auth.login(role="viewer")
    page = client.get(f"/workshops/{p.workshop.id}/participants").get_data(as_text=True)

    assert "Vegetarian" not in page
    assert "Answers from the personal pages" not in page


def test_bad_answers_are_refused_at_their_fields_and_nothing_changes(client, programme):
    p = _invited(programme)
    me = p.participations[0]
    before = reload(me).version

    response = client.post(p.personal_url(me, "/reply"), data={
        **ANSWER, "reply": "maybe", "dietary_needs": "x" * 501, "timezone": "Mars/Olympus"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing has been saved yet." in html
    assert "at most 500 characters" in html
    saved = reload(me)
    assert (saved.status, saved.version, saved.dietary_needs) == ("invited", before, "")

    response = client.post(p.personal_url(me, "/reply"), data={**ANSWER, "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "Choose a time zone from the list." in response.get_data(as_text=True)
    assert reload(me).status == "invited"


def test_a_revoked_link_opens_a_clear_page_and_takes_no_answer(client, programme):
    p = _invited(programme)
    me = p.participations[0]
    reply_url = p.personal_url(me, "/reply")
    with unit_of_work(system="test"):
        revoke_personal_token(me)

    for response in (client.get(reply_url), client.post(reply_url, data=ANSWER)):
        assert response.status_code == 404
        assert "a link the organisers have withdrawn or replaced no longer works" in response.get_data(as_text=True)
    assert reload(me).status == "invited"


def test_after_the_workshop_the_answer_is_settled(client, programme):
    p = _invited(programme)
    me = p.participations[0]
    change(me, status="attended")

    response = client.post(p.personal_url(me, "/reply"), data=ANSWER)

    assert response.status_code == 422
    assert reload(me).status == "attended"


def test_unsubscribing_stops_agenda_mails_and_needs_a_button(client, programme):
    p = _invited(programme)
    me = p.participations[0]
    url = p.personal_url(me, "/unsubscribe")

    assert "Stop these mails" in client.get(url).get_data(as_text=True)
    assert reload(me).agenda_mail is True  # a GET (a mail client checking the link) changes nothing
    assert client.post(url).status_code == 200
    assert reload(me).agenda_mail is False


def test_needs_are_in_the_personal_data_export_and_erased(app, make, programme):
    p = _invited(programme)
    me = p.participations[0]
    from workshops.people.operations import reply_to_invitation
    reply_to_invitation(me, {**ANSWER, "access_needs": "Wheelchair"})
    admin = make.user(role="admin")

    data = person_data(me.person)
    assert data["participations"][0]["dietary_needs"] == "Vegetarian, no nuts"
    assert data["participations"][0]["access_needs"] == "Wheelchair"

    name = me.person.full_name
    erase_person(admin, me.person, reload(me.person).version)
    saved = db.session.get(Participation, me.id)
    assert (saved.dietary_needs, saved.access_needs) == ("", "")
    actors = db.session.scalars(select(AuditEntry.actor).where(AuditEntry.person_id == me.person_id)).all()
    assert not any(name in actor for actor in actors)
    changes = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.person_id == me.person_id)).all()
    assert not any("Vegetarian" in str(c) for c in changes)
