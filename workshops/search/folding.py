"""Text folded for searching: without accents, in lower case, so that
"Nguyen Thi Lan" finds "Nguyễn Thị Lan" and "Viet Nam" finds "Việt Nam".

Why folded in the query rather than stored: a stored folded copy of every
searched column would have to be kept right by every write path (forms,
API, import, the bulk `generate-data`, raw SQL in a restore), and a
forgotten one hides rows from search for good. Folding in the query is
always right, needs no extension (PostgreSQL's `unaccent` is often not
installable by the application's database user) and costs little: the
search already reads every row (a `LIKE '%word%'` cannot use an index).

- Python (the words typed, and SQLite through a registered function):
  Unicode NFKD, combining marks dropped, lower-cased, and the letters that
  do not decompose folded by hand (Vietnamese đ → d, ø → o, ł → l…).
- PostgreSQL: the same with built-in functions only: normalize(…, NFKD)
  (PostgreSQL 13 and later, UTF-8 databases), the combining marks removed
  by a regular expression, the same hand-folded letters by translate(),
  then lower().
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import event, func, literal, literal_column
from sqlalchemy.engine import Engine

# Letters without a Unicode decomposition, folded as a reader would.
_BY_HAND = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
            "ħ": "h", "Ħ": "h", "ı": "i", "ŧ": "t", "Ŧ": "t"}
_HAND_TABLE = str.maketrans(_BY_HAND)
# The combining marks' blocks (what NFD splits off Latin, Greek and Cyrillic letters).
_MARKS = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F)]
_MARKS_PATTERN = "[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _MARKS) + "]"
SQLITE_FUNCTION = "search_fold"


def fold(text: str | None) -> str:
    """Text as search compares it: "Nguyễn Thị ĐÀO" → "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_HAND_TABLE).lower()


def folded(column, dialect: str):
    """SQL for `column` folded as fold() does, on this database."""
    if dialect == "postgresql":
        text = func.coalesce(column, "")
        text = func.normalize(text, literal_column("NFKD"))  # NFKD: a keyword, never user input
        text = func.regexp_replace(text, literal(_MARKS_PATTERN), "", "g")
        text = func.translate(text, "".join(_BY_HAND), "".join(_BY_HAND.values()))
        return func.lower(text)
    return getattr(func, SQLITE_FUNCTION)(column)


@event.listens_for(Engine, "connect")
def _register_sqlite_function(dbapi_connection, connection_record):
    """SQLite has no accent folding: give it fold() itself, so both sides
    of a comparison are folded by the very same code."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, lambda value: fold(value) if value is not None else "",
                                     deterministic=True)
