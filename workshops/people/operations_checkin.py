"""Attendance on the day (the check-in list): mark a participant attended
with one tap, undo it, or mark every confirmed participant attended at once.

Each change is a status change of the participation, so it goes through
the one home of those (operations.update_participation: the right, the
version, the vocabulary, the audit trail); this module only says who is on
the list and which statuses a tap may set.
"""

from __future__ import annotations

from sqlalchemy import select

from ..audit.models import AuditEntry
from ..audit.operations import Invalid, unit_of_work
from ..auth.access import require_edit
from ..extensions import db
from ..programme.models import Workshop
from .models import Participation

# Who is expected on the day: everyone but those who declined. A tap sets
# "attended"; an undo sets one of the others back.
EXPECTED = ("invited", "confirmed", "attended", "no_show")
ATTENDED = "attended"


def on_list(participation: Participation | None, workshop: Workshop) -> bool:
    return (participation is not None and participation.workshop_id == workshop.id
            and participation.status in EXPECTED)


def not_on_list(workshop: Workshop, name: str | None = None) -> Invalid:
    who = name or "This person"
    return Invalid({"participation": f"{who} is not on the check-in list of “{workshop.title}” "
                                     "(not a participant expected there). Nothing was changed."})


def check_in(actor, workshop: Workshop, participation: Participation | None, status: str,
             version: int | None) -> Participation:
    """Set one participant's status on the day: "attended" (the tap) or,
    to undo, the status they had before. Refused (Invalid, nothing changed)
    for someone not on this workshop's list or a status the list does not
    set; a stale `version` is a Conflict (someone else changed it)."""
    from .operations import update_participation  # the one home of status changes

    require_edit(workshop, actor)
    if not on_list(participation, workshop):
        # Named only when on this workshop (a participation elsewhere may be one the actor may not read).
        here = participation is not None and participation.workshop_id == workshop.id
        name = participation.person.full_name if here else None
        raise not_on_list(workshop, name)
    if status not in EXPECTED:
        raise Invalid({"status": "Choose attended, or the status to go back to (invited, confirmed or no-show)."})
    return update_participation(actor, participation, {"status": status}, version)


def check_in_all_confirmed(actor, workshop: Workshop) -> list[Participation]:
    """Every confirmed participant marked attended, in one unit of work
    (all or none), each through update_participation so each is audited."""
    from .operations import update_participation

    require_edit(workshop, actor)
    confirmed = list(db.session.scalars(
        select(Participation).where(Participation.workshop_id == workshop.id, Participation.status == "confirmed")
        .order_by(Participation.id)))
    if not confirmed:
        raise Invalid({"participation": "No participant is confirmed and not yet marked attended."})
    with unit_of_work(actor, note=f"Checked in all {len(confirmed)} confirmed participants"):
        for participation in confirmed:
            update_participation(actor, participation, {"status": ATTENDED}, None)
    return confirmed


def statuses_before_attended(workshop: Workshop) -> dict[int, str]:
    """For each participation of the workshop marked attended, the status it
    had before (from the audit trail: what an undo sets back), in one query;
    "confirmed" where the trail does not say (attended when created)."""
    ids = select(Participation.id).where(Participation.workshop_id == workshop.id,
                                         Participation.status == ATTENDED).scalar_subquery()
    before: dict[int, str] = {}
    rows = db.session.execute(
        select(AuditEntry.object_id, AuditEntry.changes)
        .where(AuditEntry.object_type == "Participation", AuditEntry.action == "update",
               AuditEntry.object_id.in_(ids))
        .order_by(AuditEntry.id))
    for object_id, changes in rows:
        change = (changes or {}).get("status")
        if isinstance(change, list) and len(change) == 2 and change[1] == ATTENDED and change[0] in EXPECTED:
            before[object_id] = change[0]
    return before
