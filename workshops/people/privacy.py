"""Personal data held about a person: an admin can export all of it (JSON)
or erase the person's identity while the workshops' statistics and
recommendations stay right. Both are recorded in the audit trail.

Routes: people.export_person and people.erase_person
(workshops/people/views_privacy.py); the people pages link to them through
templates/people/_privacy.html.
"""

from __future__ import annotations

import datetime as dt

from flask import abort
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEntry
from ..audit.operations import Actor, Invalid, expect_version, unit_of_work
from ..db import db, utcnow
from ..programme.models import AgendaItemPerson
from .models import Participation, Person

# What identifies a person, on the person and on their participations.
IDENTIFYING = ("full_name", "honorific", "email", "phone", "affiliation", "notes", "personal_token",
               "dietary_needs", "access_needs", "gender")
ERASED = "(erased)"


def _iso(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _participations(person: Person) -> list[Participation]:
    return list(db.session.scalars(
        select(Participation)
        .where(Participation.person_id == person.id)
        .options(
            selectinload(Participation.workshop),
            selectinload(Participation.agenda_roles).selectinload(AgendaItemPerson.agenda_item),
        )
        .order_by(Participation.id)
    ))


def _audit_entries_about(person: Person, participations: list[Participation]) -> list[AuditEntry]:
    """Every audit entry about the person: found by the person they record
    (those of participations and agenda roles deleted since included), and by
    the rows that are still there, for entries older than that record."""
    role_ids = [r.id for p in participations for r in p.agenda_roles]
    about = [AuditEntry.person_id == person.id,
             (AuditEntry.object_type == "Person") & (AuditEntry.object_id == person.id)]
    if participations:
        about.append((AuditEntry.object_type == "Participation")
                     & AuditEntry.object_id.in_([p.id for p in participations]))
    if role_ids:
        about.append((AuditEntry.object_type == "AgendaItemPerson") & AuditEntry.object_id.in_(role_ids))
    return list(db.session.scalars(select(AuditEntry).where(or_(*about)).order_by(AuditEntry.id)))


def person_data(person: Person) -> dict:
    """Everything the app holds about a person, as plain JSON data."""
    participations = _participations(person)
    return {
        "exported_at": utcnow().isoformat(),
        "person": {
            key: _iso(getattr(person, key))
            for key in ("id", "full_name", "honorific", "email", "phone", "affiliation", "country",
                        "sector", "notes", "created_at", "erased_at")
        },
        "participations": [
            {
                "workshop": {
                    "id": p.workshop.id, "slug": p.workshop.slug, "title": p.workshop.title,
                    "start_date": _iso(p.workshop.start_date), "end_date": _iso(p.workshop.end_date),
                    "city": p.workshop.city, "country": p.workshop.country,
                },
                "role": p.role,
                "status": p.status,
                "sector": p.sector,
                "country": p.country,
                "affiliation": p.affiliation,
                "gender": p.gender,
                "serving_official": p.serving_official,
                "consent_to_list": p.consent_to_list,
                "consent_to_be_named": p.consent_to_be_named,
                # Their own answer on their personal page (people/operations_reply.py).
                "dietary_needs": p.dietary_needs,
                "access_needs": p.access_needs,
                "responded_at": _iso(p.responded_at),
                "invited_at": _iso(p.invited_at),
                "mail_time_zone": p.timezone,
                "agenda_change_mails": p.agenda_mail,
                # The link itself is a credential: say only whether one exists.
                "has_personal_agenda_link": p.personal_token is not None,
                "created_at": _iso(p.created_at),
                "agenda_roles": [
                    {
                        "agenda_item": r.agenda_item.title,
                        "starts_at": _iso(r.agenda_item.starts_at),
                        "ends_at": _iso(r.agenda_item.ends_at),
                        "role": r.role,
                    }
                    for r in sorted(p.agenda_roles, key=lambda r: r.agenda_item.starts_at)
                ],
            }
            for p in participations
        ],
        "audit_entries": [
            {
                "at": _iso(e.at), "actor": e.actor, "action": e.action, "object_type": e.object_type,
                "object_id": e.object_id, "object_label": e.object_label, "changes": e.changes,
                "note": e.note,
            }
            for e in _audit_entries_about(person, participations)
        ],
    }


def _require_admin(actor) -> None:
    if not (getattr(actor, "is_admin", False) and getattr(actor, "active", False)):
        abort(403)


def export_person(actor, person: Person) -> dict:
    """The person's data, with an audit entry saying who downloaded it."""
    _require_admin(actor)
    data = person_data(person)
    who = Actor(actor)
    with unit_of_work(actor):
        db.session.add(AuditEntry(
            user_id=actor.id, actor=who.name, action="export", object_type="Person",
            object_id=person.id, object_label=person.full_name[:300], object_version=person.version,
            person_id=person.id,
            changes={}, note="Exported all personal data held about this person (JSON).",
        ))
    return data


def erase_person(actor, person: Person, version: int | None) -> None:
    """Remove the person's identity for good. Their participations stay (with
    sector, country and role, so the annual statistics and returning-
    participant counts stay right), the personal agenda links die, and the
    audit trail keeps that changes happened but no longer what the name,
    email or phone were."""
    _require_admin(actor)
    if person.erased_at is not None:
        raise Invalid({"confirm": "This person's data was erased already."})
    expect_version(person, version)
    participations = _participations(person)
    old_identity = _identity(person, _audit_entries_about(person, participations))
    with unit_of_work(actor, note="Erased personal data on request; participations kept for statistics.") \
            as session:
        person.full_name = f"Erased person #{person.id}"
        person.honorific = ""
        person.email = None
        person.phone = ""
        person.affiliation = ""
        person.notes = ""
        person.erased_at = utcnow()
        for participation in participations:
            participation.affiliation = ""
            participation.personal_token = None
            participation.dietary_needs = ""
            participation.access_needs = ""
            participation.gender = None  # self-described free text may identify them
            participation.timezone = None
        session.flush()  # writes this change's own audit entries, which hold the old values
        for entry in _audit_entries_about(person, participations):
            _scrub(entry, old_identity, person.full_name)


def _identity(person: Person, entries: list[AuditEntry]) -> list[str]:
    """Every name and email the person was ever recorded under (they may
    have been renamed), longest first so "Dr Ann Lee" goes before "Ann Lee"."""
    values = {person.display_name, person.full_name, person.email}
    for entry in entries:
        if entry.object_type != "Person":
            continue
        for key in ("full_name", "email"):
            values.update(v for v in (entry.changes or {}).get(key) or () if isinstance(v, str))
    return sorted((v for v in values if v and len(v) > 1), key=len, reverse=True)


def _scrub(entry: AuditEntry, old_identity: list[str], new_name: str) -> None:
    """Identifying values become "(erased)"; the old name inside labels and
    other values becomes the new one ("Speaker Erased person #7 in …")."""

    def rename(value):
        if isinstance(value, str):
            for old in old_identity:
                value = value.replace(old, new_name)
        elif isinstance(value, list):
            value = [rename(v) for v in value]
        return value

    changes = {}
    for key, values in (entry.changes or {}).items():
        if key in IDENTIFYING and isinstance(values, list):
            values = [v if v in (None, "", new_name) else ERASED for v in values]
        changes[key] = rename(values)
    entry.changes = changes
    entry.object_label = rename(entry.object_label)[:300]
    entry.actor = rename(entry.actor or "")[:200]  # "system: personal link of <name>" (operations_reply.py)
    entry.note = rename(entry.note or "")
