"""Every write goes through one layer that also writes the audit trail."""

import pytest
from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.audit.operations import Conflict, expect_version, unit_of_work
from workshops.extensions import db
from workshops.models import Workshop


def _entries(obj):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.id)
    ).all()


def test_create_and_update_are_recorded_with_old_and_new_values(make):
    user = make.user(role="admin", name="Ann Admin")
    workshop = make.workshop(title="Old title")
    with unit_of_work(user):
        workshop.title = "New title"
    entries = _entries(workshop)
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["title"] == ["Old title", "New title"]
    assert entries[1].actor == "Ann Admin" and entries[1].user_id == user.id
    assert entries[1].object_version == workshop.version == 2


def test_many_to_many_changes_are_recorded_by_label(make):
    workshop = make.workshop()
    theme = make.theme(name="Maritime security")
    with unit_of_work(system="test"):
        workshop.themes = [theme]
    assert _entries(workshop)[-1].changes["themes"] == [[], ["Maritime security"]]


def test_a_delete_is_recorded(make):
    workshop = make.workshop(title="Doomed")
    workshop_id = workshop.id
    with unit_of_work(system="test"):
        db.session.delete(workshop)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_id == workshop_id,
                                                        AuditEntry.action == "delete")).one()
    assert entry.object_label == "Doomed"


def test_a_write_outside_the_unit_of_work_is_refused(make):
    workshop = make.workshop(title="Kept")
    workshop.title = "Sneaky"
    with pytest.raises(RuntimeError, match="unit_of_work"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Workshop, workshop.id).title == "Kept"


def test_a_failed_unit_of_work_saves_nothing_not_even_audit(make):
    workshop = make.workshop(title="Before")
    count = db.session.query(AuditEntry).count()
    with pytest.raises(ValueError):
        with unit_of_work(system="test"):
            workshop.title = "Half-saved"
            raise ValueError("boom")
    assert db.session.get(Workshop, workshop.id).title == "Before"
    assert db.session.query(AuditEntry).count() == count


def test_a_stale_version_is_a_conflict_that_names_what_changed(make):
    workshop = make.workshop(title="First")
    seen_version = workshop.version
    with unit_of_work(system="someone else"):
        workshop.title = "Second"
    with pytest.raises(Conflict) as info:
        expect_version(workshop, seen_version)
    changes = info.value.changes_since()
    assert [e.changes["title"] for e in changes] == [["First", "Second"]]


def test_secrets_never_enter_the_audit_trail(make):
    user = make.user()
    with unit_of_work(system="test"):
        user.password_hash = "scrypt:new"
    entry = _entries(user)[-1]
    assert entry.changes["password_hash"] == ["(hidden)", "(changed)"]
    assert all("scrypt" not in str(e.changes) for e in _entries(user))


def test_a_create_records_the_foreign_keys_the_flush_fills_in(make):
    workshop = make.workshop()
    item = make.agenda_item(workshop)
    entry = _entries(item)[0]
    assert entry.action == "create"
    assert entry.changes["workshop_id"] == [None, workshop.id]
