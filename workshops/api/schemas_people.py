"""The API's people models: people and their participations in workshops."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .. import vocab
from ..people.models import Participation, Person
from ..people.queries import PEOPLE_SORTS
from .schemas_common import Body, CountryCode, Id, Out, Page, PersonRef, Query, Version, choice, text

# --------------------------------------------------- people, participants


class PersonOut(Out):
    id: int
    full_name: str
    honorific: str
    affiliation: str
    country: str | None
    sector: choice(vocab.SECTORS)
    erased: bool = Field(description="Erased on request: the name and contact details are gone.")
    email: str | None = Field(description="Only for organisers and admins; null otherwise.")
    phone: str | None = Field(description="Only for organisers and admins; null otherwise.")
    workshops: int = Field(description="Workshops the person took part in.")
    version: int


class PersonPage(Page[PersonOut]):
    pass


class PeopleQuery(Query):
    q: text(200, "Words to find in the name or affiliation (and email, for organisers).") | None = None
    country: CountryCode | None = None
    sector: choice(vocab.SECTORS) | None = None
    network: Id | None = Field(None, description="Only people who took part in a workshop of this network.")
    sort: choice(tuple(PEOPLE_SORTS)) = "name"


class ParticipationOut(Out):
    id: int
    workshop_id: int
    person: PersonRef
    role: choice(vocab.ROLES)
    status: choice(vocab.PARTICIPATION_STATUSES)
    sector: choice(vocab.SECTORS)
    country: str | None
    affiliation: str
    gender: str | None = Field(None, description=(
        "Self-described, optional; null when not recorded, and for readers who may not see contacts."))
    serving_official: bool
    consent_to_list: bool = Field(description="Agreed to appear on the participant list.")
    consent_to_be_named: bool = Field(description=(
        "Agreed to be named on the public agenda; otherwise it gives their role and sector."))
    email: str | None
    phone: str | None
    version: int


class ParticipationPage(Page[ParticipationOut]):
    pass


class ParticipantsQuery(Query):
    role: choice(vocab.ROLES) | None = None
    status: choice(vocab.PARTICIPATION_STATUSES) | None = None


class NewPerson(Body):
    full_name: text(Person.full_name)
    honorific: text(Person.honorific, "Dr, Amb., Rear Adm.…") = ""
    email: text(Person.email) | None = None
    phone: text(Person.phone) = ""


class ParticipationCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"person_id": 1, "role": "speaker", "status": "confirmed"},
        {"new_person": {"full_name": "Nguyen Van An", "email": "an@example.org"}, "country": "VN",
         "sector": "government", "serving_official": True}]})

    person_id: Id | None = Field(None, description="Someone already recorded (id); or give `new_person`.")
    new_person: NewPerson | None = Field(None, description="Someone not recorded yet; or give `person_id`.")
    different_person: bool = Field(False, description=(
        "Confirms that a new person is not one of the people with a similar name already recorded."))
    role: choice(vocab.ROLES) = "participant"
    status: choice(vocab.PARTICIPATION_STATUSES) = "invited"
    sector: choice(vocab.SECTORS) = Field(None, description="At this workshop; the person's when omitted.")
    country: CountryCode | None = Field(None, description="At this workshop; the person's when omitted.")
    affiliation: text(Participation.affiliation, "At this workshop; the person's when omitted.") = None
    gender: text(Participation.gender, "Self-described, optional, free text (at most 60 characters, trimmed); never guessed. Empty or null: not recorded.") | None = None
    serving_official: bool = False
    consent_to_list: bool = False
    consent_to_be_named: bool = Field(False, description="May the public agenda name them? (No by default.)")


class ParticipationUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "status": "attended"}]})

    version: Version
    role: choice(vocab.ROLES) = None
    status: choice(vocab.PARTICIPATION_STATUSES) = None
    sector: choice(vocab.SECTORS) = None
    country: CountryCode | None = None
    affiliation: text(Participation.affiliation) = None
    gender: text(Participation.gender, "Self-described, optional, free text (at most 60 characters, trimmed); never guessed. Empty or null: not recorded.") | None = None
    serving_official: bool = None
    consent_to_list: bool = None
    consent_to_be_named: bool = None
