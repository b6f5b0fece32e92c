"""Who may do what: admins everything, organisers within their networks,
viewers read. Views call these helpers; they raise 403 (or send to login)."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def network_of(obj) -> int | None:
    """The network an object belongs to, for organiser scoping."""
    from ..outcomes.models import Recommendation, UptakeEvent
    from ..people.models import Participation
    from ..programme.models import AgendaItem, Network, Series, Workshop

    if isinstance(obj, Network):
        return obj.id
    if isinstance(obj, Series):
        return obj.network_id
    if isinstance(obj, Workshop):
        return obj.series.network_id
    if isinstance(obj, (AgendaItem, Participation, Recommendation)):
        return obj.workshop.series.network_id
    if isinstance(obj, UptakeEvent):
        return obj.recommendation.workshop.series.network_id
    return None


def can_edit(obj_or_network_id) -> bool:
    if not current_user.is_authenticated:
        return False
    network_id = obj_or_network_id if isinstance(obj_or_network_id, int) or obj_or_network_id is None \
        else network_of(obj_or_network_id)
    return current_user.can_edit_network(network_id)


def may_see_participants(workshop) -> bool:
    """The one rule for a workshop's participant list, on pages, exports and
    the API: names and contact details only for admins and the organisers of
    the workshop's network (participant lists stay among those who run the
    meeting: the Chatham House rule, and many did not consent to be listed).
    Everyone else sees counts by status, sector and country.

    The participants' agenda pages have their own list (consent_to_list):
    that is a different thing (agenda_views)."""
    return can_edit(workshop)


def require_participants(workshop) -> None:
    """403 unless the current user may see the workshop's participants."""
    if not may_see_participants(workshop):
        abort(403)


def require_edit(obj_or_network_id) -> None:
    """403 unless the current user may change this object's network."""
    if not can_edit(obj_or_network_id):
        abort(403)


def roles_required(*roles: str):
    """A view only for logged-in users with one of these roles."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = roles_required("admin")
editor_required = roles_required("admin", "organiser")
