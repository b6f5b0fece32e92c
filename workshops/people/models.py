"""People and their participation in workshops."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.crypto import decrypt, digest, encrypt
from ..db import Base, UTCDateTime, utcnow
from ..vocab import PARTICIPATION_STATUSES, ROLES, SECTORS, sql_in


class Person(Base):
    """Someone who takes part in workshops. `email` is stored lower-case and
    unique, so "Ann@X.org" and "ann@x.org" are the same person. An erased
    person keeps their row (statistics stay right) but loses their identity."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("email IS NULL OR email = lower(email)", name="email_lowercase"),
        CheckConstraint(sql_in("sector", SECTORS), name="sector"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    honorific: Mapped[str] = mapped_column(String(40), default="")  # Dr, Amb., Rear Adm.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    sector: Mapped[str] = mapped_column(String(30), default="academia")
    notes: Mapped[str] = mapped_column(Text, default="")
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    participations = relationship("Participation", back_populates="person")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.full_name

    @property
    def audit_person_id(self) -> int | None:
        """The person an audit entry of this row concerns (audit/models.py)."""
        return self.id

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.full_name}".strip()


class Participation(Base):
    """One person at one workshop. Sector, country and affiliation are kept
    as they were at that workshop: people change jobs."""

    __tablename__ = "participation"
    __table_args__ = (
        UniqueConstraint("workshop_id", "person_id"),
        CheckConstraint(sql_in("role", ROLES), name="role"),
        CheckConstraint(sql_in("status", PARTICIPATION_STATUSES), name="status"),
        CheckConstraint(sql_in("sector", SECTORS), name="sector"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="participant")
    status: Mapped[str] = mapped_column(String(20), default="invited")
    sector: Mapped[str] = mapped_column(String(30))
    country: Mapped[str | None] = mapped_column(String(2))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    # Self-described, optional, never guessed: NULL is "not recorded" (people/gender.py).
    gender: Mapped[str | None] = mapped_column(String(60))
    serving_official: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_to_list: Mapped[bool] = mapped_column(Boolean, default=False)
    # May the public agenda name them? Otherwise it gives their role and sector.
    consent_to_be_named: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The personal agenda link (None once revoked) is never stored in clear:
    # its SHA-256 finds the participation behind a link, and its Fernet
    # ciphertext (core/crypto.py) lets organisers still see and copy the link.
    # Read and write it as `personal_token`; new ones come from
    # issue_personal_token(). The hash kept the column's old name and unique
    # constraint: SQLite cannot drop a unique column without copying the
    # table, and dropping the old copy would cascade to the agenda roles.
    personal_token_hash: Mapped[str | None] = mapped_column("personal_token", String(64), unique=True)
    personal_token_encrypted: Mapped[str | None] = mapped_column(String(255))
    # The participant's own answer on their personal page (people/operations_reply.py): dietary
    # and access needs are personal data, read only by those who see the participants and
    # exported and erased with the person (people/privacy.py).
    dietary_needs: Mapped[str] = mapped_column(String(500), default="", server_default="")
    access_needs: Mapped[str] = mapped_column(String(500), default="", server_default="")
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The zone of the mails sent to them (their reply page sets it; the workshop's when unset).
    timezone: Mapped[str | None] = mapped_column(String(64))
    invited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # "The agenda changed" digests (agenda_views/digests.py): off once they unsubscribe; the
    # day the last one went (at most one a day) and the moment up to which changes were told.
    agenda_mail: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    agenda_digest_on: Mapped[dt.date | None] = mapped_column(Date)
    agenda_digest_through: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    workshop = relationship("Workshop", back_populates="participations")
    person: Mapped[Person] = relationship(back_populates="participations")
    agenda_roles = relationship("AgendaItemPerson", back_populates="participation")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"{self.person.full_name} at {self.workshop.title}"

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py network_of)."""
        return self.workshop.network_id

    @property
    def audit_person_id(self) -> int | None:
        """The person an audit entry of this row concerns (audit/models.py)."""
        return self.person_id if self.person_id is not None else getattr(self.person, "id", None)

    @property
    def has_personal_link(self) -> bool:
        return self.personal_token_hash is not None

    @property
    def personal_token(self) -> str | None:
        """The personal link's token in clear, for the organisers' links page;
        None when revoked (or encrypted under a SECRET_KEY since replaced)."""
        return decrypt(self.personal_token_encrypted)

    @personal_token.setter
    def personal_token(self, token: str | None) -> None:
        self.personal_token_hash = personal_token_digest(token) if token else None
        self.personal_token_encrypted = encrypt(token) if token else None


def issue_personal_token(participation: Participation) -> str:
    """A new personal link for the participation (replacing any it had);
    returns the token. Every place that creates or renews one calls this."""
    token = secrets.token_urlsafe(24)
    participation.personal_token = token
    return token


def revoke_personal_token(participation: Participation) -> None:
    participation.personal_token = None


def personal_token_digest(token: str) -> str:
    """What a personal link is looked up by: agenda_views.queries compares it
    with the stored hash (unique index)."""
    return digest(token)


# The report's attended rows of a year, read by index alone (reports/figures.py participation).
Index("ix_participation_workshop_status_person", Participation.workshop_id, Participation.status,
      Participation.person_id)


class FirstAttendance(Base):
    """Derived facts: the first day (its workshop's first day) a person
    attended a workshop of a network, as lead or co-organiser, not
    cancelled — one row per person and network, maintained on every flush
    that writes a participation or a workshop (people/attendance_facts.py)
    and rebuilt by `flask rebuild-attendance`. The report's returning
    participants read it instead of every earlier year's participations
    (docs/report-definitions.md, "Returning participants")."""

    __tablename__ = "first_attendance"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"), primary_key=True)
    first_on: Mapped[dt.date] = mapped_column(Date)


# The on-write maintenance of FirstAttendance: session events, registered with the models.
from . import attendance_facts  # noqa: E402,F401
