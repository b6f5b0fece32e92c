""""The agenda changed": one digest a day to each confirmed participant of a
published workshop, naming the sessions that moved, were added or were
cancelled since their last digest, in their own zone.

Design (the simplest correct one): nothing new is recorded. The audit trail
already holds every change of every agenda item with its old and new
values; `flask --app wsgi send-digests` (run hourly or daily by cron or a
systemd timer, beside `send-mail`) reads the changes organisers made since
each participant's last digest (Participation.agenda_digest_through) and
queues one mail per participant in the same unit of work that moves that
mark on, so a run that fails sends nothing and loses nothing, and a second
run the same day sends nothing (Participation.agenda_digest_on; two runs at
once collide on the participation's version and one of them gives way).

Nothing goes out for a draft or cancelled workshop, for one already over,
to anyone who has not confirmed, declined digests (the List-Unsubscribe
link, views_reply.py), has no address or no personal link. Changes made by
commands and imports (no user) are not news. The mail names sessions and
times only, never a participant (the Chatham House rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEntry
from ..audit.operations import Conflict, unit_of_work
from ..core import zones
from ..db import utcnow
from ..extensions import db
from ..mail.operations import queue_mail, render_mail
from ..people.models import Participation
from ..programme.models import AgendaItem, Workshop
from .operations_invitations import usable_address

KINDS = ("added", "moved", "cancelled")


@dataclass
class Change:
    """What happened to one session since the last digest, as the participant reads it."""

    kind: str  # added, moved, cancelled
    title: str
    starts_at: dt.datetime  # in the participant's zone
    ends_at: dt.datetime
    was_starts_at: dt.datetime | None = None  # where a moved session was
    was_ends_at: dt.datetime | None = None
    room: str = ""
    was_room: str = ""

    @property
    def offset(self) -> str:
        return zones.offset_label(self.starts_at, named=True)


def _moment(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _entries(workshop: Workshop, since: dt.datetime, until: dt.datetime) -> list[AuditEntry]:
    """The organisers' changes of this workshop's agenda items in (since, until], oldest first."""
    entries = list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "AgendaItem", AuditEntry.user_id.is_not(None),
                                 AuditEntry.at > since, AuditEntry.at <= until)
        .order_by(AuditEntry.id)))
    if not entries:
        return []
    ids = {e.object_id for e in entries}
    current = dict(db.session.execute(select(AgendaItem.id, AgendaItem.workshop_id).where(AgendaItem.id.in_(ids))).all())
    # A deleted item is found by the workshop its create entry recorded.
    gone = ids - set(current)
    if gone:
        for entry in db.session.scalars(select(AuditEntry).where(
                AuditEntry.object_type == "AgendaItem", AuditEntry.action == "create",
                AuditEntry.object_id.in_(gone))):
            value = (entry.changes or {}).get("workshop_id")
            if isinstance(value, list) and len(value) == 2:
                current[entry.object_id] = value[1]
    return [e for e in entries if current.get(e.object_id) == workshop.id]


def _state(entry: AuditEntry, key: str, index: int):
    value = (entry.changes or {}).get(key)
    return value[index] if isinstance(value, list) and len(value) == 2 else None


def _created_start(item_id: int) -> dt.datetime | None:
    """When a removed session was to start, as its create entry recorded it."""
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "AgendaItem", AuditEntry.action == "create", AuditEntry.object_id == item_id))
    return _moment(_state(entry, "starts_at", 1)) if entry is not None else None


def agenda_changes(workshop: Workshop, since: dt.datetime, until: dt.datetime,
                   zone: zones.ZoneInfo) -> list[Change]:
    """The sessions added, moved or cancelled in (since, until], one line
    each, in `zone`, in the order of their (new) start. A session added and
    removed again in between is not news; one moved twice is one move, from
    where it was to where it is."""
    by_item: dict[int, list[AuditEntry]] = {}
    for entry in _entries(workshop, since, until):
        by_item.setdefault(entry.object_id, []).append(entry)
    items = {i.id: i for i in db.session.scalars(select(AgendaItem).where(AgendaItem.id.in_(list(by_item))))}
    changes = []
    for item_id, entries in by_item.items():
        created = any(e.action == "create" for e in entries)
        deleted = any(e.action == "delete" for e in entries)
        item = items.get(item_id)
        if created and (deleted or item is None):
            continue
        first = entries[0]
        if deleted or item is None:
            # The last values known: from the entries (a delete records none).
            last = next((e for e in reversed(entries) if e.action != "delete"), None)
            starts = _moment(_state(last, "starts_at", 1)) if last else None
            title = (last.object_label if last else first.object_label) or "A session"
            if starts is None:
                starts = _moment(_state(first, "starts_at", 0)) or _created_start(item_id)
            if starts is None:
                continue
            changes.append(Change("cancelled", title, zones.to_local(starts, zone), zones.to_local(starts, zone)))
            continue
        local = (zones.to_local(item.starts_at, zone), zones.to_local(item.ends_at, zone))
        if created:
            changes.append(Change("added", item.title, *local, room=item.room))
            continue
        if item.status == "cancelled":
            was_cancelled = any(_state(e, "status", 1) == "cancelled" for e in entries)
            if was_cancelled:
                changes.append(Change("cancelled", item.title, *local, room=item.room))
            continue
        was_starts = next((_moment(_state(e, "starts_at", 0)) for e in entries if _state(e, "starts_at", 0)), None)
        was_ends = next((_moment(_state(e, "ends_at", 0)) for e in entries if _state(e, "ends_at", 0)), None)
        was_room = next((_state(e, "room", 0) for e in entries if "room" in (e.changes or {})), None)
        reinstated = any(_state(e, "status", 0) == "cancelled" for e in entries)
        moved = (was_starts is not None and was_starts != item.starts_at) or \
                (was_ends is not None and was_ends != item.ends_at) or \
                (was_room is not None and was_room != item.room)
        if reinstated:
            changes.append(Change("added", item.title, *local, room=item.room))
        elif moved:
            changes.append(Change(
                "moved", item.title, *local, room=item.room, was_room=was_room if was_room is not None else item.room,
                was_starts_at=zones.to_local(was_starts or item.starts_at, zone),
                was_ends_at=zones.to_local(was_ends or item.ends_at, zone)))
    return sorted(changes, key=lambda c: (c.starts_at, KINDS.index(c.kind), c.title))


def _recipients(today: dt.date) -> list[Participation]:
    return list(db.session.scalars(
        select(Participation)
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .where(Workshop.status == "published", Workshop.end_date >= today, Participation.status == "confirmed",
               Participation.agenda_mail.is_(True), Participation.personal_token_hash.is_not(None))
        .options(selectinload(Participation.person), selectinload(Participation.workshop))
        .order_by(Participation.workshop_id, Participation.id)))


@dataclass
class DigestRun:
    sent: int = 0
    waiting: int = 0  # had a digest today already: their changes wait for tomorrow's
    skipped: int = 0  # no address, or someone else's run took them


def send_agenda_digests(now: dt.datetime | None = None) -> DigestRun:
    """Queue today's digests (call inside a request context whose base URL
    is the site's: the command opens one, cli.py). Safe to run often."""
    now = now or utcnow()
    today = now.date()
    run = DigestRun()
    for participation in _recipients(today):
        since = participation.agenda_digest_through or participation.responded_at or participation.created_at
        if participation.agenda_digest_on == today:
            run.waiting += 1
            continue
        workshop = participation.workshop
        zone_name = participation.timezone if zones.is_zone(participation.timezone) else workshop.timezone
        zone = zones.zone_of(zone_name)
        changes = agenda_changes(workshop, since, now, zone)
        address = usable_address(participation)
        if not changes:
            continue
        if address is None:
            run.skipped += 1
            continue
        token = participation.personal_token
        if token is None:  # encrypted under a key since replaced: no link to send
            run.skipped += 1
            continue
        link = url_for("agenda_views.agenda", slug=workshop.slug, kind="p", token=token, _external=True)
        unsubscribe = url_for("agenda_views.unsubscribe", slug=workshop.slug, token=token, _external=True)
        text, html = render_mail("agenda_changed", workshop=workshop, person=participation.person,
                                 changes=changes, zone_name=zone_name, link=link, unsubscribe=unsubscribe)
        try:
            with unit_of_work(None, system="send-digests", note="Agenda change digest queued") as session:
                queue_mail(session, kind="agenda_changed", to=address,
                           subject=f"The agenda changed: {workshop.title}", text=text, html=html,
                           unsubscribe_url=unsubscribe, network_id=workshop.network_id)
                participation.agenda_digest_on = today
                participation.agenda_digest_through = now
        except Conflict:
            run.skipped += 1  # another run sent it (or the organisers changed the participation): next run
            continue
        run.sent += 1
    return run
