"""What every programme operation shares (operations.py and its
operations_series, operations_workshops and operations_agenda modules):
the audited unit of work, and the checks of plain data that turn a field
into a value or an `Invalid` naming that field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.operations import Invalid, unit_of_work
from ..core import cleaning
from ..core.cleaning import column_limit, length_message
from ..core.countries import country_code
from ..db import MAX_INTEGER
from ..extensions import db
from .models import Network

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


# ---------------------------------------------------------------- helpers


@contextmanager
def _work(actor, note: str = "") -> Iterator[Session]:
    """The audited unit of work, without autoflush: half-built objects are
    never sent to the database by a query made while checking the rules."""
    with unit_of_work(actor, note=note) as session, session.no_autoflush:
        yield session


def clean_text(value, *, multiline: bool = False) -> str:
    """Text as stored: stripped, without control characters (PostgreSQL
    refuses NUL), and on one line unless the field is a paragraph
    (the one rule: core.cleaning.clean_text)."""
    return cleaning.clean_text(value, multiline=multiline)


def slugify(text: str, max_length: int = 100) -> str:
    """'NADI Annual Meeting 2025 — Jakarta' → 'nadi-annual-meeting-2025-jakarta'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def unique_slug(model, wanted: str, *, fallback: str, max_length: int, exclude_id: int | None = None) -> str:
    """`wanted` made unique among `model` slugs by appending -2, -3…"""
    base = slugify(wanted, max_length - 4) or fallback
    query = select(model.slug).where(model.slug.like(f"{base}%"))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    taken = set(db.session.scalars(query))
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _checked_slug(model, value, *, generate_from: str, fallback: str, max_length: int,
                  exclude_id: int | None = None) -> str:
    """The slug the user typed (validated, unique), or one made from a name."""
    slug = clean_text(value).lower()
    if not slug:
        return unique_slug(model, generate_from, fallback=fallback, max_length=max_length,
                           exclude_id=exclude_id)
    if len(slug) > max_length or not SLUG_PATTERN.match(slug):
        raise Invalid({"slug": "Use lower-case letters, digits and single hyphens only "
                               f"(at most {max_length} characters), e.g. nadi-2025-jakarta."})
    query = select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise Invalid({"slug": "This web address is already used; choose another."})
    return slug


def as_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        result = value
    else:
        try:
            result = dt.date.fromisoformat(clean_text(value))
        except ValueError:
            raise Invalid({field: "Enter a date like 2025-06-03."}) from None
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise Invalid({field: f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}."})
    return result


def as_time(value, field: str) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = clean_text(value)
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
        try:
            return dt.time.fromisoformat(text.zfill(5) if len(text) == 4 else text).replace(second=0)
        except ValueError:
            pass
    raise Invalid({field: "Enter a time like 09:30 (24-hour clock)."})


def _as_id(value, field: str, message: str) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid({field: message}) from None
    if not 0 < number <= MAX_INTEGER:  # no row has it, and the database could not even compare it
        raise Invalid({field: message})
    return number


def _as_ids(values, field: str) -> list[int]:
    ids = []
    for value in values or ():
        number = _as_id(value, field, "Pick from the list.")
        if number is None:
            raise Invalid({field: "Pick from the list."})
        ids.append(number)
    return list(dict.fromkeys(ids))


def _required(data: dict, field: str, message: str, *, max_length: int) -> str:
    text = clean_text(data.get(field))
    if not text:
        raise Invalid({field: message})
    if len(text) > max_length:
        raise Invalid({field: length_message(max_length)})
    return text


def _optional(data: dict, field: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    text = clean_text(data.get(field), multiline=multiline)
    if max_length is not None and len(text) > max_length:
        raise Invalid({field: length_message(max_length)})
    return text


def _choice(data: dict, field: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = clean_text(data.get(field)) or default
    if value not in allowed:
        raise Invalid({field: "Pick one of the options."})
    return value


def _country(data: dict, field: str, *, required: bool) -> str | None:
    text = clean_text(data.get(field))
    if not text:
        if required:
            raise Invalid({field: "Pick a country."})
        return None
    code = country_code(text)  # the one resolver: "SG", "Lao PDR", "Viet Nam" alike
    if code is None:
        raise Invalid({field: "Pick a country from the list."})
    return code


def _website(data: dict, field: str = "website") -> str:
    url = _optional(data, field, max_length=column_limit(Network.website))  # MemberInstitute.website alike
    if url and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", url, re.IGNORECASE):
        raise Invalid({field: "Enter a full web address starting with https://"})
    return url


def _flush_or_invalid(message_field: str, message: str) -> None:
    """Flush now so a uniqueness race surfaces as a message, not a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Invalid({message_field: message}) from None

