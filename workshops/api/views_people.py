"""The people API routes: a workshop's participants and the people
register, each read only by those the web pages show them to
(auth/access.py)."""

from __future__ import annotations

from flask_login import current_user

from ..audit.operations import Invalid
from ..auth.access import (
    participants_seen_in,
    require_edit,
    require_participants,
    sees_people,
)
from ..core.pagination import paginate
from ..extensions import db
from ..people import operations as people_ops
from ..people.access import may_see_person, people_seen
from ..people.models import Participation, Person
from ..people.queries import people_query, words_of
from ..people.queries import workshop_counts as person_workshop_counts
from . import exporters as ex
from . import queries
from . import schemas as s
from .pipeline import ApiError, operation
from .responses import api_url, json_response, paged, paged_query
from .views_programme import WORKSHOP_DENIED, editable_workshop

# ------------------------------------------------------------- participants


@operation("GET", "/workshops/<int:workshop_id>/participants", summary="List a workshop's participants",
           tag="Participants", query=s.ParticipantsQuery, response=s.ParticipationPage, errors=(403,))
def list_participants(workshop_id: int, query: s.ParticipantsQuery):
    """Only for the workshop's organisers and admins: participant lists stay
    among the participants (Chatham House), so the API gives them only to
    those who manage them, with contact details (the rule of the web pages:
    auth/access.py may_see_participants)."""
    workshop = queries.workshop_for_reading(workshop_id)
    if workshop is None:
        raise ApiError(404, WORKSHOP_DENIED.format(id=workshop_id))
    require_participants(workshop)
    select_ = queries.participations_query(workshop, query.role, query.status)
    return paged_query(s.ParticipationPage, select_, query, lambda p: ex.participation(p, contact=True))


def _participation_answer(participation_id: int) -> s.ParticipationOut:
    db.session.expire_all()
    return ex.participation(queries.load_participation(participation_id), contact=True)


@operation("POST", "/workshops/<int:workshop_id>/participants", summary="Add a participant", tag="Participants",
           body=s.ParticipationCreate, response=s.ParticipationOut, status=201, errors=(403,))
def create_participation(workshop_id: int, body: s.ParticipationCreate):
    """Add a person already recorded (`person_id`) or a new one (`new_person`);
    sector, country and affiliation default to the person's. A new person
    whose name resembles someone recorded is refused (see errors) unless
    `different_person` is true."""
    workshop = editable_workshop(workshop_id)
    if (body.person_id is None) == (body.new_person is None):
        raise Invalid({"person_id": "Give either person_id (someone recorded) or new_person, not both."})
    person = None
    if body.person_id is not None:
        person = db.session.get(Person, body.person_id)
        if person is None:
            raise Invalid({"person_id": f"There is no person {body.person_id}."})
    data = body.model_dump(exclude_unset=True, exclude={"person_id", "new_person", "different_person"})
    participation = people_ops.add_participant(
        current_user, workshop, data, person=person,
        new_person=body.new_person.model_dump(exclude_unset=True) if body.new_person else None,
        different_person=body.different_person)
    answer = _participation_answer(participation.id)
    return json_response(answer, 201, {"Location": api_url("list_participants", workshop_id=workshop_id)})


@operation("PATCH", "/participations/<int:participation_id>", summary="Change a participation",
           tag="Participants", body=s.ParticipationUpdate, response=s.ParticipationOut, errors=(403, 409))
def update_participation(participation_id: int, body: s.ParticipationUpdate):
    """Role, status and what was recorded at that workshop; only the fields sent change."""
    participation = db.session.get(Participation, participation_id)
    if participation is None:
        raise ApiError(404, f"There is no participation {participation_id}.")
    require_edit(participation.workshop)
    people_ops.update_participation(current_user, participation,
                                    body.model_dump(exclude_unset=True, exclude={"version"}), body.version)
    return _participation_answer(participation_id)


# ------------------------------------------------------------------- people


def _sees_contact() -> bool:
    return current_user.can_edit_anything


PEOPLE_DENIED = ("People's names and contact details are given only to admins, and to organisers for the people "
                 "of their networks' workshops (and people in no workshop yet).")


@operation("GET", "/people", summary="List people", tag="Participants", query=s.PeopleQuery,
           response=s.PersonPage, errors=(403,))
def list_people(query: s.PeopleQuery):
    """People, filtered as on the people page, and only those the caller may
    read (people/access.py people_seen): admins everyone, organisers the people
    of their networks' workshops and people in no workshop yet. Viewers read
    no one's name: 403. `workshops` counts the workshops whose participants
    the caller may see."""
    if not sees_people():
        raise ApiError(403, PEOPLE_DENIED)
    contact = _sees_contact()
    select_ = people_query(words=words_of(query.q), country=query.country.upper() if query.country else None,
                           sector=query.sector, network_id=query.network, sort=query.sort,
                           search_email=contact, seen=people_seen())
    page = paginate(select_, per_page=query.per_page, page=query.page)
    counts = person_workshop_counts((p.id for p in page.items), seen_in=participants_seen_in)
    return paged(s.PersonPage, page, [ex.person(p, counts.get(p.id, 0), contact=contact) for p in page.items])


@operation("GET", "/people/<int:person_id>", summary="Read a person", tag="Participants", response=s.PersonOut,
           errors=(403,))
def get_person(person_id: int):
    """A person, for a caller who may read them (people/access.py people_seen), else 403."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise ApiError(404, f"There is no person {person_id}.")
    if not may_see_person(person):
        raise ApiError(403, PEOPLE_DENIED)
    counts = person_workshop_counts([person.id], seen_in=participants_seen_in)
    return ex.person(person, counts.get(person.id, 0), contact=_sees_contact())

