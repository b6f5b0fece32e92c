"""Reading the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, select

from ..extensions import db
from .models import AuditEntry


def history_of(obj, limit: int = 50) -> list[AuditEntry]:
    """The latest audit entries of one object, newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


@dataclass
class LogFilters:
    """What the admin's audit log is narrowed to; every field optional."""

    object_type: str | None = None
    user_id: int | None = None
    system_only: bool = False  # entries made by the system (demo data, imports)
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    words: list[str] = field(default_factory=list)


def log_query(filters: LogFilters) -> Select:
    """The whole trail, newest first, narrowed by the filters."""
    query = select(AuditEntry)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.system_only:
        query = query.where(AuditEntry.user_id.is_(None))
    elif filters.user_id is not None:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from is not None:
        start = dt.datetime.combine(filters.date_from, dt.time.min, dt.UTC)
        query = query.where(AuditEntry.at >= start)
    if filters.date_to is not None:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, dt.UTC)
        query = query.where(AuditEntry.at < end)
    for word in filters.words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(AuditEntry.object_label.ilike(f"%{escaped}%", escape="\\"))
    return query.order_by(AuditEntry.id.desc())


def object_types() -> list[str]:
    """The kinds of object the trail mentions, for the filter."""
    return sorted(db.session.scalars(select(AuditEntry.object_type).distinct()))
