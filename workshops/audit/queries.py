"""Reading the audit trail."""

from __future__ import annotations

from sqlalchemy import select

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
