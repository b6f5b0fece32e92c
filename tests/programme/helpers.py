"""Small readers for the programme tests' assertions."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from tests.conftest import form_errors
from workshops.audit.models import AuditEntry
from workshops.extensions import db


def audit_entries(object_type: str, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.object_type == object_type)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def flashes(html: str, category: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip()
            for m in re.findall(rf'class="flash flash-{category}">(.*?)</p>', html, re.S)]


def fresh(obj):
    """The object as the database now holds it."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def field_errors(page: str) -> list[str]:
    """The messages shown next to fields, as the user reads them."""
    return [html.unescape(m) for m in form_errors(page)]
