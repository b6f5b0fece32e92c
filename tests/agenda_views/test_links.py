"""The share page: organisers see the participants' link and every personal
link, and revoke or replace them; the old address stops working at once.
Anyone else is refused and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.extensions import db


@pytest.fixture
def organised(programme, auth):
    p = programme(visibility="participants", per_day=1, people=3)
    auth.login(role="organiser", networks=[p.workshop.series.network])
    return p


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_the_share_page_shows_the_secret_link_and_each_personal_link(client, organised):
    p = organised

    response = client.get(f"/agenda/{p.slug}/links")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"http://localhost/agenda/{p.slug}/s/{p.workshop.secret_token}" in html
    for participation in p.participations:
        assert participation.person.full_name in html
        assert f"http://localhost/agenda/{p.slug}/p/{participation.personal_token}" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "@example.org" not in html


def test_the_agenda_offers_organisers_the_share_page(client, organised):
    assert f'href="/agenda/{organised.slug}/links"' in client.get(organised.url()).get_data(as_text=True)


def test_revoking_the_secret_link_closes_it_at_once(client, organised):
    p = organised
    old = p.secret_url()

    response = client.post(f"/agenda/{p.slug}/links/secret/revoke")

    assert response.status_code == 303
    assert reload(p.workshop).secret_token is None
    assert client.get(old).status_code == 404
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Workshop")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.note == "participants' link revoked"
    assert entry.changes["secret_token"] == ["(hidden)", "(changed)"]
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Revoked." in follow


def test_revoking_twice_is_refused_politely(client, organised):
    p = organised
    client.post(f"/agenda/{p.slug}/links/secret/revoke")

    response = client.post(f"/agenda/{p.slug}/links/secret/revoke", follow_redirects=True)

    assert response.status_code == 200
    assert "already revoked" in response.get_data(as_text=True)


def test_replacing_the_secret_link_retires_the_old_one(client, organised):
    p = organised
    old_token = p.workshop.secret_token

    client.post(f"/agenda/{p.slug}/links/secret/regenerate")

    new_token = reload(p.workshop).secret_token
    assert new_token and new_token != old_token
    assert client.get(p.url(kind="s", token=old_token)).status_code == 404
    client.post("/logout")
    assert client.get(p.url(kind="s", token=new_token)).status_code == 200


def test_a_personal_link_can_be_revoked_and_replaced(client, organised):
    p = organised
    someone = p.participations[1]
    old = p.personal_url(someone)

    client.post(f"/agenda/{p.slug}/links/people/{someone.id}/revoke")
    assert reload(someone).personal_token is None

    client.post(f"/agenda/{p.slug}/links/people/{someone.id}/regenerate")
    new_token = reload(someone).personal_token
    assert new_token

    client.post("/logout")
    assert client.get(old).status_code == 404
    assert client.get(p.url(kind="p", token=new_token)).status_code == 200
    notes = {e.note for e in db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation"))}
    assert {"personal agenda link revoked", "personal agenda link regenerated"} <= notes


def test_missing_personal_links_are_created_in_one_go(client, make, organised):
    p = organised
    newcomer = make.participation(workshop=p.workshop, person=make.person(full_name="Late Arrival"))
    assert newcomer.personal_token is None

    response = client.post(f"/agenda/{p.slug}/links/people/create-missing", follow_redirects=True)

    assert "1 personal link created." in response.get_data(as_text=True)
    assert reload(newcomer).personal_token
    assert [reload(x).personal_token for x in p.participations] == [x.personal_token for x in p.participations]


def test_a_participation_of_another_workshop_is_not_found(client, make, organised):
    p = organised
    elsewhere = make.participation(workshop=make.workshop(series=p.workshop.series))
    elsewhere_token = elsewhere.personal_token

    response = client.post(f"/agenda/{p.slug}/links/people/{elsewhere.id}/regenerate")

    assert response.status_code == 404
    assert reload(elsewhere).personal_token == elsewhere_token


ACTIONS = [
    ("get", "/agenda/{slug}/links"),
    ("post", "/agenda/{slug}/links/secret/revoke"),
    ("post", "/agenda/{slug}/links/secret/regenerate"),
    ("post", "/agenda/{slug}/links/people/{pid}/revoke"),
    ("post", "/agenda/{slug}/links/people/{pid}/regenerate"),
    ("post", "/agenda/{slug}/links/people/create-missing"),
]


@pytest.mark.parametrize("who", ["viewer", "organiser of another network"])
def test_others_are_refused_and_nothing_changes(client, auth, make, programme, who):
    p = programme(visibility="participants", per_day=1, people=2)
    if who == "viewer":
        auth.login(role="viewer")
    else:
        auth.login(role="organiser", networks=[make.network()])
    before = (p.workshop.secret_token, [x.personal_token for x in p.participations])
    entries = db.session.scalar(select(db.func.count(AuditEntry.id)))

    for method, path in ACTIONS:
        response = getattr(client, method)(path.format(slug=p.slug, pid=p.participations[0].id))
        assert response.status_code == 403, path

    assert (reload(p.workshop).secret_token, [reload(x).personal_token for x in p.participations]) == before
    assert db.session.scalar(select(db.func.count(AuditEntry.id))) == entries


def test_anonymous_visitors_are_sent_to_log_in(client, programme):
    p = programme(visibility="participants", per_day=1, people=2)
    before = (p.workshop.secret_token, [x.personal_token for x in p.participations])

    for method, path in ACTIONS:
        response = getattr(client, method)(path.format(slug=p.slug, pid=p.participations[0].id))
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"]

    assert (reload(p.workshop).secret_token, [reload(x).personal_token for x in p.participations]) == before


def test_an_unknown_workshop_has_no_share_page(client, auth):
    auth.login(role="admin")

    assert client.get("/agenda/nothing-here/links").status_code == 404
    assert client.post("/agenda/nothing-here/links/secret/revoke").status_code == 404
