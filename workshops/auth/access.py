"""Who may do what: admins everything, organisers within their networks,
viewers read. Views call these helpers; they raise 403 (or send to login).
Who may read a person needs the people rows: people/access.py."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import false, true


def network_of(obj) -> int | None:
    """The network an object belongs to, for organiser scoping: each model
    says its own (`network_id`: a network, series, workshop, agenda item,
    participation, recommendation, uptake event), so this layer needs none
    of them; None for anything that belongs to no network."""
    return getattr(obj, "network_id", None)


def networks_of(obj) -> list[int]:
    """Every network an object belongs to: a workshop's lead and
    co-organising networks (`network_ids`), and those of the workshop that
    an agenda item, participation, recommendation or event hangs from; for
    anything else its one network. The one place that says organisers of
    ANY network of a workshop may edit it and see its participants."""
    network_ids = getattr(obj, "network_ids", None)
    if network_ids is None:
        workshop = getattr(obj, "workshop", None)
        network_ids = getattr(workshop, "network_ids", None) if workshop is not None else None
    if network_ids is None:
        network_ids = [network_of(obj)]
    return list(network_ids)


def can_edit(obj_or_network_id, user=None) -> bool:
    """Whether `user` (an operation's actor; the logged-in user when None)
    may change this object: an admin, or an organiser of one of its networks."""
    user = current_user if user is None else user
    if not user.is_authenticated:
        return False
    if isinstance(obj_or_network_id, int) or obj_or_network_id is None:
        return user.can_edit_network(obj_or_network_id)
    return any(user.can_edit_network(n) for n in networks_of(obj_or_network_id))


def networks_whose_participants_are_seen() -> list[int] | None:
    """The networks whose workshops' participants the current user may name:
    None for every network (an active admin), the organiser's own networks,
    none for anyone else. The one place the participant rule is written; the
    functions below apply it to one workshop (in Python) or to queries (SQL)."""
    if not current_user.is_authenticated or not current_user.active:
        return []
    if current_user.role == "admin":
        return None
    if current_user.role == "organiser":
        return sorted(n.id for n in current_user.networks)
    return []


def may_see_participants(workshop) -> bool:
    """The one rule for a workshop's participant list, on pages, exports and
    the API: names and contact details only for admins and the organisers of
    the workshop's networks, lead or co-organiser (participant lists stay
    among those who run the meeting: the Chatham House rule, and many did
    not consent to be listed).
    Everyone else sees counts by status, sector and country.

    The participants' agenda pages have their own list (consent_to_list):
    that is a different thing (agenda_views)."""
    networks = networks_whose_participants_are_seen()
    return networks is None or any(n in networks for n in networks_of(workshop))


def participants_seen_in(in_networks):
    """The same rule as a SQL condition on Workshop (joined by the caller):
    true where the current user may see that workshop's participants.
    `in_networks` is programme/models.py in_networks (network ids → the
    condition that a workshop is organised by one of them). For a person's
    list of workshops and agenda roles, and what they are counted from."""
    networks = networks_whose_participants_are_seen()
    if networks is None:
        return true()
    return in_networks(networks) if networks else false()


def sees_people() -> bool:
    """Whether the current user may read any person's name at all: admins
    and organisers. Viewers (programme heads, funders) read people as counts
    by sector and country, as they read participant lists."""
    return current_user.is_authenticated and current_user.can_edit_anything


def require_participants(workshop) -> None:
    """403 unless the current user may see the workshop's participants."""
    if not may_see_participants(workshop):
        abort(403)


def require_edit(obj_or_network_id, user=None) -> None:
    """403 unless `user` (an operation's actor; the logged-in user when
    None) may change this object's network."""
    if not can_edit(obj_or_network_id, user):
        abort(403)


def require_admin(user=None) -> None:
    """403 unless `user` (the logged-in user when None) is an active admin
    (networks are theirs)."""
    user = current_user if user is None else user
    if not (user.is_authenticated and user.is_admin and user.active):
        abort(403)


def may_edit_institute(institute, user=None) -> bool:
    """Admins, and organisers of any network the institute belongs to
    (`user`: an operation's actor; the logged-in user when None)."""
    user = current_user if user is None else user
    if not user.is_authenticated:
        return False
    if user.is_admin and user.active:
        return True
    return any(can_edit(n.id, user) for n in institute.networks)


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
