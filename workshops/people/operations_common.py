"""How a person's fields are cleaned, shared by the people operations
(operations.py) and the spreadsheet import (importing.py): the lengths
read from the columns, one line, several lines, a name, an email."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from ..core import cleaning
from .models import Person

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
