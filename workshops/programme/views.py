"""Routes of the programme capability: networks and their member
institutes, series and their lifecycle, workshops, and the agenda builder.

Every handler runs the same pipeline (core/pages.py): load the objects
(404), check the right (403), then act through operations.py (one code
path with the API) in one edit round. The routes live in views_networks,
views_series, views_workshops and views_agenda; this module holds the
blueprint and what they share.
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from sqlalchemy import select

from ..auth.access import can_edit, require_edit
from ..extensions import db
from . import operations, queries
from .models import Network, Workshop

bp = Blueprint("programme", __name__)


@bp.context_processor
def _helpers():
    return {"can_edit": can_edit, "may_edit_institute": operations.may_edit_institute}


def form_data(form) -> dict:
    """The form's values as the plain dict an operation takes."""
    return {name: f.data for name, f in form._fields.items() if name not in ("csrf_token", "version")}


def _arg_int(name: str, allowed=None) -> int | None:
    raw = request.args.get(name, "")
    if not raw.isdecimal() or len(raw) > 9:
        return None
    value = int(raw)
    return value if allowed is None or value in allowed else None


def _arg_choice(name: str, allowed) -> str | None:
    raw = request.args.get(name, "")
    return raw if raw in allowed else None


def _refuse_foreign(model, field: str) -> None:
    """403 when a posted form names an existing record of a network the
    user may not change (rather than a mere "pick from the list")."""
    raw = request.form.get(field, "") if request.method == "POST" else ""
    if raw.isdecimal() and len(raw) < 10:
        obj = db.session.get(model, int(raw))
        if obj is not None:
            require_edit(obj)


def editable_networks() -> list[Network]:
    networks = db.session.scalars(select(Network).order_by(Network.acronym))
    return [n for n in networks if can_edit(n.id)]


def _load_workshop(workshop_id: int) -> Workshop:
    workshop = queries.load_workshop(workshop_id)
    if workshop is None:
        abort(404)
    return workshop


# The routes, by what they are about; all on this blueprint, so their
# endpoint names stay "programme.<function>".
from . import views_agenda, views_networks, views_series, views_themes, views_workshops  # noqa: E402,F401
