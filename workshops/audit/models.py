"""The audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from ..vocab import AUDIT_ACTIONS, sql_in


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        CheckConstraint(sql_in("action", AUDIT_ACTIONS), name="action"),
        Index("ix_audit_entry_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str] = mapped_column(String(200))  # the user's name, or "system: demo data"
    action: Mapped[str] = mapped_column(String(10))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(300), default="")
    # The person the change concerns (the person, one of their participations
    # or agenda roles), kept after the row itself is deleted: erasure and the
    # personal-data export find every entry about someone by it
    # (people/privacy.py). No foreign key: the trail outlives the rows.
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    object_version: Mapped[int | None] = mapped_column(Integer)
    # {"field": [old, new]}; for a create, old is null; for a delete, new is null.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")
