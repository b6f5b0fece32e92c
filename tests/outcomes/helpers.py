"""Plain helpers for the outcomes, audit and search tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from workshops.audit.models import AuditEntry
from workshops.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit_entries(object_type: str, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.object_type == object_type)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def reload(obj):
    """The object as the database holds it now."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def days_ago(n: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=n)
