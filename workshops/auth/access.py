"""Who may do what: admins everything, organisers within their networks,
viewers read. Views call these helpers; they raise 403 (or send to login)."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import false, or_, select, true


def network_of(obj) -> int | None:
    """The network an object belongs to, for organiser scoping: each model
    says its own (`network_id`: a network, series, workshop, agenda item,
    participation, recommendation, uptake event), so this layer needs none
    of them; None for anything that belongs to no network."""
    return getattr(obj, "network_id", None)


def can_edit(obj_or_network_id, user=None) -> bool:
    """Whether `user` (an operation's actor; the logged-in user when None)
    may change this object's network."""
    user = current_user if user is None else user
    if not user.is_authenticated:
        return False
    network_id = obj_or_network_id if isinstance(obj_or_network_id, int) or obj_or_network_id is None \
        else network_of(obj_or_network_id)
    return user.can_edit_network(network_id)


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
    the workshop's network (participant lists stay among those who run the
    meeting: the Chatham House rule, and many did not consent to be listed).
    Everyone else sees counts by status, sector and country.

    The participants' agenda pages have their own list (consent_to_list):
    that is a different thing (agenda_views)."""
    networks = networks_whose_participants_are_seen()
    return networks is None or network_of(workshop) in networks


def participants_seen_in(network_id_column):
    """The same rule as a SQL condition on the network of a workshop's
    series (`Series.network_id`, joined by the caller): true where the
    current user may see that workshop's participants. For a person's list of
    workshops and agenda roles, and what they are counted from."""
    networks = networks_whose_participants_are_seen()
    if networks is None:
        return true()
    return network_id_column.in_(networks) if networks else false()


def sees_people() -> bool:
    """Whether the current user may read any person's name at all: admins
    and organisers. Viewers (programme heads, funders) read people as counts
    by sector and country, as they read participant lists."""
    return current_user.is_authenticated and current_user.can_edit_anything


def people_seen():
    """The person-level rule, as a SQL condition on `Person`, for the people
    directory, a person's page and edit form, the API's people and search:
    whose name and contact details the current user may read.

    - An admin reads everyone.
    - An organiser reads a person with a participation in a workshop of one
      of their networks (that person is on a participant list the organiser
      reads anyway: may_see_participants), and a person with no participation
      at all. The latter is on no participant list, so the participant rule
      hides nothing about them; people are not scoped by network and are
      usually created by an organiser on /people/new just before being added
      to a workshop, so the organiser who created one must be able to open,
      correct and add them (recording who created a person would need a
      column that says less: a colleague of the same network could not). A
      person who was removed from every workshop is in the same case.
      A person known only from other networks' workshops stays hidden from
      the directory, the person page and its edit form, the API and search;
      the add-participant page still warns of a similar name or a taken email
      (a person is shared across networks and must not be recorded twice),
      without a link to a page the organiser may not open.
    - Anyone else (viewers) reads no one: the condition is false.

    One condition in the query, never a check per row."""
    from ..people.models import Participation, Person
    from ..programme.models import Series, Workshop

    if not sees_people():
        return false()
    networks = networks_whose_participants_are_seen()
    if networks is None:
        return true()
    nowhere = ~select(Participation.id).where(Participation.person_id == Person.id).exists()
    if not networks:
        return nowhere
    known_here = (
        select(Participation.person_id)
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .join(Series, Series.id == Workshop.series_id)
        .where(Series.network_id.in_(networks))
    )
    return or_(Person.id.in_(known_here), nowhere)


def people_seen_among(person_ids) -> set[int]:
    """Which of these people the current user may read (one query), for
    links beside names shown for another reason (a similar name, a taken email)."""
    from ..extensions import db
    from ..people.models import Person

    ids = sorted(set(person_ids))
    if not ids or not sees_people():
        return set()
    return set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), people_seen())))


def may_see_person(person) -> bool:
    """Whether the current user may read this person (people_seen, one query)."""
    return person.id in people_seen_among([person.id])


def require_person(person) -> None:
    """403 unless the current user may read this person's name and contacts."""
    if not may_see_person(person):
        abort(403)


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
