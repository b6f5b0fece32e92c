"""The rules for people and their participations, shared by the web forms
and the JSON API: one code path for every change.

Each function takes the actor, the objects and plain data; it raises
`Invalid` (messages by field) for a refused change, `Conflict` for a stale
edit and 403 for a user without the right, and saves through one
`unit_of_work`, so a change is recorded in the audit trail or not made.

The spreadsheet import of participants is in importing.py, how a person's
fields are cleaned in operations_common.py; both are importable from here
as before.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort
from sqlalchemy.exc import IntegrityError

from ..audit.operations import Conflict, Invalid, Problems, expect_version, unit_of_work
from ..auth.access import require_edit
from ..core import cleaning
from ..core.countries import country_code
from ..errors import problems_of
from ..programme.models import Workshop
from ..vocab import PARTICIPATION_STATUSES, ROLES, SECTORS
from . import queries
from .gender import clean_gender, gender_error

# The import and the field cleaning, importable from here as before.
from .importing import (  # noqa: F401
    HEADER_ALIASES,
    IMPORT_COLUMNS,
    IMPORT_DEFAULTS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    REQUIRED_COLUMNS,
    ImportCheck,
    ImportRefused,
    ImportRow,
    check_import,
    import_header,
    import_participants,
    import_rows,
    import_spellings,
)
from .models import Participation, Person, issue_personal_token
from .operations_common import (  # noqa: F401
    AFFILIATION_MAX,
    EMAIL_MAX,
    HONORIFIC_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    clean_line,
    clean_name,
    clean_text,
    normalise_email,
)
from .operations_reply import (  # noqa: F401  (the participant's own answer through their link)
    REPLIES,
    reply_refusal,
    reply_to_invitation,
    reply_values,
    unsubscribe_agenda_mail,
)


class EmailTaken(Invalid):
    """The email belongs to another person already; `person` is that person."""

    def __init__(self, person: Person, field_name: str = "email"):
        self.person = person
        super().__init__({field_name: f"This email already belongs to {person.full_name}."})


class SimilarPeople(Invalid):
    """People with a similar name exist; the caller must choose one of them
    or confirm that this is a different person."""

    def __init__(self, people: list[Person]):
        self.people = people
        names = ", ".join(p.full_name for p in people)
        super().__init__({
            "different_person": f"Someone with a similar name is already recorded ({names}). "
                                "Use that person, or tick this box if this is someone else."
        })


def require_people_editor(actor) -> None:
    """People are not scoped by network: admins and organisers edit any person."""
    if not (actor.is_authenticated and actor.can_edit_anything):
        abort(403)



def _text(values: dict, errors: dict, data: Mapping, key: str, limit: int, what: str,
          *, required: bool = False, multiline: bool = False, name: bool = False) -> None:
    if key not in data:
        return
    if name:
        try:
            text = clean_name(data[key])
        except cleaning.UnsafeText as exc:
            errors[key] = str(exc)
            return
    else:
        text = clean_text(data[key]) if multiline else clean_line(data[key])
    if required and not text:
        errors[key] = f"Enter the {what}."
    elif len(text) > limit:
        errors[key] = cleaning.length_message(limit)
    values[key] = text


def _country(values: dict, errors: dict, data: Mapping, key: str = "country") -> None:
    if key not in data:
        return
    raw = clean_line(data[key])
    code = country_code(raw) if raw else None
    if raw and code is None:
        errors[key] = f"“{raw[:60]}” is not a country we know. Pick one from the list."
    values[key] = code


def _choice(values: dict, errors: dict, data: Mapping, key: str, allowed: tuple[str, ...], what: str) -> None:
    if key not in data:
        return
    value = clean_line(data[key])
    if value not in allowed:
        errors[key] = f"Choose a {what} from the list."
    values[key] = value


def person_values(data: Mapping, *, creating: bool) -> dict:
    """The cleaned fields of a person from plain data (only the keys given,
    except that a new person needs a name); Invalid lists every problem."""
    values: dict = {}
    errors: dict = {}
    if creating and "full_name" not in data:
        errors["full_name"] = "Enter the person's name."
    _text(values, errors, data, "full_name", NAME_MAX, "person's name", required=True, name=True)
    _text(values, errors, data, "honorific", HONORIFIC_MAX, "title", name=True)
    _text(values, errors, data, "phone", PHONE_MAX, "phone number")
    _text(values, errors, data, "affiliation", AFFILIATION_MAX, "affiliation")
    _text(values, errors, data, "notes", NOTES_MAX, "notes", multiline=True)
    if "email" in data:
        try:
            values["email"] = normalise_email(data["email"])
        except ValueError as exc:
            errors["email"] = str(exc)
    _country(values, errors, data)
    if "sector" in data:
        _choice(values, errors, data, "sector", SECTORS, "sector")
    elif creating:
        values["sector"] = "academia"
    if errors:
        raise Invalid(errors)
    return values


def person_defaults(person: Person | Mapping) -> dict:
    """What a participation takes from its person when not given."""
    get = person.get if isinstance(person, Mapping) else lambda key: getattr(person, key)
    return {"sector": get("sector"), "country": get("country"), "affiliation": get("affiliation") or ""}


def participation_values(data: Mapping, *, defaults: Mapping | None = None) -> dict:
    """The cleaned fields of a participation. Sector, country and
    affiliation not given are taken from `defaults` (see person_defaults)."""
    data = dict(data)
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    values: dict = {}
    errors: dict = {}
    _choice(values, errors, data, "role", ROLES, "role")
    _choice(values, errors, data, "status", PARTICIPATION_STATUSES, "status")
    _choice(values, errors, data, "sector", SECTORS, "sector")
    _country(values, errors, data)
    _text(values, errors, data, "affiliation", AFFILIATION_MAX, "affiliation")
    if "gender" in data:  # self-described, optional (people/gender.py)
        if problem := gender_error(data["gender"]):
            errors["gender"] = problem
        else:
            values["gender"] = clean_gender(data["gender"])
    for key in ("serving_official", "consent_to_list", "consent_to_be_named"):
        if key in data:
            values[key] = bool(data[key])
    if errors:
        raise Invalid(errors)
    return values


def participant_problems(data: Mapping, *, person: Person | None = None,
                         new_person: Mapping | None = None) -> dict[str, str]:
    """Every field of a participation (and of the new person, when one is
    added) the rules refuse, saving nothing and asking nothing of the
    database: the form shows them with its own messages in one round."""
    if person is not None:
        return problems_of(participation_values, data, defaults=person_defaults(person))
    if new_person is not None:
        return problems_of(_new_participant_values, data, new_person)
    return problems_of(participation_values, data)


def _new_participant_values(data: Mapping, new_person: Mapping) -> tuple[dict, dict]:
    """A new person's fields (name, title, email from `new_person`; sector,
    country and affiliation from `data` unless given there) and their
    participation's values; every refusal of both at once (Invalid)."""
    person_data = dict(new_person)
    for key in ("sector", "country", "affiliation"):
        if key in data:
            person_data.setdefault(key, data[key])
    found = Problems()
    person_fields = found.check(person_values, person_data, creating=True) or {}
    values = found.check(participation_values, data, defaults=person_defaults(
        {"sector": person_fields.get("sector", "academia"), "country": person_fields.get("country"),
         "affiliation": person_fields.get("affiliation")}))
    found.raise_any()
    return person_fields, values


def _check_email_free(email: str | None, *, except_id: int | None = None) -> None:
    if not email:
        return
    owner = queries.person_by_email(email)
    if owner is not None and owner.id != except_id:
        raise EmailTaken(owner)


def _email_clash_after(exc: IntegrityError, email: str | None, except_id: int | None = None) -> Exception:
    """A unique constraint failed at commit (someone saved the same email at
    the same moment): the readable refusal, or the error itself."""
    owner = queries.person_by_email(email) if email else None
    if owner is not None and owner.id != except_id:
        return EmailTaken(owner)
    return exc


# ---- people ------------------------------------------------------------

def create_person(actor, data: Mapping, *, different_person: bool = False) -> Person:
    """A new person. Refused when the email is someone else's; when a
    similar name exists, refused until `different_person` confirms it."""
    require_people_editor(actor)
    values = person_values(data, creating=True)
    _check_email_free(values.get("email"))
    if not different_person:
        similar = queries.similar_people(values["full_name"])
        if similar:
            raise SimilarPeople(similar)
    try:
        with unit_of_work(actor) as session:
            person = Person(**values)
            session.add(person)
    except IntegrityError as exc:
        raise _email_clash_after(exc, values.get("email")) from exc
    return person


ERASED_MESSAGE = "This person's personal data was erased on request; the record cannot be edited or reused."


def update_person(actor, person: Person, data: Mapping, version: int | None) -> Person:
    require_people_editor(actor)
    if person.erased_at is not None:
        raise Invalid({"full_name": ERASED_MESSAGE})
    expect_version(person, version)
    values = person_values(data, creating=False)
    _check_email_free(values.get("email"), except_id=person.id)
    try:
        with unit_of_work(actor):
            for key, value in values.items():
                setattr(person, key, value)
    except IntegrityError as exc:
        raise _email_clash_after(exc, values.get("email"), person.id) from exc
    except Conflict as exc:
        if exc.obj is None:  # saved by someone else between our check and our commit
            raise Conflict(person, version) from exc
        raise
    return person


# ---- participations ------------------------------------------------------

def add_participant(actor, workshop: Workshop, data: Mapping, *, person: Person | None = None,
                    new_person: Mapping | None = None, different_person: bool = False) -> Participation:
    """Add an existing person (`person`) or a new one (`new_person`: name,
    title, email; sector, country and affiliation come from `data`) to a
    workshop. A new participation gets its personal agenda link."""
    require_edit(workshop, actor)
    if person is None and new_person is None:
        raise Invalid({"person_id": "Choose a person, or enter the name of a new one."})
    if person is not None:
        if person.erased_at is not None:
            raise Invalid({"person_id": ERASED_MESSAGE})
        if person.id in queries.participant_person_ids(workshop):
            raise Invalid({"person_id": f"{person.full_name} is already a participant of this workshop."})
        values = participation_values(data, defaults=person_defaults(person))
    else:
        require_people_editor(actor)
        person_fields, values = _new_participant_values(data, new_person)
        _check_email_free(person_fields.get("email"))
        if not different_person:
            similar = queries.similar_people(person_fields["full_name"])
            if similar:
                raise SimilarPeople(similar)
    try:
        with unit_of_work(actor) as session:
            if person is None:
                person = Person(**person_fields)
                session.add(person)
            participation = Participation(workshop=workshop, person=person, **values)
            issue_personal_token(participation)
            session.add(participation)
    except IntegrityError as exc:
        if new_person is not None:
            clash = _email_clash_after(exc, person_fields.get("email"))
            if clash is not exc:
                raise clash from exc
        raise Invalid({"person_id": "This person was added to the workshop by someone else meanwhile."}) from exc
    return participation


def update_participation(actor, participation: Participation, data: Mapping, version: int | None) -> Participation:
    require_edit(participation.workshop, actor)
    expect_version(participation, version)
    values = participation_values(data)
    try:
        with unit_of_work(actor):
            for key, value in values.items():
                setattr(participation, key, value)
    except Conflict as exc:
        if exc.obj is None:
            raise Conflict(participation, version) from exc
        raise
    return participation


def describe_agenda_roles(roles) -> str:
    parts = [f"{r.role} at “{r.agenda_item.title}”" for r in roles]
    return ", ".join(parts)


def remove_participation(actor, participation: Participation, *, version: int | None = None,
                         drop_agenda_roles: bool = False) -> None:
    """Remove a person from a workshop. If they chair or speak at agenda
    items, refused unless `drop_agenda_roles` says to take them off those
    items too (the confirmation page names the items)."""
    require_edit(participation.workshop, actor)
    expect_version(participation, version)
    roles = queries.agenda_roles_of_participation(participation)
    if roles and not drop_agenda_roles:
        raise Invalid({
            "agenda_roles": f"{participation.person.full_name} is on the agenda as "
                            f"{describe_agenda_roles(roles)}. Confirm that they should be taken off "
                            "these items too, or change the agenda first."
        })
    note = f"Removed with their agenda roles: {describe_agenda_roles(roles)}" if roles else ""
    try:
        with unit_of_work(actor, note=note[:1000]) as session:
            for role in roles:
                session.delete(role)
            session.delete(participation)
    except Conflict as exc:
        if exc.obj is None:
            raise Conflict(participation, version) from exc
        raise
