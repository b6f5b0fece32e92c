"""What every form shares: the version it was loaded at, a text field's
length check, and putting a domain rule's refusal next to the field it
concerns."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..db import MAX_INTEGER
from ..errors import Invalid
from .cleaning import column_limit, length_message

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
