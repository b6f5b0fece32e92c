"""Changing recommendations, their uptake events and the Track-1 bodies.

Every function takes the acting user, the object(s) and plain data (the
HTML forms and the JSON API pass the same dicts), checks who may act,
applies the domain rules and saves through the audited unit of work. A
refused change raises `Invalid({"field": "message"})`; an edit based on an
outdated version raises `Conflict`; nothing is saved in either case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from flask import abort
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditEntry
from ..audit.operations import Invalid, expect_version, unit_of_work
from ..auth.access import require_edit
from ..auth.models import User
from ..core import cleaning
from ..core.clock import today
from ..core.countries import all_countries
from ..db import utcnow
from ..extensions import db
from ..programme.models import AgendaItem, Theme, Workshop
from ..vocab import CLOSURES, EVIDENCE_KINDS, PRIORITIES, STAGES, TRACK1_KINDS, TRACK1_LEVELS
from .models import Recommendation, Track1Body, Track1BodyMember, UptakeEvent

# Lengths: a String(N) column's N (read from the column), and the limits
# of Text columns; the forms' at_most(...) and the API use the same.
TITLE_MAX = cleaning.column_limit(Recommendation.title)
RECOMMENDATION_REFERENCE_MAX = cleaning.column_limit(Recommendation.reference)
TEXT_MAX = 20_000
EVENT_REFERENCE_MAX = cleaning.column_limit(UptakeEvent.reference)
EXCERPT_MAX = 5_000
REASON_MAX = 5_000
BODY_NAME_MAX = cleaning.column_limit(Track1Body.name)
BODY_ACRONYM_MAX = cleaning.column_limit(Track1Body.acronym)
ESTABLISHED_MAX = cleaning.column_limit(Track1Body.established)
DESCRIPTION_MAX = 10_000

# A host name with at least one dot: "asean.org", "www.mofa.go.jp", "203.0.113.9".
_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]{2,}|(?:\d{1,3}\.){3}\d{1,3}")
_OTHER_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|javascript:|data:|vbscript:|file:)")


def clean_text(value) -> str:
    """Text as stored: control characters removed (line breaks kept),
    surrounding blanks trimmed (the one rule: core.cleaning.clean_text)."""
    return cleaning.clean_text(value, multiline=True)


def reference_problem(value: str) -> str | None:
    """Why a link or reference is refused, or None. A document symbol such as
    "ARF/SOM/2025/3" is any text; something written as a web link must be one."""
    value = value.strip()
    if not value:
        return None
    lowered = value.lower()
    if lowered.startswith("www."):
        return "Write the full link, starting with https://, or a document symbol such as ARF/SOM/2025/3."
    if lowered.startswith(("http:", "https:")):
        try:
            parts = urlsplit(value)
            host = parts.hostname or ""
        except ValueError:
            host = ""
        rest = value.split(":", 1)[1]
        if not rest.startswith("//") or not _HOST.fullmatch(host) or any(c.isspace() for c in value):
            return ("This does not look like a web address. Write a full link such as "
                    "https://asean.org/… or a document symbol such as ARF/SOM/2025/3.")
        return None
    if _OTHER_SCHEME.match(lowered):
        return "Only http:// and https:// links are accepted; otherwise write the document symbol."
    return None


def is_web_link(value: str | None) -> bool:
    """A reference shown as a clickable link (never any other scheme)."""
    return bool(value) and value.lower().startswith(("http://", "https://")) and reference_problem(value) is None


# --------------------------------------------------------------------------- helpers


def _require_text(errors: dict, data: Mapping, key: str, message: str, max_len: int) -> str:
    value = clean_text(data.get(key))
    if not value:
        errors[key] = message
    elif len(value) > max_len:
        errors[key] = cleaning.length_message(max_len)
    return value


def _optional_text(errors: dict, data: Mapping, key: str, max_len: int) -> str:
    value = clean_text(data.get(key))
    if len(value) > max_len:
        errors[key] = cleaning.length_message(max_len)
    return value


def _ids(values) -> list[int] | None:
    """A list of integer ids, or None when something is not an id."""
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        return None
    result = []
    for v in values:
        if isinstance(v, bool):
            return None
        if isinstance(v, int):
            result.append(v)
        elif isinstance(v, str) and v.strip().isdecimal():
            result.append(int(v))
        else:
            return None
    return list(dict.fromkeys(result))


def _load_many(model, ids, errors: dict, key: str, what: str) -> list:
    wanted = _ids(ids)
    if wanted is None:
        errors[key] = f"Pick {what} from the list."
        return []
    if not wanted:
        return []
    found = {o.id: o for o in db.session.scalars(select(model).where(model.id.in_(wanted)))}
    if len(found) != len(wanted):
        errors[key] = f"One of the {what} picked no longer exists; pick again from the list."
        return []
    return [found[i] for i in wanted]


def _optional_id(value) -> int | None | bool:
    """An id, None for "none", or False when the value is not an id."""
    if value in (None, "", 0):
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value)
    return False


def _date(errors: dict, data: Mapping, key: str, message: str) -> dt.date | None:
    value = data.get(key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        errors[key] = message
        return None
    return value


def _mark_changed(obj) -> None:
    """Raise the version when only a collection changed (themes, targets,
    member countries): the row itself is otherwise not updated, and an
    editor working from the old version must still be told. The WHERE
    clause still checks the version read, so a concurrent save is caught."""
    obj.version = obj.version + 1


# --------------------------------------------------------------------------- recommendations


def _recommendation_values(workshop: Workshop, data: Mapping) -> tuple[dict, list, list]:
    errors: dict[str, str] = {}
    values = {
        "title": _require_text(errors, data, "title", "Give the recommendation a short title.", TITLE_MAX),
        "text": _require_text(errors, data, "text", "Write the text of the recommendation.", TEXT_MAX),
        "reference": _optional_text(errors, data, "reference", RECOMMENDATION_REFERENCE_MAX),
    }
    priority = data.get("priority") or "medium"
    if priority not in PRIORITIES:
        errors["priority"] = "Choose high, medium or low."
    values["priority"] = priority
    agenda_item_id = _optional_id(data.get("agenda_item_id"))
    if agenda_item_id is False:
        errors["agenda_item_id"] = "Pick an agenda item from the list."
        agenda_item_id = None
    elif agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.workshop_id != workshop.id:
            errors["agenda_item_id"] = "This agenda item is not part of this workshop's agenda."
    values["agenda_item_id"] = agenda_item_id
    themes = _load_many(Theme, data.get("theme_ids"), errors, "theme_ids", "themes")
    targets = _load_many(Track1Body, data.get("target_ids"), errors, "target_ids", "Track-1 bodies")
    if errors:
        raise Invalid(errors)
    return values, themes, targets


def create_recommendation(actor, workshop: Workshop, data: Mapping) -> Recommendation:
    """Record a recommendation the workshop agreed."""
    require_edit(workshop, actor)
    if workshop.status == "cancelled":
        raise Invalid({"workshop": "This workshop was cancelled; it cannot have recommendations."})
    values, themes, targets = _recommendation_values(workshop, data)
    with unit_of_work(actor):
        rec = Recommendation(workshop=workshop, **values)
        rec.themes = themes
        rec.targets = targets
        db.session.add(rec)
    return rec


def update_recommendation(actor, rec: Recommendation, data: Mapping, version: int | None = None) -> Recommendation:
    require_edit(rec, actor)
    expect_version(rec, version)
    values, themes, targets = _recommendation_values(rec.workshop, data)
    with unit_of_work(actor):
        for key, value in values.items():
            setattr(rec, key, value)
        if [t.id for t in rec.themes] != [t.id for t in themes] or \
                [t.id for t in rec.targets] != [t.id for t in targets]:
            rec.themes = themes
            rec.targets = targets
            _mark_changed(rec)
    return rec


def delete_problem(rec: Recommendation) -> str | None:
    """Why the recommendation may not be deleted, or None. Only one without
    uptake events may go: once Track-1 has reacted, the record is history
    and is closed instead."""
    count = len(rec.events)
    if count:
        return (f"This recommendation has {count} uptake event{'s' if count != 1 else ''}; "
                "delete those first, or close the recommendation as withdrawn instead.")
    return None


def delete_recommendation(actor, rec: Recommendation) -> None:
    require_edit(rec, actor)
    problem = delete_problem(rec)
    if problem:
        raise Invalid({"events": problem})
    with unit_of_work(actor):
        db.session.delete(rec)


def close_recommendation(actor, rec: Recommendation, data: Mapping, version: int | None = None) -> Recommendation:
    """Close as declined, superseded or withdrawn: a reason is required."""
    require_edit(rec, actor)
    expect_version(rec, version)
    errors: dict[str, str] = {}
    closed_as = data.get("closed_as")
    if closed_as not in CLOSURES:
        errors["closed_as"] = "Choose declined, superseded or withdrawn."
    reason = _require_text(errors, data, "closed_reason",
                           "Say why the recommendation is closed; readers of the report will ask.", REASON_MAX)
    closed_on = data.get("closed_on") or today()
    data = {**data, "closed_on": closed_on}
    closed_on = _date(errors, data, "closed_on", "Enter the date as YYYY-MM-DD.")
    if closed_on is not None:
        if closed_on > today():
            errors["closed_on"] = f"This date is in the future; today is {today():%d %B %Y}."
        elif closed_on < rec.workshop.start_date:
            errors["closed_on"] = (f"This date is before the workshop began "
                                   f"({rec.workshop.start_date:%d %B %Y}).")
    if not errors and not rec.is_open:
        errors["closed_as"] = f"The recommendation is already closed as {rec.closed_as}."
    if errors:
        raise Invalid(errors)
    with unit_of_work(actor):
        rec.closed_as = closed_as
        rec.closed_on = closed_on
        rec.closed_reason = reason
    return rec


def reopen_recommendation(actor, rec: Recommendation, note: str = "", version: int | None = None) -> Recommendation:
    """Undo a closure; the audit trail keeps the old closure and the note."""
    require_edit(rec, actor)
    expect_version(rec, version)
    if rec.is_open:
        raise Invalid({"closed_as": "The recommendation is open already."})
    note = clean_text(note)[:REASON_MAX]
    with unit_of_work(actor, note=f"Reopened: {note}" if note else "Reopened"):
        rec.closed_as = None
        rec.closed_on = None
        rec.closed_reason = ""
    return rec


# --------------------------------------------------------------------------- uptake events


def _event_values(rec: Recommendation, data: Mapping) -> dict:
    errors: dict[str, str] = {}
    values: dict = {}
    occurred_on = _date(errors, data, "occurred_on", "Enter the date of the event as YYYY-MM-DD.")
    if occurred_on is not None:
        start = rec.workshop.start_date
        if occurred_on > today():
            errors["occurred_on"] = (f"This date is in the future (today is {today():%d %B %Y}); "
                                     "record an event once it has happened.")
        elif occurred_on < start:
            errors["occurred_on"] = (f"This date is before the workshop began ({start:%d %B %Y}); "
                                     "Track-1 cannot have taken up a recommendation not yet made.")
    values["occurred_on"] = occurred_on
    stage = data.get("stage")
    if stage not in STAGES:
        errors["stage"] = "Choose the stage this event shows."
    values["stage"] = stage
    kind = data.get("evidence_kind")
    if kind not in EVIDENCE_KINDS:
        errors["evidence_kind"] = "Choose document, statement, meeting or press."
    values["evidence_kind"] = kind
    body_id = _optional_id(data.get("track1_body_id"))
    if body_id is False or (body_id is not None and db.session.get(Track1Body, body_id) is None):
        errors["track1_body_id"] = "Pick the Track-1 body from the list."
        body_id = None
    values["track1_body_id"] = body_id
    values["title"] = _require_text(errors, data, "title",
                                    "Give the event a title, such as the document's name.", TITLE_MAX)
    reference = _optional_text(errors, data, "reference", EVENT_REFERENCE_MAX)
    problem = reference_problem(reference)
    if problem and "reference" not in errors:
        errors["reference"] = problem
    values["reference"] = reference
    values["excerpt"] = _optional_text(errors, data, "excerpt", EXCERPT_MAX)
    if errors:
        raise Invalid(errors)
    return values


def _events_changed(rec: Recommendation) -> None:
    """An uptake event added or removed changes what the recommendation says
    (its stage, its last sign of uptake): its version rises, so an edit or a
    closure made from the page as it was is refused as a conflict. Raised in
    the database (version + 1), not checked against the version read: two
    events recorded at once are both kept."""
    db.session.execute(update(Recommendation).where(Recommendation.id == rec.id)
                       .values(version=Recommendation.version + 1),
                       execution_options={"synchronize_session": False})
    db.session.expire(rec, ["version"])


def add_uptake_event(actor, rec: Recommendation, data: Mapping) -> UptakeEvent:
    """Record a sign of uptake; the recommendation's stage follows from it."""
    require_edit(rec, actor)
    values = _event_values(rec, data)
    with unit_of_work(actor):
        event = UptakeEvent(recommendation=rec, recorded_by_id=getattr(actor, "id", None),
                            recorded_at=utcnow(), **values)
        db.session.add(event)
        _events_changed(rec)
    return event


def update_uptake_event(actor, event: UptakeEvent, data: Mapping, version: int | None = None) -> UptakeEvent:
    require_edit(event, actor)
    expect_version(event, version)
    values = _event_values(event.recommendation, data)
    with unit_of_work(actor):
        for key, value in values.items():
            setattr(event, key, value)
    return event


def delete_uptake_event(actor, event: UptakeEvent) -> None:
    require_edit(event, actor)
    rec = event.recommendation
    with unit_of_work(actor, note=f"Uptake event of recommendation #{rec.id} ({rec.title[:120]}) deleted"):
        db.session.delete(event)
        _events_changed(rec)


# --------------------------------------------------------------------------- Track-1 bodies


def require_registry_editor(actor) -> None:
    """Track-1 bodies belong to no network: admins and organisers keep them."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.can_edit_anything:
        abort(403)


def descendant_ids(body_id: int) -> set[int]:
    """The ids of every body below this one (children, their children…)."""
    parents = dict(db.session.execute(select(Track1Body.id, Track1Body.parent_id)).all())
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    stack = list(children.get(body_id, []))
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, []))
    return found


def _body_values(body: Track1Body | None, data: Mapping) -> tuple[dict, list[str]]:
    errors: dict[str, str] = {}
    values = {
        "name": _require_text(errors, data, "name", "Give the body its full name.", BODY_NAME_MAX),
        "acronym": _optional_text(errors, data, "acronym", BODY_ACRONYM_MAX),
        "established": _optional_text(errors, data, "established", ESTABLISHED_MAX),
        "description": _optional_text(errors, data, "description", DESCRIPTION_MAX),
    }
    kind = data.get("kind")
    if kind not in TRACK1_KINDS:
        errors["kind"] = "Choose what kind of body this is."
    values["kind"] = kind
    level = data.get("level") or None
    if level is not None and level not in TRACK1_LEVELS:
        errors["level"] = "Choose a level from the list, or leave it empty."
    values["level"] = level
    parent_id = _optional_id(data.get("parent_id"))
    if parent_id is False or (parent_id is not None and db.session.get(Track1Body, parent_id) is None):
        errors["parent_id"] = "Pick the parent body from the list."
    elif parent_id is not None and body is not None and body.id is not None:
        if parent_id == body.id:
            errors["parent_id"] = "A body cannot be its own parent."
        elif parent_id in descendant_ids(body.id):
            errors["parent_id"] = ("This body sits below the one you are editing; "
                                   "it cannot also be its parent.")
    values["parent_id"] = parent_id if parent_id is not False else None
    if values["name"] and "name" not in errors:
        query = select(Track1Body.id).where(Track1Body.name == values["name"])
        if body is not None and body.id is not None:
            query = query.where(Track1Body.id != body.id)
        if db.session.scalar(query) is not None:
            errors["name"] = "A Track-1 body with this name exists already."
    countries = data.get("member_countries") or []
    known = {code for code, _ in all_countries()}
    if isinstance(countries, (str, bytes)) or not isinstance(countries, Iterable) \
            or any(not isinstance(c, str) or c.upper() not in known for c in countries):
        errors["member_countries"] = "Pick the member countries from the list."
        countries = []
    if errors:
        raise Invalid(errors)
    return values, sorted({c.upper() for c in countries})


def _save_body(actor, body: Track1Body, values: dict, countries: list[str], note: str = "") -> None:
    try:
        with unit_of_work(actor, note=note):
            for key, value in values.items():
                setattr(body, key, value)
            db.session.add(body)
            old = body.member_countries
            if old != countries:
                by_country = {m.country: m for m in body.members}
                body.members = [by_country.get(c) or Track1BodyMember(country=c) for c in countries]
                if body.id is not None:
                    _mark_changed(body)
                    _record_members_change(actor, body, old, countries, note)
    except IntegrityError as exc:
        # Two people saving the same new name at once: the database decides.
        if "name" not in str(exc.orig).lower():
            raise
        raise Invalid({"name": "A Track-1 body with this name exists already."}) from exc


def _record_members_change(actor, body: Track1Body, old: list[str], new: list[str], note: str) -> None:
    """The member countries are rows of their own, which the audit trail
    records one by one; the body's own history gets the whole change too,
    so its page shows "member_countries: CN, ID → CN, ID, MY"."""
    user = actor if isinstance(actor, User) else None
    db.session.add(AuditEntry(
        user_id=user.id if user is not None else None,
        actor=user.name if user is not None else "system",
        action="update", object_type="Track1Body", object_id=body.id, object_label=body.label[:300],
        object_version=body.version, changes={"member_countries": [old, new]}, note=note,
    ))


def _members_note(old: list[str], new: list[str]) -> str:
    added = [c for c in new if c not in old]
    removed = [c for c in old if c not in new]
    parts = []
    if added:
        parts.append("member countries added: " + ", ".join(added))
    if removed:
        parts.append("member countries removed: " + ", ".join(removed))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def create_track1_body(actor, data: Mapping) -> Track1Body:
    require_registry_editor(actor)
    values, countries = _body_values(None, data)
    body = Track1Body()
    _save_body(actor, body, values, countries, _members_note([], countries))
    return body


def update_track1_body(actor, body: Track1Body, data: Mapping, version: int | None = None) -> Track1Body:
    require_registry_editor(actor)
    expect_version(body, version)
    values, countries = _body_values(body, data)
    _save_body(actor, body, values, countries, _members_note(body.member_countries, countries))
    return body
