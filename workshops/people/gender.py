"""A participation's gender: optional and self-described — free text typed
by the person (their reply on the personal page) or by an organiser, never
guessed, never chosen from a list (docs/report-definitions.md, "Gender").

One home for the text's two rules:

- **As stored** (`clean_gender`): one line, control and invisible
  characters removed (core/cleaning.py, the name rules), runs of spaces
  made one, outer spaces trimmed; empty is None ("not recorded"); at most
  GENDER_MAX characters (the column's length), else `gender_error` says so.
- **As counted** (`gender_key`): the stored text case-folded (Python's
  str.casefold, the same on both engines), so "Woman", "woman" and
  "WOMAN" count as one description; a group is shown in its most frequent
  spelling (`gender_label`). The report's statement groups by the stored
  text and this module folds the few rows it returns (reports/people_shares.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core import cleaning
from .models import Participation

GENDER_MAX = cleaning.column_limit(Participation.__table__.c.gender)
_SPACES = re.compile(r"\s+")


def clean_gender(value) -> str | None:
    """The text as stored: None when nothing was given. Raises
    cleaning.UnsafeText (a ValueError) for a bidirectional control character."""
    text = _SPACES.sub(" ", cleaning.clean_text(value, name=True)) if value is not None else ""
    return text or None


def gender_error(value) -> str | None:
    """Why `value` cannot be stored as a gender, or None."""
    try:
        text = clean_gender(value)
    except cleaning.UnsafeText as exc:
        return str(exc)
    if text and len(text) > GENDER_MAX:
        return cleaning.length_message(GENDER_MAX)
    return None


def gender_key(text: str | None) -> str | None:
    """The key a stored gender is counted under: case-folded; None (not recorded) stays None."""
    return text.casefold() if text else None


def gender_label(spellings: Iterable[tuple[str, int]]) -> str:
    """The spelling a group of one key is shown in: the most frequent, then the first in order."""
    return sorted(spellings, key=lambda pair: (-pair[1], pair[0]))[0][0]
