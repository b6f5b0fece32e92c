"""Who may read a person: the person-level rule, beside the people pages.

It is a SQL condition on Person, Participation, Workshop and Series, so it
lives in the people layer (auth/access.py, below it, keeps the rules that
need no person: who organises which networks, who may see a workshop's
participants). Every page, export, the API and search read people through
`people_seen`; the README's layout section states the layers."""

from __future__ import annotations

from flask import abort
from sqlalchemy import false, or_, select, true

from ..auth.access import networks_whose_participants_are_seen, sees_people
from ..extensions import db
from ..programme.models import Workshop, in_networks
from .models import Participation, Person


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
        .where(in_networks(networks))
    )
    return or_(Person.id.in_(known_here), nowhere)


def people_seen_among(person_ids) -> set[int]:
    """Which of these people the current user may read (one query), for
    links beside names shown for another reason (a similar name, a taken email)."""
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
