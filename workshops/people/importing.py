"""The spreadsheet import of a workshop's participants: the columns and
their spellings, the header and rows read, every row checked (nothing
saved) and then all rows added or none. Re-exported by operations.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit.operations import Invalid, unit_of_work
from ..auth.access import require_edit
from ..core import cleaning
from ..core.countries import country_code
from ..core.spreadsheets import Table
from ..core.text import plural
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
from .operations_common import AFFILIATION_MAX, NAME_MAX, clean_line, clean_name, normalise_email

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
# The column the file of rows to fix adds (exporters.import_problems_file): read as empty.
IGNORED_COLUMNS = ("problem", "problems")
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
        if not key or key in IGNORED_COLUMNS:
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
    person: Person | None = None  # the existing person the email matched (or the one chosen by name)
    namesake: Person | None = None  # a person recorded under this name, for a row without email
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
    def good(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.problems]

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
                row.namesake = namesakes[key]
                row.notes.append(f"A person named {namesakes[key].full_name} is already recorded; without an "
                                 "email a new person will be created unless you choose to use that person.")
    return ImportCheck(rows=checked)


def apply_choices(check: ImportCheck, choices: Mapping[int, int]) -> None:
    """Rows without email whose namesake the organiser chose to use ("use
    existing person X" in the preview): {row number: that person's id}.
    A choice that is not the row's namesake is refused (Invalid); two rows
    that end up as one person become problems."""
    by_number = {r.number: r for r in check.rows}
    for number, person_id in choices.items():
        row = by_number.get(number)
        if row is None or row.namesake is None or row.namesake.id != person_id:
            raise Invalid({"file": f"Row {number}: the person chosen is not the one suggested for this row. "
                                   "Nothing was imported; check the preview again."})
        row.person = row.namesake
        row.notes = [f"Uses {row.namesake.full_name}, already recorded."]
    seen: dict[int, int] = {}
    for row in check.rows:
        if row.person is None or row.problems:
            continue
        if row.person.id in seen:
            row.problems.append(f"The same person as row {seen[row.person.id]}: {row.person.full_name}.")
        else:
            seen[row.person.id] = row.number


def import_participants(actor, workshop: Workshop, rows: Iterable[tuple[int, Mapping[str, str]]],
                        *, source: str = "", choices: Mapping[int, int] | None = None,
                        good_rows_only: bool = False) -> list[Participation]:
    """Add every row as a participant, or none: one row with a problem and
    nothing is imported (ImportRefused). New people are created; people
    matched by email are used as they are, and so are the people recorded
    under a row's name where `choices` says so (apply_choices).
    `good_rows_only` imports the rows without problems and leaves the
    others out (the preview offers them as a file to fix)."""
    require_edit(workshop, actor)
    rows = list(rows)
    check = check_import(workshop, rows)
    if not check.rows:
        raise Invalid({"file": "There are no rows to import."})
    apply_choices(check, choices or {})
    if good_rows_only:
        if not check.good:
            raise ImportRefused(check, "No row is ready to import, so nothing was imported. "
                                       "Correct the file and upload it again.")
    elif not check.ok:
        raise ImportRefused(check)
    created: list[Participation] = []
    left_out = len(check.with_problems)
    note = (f"Imported {plural(len(check.good), 'participant')}"
            + (f" from {clean_line(source)[:200]}" if source else "")
            + (f"; {plural(left_out, 'row')} with problems left out" if left_out else ""))
    try:
        with unit_of_work(actor, note=note) as session:
            for row in check.good:
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
        raise ImportRefused(check_import(workshop, rows),
                            "Someone changed these participants or people meanwhile, so nothing was "
                            "imported. Check the preview again.") from exc
    return created

