"""Two records of the same person merged into one (a duplicate made by an
import row without an email, or typed twice): the survivor keeps, field by
field, the value chosen; the other's participations (with their agenda
speaker roles, which hang from the participation) and history move to the
survivor; the other is removed. One unit of work, audited.

Refused when it is the same person, when one was erased, and when both are
on the same workshop (two participations of one person at one workshop
cannot be: the organiser removes one first)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditEntry
from ..audit.operations import Conflict, Invalid, expect_version, unit_of_work
from ..extensions import db
from ..programme.models import Workshop
from .models import Participation, Person

# What a merge chooses between, in the order the form shows them.
MERGE_FIELDS = ("full_name", "honorific", "email", "phone", "affiliation", "country", "sector", "notes")
MERGE_FIELD_LABELS = {"full_name": "Name", "honorific": "Title", "email": "Email", "phone": "Phone",
                      "affiliation": "Affiliation", "country": "Country", "sector": "Sector", "notes": "Notes"}
KEEP = ("survivor", "other")


def shared_workshops(survivor: Person, other: Person) -> list[Workshop]:
    """The workshops both are on (any status), by date: what refuses a merge."""
    both = (select(Participation.workshop_id).where(Participation.person_id == survivor.id)
            .intersect(select(Participation.workshop_id).where(Participation.person_id == other.id)))
    return list(db.session.scalars(select(Workshop).where(Workshop.id.in_(both)).order_by(Workshop.id)))


def merge_problems(survivor: Person, other: Person | None) -> dict[str, str]:
    """Why these two cannot be merged (empty when they can), by field."""
    if other is None:
        return {"other_id": "Choose the person to merge into this one."}
    if other.id == survivor.id:
        return {"other_id": "A person cannot be merged into themselves. Choose the other record."}
    if survivor.erased_at is not None or other.erased_at is not None:
        return {"other_id": "An erased person's record cannot be merged."}
    shared = shared_workshops(survivor, other)
    if shared:
        titles = ", ".join(f"“{w.title}”" for w in shared[:3]) + (" and others" if len(shared) > 3 else "")
        return {"other_id": f"Both {survivor.full_name} and {other.full_name} are on {titles}: one person "
                            "cannot take part twice. Remove one of the two participations first."}
    return {}


def merge_people(actor, survivor: Person, other: Person | None, keep: Mapping[str, str],
                 versions: tuple[int | None, int | None] = (None, None)) -> Person:
    """Merge `other` into `survivor`. `keep` says per field of MERGE_FIELDS
    whose value stays ("survivor" when not given). `versions` are the two
    records' versions as the user saw them (a stale one is a Conflict)."""
    from .operations import require_people_editor

    require_people_editor(actor)
    problems = merge_problems(survivor, other)
    bad = sorted(k for k, v in keep.items() if k not in MERGE_FIELDS or v not in KEEP)
    if bad:
        problems[bad[0]] = "Choose which of the two values to keep."
    if problems:
        raise Invalid(problems)
    expect_version(survivor, versions[0])
    expect_version(other, versions[1])
    chosen = {f: getattr(other if keep.get(f) == "other" else survivor, f) for f in MERGE_FIELDS}
    note = (f"Merged {other.full_name} (person {other.id}) into {survivor.full_name} (person {survivor.id})")[:1000]
    other_id = other.id
    try:
        with unit_of_work(actor, note=note) as session:
            moved = list(session.scalars(select(Participation).where(Participation.person_id == other_id)))
            for participation in moved:
                participation.person_id = survivor.id  # the column: its change is what the audit records
            if chosen["email"] != survivor.email:
                other.email = None  # the address moves: free it first (unique)
            session.flush()
            session.expire(other, ["participations"])
            session.expire(survivor, ["participations"])
            for key, value in chosen.items():
                if getattr(survivor, key) != value:
                    setattr(survivor, key, value)
            session.delete(other)
            session.flush()
            # The other's history is now the survivor's: their entries (and this merge's) name the survivor.
            session.execute(update(AuditEntry).where(AuditEntry.person_id == other_id)
                            .values(person_id=survivor.id))
    except IntegrityError as exc:
        raise Invalid({"other_id": "These records changed meanwhile (a participation or an email was added). "
                                   "Nothing was merged; try again."}) from exc
    except Conflict as exc:
        if exc.obj is None:
            raise Conflict(survivor, versions[0]) from exc
        raise
    return survivor
