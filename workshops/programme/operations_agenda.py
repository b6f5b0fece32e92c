"""A workshop's agenda items: add, change, duplicate, move, cancel or
reinstate, delete, with their chairs, speakers and discussants in order
(participations of the workshop or guests: operations_agenda_people.py),
the defaults of the next new item, and the warnings an item raises.
Re-exported by operations.py."""

from __future__ import annotations

import datetime as dt

from ..audit.operations import Invalid, expect_version
from ..auth.access import require_edit
from ..core.cleaning import column_limit
from ..core.partial_dates import format_partial_date
from ..core.zones import to_local, to_utc
from ..db import utcnow
from ..extensions import db
from ..vocab import AGENDA_ITEM_STATUSES, AGENDA_KINDS
from .models import AgendaItem, Workshop
from .operations_agenda_people import PEOPLE_FIELDS, agenda_people, person_rows_of, set_agenda_people
from .operations_common import _choice, _optional, _required, _work, as_date, as_time
from .queries import AgendaWarning, agenda_items_of, agenda_warnings

__all__ = ["PEOPLE_FIELDS", "person_rows_of"]


# ----------------------------------------------------------------- agenda


def add_agenda_item(actor, workshop: Workshop, data: dict) -> tuple[AgendaItem, list[AgendaWarning]]:
    """A new agenda item. data: day (one of the workshop's days), start and
    end (local "HH:MM"), kind, title, room, description, status, and the
    participation ids of its chairs, speakers and discussants. Returns the
    item and the warnings it raised (same room or same person at once)."""
    require_edit(workshop, actor)
    with _work(actor):
        # The workshop id is set by hand so that the audit entry of the
        # creation records it (the agenda's history finds deleted items by it).
        item = AgendaItem(workshop=workshop, workshop_id=workshop.id)
        _apply_agenda_item(item, workshop, data)
        db.session.add(item)
        db.session.flush()
    return item, warnings_for(item)


def update_agenda_item(actor, item: AgendaItem, data: dict, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """Change an agenda item (the same data as add_agenda_item); setting
    status to "cancelled" keeps it on the agenda, marked cancelled."""
    require_edit(item, actor)
    with _work(actor):
        expect_version(item, version)
        _apply_agenda_item(item, item.workshop, data)
    return item, warnings_for(item)


def move_agenda_item(actor, item: AgendaItem, data: dict, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """Move an item to another day and start time, keeping its length.
    data: day, start."""
    require_edit(item, actor)
    with _work(actor):
        expect_version(item, version)
        workshop = item.workshop
        length = item.ends_at - item.starts_at
        day = _agenda_day(workshop, data.get("day"))
        start = as_time(data.get("start"), "start")
        starts = to_utc(day, start, workshop.zone)
        if starts is None:
            raise Invalid({"start": "This time does not exist on that day: the clocks go forward."})
        ends = starts + length
        if to_local(ends, workshop.zone).date() != day:
            raise Invalid({"start": "The item would run past midnight; pick an earlier start."})
        item.starts_at, item.ends_at = starts, ends
    return item, warnings_for(item)


def duplicate_agenda_item(actor, item: AgendaItem, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """A copy of the item right after it (starting when it ends, as long,
    same room, kind, description and people, scheduled); refused when the
    copy would run past midnight."""
    require_edit(item, actor)
    workshop = item.workshop
    length = item.ends_at - item.starts_at
    if to_local(item.ends_at + length, workshop.zone).date() != to_local(item.starts_at, workshop.zone).date():
        raise Invalid({"start": f"A copy of “{item.title}” right after it would run past midnight; "
                                "add the item on the next day instead."})
    with _work(actor):
        expect_version(item, version)
        copy = AgendaItem(workshop=workshop, workshop_id=workshop.id, kind=item.kind, title=item.title,
                          description=item.description, room=item.room, status="scheduled",
                          starts_at=item.ends_at, ends_at=item.ends_at + length)
        rows = agenda_people(workshop, {"people": person_rows_of(item)})
        set_agenda_people(copy, rows)
        db.session.add(copy)
        db.session.flush()
    return copy, warnings_for(copy)


def next_item_defaults(workshop: Workshop, items: list[AgendaItem]) -> dict:
    """What a new item's form starts with: the day, room and length of the
    item added last, starting when that one ends (or the first day, 09:00,
    one hour, when the agenda is empty)."""
    zone = workshop.zone
    if not items:
        return {"day": workshop.start_date.isoformat(), "start": dt.time(9, 0), "end": dt.time(10, 0),
                "room": "", "kind": "session", "status": "scheduled"}
    last = max(items, key=lambda i: i.id)
    start = to_local(last.ends_at, zone)
    end = to_local(last.ends_at + (last.ends_at - last.starts_at), zone)
    return {"day": start.date().isoformat(), "start": start.time(),
            "end": end.time() if end.date() == start.date() else None,
            "room": last.room, "kind": "session", "status": "scheduled"}


def set_agenda_item_status(actor, item: AgendaItem, status: str, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """Mark an item cancelled (it stays on the agenda, struck through) or
    scheduled again."""
    require_edit(item, actor)
    if status not in AGENDA_ITEM_STATUSES:
        raise Invalid({"status": "Pick one of the options."})
    with _work(actor):
        expect_version(item, version)
        item.status = status
    return item, warnings_for(item)


def delete_agenda_item(actor, item: AgendaItem, version: int | None = None) -> None:
    """Remove an item from the agenda (recommendations tied to it keep
    their text and lose the link)."""
    require_edit(item, actor)
    with _work(actor):
        expect_version(item, version)
        db.session.delete(item)


def no_agenda_message(workshop: Workshop) -> str | None:
    """Why this workshop can have no agenda (its date is not known to the
    day), or None: agenda items and calendar events need the days."""
    if workshop.has_days:
        return None
    return (f"This workshop's date is known only to the {workshop.date_precision} "
            f"({format_partial_date(workshop.start_date, workshop.date_precision, workshop.approximate)}): "
            "an agenda needs its days. Give the workshop's exact dates first.")


def _agenda_day(workshop: Workshop, value) -> dt.date:
    if no_agenda_message(workshop):
        raise Invalid({"day": no_agenda_message(workshop)})
    if value in (None, ""):
        raise Invalid({"day": "Pick the day of the item."})
    day = as_date(value, "day")
    if not workshop.start_date <= day <= workshop.end_date:
        raise Invalid({"day": f"Pick a day of the workshop ({workshop.start_date:%d %B} to "
                              f"{workshop.end_date:%d %B %Y})."})
    return day


def _apply_agenda_item(item: AgendaItem, workshop: Workshop, data: dict) -> None:
    errors: dict[str, str] = {}

    def check(fn):
        try:
            return fn()
        except Invalid as exc:
            errors.update(exc.errors)
            return None

    title = check(lambda: _required(data, "title", "Enter a title, e.g. Opening session or Coffee break.",
                                             max_length=column_limit(AgendaItem.title)))
    kind = check(lambda: _choice(data, "kind", AGENDA_KINDS, "session"))
    status = check(lambda: _choice(data, "status", AGENDA_ITEM_STATUSES, "scheduled"))
    room = check(lambda: _optional(data, "room", max_length=column_limit(AgendaItem.room)))
    description = check(lambda: _optional(data, "description", max_length=20000, multiline=True))
    day = check(lambda: _agenda_day(workshop, data.get("day")))
    start = check(lambda: as_time(data.get("start"), "start"))
    end = check(lambda: as_time(data.get("end"), "end"))
    starts = ends = None
    if day and start is not None:
        starts = to_utc(day, start, workshop.zone)
        if starts is None:
            errors["start"] = "This time does not exist on that day: the clocks go forward."
    if day and end is not None:
        ends = to_utc(day, end, workshop.zone)
        if ends is None:
            errors["end"] = "This time does not exist on that day: the clocks go forward."
    if start is not None and end is not None and end <= start:
        errors["end"] = "The end must be after the start (an item ends on the day it starts)."
    people = check(lambda: agenda_people(workshop, data, item if item.id is not None else None))
    if errors:
        raise Invalid(errors)
    item.title, item.kind, item.status, item.room, item.description = title, kind, status, room, description
    item.starts_at, item.ends_at = starts, ends
    if set_agenda_people(item, people) and item.id is not None:
        item.updated_at = utcnow()  # its people carry no version: the item's counts their changes


def warnings_for(item: AgendaItem) -> list[AgendaWarning]:
    """The agenda's warnings that involve this item."""
    if item.status == "cancelled":
        return []
    return [w for w in agenda_warnings(agenda_items_of(item.workshop)) if item.id in w.item_ids]
