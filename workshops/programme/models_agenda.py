"""A workshop's agenda: its items and the people on them (split from models.py; the
same tables, re-exported there)."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.zones import ZoneInfo, to_local
from ..db import Base, UTCDateTime, utcnow
from ..vocab import (
    AGENDA_ITEM_STATUSES,
    AGENDA_KINDS,
    AGENDA_PERSON_ROLES,
    sql_in,
)

if TYPE_CHECKING:
    from .models import Workshop


class AgendaItem(Base):
    """A slot of a workshop: a panel, a break, the opening."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="end_after_start"),
        CheckConstraint(sql_in("kind", AGENDA_KINDS), name="kind"),
        CheckConstraint(sql_in("status", AGENDA_ITEM_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(String(20), default="session")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    room: Mapped[str] = mapped_column(String(100), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    workshop: Mapped[Workshop] = relationship(back_populates="agenda_items")
    people = relationship(
        "AgendaItemPerson", back_populates="agenda_item", order_by="AgendaItemPerson.position",
        cascade="all, delete-orphan",
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.title

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py network_of)."""
        return self.workshop.network_id

    def local_start(self, zone: ZoneInfo | None = None) -> dt.datetime:
        return to_local(self.starts_at, zone or self.workshop.zone)

    def local_end(self, zone: ZoneInfo | None = None) -> dt.datetime:
        return to_local(self.ends_at, zone or self.workshop.zone)

    @property
    def day(self) -> dt.date:
        """The day in the workshop's own time zone."""
        return self.local_start().date()

    def chairs(self):
        return [p for p in self.people if p.role == "chair"]

    def speakers(self):
        return [p for p in self.people if p.role != "chair"]


class AgendaItemPerson(Base):
    """A chair, speaker or discussant of an agenda item, in the order chosen
    (`position`): a participation of the workshop, or a guest who is not yet
    a participant (name, honorific, affiliation on the row), who can later be
    linked to a participation. Either may be "to be confirmed"."""

    __tablename__ = "agenda_item_person"
    __table_args__ = (
        CheckConstraint(sql_in("role", AGENDA_PERSON_ROLES), name="role"),
        CheckConstraint("(participation_id IS NOT NULL AND guest_name = '') "
                        "OR (participation_id IS NULL AND guest_name <> '')", name="participant_or_guest"),
        UniqueConstraint("agenda_item_id", "participation_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    participation_id: Mapped[int | None] = mapped_column(
        ForeignKey("participation.id", ondelete="CASCADE"), index=True, nullable=True
    )
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    guest_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    guest_honorific: Mapped[str] = mapped_column(String(40), default="", server_default="")
    guest_affiliation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    to_be_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="people")
    participation = relationship("Participation", back_populates="agenda_roles")

    @property
    def is_guest(self) -> bool:
        return self.participation_id is None and self.participation is None

    @property
    def display_name(self) -> str:
        """'Dr Ann Lee': the participant's name, or the guest's."""
        if self.is_guest:
            return f"{self.guest_honorific} {self.guest_name}".strip()
        return self.participation.person.display_name

    @property
    def affiliation(self) -> str:
        if self.is_guest:
            return self.guest_affiliation
        return self.participation.affiliation or self.participation.person.affiliation

    @property
    def erased(self) -> bool:
        """A participant whose data was erased on request (never listed)."""
        return not self.is_guest and self.participation.person.erased_at is not None

    @property
    def label(self) -> str:
        """How the audit trail names the row: 'Speaker Ann Lee in “Opening”'."""
        name = self.guest_name + " (guest)" if self.is_guest else self.participation.person.full_name
        return f"{self.role.capitalize()} {name} in “{self.agenda_item.title}”"

    @property
    def audit_person_id(self) -> int | None:
        """The person an audit entry of this row concerns (audit/models.py)."""
        participation = self.participation
        return participation.audit_person_id if participation is not None else None
