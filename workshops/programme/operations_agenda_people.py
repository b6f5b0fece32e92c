"""The people of an agenda item, in the order chosen: participations of the
workshop, or guests who are not (yet) participants (name, honorific,
affiliation), any of them "to be confirmed" (docs/domain.md, "agenda item").
Used by operations_agenda.py; one home for reading the rows a form or the
API sends and for writing them on the item."""

from __future__ import annotations

from dataclasses import dataclass

from ..audit.operations import Invalid
from ..core.cleaning import clean_text, column_limit
from ..vocab import AGENDA_PERSON_ROLES
from .models import AgendaItem, AgendaItemPerson, Workshop
from .operations_common import _as_id, _as_ids

# The person roles of an agenda item, as the API (and older forms) name their lists.
PEOPLE_FIELDS = {"chair": "chairs", "speaker": "speakers", "discussant": "discussants"}
UNKNOWN = "Pick a participant of this workshop from the list (this one is not on it)."


@dataclass
class PersonRow:
    """One person of an item as it will be saved: `participation` or a guest."""

    role: str
    participation: object | None = None
    guest_name: str = ""
    guest_honorific: str = ""
    guest_affiliation: str = ""
    to_be_confirmed: bool = False

    @property
    def key(self) -> tuple:
        return (self.participation.id, self.role) if self.participation is not None else None


def agenda_people(workshop: Workshop, data: dict, item: AgendaItem | None = None) -> list[PersonRow]:
    """The item's people from `data`: its "people" rows (the builder's form:
    role, participation, guest_name, guest_honorific, guest_affiliation,
    to_be_confirmed, order), or else the participation ids of "chairs",
    "speakers" and "discussants" in the order given (the API), the item's
    guests kept. Only this workshop's participations (read through
    Workshop.participations, so the programme needs nothing of the people
    package). Raises Invalid naming the row's field."""
    by_id = {p.id: p for p in workshop.participations}
    if data.get("people") is not None:
        return _rows(by_id, data["people"])
    rows = []
    for role, field in PEOPLE_FIELDS.items():
        ids = _as_ids(data.get(field), field)
        if any(i not in by_id for i in ids):
            raise Invalid({field: "Pick people from this workshop's participants."})
        rows += [PersonRow(role, by_id[i]) for i in ids]
    guests = [p for p in (item.people if item is not None else ()) if p.participation_id is None]
    rows += [PersonRow(g.role, None, g.guest_name, g.guest_honorific, g.guest_affiliation, g.to_be_confirmed)
             for g in guests]
    return rows


def _rows(by_id: dict, entries) -> list[PersonRow]:
    errors: dict[str, str] = {}
    wanted: list[tuple[int, int, PersonRow]] = []
    seen: set[tuple] = set()
    for n, entry in enumerate(entries or ()):
        entry = entry or {}
        name = f"people-{n}-"
        texts = {key: clean_text(entry.get(key)) for key in ("guest_name", "guest_honorific", "guest_affiliation")}
        try:
            participation_id = _as_id(entry.get("participation"), name + "participation", UNKNOWN)
        except Invalid as exc:
            errors.update(exc.errors)
            continue
        if participation_id is None and not any(texts.values()):
            continue  # an empty row of the form
        role = entry.get("role") or "speaker"
        if role not in AGENDA_PERSON_ROLES:
            errors[name + "role"] = "Pick chair, speaker or discussant."
            continue
        for key, column in (("guest_name", AgendaItemPerson.guest_name),
                            ("guest_honorific", AgendaItemPerson.guest_honorific),
                            ("guest_affiliation", AgendaItemPerson.guest_affiliation)):
            if participation_id is None and len(texts[key]) > column_limit(column):
                errors[name + key] = f"At most {column_limit(column)} characters."
        if participation_id is not None:
            if participation_id not in by_id:
                errors[name + "participation"] = UNKNOWN
                continue
            # Picking a participant for a guest links the guest to them.
            row = PersonRow(role, by_id[participation_id], to_be_confirmed=bool(entry.get("to_be_confirmed")))
            if row.key in seen:
                errors[name + "participation"] = f"{by_id[participation_id].person.display_name} is already a {role} of this item."
                continue
            seen.add(row.key)
        elif not texts["guest_name"]:
            errors[name + "guest_name"] = "Enter the guest's name, or pick a participant."
            continue
        else:
            row = PersonRow(role, None, texts["guest_name"], texts["guest_honorific"], texts["guest_affiliation"],
                            bool(entry.get("to_be_confirmed")))
        order = entry.get("order")
        wanted.append((order if isinstance(order, int) else n + 1, n, row))
    if errors:
        raise Invalid(errors)
    return [row for _, _, row in sorted(wanted, key=lambda w: (w[0], w[1]))]


def set_agenda_people(item: AgendaItem, rows: list[PersonRow]) -> bool:
    """Keep the rows that stay (their audit trail stays quiet), add and drop
    the rest; `position` is the order given. True when anything changed."""
    existing = {(p.participation_id, p.role): p for p in item.people if p.participation_id is not None}
    guests = [p for p in item.people if p.participation_id is None]
    kept, changed = [], False
    for position, wanted in enumerate(rows):
        if wanted.participation is not None:
            row = existing.pop(wanted.key, None)
            if row is None:
                row = AgendaItemPerson(participation=wanted.participation, participation_id=wanted.participation.id,
                                       role=wanted.role)
        else:
            row = next((g for g in guests if (g.guest_name, g.role) == (wanted.guest_name, wanted.role)), None)
            if row is None:
                row = AgendaItemPerson(role=wanted.role, guest_name=wanted.guest_name)
            else:
                guests.remove(row)
            for key in ("guest_honorific", "guest_affiliation"):
                if getattr(row, key) != getattr(wanted, key):
                    setattr(row, key, getattr(wanted, key))
                    changed = True
        if row.to_be_confirmed != wanted.to_be_confirmed:
            row.to_be_confirmed = wanted.to_be_confirmed
            changed = True
        if row.position != position:
            row.position = position
            changed = True
        kept.append(row)
    if kept != list(item.people):
        item.people = kept
        changed = True
    return changed


def person_rows_of(item: AgendaItem) -> list[dict]:
    """The item's people as the builder's form rows (and duplicate) take them."""
    return [{"role": p.role, "participation": p.participation_id, "guest_name": p.guest_name,
             "guest_honorific": p.guest_honorific, "guest_affiliation": p.guest_affiliation,
             "to_be_confirmed": p.to_be_confirmed, "order": n + 1} for n, p in enumerate(item.people)]
