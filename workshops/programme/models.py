"""Networks, member institutes, themes, series (with their lifecycle),
workshops and their agendas."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.sql.expression import false

from ..core.zones import ZoneInfo, zone_of
from ..db import Base, UTCDateTime, utcnow
from ..vocab import (
    DATE_PRECISIONS,
    FORMATS,
    INSTITUTE_ROLE_LABELS,
    INSTITUTE_ROLES,
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


# The networks that co-organise a workshop besides its lead network (Workshop.network_id).
workshop_network = Table(
    "workshop_network",
    Base.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="RESTRICT"), primary_key=True, index=True),
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
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

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
    """One meeting: of a series, or a one-off (no series). It belongs to its
    lead network (`network_id`, the series' network when it has one) and to
    any co-organising networks (`co_networks`); `network_ids` is all of
    them, and organisers of any of them may edit it (auth/access.py). Its
    institutes each have a role (`institute_roles`: host, co-organiser,
    funder). Dates are local to the venue; agenda times are stored in UTC
    and shown in `timezone` (an IANA name)."""

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
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="RESTRICT"), index=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="RESTRICT"), index=True)
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

    series: Mapped[Series | None] = relationship(back_populates="workshops")
    network: Mapped[Network] = relationship()
    co_networks = relationship("Network", secondary=workshop_network, order_by="Network.acronym")
    institute_roles = relationship(
        "WorkshopInstitute", back_populates="workshop", cascade="all, delete-orphan",
        order_by="(WorkshopInstitute.role, WorkshopInstitute.id)",
    )
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
    # The written outputs it produced (outputs/models.py; changed from the output's side).
    outputs = relationship("Output", secondary="output_workshop", viewonly=True, order_by="Output.date")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.timezone)

    @validates("series")
    def _lead_from_series(self, _key, series):
        """A workshop given a series and no network yet is led by the series' network."""
        if series is not None and self.network_id is None and self.network is None:
            self.network = series.network
        return series

    @property
    def series_label(self) -> str:
        """Its series' name, or what a meeting without one is."""
        return self.series.name if self.series is not None else "One-off meeting"

    @property
    def network_ids(self) -> list[int]:
        """Every network that organises it, the lead first (auth/access.py networks_of)."""
        lead = self.network_id if self.network_id is not None else getattr(self.network, "id", None)
        return [lead, *(n.id for n in self.co_networks if n.id != lead)]

    @property
    def networks(self) -> list[Network]:
        """The lead network, then the co-organisers."""
        return [self.network, *(n for n in self.co_networks if n is not self.network)]

    def institutes_in(self, role: str) -> list[MemberInstitute]:
        return [r.institute for r in self.institute_roles if r.role == role]

    @property
    def host(self) -> MemberInstitute | None:
        """The first host institute (pages that name one host: the agenda, lists)."""
        hosts = self.institutes_in("host")
        return hosts[0] if hosts else None

    @host.setter
    def host(self, institute: MemberInstitute | None) -> None:
        self.institute_roles = [r for r in self.institute_roles if r.role != "host"] + (
            [WorkshopInstitute(institute=institute, role="host")] if institute is not None else [])

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


class WorkshopInstitute(Base):
    """An institute in a role at a workshop: host, co-organiser or
    sponsor/funder (vocab INSTITUTE_ROLES); several per workshop."""

    __tablename__ = "workshop_institute"
    __table_args__ = (
        CheckConstraint(sql_in("role", INSTITUTE_ROLES), name="role"),
        UniqueConstraint("workshop_id", "institute_id", "role"),
        # The report's funder filter: the workshops an institute funded (reports/scope.py).
        Index("ix_workshop_institute_institute_role", "institute_id", "role", "workshop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    institute_id: Mapped[int] = mapped_column(ForeignKey("member_institute.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20))

    workshop: Mapped[Workshop] = relationship(back_populates="institute_roles")
    institute: Mapped[MemberInstitute] = relationship()

    @property
    def label(self) -> str:
        """How the audit trail names the row: 'Sponsor / funder ARF at “Title”'."""
        return f"{INSTITUTE_ROLE_LABELS.get(self.role, self.role)} {self.institute.label} at “{self.workshop.title}”"

    @property
    def network_id(self) -> int:
        return self.workshop.network_id


def in_networks(network_ids):
    """SQL on Workshop: organised by any of these networks, as lead or
    co-organiser (lists, filters, the report, who sees participants)."""
    ids = list(network_ids)
    return or_(Workshop.network_id.in_(ids),
               Workshop.id.in_(select(workshop_network.c.workshop_id).where(workshop_network.c.network_id.in_(ids))))


def organising_networks():
    """A subquery of (workshop_id, network_id): every network that organised
    each workshop, its lead and its co-organisers, one row each."""
    return union_all(
        select(Workshop.id.label("workshop_id"), Workshop.network_id.label("network_id")),
        select(workshop_network.c.workshop_id, workshop_network.c.network_id),
    ).subquery("organising_network")


def workshops_of_network(network_id: int):
    """A select of the ids of the workshops a network organised, as lead or co-organiser."""
    return select(Workshop.id).where(in_networks([network_id]))




from .models_agenda import AgendaItem, AgendaItemPerson  # noqa: E402,F401  (the agenda's tables live there; re-exported)
