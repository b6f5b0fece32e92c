"""Networks, member institutes, themes, series (with their lifecycle),
workshops and their agendas."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from ..core.zones import ZoneInfo, to_local, zone_of
from ..db import Base, UTCDateTime, utcnow
from ..vocab import (
    AGENDA_ITEM_STATUSES,
    AGENDA_KINDS,
    AGENDA_PERSON_ROLES,
    DATE_PRECISIONS,
    FORMATS,
    SERIES_KINDS,
    SERIES_STATUSES,
    VISIBILITIES,
    WORKSHOP_STATUSES,
    sql_in,
)

institute_network = Table(
    "institute_network",
    Base.metadata,
    Column("institute_id", ForeignKey("member_institute.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
)

workshop_theme = Table(
    "workshop_theme",
    Base.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Network(Base):
    """A standing Track-2 body: CSCAP, NADI, ASEAN-ISIS."""

    __tablename__ = "network"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    acronym: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    founded_year: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    institutes = relationship(
        "MemberInstitute", secondary=institute_network, back_populates="networks",
        order_by="MemberInstitute.name",
    )
    series = relationship("Series", back_populates="network", order_by="Series.name")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.acronym

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py network_of)."""
        return self.id


class MemberInstitute(Base):
    """A think tank or defence institute that hosts meetings (RSIS, ISIS Malaysia…)."""

    __tablename__ = "member_institute"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    acronym: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    city: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    networks = relationship("Network", secondary=institute_network, back_populates="institutes")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.acronym or self.name


class Theme(Base):
    """A subject: HADR, maritime security, the South China Sea…"""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    non_traditional: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def label(self) -> str:
        return self.name


class Series(Base):
    """A recurring line of meetings of one network."""

    __tablename__ = "series"
    __table_args__ = (CheckConstraint(sql_in("kind", SERIES_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="RESTRICT"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="workshop_series")
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    network: Mapped[Network] = relationship(back_populates="series")
    status_changes = relationship(
        "SeriesStatusChange", back_populates="series", order_by="SeriesStatusChange.effective_on",
        cascade="all, delete-orphan",
    )
    workshops = relationship("Workshop", back_populates="series", order_by="Workshop.start_date")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.name

    @property
    def current_status(self) -> str | None:
        return self.status_changes[-1].status if self.status_changes else None


class SeriesStatusChange(Base):
    """One dated step in a series' life: active, dormant, revived."""

    __tablename__ = "series_status_change"
    __table_args__ = (
        CheckConstraint(sql_in("status", SERIES_STATUSES), name="status"),
        UniqueConstraint("series_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    series: Mapped[Series] = relationship(back_populates="status_changes")

    @property
    def label(self) -> str:
        return f"{self.status} from {self.effective_on.isoformat()}"


class Workshop(Base):
    """One meeting of a series. Dates are local to the venue; agenda times
    are stored in UTC and shown in `timezone` (an IANA name)."""

    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="end_after_start"),
        CheckConstraint(sql_in("format", FORMATS), name="format"),
        CheckConstraint(sql_in("visibility", VISIBILITIES), name="visibility"),
        CheckConstraint(sql_in("status", WORKSHOP_STATUSES), name="status"),
        CheckConstraint(sql_in("date_precision", DATE_PRECISIONS), name="date_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="RESTRICT"), index=True)
    host_institute_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_institute.id", ondelete="SET NULL"), index=True
    )
    venue: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2; none when online
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # How well the dates are known (core/partial_dates.py): for a month or a
    # year, start_date is its first possible day (the 1st, 1 January) and
    # end_date the same day; such a workshop has no agenda.
    date_precision: Mapped[str] = mapped_column(String(10), default="day", server_default="day")
    approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    format: Mapped[str] = mapped_column(String(20), default="in_person")
    visibility: Mapped[str] = mapped_column(String(20), default="participants")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    chatham_house: Mapped[bool] = mapped_column(Boolean, default=True)
    objectives: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    # The participants' secret link; None once revoked. Kept in clear, unlike
    # personal links (people/models.py): it is one link shared with every
    # participant (pasted into invitations), it names no one, and it opens
    # only the agenda, whose every word is in this same database, so a copy
    # of the database gains nothing from it that it does not already hold.
    secret_token: Mapped[str | None] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    series: Mapped[Series] = relationship(back_populates="workshops")
    host: Mapped[MemberInstitute | None] = relationship()
    themes = relationship("Theme", secondary=workshop_theme, order_by="Theme.name")
    agenda_items = relationship(
        "AgendaItem", back_populates="workshop", order_by="AgendaItem.starts_at",
        cascade="all, delete-orphan",
    )
    participations = relationship(
        "Participation", back_populates="workshop", cascade="all, delete-orphan"
    )
    recommendations = relationship(
        "Recommendation", back_populates="workshop", order_by="Recommendation.id"
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.timezone)

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py network_of)."""
        return self.series.network_id

    @property
    def year(self) -> int:
        return self.start_date.year

    @property
    def has_days(self) -> bool:
        """Its dates are known to the day: only then may it have an agenda and calendar events."""
        return (self.date_precision or "day") == "day"

    def days(self) -> list[dt.date]:
        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(n)]


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
    """A chair, speaker or discussant of an agenda item, picked from the
    workshop's participants."""

    __tablename__ = "agenda_item_person"
    __table_args__ = (
        CheckConstraint(sql_in("role", AGENDA_PERSON_ROLES), name="role"),
        UniqueConstraint("agenda_item_id", "participation_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="people")
    participation = relationship("Participation", back_populates="agenda_roles")

    @property
    def label(self) -> str:
        """How the audit trail names the row: 'Speaker Ann Lee in “Opening”'."""
        return f"{self.role.capitalize()} {self.participation.person.full_name} in “{self.agenda_item.title}”"

    @property
    def audit_person_id(self) -> int | None:
        """The person an audit entry of this row concerns (audit/models.py)."""
        participation = self.participation
        return participation.audit_person_id if participation is not None else None


def workshops_of_network(network_id: int):
    """A select of workshop ids in a network (for filters and scoping)."""
    return select(Workshop.id).join(Series).where(Series.network_id == network_id)
