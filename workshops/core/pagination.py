"""Every list's pages are Flask-SQLAlchemy's ``db.paginate``; what stays here
is the guard on ?page= and a page of rows already in memory, each with its reason."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from ..extensions import db


def page_number(name: str = "page") -> int:
    """The requested page; anything that is not a positive number below a million means 1,
    because db.paginate's own int() takes '+2', ' 2', '1_0' and 10**30 (whose offset overflows the database)."""
    raw = request.args.get(name, "1")
    return int(raw) if raw.isdecimal() and 0 < int(raw) < 10**6 else 1


def paginate(query: Select, per_page: int | None = None, page: int | None = None) -> Pagination:
    """``db.paginate`` at the guarded page and the configured size (never ?per_page= from the address);
    past the last page it is an empty page, not a 404."""
    return db.paginate(query, page=page or page_number(),
                       per_page=per_page or current_app.config.get("PAGE_SIZE", 25), error_out=False)


class ListPage(Pagination):
    """A page of rows already loaded, through the two hooks Flask-SQLAlchemy's Pagination asks a subclass for:
    ``ListPage(rows=rows, page=..., per_page=..., error_out=False)``."""

    def _query_items(self) -> list:
        return self._query_args["rows"][self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])
