"""An admin exports everything held about a person, or erases the person's
identity while the statistics stay; both are in the audit trail."""

import json

from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Participation, Person

from ..conftest import form_errors


def _person_with_history(make):
    person = make.person(full_name="Siti Rahmawati", honorific="Dr", email="siti@think.example.id",
                         phone="+62 812 555 0101", affiliation="CSIS Indonesia", country="ID",
                         notes="Prefers vegetarian meals.", sector="academia")
    workshop = make.workshop(title="NADI Workshop on HADR")
    participation = make.participation(workshop=workshop, person=person, role="speaker",
                                       affiliation="CSIS Indonesia", personal_token="Tok3nForSiti0123456789abc")
    make.agenda_item(workshop=workshop, title="Panel: Disaster response", people=[(participation, "speaker")])
    return person, workshop, participation


def test_an_admin_downloads_everything_held_about_a_person(client, auth, make):
    person, workshop, _ = _person_with_history(make)
    admin = auth.login(role="admin")
    response = client.post(f"/admin/people/{person.id}/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert f'filename="person-{person.id}.json"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["full_name"] == "Siti Rahmawati"
    assert data["person"]["email"] == "siti@think.example.id"
    assert data["person"]["phone"] == "+62 812 555 0101"
    [participation] = data["participations"]
    assert participation["workshop"]["title"] == "NADI Workshop on HADR"
    assert participation["role"] == "speaker"
    assert participation["has_personal_agenda_link"] is True
    assert "Tok3nForSiti0123456789abc" not in response.get_data(as_text=True)
    assert participation["agenda_roles"][0]["agenda_item"] == "Panel: Disaster response"
    assert {e["object_type"] for e in data["audit_entries"]} >= {"Person", "Participation"}

    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.object_type, entry.object_id, entry.user_id) == ("Person", person.id, admin.id)


def test_only_admins_may_export_or_erase(client, auth, make):
    person, *_ = _person_with_history(make)
    auth.login(role="organiser")
    assert client.post(f"/admin/people/{person.id}/export").status_code == 403
    assert client.get(f"/admin/people/{person.id}/erase").status_code == 403
    assert client.post(f"/admin/people/{person.id}/erase", data={"confirm": "y"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, person.id).erased_at is None
    assert client.post("/admin/people/999999/export").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, make):
    person, *_ = _person_with_history(make)
    assert client.post(f"/admin/people/{person.id}/export").status_code == 302
    assert client.get(f"/admin/people/{person.id}/erase").status_code == 302


def test_erasing_needs_a_confirmation(client, auth, make):
    person, *_ = _person_with_history(make)
    auth.login(role="admin")
    page = client.get(f"/admin/people/{person.id}/erase").get_data(as_text=True)
    assert "Siti Rahmawati" in page and "1 participation" in page
    refused = client.post(f"/admin/people/{person.id}/erase", data={"version": person.version})
    assert "Tick the box to confirm." in form_errors(refused.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Person, person.id).full_name == "Siti Rahmawati"


def test_erasing_removes_the_identity_and_keeps_the_statistics(client, auth, make):
    person, workshop, participation = _person_with_history(make)
    auth.login(role="admin")
    response = client.post(f"/admin/people/{person.id}/erase", data={"confirm": "y", "version": person.version})
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(Person, person.id)
    assert erased.full_name == f"Erased person #{person.id}"
    assert (erased.honorific, erased.email, erased.phone, erased.affiliation, erased.notes) == ("", None, "", "", "")
    assert erased.erased_at is not None
    assert (erased.country, erased.sector) == ("ID", "academia")
    kept = db.session.get(Participation, participation.id)
    assert (kept.workshop_id, kept.role, kept.status, kept.sector, kept.country) == \
        (workshop.id, "speaker", "attended", "academia", "ID")
    assert kept.personal_token is None and kept.affiliation == ""

    # The audit trail says it happened, and no longer holds the old values.
    entries = db.session.scalars(select(AuditEntry)).all()
    trail = json.dumps([[e.object_label, e.changes, e.note] for e in entries])
    for secret in ("Siti", "siti@think.example.id", "+62 812 555 0101", "vegetarian"):
        assert secret not in trail, [(e.object_type, e.action, e.object_label, e.changes) for e in entries if secret in json.dumps([e.object_label, e.changes])]
    erase = [e for e in entries if e.object_type == "Person" and e.action == "update"]
    assert len(erase) == 1 and "Erased personal data" in erase[0].note
    assert erase[0].changes["full_name"] == ["(erased)", f"Erased person #{person.id}"]


def test_erasing_twice_is_refused_with_a_message(client, auth, make):
    person, *_ = _person_with_history(make)
    auth.login(role="admin")
    client.post(f"/admin/people/{person.id}/erase", data={"confirm": "y", "version": person.version})
    db.session.expire_all()
    again = client.get(f"/admin/people/{person.id}/erase").get_data(as_text=True)
    assert "was erased on" in again


def test_a_stale_confirmation_is_refused(client, auth, make):
    person, *_ = _person_with_history(make)
    auth.login(role="admin")
    response = client.post(f"/admin/people/{person.id}/erase", data={"confirm": "y", "version": person.version - 1 or 99})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Person, person.id).erased_at is None


def test_the_privacy_macro_shows_the_actions_to_admins_only(app, make):
    from flask import render_template_string
    from flask_login import login_user

    person, *_ = _person_with_history(make)
    template = '{% from "people/_privacy.html" import privacy_actions with context %}{{ privacy_actions(person) }}'
    for role, shown in (("viewer", False), ("organiser", False), ("admin", True)):
        user = make.user(role=role)
        user.login_key = "key"
        with app.test_request_context():
            login_user(user)
            html = render_template_string(template, person=person)
        assert ("Export as JSON" in html) is shown, role
        assert (f"/admin/people/{person.id}/erase" in html) is shown, role


def _removed_speaker(client, auth, make):
    """A person added to a workshop, made a speaker, then removed from it by
    its organiser (with their agenda role): only the audit trail remembers."""
    person, workshop, participation = _person_with_history(make)
    other = make.participation(workshop=workshop, person=make.person(full_name="Somebody Else"))
    make.agenda_item(workshop=workshop, title="Closing", people=[(participation, "chair"), (other, "speaker")])
    auth.login(role="organiser", networks=[workshop.series.network])
    response = client.post(f"/workshops/{workshop.id}/participants/{participation.id}/remove",
                           data={"version": participation.version, "drop_agenda_roles": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, participation.id) is None
    auth.logout()
    return person, workshop, participation


def test_the_export_covers_the_entries_of_removed_participations_and_roles(client, auth, make):
    person, workshop, participation = _removed_speaker(client, auth, make)
    auth.login(role="admin")
    data = json.loads(client.post(f"/admin/people/{person.id}/export").get_data(as_text=True))
    assert data["participations"] == []
    about = {(e["object_type"], e["action"]) for e in data["audit_entries"]}
    assert {("Participation", "create"), ("Participation", "delete"),
            ("AgendaItemPerson", "create"), ("AgendaItemPerson", "delete")} <= about
    labels = " ".join(e["object_label"] for e in data["audit_entries"])
    assert "Speaker Siti Rahmawati in “Panel: Disaster response”" in labels
    assert "Somebody Else" not in json.dumps(data)  # another person's entries are not theirs


def test_erasing_reaches_the_entries_of_removed_participations_and_roles(client, auth, make):
    person, workshop, participation = _removed_speaker(client, auth, make)
    auth.login(role="admin")
    db.session.expire_all()
    version = db.session.get(Person, person.id).version
    assert client.post(f"/admin/people/{person.id}/erase",
                       data={"confirm": "y", "version": version}).status_code == 302
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry)).all()
    for e in entries:
        text = json.dumps([e.object_label, e.changes, e.note], ensure_ascii=False)
        for secret in ("Siti", "Rahmawati", "siti@think.example.id", "+62 812 555 0101", "CSIS"):
            assert secret not in text, (e.object_type, e.action, text)
    assert "Somebody Else" in " ".join(e.object_label for e in entries)  # others are untouched

    # What a viewer reads on the agenda builder's history.
    auth.logout()
    auth.login(role="viewer")
    history = client.get(f"/workshops/{workshop.id}/agenda").get_data(as_text=True)
    assert "Siti" not in history
    assert f"Created: Speaker Erased person #{person.id} in “Panel: Disaster response”" in history
    assert f"Deleted: Chair Erased person #{person.id} in “Closing”" in history


def test_every_entry_about_a_person_records_the_person(make):
    person, workshop, participation = _person_with_history(make)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type.in_(("Person", "Participation", "AgendaItemPerson")))).all()
    assert {e.object_type for e in entries} == {"Person", "Participation", "AgendaItemPerson"}
    assert {e.person_id for e in entries} == {person.id}
    assert all(e.person_id is None for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "Workshop")))


def test_the_migration_finds_the_person_of_entries_written_before_it():
    """Migration 0006 attributes old entries from the trail itself, in the
    order written, so an id reused after a delete goes to the right person."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0006_privacy.py"
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    entries = [
        (1, "Person", 7, "create", {"full_name": [None, "Ann"]}),
        (2, "Participation", 3, "create", {"person_id": [None, 7], "workshop_id": [None, 1]}),
        (3, "AgendaItemPerson", 5, "create", {"participation_id": [None, 3], "role": [None, "speaker"]}),
        (4, "AgendaItemPerson", 5, "delete", {}),
        (5, "Participation", 3, "delete", {}),
        (6, "Participation", 3, "create", {"person_id": [None, 8]}),  # SQLite reused the id
        (7, "Participation", 3, "update", {"status": ["invited", "attended"]}),
        (8, "Participation", 9, "update", {"status": ["invited", "attended"]}),  # created before the trail
        (9, "Workshop", 1, "create", {}),
    ]
    found = migration.person_ids(entries, live_participations={3: 8, 9: 11}, live_roles={})
    assert found == {1: 7, 2: 7, 3: 7, 4: 7, 5: 7, 6: 8, 7: 8, 8: 11}
