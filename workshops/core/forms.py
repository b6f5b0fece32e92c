"""What every form shares: the version it was loaded at, a text field's
length check, putting a domain rule's refusal next to the field it
concerns, the options of a select, and the fields of list filters and
dates every capability uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..db import MAX_INTEGER
from ..errors import Invalid
from .cleaning import clean_text, column_limit, length_message

MAX_VERSION = MAX_INTEGER


def _version_in_range(form, field) -> None:
    """A version no record can have (a tampered form) is refused here: the
    database would refuse the number when looking up what changed."""
    if field.data is not None and not 1 <= field.data <= MAX_VERSION:
        form.form_errors.append("This form was altered; reload the page and make the change again.")
        raise ValidationError("Not a version of this record.")


def at_most(limit) -> Length:
    """A text field's length check: `limit` is a String(N) column (its N,
    core.cleaning.column_limit) or, for a Text column, a number; the message
    is the one every page and the API give (core.cleaning.length_message)."""
    limit = limit if isinstance(limit, int) else column_limit(limit)
    return Length(max=limit, message=length_message(limit))


class VersionedForm(FlaskForm):
    """An edit form carrying the record's version, so a save over someone
    else's newer work is refused (audit.operations.expect_version)."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional(), _version_in_range])


def show_errors(form: FlaskForm, exc: Invalid) -> None:
    """Attach an operation's errors to the form's fields (or the form)."""
    for name, message in exc.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(message)
        else:
            form.form_errors.append(message)


def show_problems(form: FlaskForm, problems: dict[str, str]) -> None:
    """After the form's own checks refused a submission, add the domain
    rules' refusals (an operation's `…_problems(data)`) for the fields the
    form found nothing wrong with: every error shows in one round, not one
    per submit."""
    fresh = {name: message for name, message in problems.items()
             if not getattr(getattr(form, name, None), "errors", None)}
    if fresh:
        show_errors(form, Invalid(fresh))


def options(pairs: Iterable[tuple] | Mapping, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs, or a {value: label} dict, as the options of a
    select, radio buttons or check boxes, in their order; `optgroup` puts
    them all under that <optgroup>. Every select of the app is given its
    options this way (WTForms deprecates tuples and optgroup dicts)."""
    if isinstance(pairs, Mapping):
        pairs = pairs.items()
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def vocab_options(values: Iterable[str], labels: Mapping[str, str], empty: str | None = None) -> list[SelectChoice]:
    """A closed list's values (vocab.py) with their labels, after an empty
    option labelled `empty` ("any", "none"…) when one is given."""
    return options([*([("", empty)] if empty is not None else []), *((v, labels[v]) for v in values)])


def choice_values(field) -> set[str]:
    """The values a select offers, as the strings a browser sends back."""
    return {str(c.value) for c in field._choices_from_input(field.choices) or []}


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes: usable on a phone, without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, integer=True, **kw):
        self.integer = integer
        super().__init__(label, validators, coerce=int if integer else str, **kw)

    def process_formdata(self, valuelist):
        if self.integer:
            self.data = [int(v) for v in valuelist if str(v).isdecimal() and len(str(v)) < 12]
            self._unreadable = len(self.data) != len(valuelist)
        else:
            self.data = [str(v) for v in valuelist]
            self._unreadable = False

    def pre_validate(self, form):
        known = choice_values(self)
        if getattr(self, "_unreadable", False) or any(str(v) not in known for v in self.data or []):
            raise ValidationError("Pick only from the list.")


class FriendlyDateField(DateField):
    """A date field whose complaint an organiser understands."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError("Enter the date as YYYY-MM-DD, for example 2025-06-03.") from exc


class FilterSelect(SelectField):
    """A filter of a list page: empty means "all"; a value not offered is
    ignored with a note beside the field, never an error page."""

    def __init__(self, label=None, choices=None, **kw):
        super().__init__(label, choices=choices if choices is not None else [], default="", **kw)

    def pre_validate(self, form):
        if self.data not in choice_values(self):
            self.data = ""
            raise ValidationError("Not one of the choices; this filter was ignored.")

    def process_formdata(self, valuelist):
        self.data = clean_text(valuelist[0], multiline=True)[:100] if valuelist else ""


class SearchText(StringField):
    """Free words in a filter: cleaned and cut to a sane length."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data or "", multiline=True)[:200]
