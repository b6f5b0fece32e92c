"""A person's first attended day per network kept as facts
(models.FirstAttendance): derived from the participations marked
attended at workshops not cancelled, refreshed on every flush that adds,
changes or deletes a participation or changes a workshop (its dates,
status or networks) — inside the same transaction, so the write's unit of
work (audit/operations.unit_of_work) commits or rolls back both — and
rebuilt by `flask --app wsgi rebuild-attendance` (and by the synthetic
generator, whose bulk inserts bypass the session).

The report's returning participants (docs/report-definitions.md,
"Returning participants") then ask, for each attendee of the year only,
whether a row says an earlier day: no earlier year's participation is read.
"""

from __future__ import annotations

from collections.abc import Iterable

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from ..programme.models import Workshop, organising_networks
from .models import FirstAttendance, Participation

ATTENDED = "attended"
WORKSHOP_FACTS = ("start_date", "status", "network_id", "co_networks")  # what the facts read of a workshop
BATCH = 500  # ids per refresh statement (SQLite's bound-parameter limit)


def facts_select(person_ids: Iterable[int] | None = None):
    """The facts of these people (all without ids): per person and
    organising network, the first day of a workshop they attended."""
    organised = organising_networks()
    query = (
        select(Participation.person_id, organised.c.network_id, func.min(Workshop.start_date).label("first_on"))
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .join(organised, organised.c.workshop_id == Workshop.id)
        .where(Participation.status == ATTENDED, Workshop.status != "cancelled")
        .group_by(Participation.person_id, organised.c.network_id)
    )
    if person_ids is not None:
        query = query.where(Participation.person_id.in_(person_ids))
    return query


COLUMNS = ["person_id", "network_id", "first_on"]


def refresh(connection, person_ids: Iterable[int]) -> None:
    """Recompute the facts of these people from their participations."""
    table = FirstAttendance.__table__
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        connection.execute(delete(table).where(table.c.person_id.in_(chunk)))
        connection.execute(insert(table).from_select(COLUMNS, facts_select(chunk)))


def rebuild(connection) -> int:
    """Recompute every person's facts; the number of rows."""
    table = FirstAttendance.__table__
    connection.execute(delete(table))
    connection.execute(insert(table).from_select(COLUMNS, facts_select()))
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """People whose participations this flush wrote (the old and the new
    person of a moved one), and workshops it changed (their participants'
    facts follow the workshop's date, status and networks). A workshop is
    deleted only when it holds no participants (programme/operations_workshops.py)."""
    people: set[int] = set()
    workshops: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Participation):
            history = inspect(obj).attrs.person_id.history
            people.update(i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None)
            if obj.person_id is not None:
                people.add(obj.person_id)
        elif isinstance(obj, Workshop) and obj.id is not None and obj in session.dirty:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in WORKSHOP_FACTS):
                workshops.add(obj.id)
    return people, workshops


@event.listens_for(Session, "after_flush")
def _remember(session: Session, _context) -> None:
    people, workshops = _touched(session)
    if people:
        session.info.setdefault("attendance_people", set()).update(people)
    if workshops:
        session.info.setdefault("attendance_workshops", set()).update(workshops)


@event.listens_for(Session, "after_flush_postexec")
def _maintain(session: Session, _context) -> None:
    """After the flush wrote the rows: refresh the people's facts on the
    same connection (the same transaction, the same unit of work)."""
    people = session.info.pop("attendance_people", None) or set()
    workshops = session.info.pop("attendance_workshops", None)
    if not people and not workshops:
        return
    connection = session.connection()
    if workshops:
        people |= set(connection.execute(select(Participation.person_id).where(
            Participation.workshop_id.in_(sorted(workshops)), Participation.status == ATTENDED)).scalars())
    if people:
        refresh(connection, people)


@click.command("rebuild-attendance")
@with_appcontext
def rebuild_attendance() -> None:
    """Rebuild every person's first attended day per network from the participations."""
    from ..extensions import db

    n = rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Rebuilt {n:,} first attendances (person and network).")
