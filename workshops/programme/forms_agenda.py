"""The agenda builder's item form: the item's fields (forms.AgendaItemForm)
with its people as rows in the order chosen — a participant, or a guest
who is not (yet) one — instead of three multi-selects. Type and length
checks only; the rules are in operations_agenda_people.py."""

from __future__ import annotations

from wtforms import BooleanField, FieldList, Form, FormField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from ..core.forms import at_most, options
from ..vocab import AGENDA_PERSON_ROLES
from .forms import PICK, AgendaItemForm, _strip, day_choices
from .models import AgendaItemPerson
from .operations_agenda_people import UNKNOWN

# Empty rows offered under the item's people (a guest or a participant each).
SPARE_ROWS = 2
ROLE_LABELS = {"chair": "Chair", "speaker": "Speaker", "discussant": "Discussant"}


def _id_or_none(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class PersonRowForm(Form):
    """One chair, speaker or discussant of the item."""

    role = SelectField("Role", invalid_choice_message=PICK, default="speaker",
                       choices=options((r, ROLE_LABELS[r]) for r in AGENDA_PERSON_ROLES))
    participation = SelectField("Participant", coerce=_id_or_none, invalid_choice_message=UNKNOWN,
                                invalid_value_message=UNKNOWN)
    guest_honorific = StringField("Guest's honorific", validators=[at_most(AgendaItemPerson.guest_honorific)],
                                  filters=[_strip])
    guest_name = StringField("or a guest's name", validators=[at_most(AgendaItemPerson.guest_name)], filters=[_strip])
    guest_affiliation = StringField("Guest's affiliation", validators=[at_most(AgendaItemPerson.guest_affiliation)],
                                    filters=[_strip])
    to_be_confirmed = BooleanField("To be confirmed")
    order = IntegerField("Order", validators=[Optional(), NumberRange(1, 99, "A number from 1 to 99.")],
                         invalid_value_message="A number from 1 to 99.")


class BuilderItemForm(AgendaItemForm):
    """An agenda item with its people in order (the builder's add, edit and
    in-place forms). `people-0-participation` and the like name the rows'
    fields for the operations' messages (core.forms.show_errors)."""

    chairs = speakers = discussants = None
    people = FieldList(FormField(PersonRowForm), min_entries=0, max_entries=40)

    def set_choices(self, days, people) -> None:
        self.day.choices = day_choices(days)
        self.has_participants = bool(people)
        for entry in self.people.entries:
            entry.form.participation.choices = options([("", "— a guest, not a participant —"), *people])

    def __getattr__(self, name: str):
        head, _, rest = name.partition("-")
        index, _, sub = rest.partition("-")
        if head == "people" and index.isdecimal() and sub:
            entries = self._fields["people"].entries
            if int(index) < len(entries) and sub in entries[int(index)].form._fields:
                return entries[int(index)].form[sub]
        raise AttributeError(name)


def distinct_ids(form, prefix: str):
    """Give the form's fields ids of their own (`<prefix>-title`…), names
    unchanged: the agenda page holds the "add an item" form and an item's
    in-place form at once, and a label must point at its own field."""
    fields = list(form)
    while fields:
        field = fields.pop()
        field.id = f"{prefix}-{field.id}"
        field.label.field_id = field.id
        for entry in getattr(field, "entries", ()):
            fields.extend(entry.form if hasattr(entry, "form") else [entry])
    return form


def with_spare_rows(rows: list[dict]) -> list[dict]:
    """The item's people, then empty rows to add more (numbered on)."""
    start = len(rows)
    return [*rows, *({"role": "speaker", "participation": None, "order": start + n + 1} for n in range(SPARE_ROWS))]
