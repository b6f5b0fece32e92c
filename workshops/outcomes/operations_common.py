"""What the outcomes operations share (operations.py, operations_events,
operations_track1): the lengths, how text is cleaned, when a link or a
reference is refused, and the checks that turn plain data into values
while gathering every field's problem."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from sqlalchemy import select

from ..core import cleaning
from ..db import MAX_INTEGER
from ..extensions import db
from .models import Recommendation, Track1Body

# Lengths: a String(N) column's N (read from the column), and the limits
# of Text columns; the forms' at_most(...) and the API use the same.
TITLE_MAX = cleaning.column_limit(Recommendation.title)
RECOMMENDATION_REFERENCE_MAX = cleaning.column_limit(Recommendation.reference)
TEXT_MAX = 20_000
EXCERPT_MAX = 5_000
REASON_MAX = 5_000
BODY_NAME_MAX = cleaning.column_limit(Track1Body.name)
BODY_ACRONYM_MAX = cleaning.column_limit(Track1Body.acronym)
ESTABLISHED_MAX = cleaning.column_limit(Track1Body.established)
DESCRIPTION_MAX = 10_000

# A host name with at least one dot: "asean.org", "www.mofa.go.jp", "203.0.113.9".
_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]{2,}|(?:\d{1,3}\.){3}\d{1,3}")
_OTHER_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|javascript:|data:|vbscript:|file:)")


def clean_text(value) -> str:
    """Text as stored: control characters removed (line breaks kept),
    surrounding blanks trimmed (the one rule: core.cleaning.clean_text)."""
    return cleaning.clean_text(value, multiline=True)


def reference_problem(value: str) -> str | None:
    """Why a link or reference is refused, or None. A document symbol such as
    "ARF/SOM/2025/3" is any text; something written as a web link must be one."""
    value = value.strip()
    if not value:
        return None
    lowered = value.lower()
    if lowered.startswith("www."):
        return "Write the full link, starting with https://, or a document symbol such as ARF/SOM/2025/3."
    if lowered.startswith(("http:", "https:")):
        try:
            parts = urlsplit(value)
            host = parts.hostname or ""
        except ValueError:
            host = ""
        rest = value.split(":", 1)[1]
        if not rest.startswith("//") or not _HOST.fullmatch(host) or any(c.isspace() for c in value):
            return ("This does not look like a web address. Write a full link such as "
                    "https://asean.org/… or a document symbol such as ARF/SOM/2025/3.")
        return None
    if _OTHER_SCHEME.match(lowered):
        return "Only http:// and https:// links are accepted; otherwise write the document symbol."
    return None


def is_web_link(value: str | None) -> bool:
    """A reference shown as a clickable link (never any other scheme)."""
    return bool(value) and value.lower().startswith(("http://", "https://")) and reference_problem(value) is None


# --------------------------------------------------------------------------- helpers


def _require_text(errors: dict, data: Mapping, key: str, message: str, max_len: int) -> str:
    value = clean_text(data.get(key))
    if not value:
        errors[key] = message
    elif len(value) > max_len:
        errors[key] = cleaning.length_message(max_len)
    return value


def _optional_text(errors: dict, data: Mapping, key: str, max_len: int) -> str:
    value = clean_text(data.get(key))
    if len(value) > max_len:
        errors[key] = cleaning.length_message(max_len)
    return value


def _ids(values) -> list[int] | None:
    """A list of integer ids, or None when something is not an id."""
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        return None
    result = []
    for v in values:
        if isinstance(v, bool):
            return None
        if isinstance(v, int):
            result.append(v)
        elif isinstance(v, str) and v.strip().isdecimal():
            result.append(int(v))
        else:
            return None
    return list(dict.fromkeys(result))


def _load_many(model, ids, errors: dict, key: str, what: str) -> list:
    wanted = _ids(ids)
    if wanted is None:
        errors[key] = f"Pick {what} from the list."
        return []
    if not wanted:
        return []
    found = {o.id: o for o in db.session.scalars(select(model).where(model.id.in_(wanted)))}
    if len(found) != len(wanted):
        errors[key] = f"One of the {what} picked no longer exists; pick again from the list."
        return []
    return [found[i] for i in wanted]


def _optional_id(value) -> int | None | bool:
    """An id, None for "none", or False when the value is not an id (nor
    one a row can have: beyond the INTEGER column, db.MAX_INTEGER)."""
    if value in (None, "", 0):
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 20:
        value = int(value)
    if isinstance(value, int):
        return value if 0 < value <= MAX_INTEGER else False
    return False


def _date(errors: dict, data: Mapping, key: str, message: str) -> dt.date | None:
    value = data.get(key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        errors[key] = message
        return None
    return value


def _mark_changed(obj) -> None:
    """Raise the version when only a collection changed (themes, targets,
    member countries): the row itself is otherwise not updated, and an
    editor working from the old version must still be told. The WHERE
    clause still checks the version read, so a concurrent save is caught."""
    obj.version = obj.version + 1

