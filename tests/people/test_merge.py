"""Merging two records of one person: the other's participations, agenda
speaker roles and history move to the survivor, the fields chosen are kept,
the other record goes, all in one audited unit of work; refused (nothing
changed) into themselves, when both are on the same workshop, on a stale
version, and for users who may not read both."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AgendaItemPerson, AuditEntry, Participation, Person

from ..conftest import checksum, fresh
from .conftest import text_of


def merge_url(person, other=None) -> str:
    return f"/people/{person.id}/merge" + (f"?other={other.id}" if other is not None else "")


def post_merge(client, survivor, other, keep=None, versions=None):
    data = {"other_id": str(other.id if hasattr(other, "id") else other),
            "version": str((versions or (survivor.version, None))[0]),
            "other_version": str((versions or (None, other.version))[1])}
    data.update({f"keep_{k}": v for k, v in (keep or {}).items()})
    return client.post(f"/people/{survivor.id}/merge", data=data)


@pytest.fixture
def twins(make, workshop):
    """Aung Kyaw Moe recorded twice: once with an email (at one workshop),
    once without (imported to another, as a speaker there)."""
    first = make.person(full_name="Aung Kyaw Moe", email="akm@example.org", affiliation="", country="MM",
                        phone="")
    second = make.person(full_name="Aung Kyaw Moe", email=None, affiliation="MISIS", country="MM",
                         phone="+95 1 555 0100", honorific="Dr")
    other_workshop = make.workshop(series=workshop.series, title="NADI Workshop 2026")
    make.participation(workshop=workshop, person=first, status="attended")
    there = make.participation(workshop=other_workshop, person=second, status="confirmed", role="speaker")
    item = make.agenda_item(workshop=other_workshop, people=[(there, "speaker")], title="Opening")
    return first, second, there, item


def test_the_merge_pages_find_the_other_and_show_both_side_by_side(client, organiser, twins):
    first, second, *_ = twins
    page = text_of(client.get(merge_url(first) + "?q=aung"))
    assert f"/people/{first.id}/merge?other={second.id}" in page
    assert f"other={first.id}" not in page  # not themselves
    page = text_of(client.get(merge_url(first, second)))
    assert "MISIS" in page and "akm@example.org" in page and "+95 1 555 0100" in page
    assert 'name="keep_affiliation" value="other" checked' in page  # the empty side is not preselected
    assert "NADI Workshop 2026" in page
    assert f'href="/people/{first.id}/merge"' in text_of(client.get(f"/people/{first.id}"))


def test_a_merge_moves_participations_roles_and_history_and_keeps_the_chosen_fields(client, organiser, twins):
    first, second, there, item = twins
    db.session.add(AuditEntry(actor="test", action="update", object_type="Person", object_id=second.id,
                              person_id=second.id, changes={"phone": ["", "+95 1 555 0100"]}))
    db.session.commit()
    second_id = second.id
    response = post_merge(client, first, second, keep={"honorific": "other", "affiliation": "other",
                                                       "phone": "other", "email": "survivor"})
    assert response.status_code == 302, form_page(response)
    assert response.headers["Location"].endswith(f"/people/{first.id}")
    db.session.expire_all()
    assert db.session.get(Person, second_id) is None
    survivor = db.session.get(Person, first.id)
    assert (survivor.honorific, survivor.affiliation, survivor.phone, survivor.email) == (
        "Dr", "MISIS", "+95 1 555 0100", "akm@example.org")
    assert fresh(there).person_id == first.id
    roles = db.session.scalars(select(AgendaItemPerson).where(AgendaItemPerson.agenda_item_id == item.id)).all()
    assert [r.participation.person_id for r in roles] == [first.id]
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.person_id == second_id)).all()
    merged = db.session.scalars(select(AuditEntry).where(AuditEntry.note.like("Merged %"))).all()
    assert {e.object_type for e in merged} == {"Person", "Participation"}
    assert {e.person_id for e in merged} == {first.id}
    assert any(e.action == "delete" and e.object_id == second_id for e in merged)
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.person_id == first.id,
                                                       AuditEntry.actor == "test")).one()


def test_an_email_can_move_from_the_removed_record(client, organiser, make):
    first = make.person(full_name="Ann Lee", email=None)
    second = make.person(full_name="Ann Lee", email="ann@example.org")
    assert post_merge(client, first, second, keep={"email": "other"}).status_code == 302
    assert fresh(first).email == "ann@example.org"


def form_page(response) -> str:
    return text_of(response)[:3000]


def test_a_merge_into_themselves_is_refused(client, organiser, twins):
    first, *_ = twins
    state = checksum()
    response = post_merge(client, first, first)
    assert response.status_code == 422
    assert "cannot be merged into themselves" in text_of(response)
    assert checksum() == state


def test_a_merge_of_two_on_the_same_workshop_is_refused_naming_it(client, organiser, make, workshop, twins):
    first, second, *_ = twins
    make.participation(workshop=workshop, person=second, status="attended")
    state = checksum()
    page = text_of(client.get(merge_url(first, second)))
    assert "NADI Workshop on Disaster Relief 2025" in page and "cannot be merged" in page
    response = post_merge(client, first, second)
    assert response.status_code == 422
    assert "are on “NADI Workshop on Disaster Relief 2025”" in text_of(response)
    assert checksum() == state


def test_a_stale_version_is_refused(client, organiser, twins):
    first, second, *_ = twins
    state = checksum()
    response = post_merge(client, first, second, versions=(first.version, second.version - 1 or 99))
    assert response.status_code == 409
    assert checksum() == state


@pytest.mark.parametrize("role", ["viewer", "other_organiser"])
def test_only_those_who_may_read_both_people_may_merge(client, make, auth, workshop, twins, role):
    first, second, *_ = twins
    networks = [make.network(acronym="ELSE", slug="else")] if role == "other_organiser" else []
    auth.login(role=role.replace("other_", ""), networks=networks)
    state = checksum()
    assert client.get(merge_url(first, second)).status_code == 403
    assert post_merge(client, first, second).status_code == 403
    assert checksum() == state


def test_an_organiser_cannot_merge_in_someone_they_may_not_read(client, make, organiser, twins):
    first, *_ = twins
    hidden = make.person(full_name="Aung Kyaw Moe", email="hidden@example.org")
    make.participation(workshop=make.workshop(), person=hidden, status="attended")  # another network
    state = checksum()
    assert "hidden@example.org" not in text_of(client.get(merge_url(first) + "?q=aung"))
    response = post_merge(client, first, hidden)
    assert response.status_code == 422
    assert checksum() == state
    assert db.session.scalar(select(db.func.count()).select_from(Participation)
                             .where(Participation.person_id == hidden.id)) == 1
