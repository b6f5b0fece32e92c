"""Routes of the people capability: people, a workshop's participants,
their import from CSV or XLSX and their export, and a person's personal
data (admins).

Every handler runs the same pipeline: load the objects (404), check the
right (403), then act through operations.py (one code path with the API).
Who may read a person is one rule (people/access.py people_seen): admins
everyone, organisers the people of their networks' workshops and those in
no workshop yet, viewers no one (the directory shows them counts by sector
and country); participants are scoped by network too (may_see_participants).

The routes live in views_people (the directory, a person's page and form),
views_participants (a workshop's participants), views_import_export (the
import and the export files) and views_privacy (export and erase a
person's data); this module holds the blueprint and what they share.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.access import can_edit
from ..core.downloads import download
from ..extensions import db
from ..programme.models import Workshop
from . import operations, queries
from .access import people_seen_among
from .models import Participation

bp = Blueprint("people", __name__)

INVALID = 422


def sees_contacts() -> bool:
    """Email and phone are for users who may edit people (admins, organisers)."""
    return current_user.is_authenticated and current_user.can_edit_anything


@bp.context_processor
def _helpers():
    return {"can_edit": can_edit, "sees_contacts": sees_contacts}


def _arg_int(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdecimal() and 0 < int(raw) <= queries.MAX_ID else None


def _arg_choice(name: str, allowed) -> str | None:
    raw = request.args.get(name, "")
    return raw if raw in allowed else None


def _get(model, object_id: int):
    """The object or 404 (an id too large for the column matches no route)."""
    return db.get_or_404(model, object_id)


def _load_workshop(workshop_id: int) -> Workshop:
    return db.first_or_404(
        select(Workshop).where(Workshop.id == workshop_id)
        .options(selectinload(Workshop.series), selectinload(Workshop.network))
    )


def _load_participation(workshop: Workshop, participation_id: int) -> Participation:
    return db.first_or_404(
        select(Participation)
        .where(Participation.id == participation_id, Participation.workshop_id == workshop.id)
        .options(selectinload(Participation.person))
    )


def _require_people_editor() -> None:
    if not sees_contacts():
        abort(403)


def _readable(*groups) -> set[int]:
    """The ids among these people (lists or single people, None skipped)
    whose page the reader may open: one query, so a name is linked only
    where the link leads somewhere."""
    ids = []
    for group in groups:
        if group is None:
            continue
        ids.extend(p.id for p in (group if isinstance(group, (list, tuple)) else [group]))
    return people_seen_among(ids)


# A person recorded twice is refused with the one already there (a taken
# email) or the similar names: the form comes back with them to choose from.
PERSON_REFUSALS = {
    operations.EmailTaken: lambda exc: {"taken": exc.person},
    operations.SimilarPeople: lambda exc: {"similar": exc.people},
}


def _download(body: bytes, filename: str, fmt: str) -> Response:
    return download(body, filename, fmt, headers={"Cache-Control": "private, no-store"})


# The routes, by what they are about; all on this blueprint, so their
# endpoint names stay "people.<function>".
from . import (  # noqa: E402,F401
    views_checkin,
    views_import_export,
    views_merge,
    views_participants,
    views_people,
    views_privacy,
)
