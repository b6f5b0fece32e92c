"""Pagination of a select() with a total, shared by every list page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import Select, func, select

from ..extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number(name: str = "page") -> int:
    """The requested page; anything that is not a positive number means 1."""
    raw = request.args.get(name, "1")
    return int(raw) if raw.isdecimal() and 0 < int(raw) < 10**6 else 1


def paginate(query: Select, per_page: int | None = None, page: int | None = None) -> Page:
    per_page = per_page or current_app.config.get("PAGE_SIZE", 25)
    page = page or page_number()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total)
