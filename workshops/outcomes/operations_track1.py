"""The registry of Track-1 bodies: create and change a body, its place
under a parent and its member countries (recorded in the body's own
history too). Re-exported by operations.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditEntry
from ..audit.operations import Invalid, expect_version, unit_of_work
from ..auth.models import User
from ..core.countries import all_countries
from ..extensions import db
from ..vocab import TRACK1_KINDS, TRACK1_LEVELS
from .models import Track1Body, Track1BodyMember
from .operations_common import (
    BODY_ACRONYM_MAX,
    BODY_NAME_MAX,
    DESCRIPTION_MAX,
    ESTABLISHED_MAX,
    _mark_changed,
    _optional_id,
    _optional_text,
    _require_text,
)

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
