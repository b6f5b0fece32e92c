"""Follow-up that someone owns: each open recommendation can have an owner
(a user who may edit it) and a next-check day, and anyone who may edit it
can log "checked, no trace found" with a note. A check never changes the
stage (only uptake events do: progress.py); it may set the next check.
"Due" is progress.py's rule (due / due_condition).

Re-exported by operations.py, like the other seams.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import and_, func, or_, select

from ..audit.operations import Conflict, Invalid, expect_version, unit_of_work
from ..auth.access import networks_of, require_edit
from ..auth.models import User, organiser_network
from ..core import cleaning
from ..core.clock import today
from ..extensions import db
from .models import FollowUpCheck, Recommendation
from .operations_common import _optional_id

CHECK_NOTE_MAX = cleaning.column_limit(FollowUpCheck.__table__.c.note)
# A next check further ahead than this is a typing slip (20205-01-01).
NEXT_CHECK_YEARS = 10
DATE_MESSAGE = "Enter the date as YYYY-MM-DD, for example 2026-03-01."


def owner_candidates(rec: Recommendation) -> list[User]:
    """Who may own the recommendation's follow-up: the active users who may
    edit it (admins, and the organisers of one of its networks)."""
    networks = [n for n in networks_of(rec) if n is not None]
    organisers = select(organiser_network.c.user_id).where(organiser_network.c.network_id.in_(networks))
    return list(db.session.scalars(
        select(User).where(User.active.is_(True),
                           or_(User.role == "admin", and_(User.role == "organiser", User.id.in_(organisers))))
        .order_by(func.lower(User.name), User.id)))


def _day(errors: dict, data: Mapping, key: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            errors[key] = DATE_MESSAGE
            return None
    if not isinstance(value, dt.date):
        errors[key] = DATE_MESSAGE
        return None
    return value


def _next_check(errors: dict, data: Mapping) -> dt.date | None:
    day = _day(errors, data, "next_check_on")
    if day is not None and day.year > today().year + NEXT_CHECK_YEARS:
        errors["next_check_on"] = f"Choose a day within the next {NEXT_CHECK_YEARS} years."
    return day


def follow_up_values(rec: Recommendation, data: Mapping) -> dict:
    """The cleaned owner and next check of the keys given; Invalid names
    every field that is wrong. An owner must be someone who may edit it."""
    errors: dict[str, str] = {}
    values: dict = {}
    if "owner_id" in data:
        owner_id = _optional_id(data.get("owner_id"))
        if owner_id is False:
            errors["owner_id"] = "Choose the owner from the list."
        elif owner_id is not None and owner_id not in {u.id for u in owner_candidates(rec)}:
            errors["owner_id"] = ("Choose someone who may edit this recommendation: an admin or an organiser "
                                  "of its network.")
        else:
            values["owner_id"] = owner_id
    if "next_check_on" in data:
        values["next_check_on"] = _next_check(errors, data)
    if errors:
        raise Invalid(errors)
    return values


def set_follow_up(actor, rec: Recommendation, data: Mapping, version: int | None = None) -> Recommendation:
    """Set (or clear) who follows the recommendation up and when next."""
    require_edit(rec, actor)
    expect_version(rec, version)
    values = follow_up_values(rec, data)
    if "next_check_on" in values and values["next_check_on"] is not None and not rec.is_open:
        raise Invalid({"next_check_on": "This recommendation is closed: it needs no further check."})
    try:
        with unit_of_work(actor):
            for key, value in values.items():
                setattr(rec, key, value)
    except Conflict as exc:
        if exc.obj is None:
            raise Conflict(rec, version) from exc
        raise
    return rec


def log_check(actor, rec: Recommendation, data: Mapping) -> FollowUpCheck:
    """"Checked, no trace found" on a day (today when not given), with a
    note; the stage stays. `next_check_on`, when given, reschedules."""
    require_edit(rec, actor)
    errors: dict[str, str] = {}
    checked_on = _day(errors, data, "checked_on") if data.get("checked_on") not in (None, "") else today()
    if checked_on is not None and "checked_on" not in errors:
        if checked_on > today():
            errors["checked_on"] = f"This date is in the future; today is {today():%d %B %Y}."
        elif rec.workshop is not None and checked_on < rec.workshop.start_date:
            errors["checked_on"] = f"This date is before the workshop began ({rec.workshop.start_date:%d %B %Y})."
    note = cleaning.clean_text(data.get("note"), multiline=True)
    if len(note) > CHECK_NOTE_MAX:
        errors["note"] = cleaning.length_message(CHECK_NOTE_MAX)
    next_check = _next_check(errors, data) if data.get("next_check_on") not in (None, "") else None
    if next_check is not None and checked_on is not None and next_check <= checked_on:
        errors["next_check_on"] = "The next check comes after this one."
    if not rec.is_open:
        errors["checked_on"] = "This recommendation is closed: there is nothing left to check."
    if errors:
        raise Invalid(errors)
    with unit_of_work(actor, note="Checked, no trace found") as session:
        check = FollowUpCheck(recommendation=rec, checked_on=checked_on, note=note,
                              checked_by_id=getattr(actor, "id", None))
        session.add(check)
        if next_check is not None:
            rec.next_check_on = next_check
    return check

