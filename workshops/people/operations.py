"""The rules for people and their participations, shared by the web forms
and the JSON API: one code path for every change.

Each function takes the actor, the objects and plain data; it raises
`Invalid` (messages by field) for a refused change, `Conflict` for a stale
edit and 403 for a user without the right, and saves through one
`unit_of_work`, so a change is recorded in the audit trail or not made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit.operations import Conflict, Invalid, expect_version, unit_of_work
from ..auth.access import require_edit
from ..core import cleaning
from ..core.countries import country_code
from ..core.spreadsheets import Table
from ..extensions import db
from ..programme.models import Workshop
from ..vocab import (
    PARTICIPATION_STATUS_LABELS,
    PARTICIPATION_STATUSES,
    ROLE_LABELS,
    ROLES,
    SECTOR_LABELS,
    SECTORS,
)
from . import queries
from .models import Participation, Person, issue_personal_token

# Column lengths (models.py), read from the columns; notes are Text.
NAME_MAX, HONORIFIC_MAX, EMAIL_MAX, PHONE_MAX, AFFILIATION_MAX = (
    cleaning.column_limit(c) for c in (Person.full_name, Person.honorific, Person.email, Person.phone,
                                       Person.affiliation))
NOTES_MAX = 10_000

def clean_line(value) -> str:
    """One line of text: control characters go (a NUL would be refused by
    PostgreSQL), line breaks and tabs become a space, outer spaces go
    (the one rule: core.cleaning.clean_text)."""
    return cleaning.clean_text(value or "")


def clean_text(value) -> str:
    """Several lines of text: control characters other than line breaks and tabs go."""
    return cleaning.clean_text(value or "", multiline=True)


def clean_name(value) -> str:
    """A person's name or title, as clean_line, and without the invisible
    characters that make one name look like another; UnsafeText (a
    ValueError, shown at the field) for a bidirectional control character.
    Why each: core/cleaning.py."""
    return cleaning.clean_text(value or "", name=True)


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


def normalise_email(value) -> str | None:
    """An email address as stored (lower-case), None when blank; ValueError
    with a readable message when it is not an email address."""
    text = clean_line(value).lower()
    if not text:
        return None
    if len(text) > EMAIL_MAX:
        raise ValueError(cleaning.length_message(EMAIL_MAX))
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"“{text[:60]}” is not a valid email address.") from exc
    return text


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
    for key in ("serving_official", "consent_to_list", "consent_to_be_named"):
        if key in data:
            values[key] = bool(data[key])
    if errors:
        raise Invalid(errors)
    return values


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
        person_data = dict(new_person)
        for key in ("sector", "country", "affiliation"):
            if key in data:
                person_data.setdefault(key, data[key])
        errors: dict = {}
        person_fields: dict = {}
        try:
            person_fields = person_values(person_data, creating=True)
        except Invalid as exc:
            errors.update(exc.errors)
        try:
            values = participation_values(data, defaults=person_defaults(
                {"sector": person_fields.get("sector", "academia"), "country": person_fields.get("country"),
                 "affiliation": person_fields.get("affiliation")}))
        except Invalid as exc:
            errors.update(exc.errors)
        if errors:
            raise Invalid(errors)
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


# ---- import ---------------------------------------------------------------

IMPORT_COLUMNS = ("name", "email", "country", "sector", "role", "status", "affiliation",
                  "serving_official", "consent", "named_publicly")
REQUIRED_COLUMNS = ("name",)
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 1000
HEADER_ALIASES = {
    "full_name": "name", "e_mail": "email", "consent_to_list": "consent", "consent_to_be_listed": "consent",
    "serving": "serving_official", "official": "serving_official", "institution": "affiliation",
    "consent_to_be_named": "named_publicly", "consent_to_be_named_publicly": "named_publicly",
    "named": "named_publicly", "consent_named": "named_publicly",
}
IMPORT_DEFAULTS = {"role": "participant", "status": "invited", "sector": "academia"}
_SECTOR_ALIASES = {
    "think_tank": "academia", "academic": "academia", "university": "academia",
    "gov": "government", "official": "government", "ngo": "civil_society",
    "international_organisation": "international_org", "international_organization": "international_org",
    "io": "international_org", "private": "private_sector", "business": "private_sector",
    "think_tank_academia": "academia", "government_official": "government", "cso": "civil_society",
    "armed_forces": "military", "defence": "military", "defense": "military", "industry": "private_sector",
}
_ROLE_ALIASES = {
    "organizer": "organiser", "moderator": "chair", "co_chair": "chair", "panelist": "speaker",
    "panellist": "speaker", "presenter": "speaker", "note_taker": "rapporteur", "notetaker": "rapporteur",
    "attendee": "participant", "delegate": "participant",
}
# "no-show" is the documented spelling; "no_show", "No show", "noshow" are read as it too.
_STATUS_ALIASES = {"noshow": "no_show", "did_not_attend": "no_show", "absent": "no_show",
                   "regrets": "declined", "accepted": "confirmed"}
_YES = {"yes", "y", "true", "1", "x", "ja", "oui"}
_NO = {"no", "n", "false", "0", ""}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def import_spellings(column: str) -> tuple[str, ...]:
    """The values the import page documents for a vocabulary column (codes
    for sector and role, the label for status: "no-show"), so that a
    refusal names what the column guide says."""
    if column == "status":
        return tuple(PARTICIPATION_STATUS_LABELS[s].lower() for s in PARTICIPATION_STATUSES)
    return {"sector": SECTORS, "role": ROLES}[column]


def _vocab_code(text: str, codes: tuple[str, ...], labels: dict[str, str], aliases: dict) -> str | None:
    key = _key(text)
    for code in codes:
        if key == code or key == _key(labels[code]):
            return code
    return aliases.get(key)


def import_header(header: list[str]) -> list[str | None]:
    """The column each header cell names (None for an empty cell), or
    Invalid({"file": …}) when the header row does not match the template."""
    columns: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        key = _key(clean_line(cell))
        if not key:
            columns.append(None)
            continue
        key = HEADER_ALIASES.get(key, key)
        if key not in IMPORT_COLUMNS:
            unknown.append(clean_line(cell)[:40])
        columns.append(key)
    present = [c for c in columns if c]
    repeated = sorted({c for c in present if present.count(c) > 1})
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    problems = []
    if unknown:
        problems.append("these columns are not understood: " + ", ".join(f"“{u}”" for u in unknown[:8]))
    if repeated:
        problems.append("these columns appear twice: " + ", ".join(repeated))
    if missing:
        problems.append("the column “name” is missing")
    if problems:
        raise Invalid({"file": (
            "The header row does not match the template: " + "; ".join(problems) + ". The first row must "
            "name the columns, in any order: " + ", ".join(IMPORT_COLUMNS) + " (only “name” is required). "
            "Download the template to start from."
        )})
    return columns


def import_rows(table: Table) -> list[tuple[int, dict[str, str]]]:
    """The table's rows as (spreadsheet row number, {column: text})."""
    columns = import_header(table.header)
    rows = []
    for number, cells in table.rows:
        row = {c: "" for c in IMPORT_COLUMNS}
        for column, cell in zip(columns, cells, strict=False):
            if column:
                row[column] = clean_line(cell)
        rows.append((number, row))
    return rows


@dataclass
class ImportRow:
    number: int
    raw: dict[str, str]
    person_values: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # the participation's
    person: Person | None = None  # the existing person the email matched
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    rows: list[ImportRow]

    @property
    def with_problems(self) -> list[ImportRow]:
        return [r for r in self.rows if r.problems]

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r.person is not None)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.with_problems


class ImportRefused(Invalid):
    """Some rows have problems: nothing was imported. `check` says which."""

    def __init__(self, check: ImportCheck, message: str | None = None):
        self.check = check
        bad = len(check.with_problems)
        super().__init__({"file": message or (
            f"{bad} {'row has a problem' if bad == 1 else 'rows have problems'}, so nothing was imported. "
            "Correct the file and upload it again."
        )})


def _check_row(number: int, raw: dict[str, str]) -> ImportRow:
    row = ImportRow(number=number, raw=raw)
    try:
        name = clean_name(raw.get("name", ""))
    except cleaning.UnsafeText as exc:
        name = raw.get("name", "")
        row.problems.append(str(exc))
    if not name:
        row.problems.append("The name is missing.")
    elif len(name) > NAME_MAX:
        row.problems.append(f"The name is longer than {NAME_MAX} characters.")
    try:
        email = normalise_email(raw.get("email"))
    except ValueError as exc:
        email = None
        row.problems.append(str(exc))
    country = None
    if raw.get("country"):
        country = country_code(raw["country"])
        if country is None:
            row.problems.append(
                f"Unknown country “{raw['country'][:60]}”: use a name (Singapore) or an ISO code (SG)."
            )
    vocabularies = (
        ("sector", SECTORS, SECTOR_LABELS, _SECTOR_ALIASES),
        ("role", ROLES, ROLE_LABELS, _ROLE_ALIASES),
        ("status", PARTICIPATION_STATUSES, PARTICIPATION_STATUS_LABELS, _STATUS_ALIASES),
    )
    for key, codes, labels, aliases in vocabularies:
        text = raw.get(key, "")
        if not text:
            continue
        code = _vocab_code(text, codes, labels, aliases)
        if code is None:
            row.problems.append(f"Unknown {key} “{text[:60]}”: use one of {', '.join(import_spellings(key))}.")
        else:
            row.values[key] = code
    affiliation = raw.get("affiliation", "")
    if len(affiliation) > AFFILIATION_MAX:
        row.problems.append(f"The affiliation is longer than {AFFILIATION_MAX} characters.")
    for key, target in (("serving_official", "serving_official"), ("consent", "consent_to_list"),
                        ("named_publicly", "consent_to_be_named")):
        text = raw.get(key, "").strip().lower()
        if text in _YES:
            row.values[target] = True
        elif text in _NO:
            row.values[target] = False
        else:
            row.problems.append(f"“{raw[key][:30]}” in {key} is not yes or no.")
    row.person_values = {"full_name": name, "email": email}
    if country:
        row.values["country"] = country
    if affiliation:
        row.values["affiliation"] = affiliation
    return row


def check_import(workshop: Workshop, rows: Iterable[tuple[int, Mapping[str, str]]]) -> ImportCheck:
    """Every row checked, nothing saved: its problems named, existing people
    matched by email (whatever its case)."""
    checked = [_check_row(number, {k: clean_line(raw.get(k, "")) for k in IMPORT_COLUMNS})
               for number, raw in rows]
    emails = {r.person_values["email"] for r in checked if r.person_values.get("email")}
    by_email = {
        p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))
    } if emails else {}
    participants = {
        p.person_id: p for p in queries.participants_of(workshop)
    }
    participant_names = {queries.name_key(p.person.full_name) for p in participants.values()}
    names = {queries.name_key(r.person_values["full_name"]) for r in checked
             if r.person_values["full_name"] and not r.person_values["email"]}
    namesakes = {}
    if names:
        lowered = {r.person_values["full_name"].lower() for r in checked if r.person_values["full_name"]}
        for p in db.session.scalars(select(Person).where(func.lower(Person.full_name).in_(lowered))):
            namesakes.setdefault(queries.name_key(p.full_name), p)
    seen_emails: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in checked:
        email = row.person_values.get("email")
        name = row.person_values["full_name"]
        if email:
            if email in seen_emails:
                row.problems.append(f"The same email as row {seen_emails[email]}: a duplicate in the file.")
            else:
                seen_emails[email] = row.number
            row.person = by_email.get(email)
            if row.person is not None:
                if row.person.id in participants:
                    row.problems.append(f"{row.person.full_name} is already a participant of this workshop.")
                elif queries.name_key(row.person.full_name) != queries.name_key(name):
                    row.notes.append(f"Recorded as “{row.person.full_name}”.")
        elif name:
            key = queries.name_key(name)
            if key in seen_names:
                row.problems.append(f"The same name as row {seen_names[key]}, and no email to tell them apart: "
                                    "a duplicate in the file.")
            else:
                seen_names[key] = row.number
            if key in participant_names:
                row.problems.append(f"A participant named {name} is already in this workshop.")
            elif key in namesakes:
                row.notes.append(f"A person named {namesakes[key].full_name} is already recorded; without an "
                                 "email a new person will be created. Add the email to use the existing one.")
    return ImportCheck(rows=checked)


def import_participants(actor, workshop: Workshop, rows: Iterable[tuple[int, Mapping[str, str]]],
                        *, source: str = "") -> list[Participation]:
    """Add every row as a participant, or none: one row with a problem and
    nothing is imported (ImportRefused). New people are created; people
    matched by email are used as they are."""
    require_edit(workshop, actor)
    check = check_import(workshop, rows)
    if not check.rows:
        raise Invalid({"file": "There are no rows to import."})
    if not check.ok:
        raise ImportRefused(check)
    created: list[Participation] = []
    note = f"Imported {len(check.rows)} participants" + (f" from {clean_line(source)[:200]}" if source else "")
    try:
        with unit_of_work(actor, note=note) as session:
            for row in check.rows:
                person = row.person
                if person is None:
                    person = Person(
                        full_name=row.person_values["full_name"],
                        email=row.person_values["email"],
                        country=row.values.get("country"),
                        sector=row.values.get("sector", IMPORT_DEFAULTS["sector"]),
                        affiliation=row.values.get("affiliation", ""),
                    )
                    session.add(person)
                participation = Participation(
                    workshop=workshop,
                    person=person,
                    role=row.values.get("role", IMPORT_DEFAULTS["role"]),
                    status=row.values.get("status", IMPORT_DEFAULTS["status"]),
                    sector=row.values.get("sector", person.sector),
                    country=row.values.get("country", person.country),
                    affiliation=row.values.get("affiliation", person.affiliation),
                    serving_official=row.values.get("serving_official", False),
                    consent_to_list=row.values.get("consent_to_list", False),
                    consent_to_be_named=row.values.get("consent_to_be_named", False),
                )
                issue_personal_token(participation)
                session.add(participation)
                created.append(participation)
    except IntegrityError as exc:
        # Someone added one of these people or emails between the check and the save.
        raise ImportRefused(check_import(workshop, [(r.number, r.raw) for r in check.rows]),
                            "Someone changed these participants or people meanwhile, so nothing was "
                            "imported. Check the preview again.") from exc
    return created

