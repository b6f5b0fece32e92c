"""Recommendations, their road into Track-1 (uptake events) and the
Track-1 bodies that can take them up."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false, true

from ..db import Base, UTCDateTime, utcnow
from ..vocab import (
    ATTRIBUTIONS,
    CLOSURES,
    DATE_PRECISIONS,
    EVIDENCE_KINDS,
    PRIORITIES,
    STAGES,
    TRACK1_KINDS,
    TRACK1_LEVELS,
    sql_in,
)

recommendation_theme = Table(
    "recommendation_theme",
    Base.metadata,
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

recommendation_target = Table(
    "recommendation_target",
    Base.metadata,
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "track1_body_id", ForeignKey("track1_body.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)


class Track1Body(Base):
    """An official mechanism that can take a recommendation up."""

    __tablename__ = "track1_body"
    __table_args__ = (
        CheckConstraint(sql_in("kind", TRACK1_KINDS), name="kind"),
        CheckConstraint(f"level IS NULL OR {sql_in('level', TRACK1_LEVELS)}", name="level"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    acronym: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(30))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("track1_body.id", ondelete="RESTRICT"))
    established: Mapped[str] = mapped_column(String(200), default="")  # "2002", "agreed April 2025"
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    parent: Mapped[Track1Body | None] = relationship(remote_side=[id], back_populates="children")
    children = relationship("Track1Body", back_populates="parent", order_by="Track1Body.name")
    members = relationship(
        "Track1BodyMember", cascade="all, delete-orphan", order_by="Track1BodyMember.country"
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.acronym or self.name

    @property
    def member_countries(self) -> list[str]:
        return [m.country for m in self.members]


class Track1BodyMember(Base):
    """A member country of a Track-1 body (ISO 3166-1 alpha-2)."""

    __tablename__ = "track1_body_member"

    track1_body_id: Mapped[int] = mapped_column(
        ForeignKey("track1_body.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)


class UptakeEvent(Base):
    """A dated sign that a Track-1 process picked a recommendation up."""

    __tablename__ = "uptake_event"
    __table_args__ = (
        CheckConstraint(sql_in("stage", STAGES), name="stage"),
        CheckConstraint(sql_in("evidence_kind", EVIDENCE_KINDS), name="evidence_kind"),
        CheckConstraint(sql_in("date_precision", DATE_PRECISIONS), name="date_precision"),
        CheckConstraint(f"attribution IS NULL OR {sql_in('attribution', ATTRIBUTIONS)}", name="attribution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    # How well occurred_on is known (core/partial_dates.py); occurred_on is the first possible day.
    date_precision: Mapped[str] = mapped_column(String(10), default="day", server_default="day")
    approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    track1_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("track1_body.id", ondelete="RESTRICT"), index=True
    )
    evidence_kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    # How strongly its sources tie Track-1 to the recommendation (vocab.ATTRIBUTIONS), when judged.
    attribution: Mapped[str | None] = mapped_column(String(20))
    # An event not yet confirmed is shown but counted apart: no stage, no report figure (outcomes/progress.py).
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    recommendation = relationship("Recommendation", back_populates="events")
    track1_body: Mapped[Track1Body | None] = relationship()
    recorded_by = relationship("User")
    references: Mapped[list[UptakeEventReference]] = relationship(
        back_populates="event", order_by="(UptakeEventReference.position, UptakeEventReference.id)",
        cascade="all, delete-orphan")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.title

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py network_of)."""
        return self.recommendation.network_id


class UptakeEventReference(Base):
    """One source of an uptake event: a web address, an uploaded document
    (documents/models.py), or only a label — a document symbol such as
    "ARF/SOM/2025/3" with no copy at hand. Never both an address and a file."""

    __tablename__ = "uptake_event_reference"
    __table_args__ = (
        CheckConstraint("url IS NULL OR document_id IS NULL", name="url_or_document"),
        CheckConstraint("url IS NOT NULL OR document_id IS NOT NULL OR label <> ''", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uptake_event_id: Mapped[int] = mapped_column(ForeignKey("uptake_event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str | None] = mapped_column(String(500))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    label: Mapped[str] = mapped_column(String(500), default="")

    event: Mapped[UptakeEvent] = relationship(back_populates="references")
    document = relationship("Document")

    @property
    def network_id(self) -> int:
        return self.event.network_id

    @property
    def host(self) -> str:
        """The web address's host, shown beside its label."""
        return (urlsplit(self.url).hostname or "") if self.url else ""


class Recommendation(Base):
    """A proposal the workshop agreed, addressed to Track-1 bodies. Its stage
    is never stored: it is the furthest stage of its uptake events."""

    __tablename__ = "recommendation"
    __table_args__ = (
        CheckConstraint(sql_in("priority", PRIORITIES), name="priority"),
        CheckConstraint(f"closed_as IS NULL OR {sql_in('closed_as', CLOSURES)}", name="closed_as"),
        CheckConstraint(
            "(closed_as IS NULL AND closed_on IS NULL) OR "
            "(closed_as IS NOT NULL AND closed_on IS NOT NULL AND length(closed_reason) > 0)",
            name="closure_complete",
        ),
        # From a workshop, a written output (outputs/models.py), or both.
        CheckConstraint("workshop_id IS NOT NULL OR output_id IS NOT NULL", name="has_origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="RESTRICT"), index=True)
    output_id: Mapped[int | None] = mapped_column(ForeignKey("output.id", ondelete="RESTRICT"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    reference: Mapped[str] = mapped_column(String(40), default="")  # e.g. "NADI-2025-3"
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    closed_as: Mapped[str | None] = mapped_column(String(20))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    # Follow-up that someone owns (outcomes/operations_follow_up.py): who chases it, and when next.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    next_check_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # An organiser's mark: first among the report's highlights (reports/highlights.py).
    featured: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Marked for its network's public outcomes page; shown only from a public workshop
    # (public_outcomes/queries.py shown_publicly).
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner = relationship("User", foreign_keys=[owner_id])
    checks = relationship(
        "FollowUpCheck", back_populates="recommendation",
        order_by="(FollowUpCheck.checked_on.desc(), FollowUpCheck.id.desc())", cascade="all, delete-orphan",
    )
    workshop = relationship("Workshop", back_populates="recommendations")
    output = relationship("Output", back_populates="recommendations")
    agenda_item = relationship("AgendaItem")
    themes = relationship("Theme", secondary=recommendation_theme, order_by="Theme.name")
    targets = relationship("Track1Body", secondary=recommendation_target, order_by="Track1Body.name")
    events = relationship(
        "UptakeEvent", back_populates="recommendation",
        order_by="(UptakeEvent.occurred_on, UptakeEvent.id)", cascade="all, delete-orphan",
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.title

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py
        network_of): its workshop's, or its output's when it has no workshop."""
        return self.workshop.network_id if self.workshop is not None else self.output.network_id

    @property
    def origin_start(self) -> dt.date:
        """The day it was made: its workshop's first day, or its output's
        date when it comes from an output alone (its year is this day's)."""
        return self.workshop.start_date if self.workshop is not None else self.output.date

    @property
    def origin_end(self) -> dt.date:
        """The day days after it are counted from (outcomes/days.py): its
        workshop's last day, or its output's date."""
        return self.workshop.end_date if self.workshop is not None else self.output.date

    @property
    def year(self) -> int:
        return self.origin_start.year

    @property
    def stage(self) -> str:
        """The furthest stage of the events loaded with this object (outcomes/progress.py)."""
        from .progress import stage_of

        return stage_of(self.events)

    @property
    def last_event_on(self) -> dt.date | None:
        from .progress import last_event_on

        return last_event_on(self.events)

    @property
    def is_open(self) -> bool:
        return self.closed_as is None



class FollowUpCheck(Base):
    """"Checked, no trace found": someone looked for uptake on a day and
    found none. It never changes the stage (only uptake events do); it
    shows the recommendation is being followed."""

    __tablename__ = "follow_up_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[dt.date] = mapped_column(Date)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    recommendation = relationship("Recommendation", back_populates="checks")
    checked_by = relationship("User")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"Check of “{self.recommendation.title}” on {self.checked_on.isoformat()}"

    @property
    def network_id(self) -> int:
        """The network this belongs to, for organiser scoping (auth/access.py network_of)."""
        return self.recommendation.network_id


class FollowUpDigest(Base):
    """The weekly follow-up digest sent to one owner for one week (its
    Monday): the unique pair makes `send-follow-up-digests` idempotent per
    week, even with two runs at once."""

    __tablename__ = "follow_up_digest"
    __table_args__ = (UniqueConstraint("user_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    week_of: Mapped[dt.date] = mapped_column(Date)
    due_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecommendationProgress(Base):
    """A recommendation's progress kept as facts, one row per recommendation,
    maintained on every flush that writes an uptake event, a recommendation,
    its workshop or its output (outcomes/progress_facts.py) and rebuilt by
    `flask rebuild-progress`. What its events say: the first day it reached
    at least each stage, its furthest rank (0, proposed, without events) and
    its last event's day (NULL without events). What the report scopes and
    dates it by, copied from its origin (outcomes/origin.py): the workshop's
    (else the output's) first and last day, year, series, date precision,
    whether the workshop was cancelled, its closure, and the last day any of
    these moved (last_change_on). docs/domain.md,
    "The life of a recommendation"; docs/report-definitions.md."""

    __tablename__ = "recommendation_progress"
    __table_args__ = (
        # The report's year slice and carry-over: a range of origin days (reports/recommendations.py).
        Index("ix_recommendation_progress_origin_start", "origin_start"),
        # Carry-over's recommendations still moving (progress.moving_on_facts): one range.
        Index("ix_recommendation_progress_last_change_on", "last_change_on"),
        # ... and the settled ones, counted by plain columns in (origin year, rank) order from
        # this index alone: every earlier recommendation, so the narrowest read there is.
        # With the origin's ids, so that a network or funder filter is checked from the index too.
        Index("ix_recommendation_progress_carry", "origin_year", "rank", "closed_as", "origin_cancelled",
              "last_change_on", "origin_start", "series_id", "workshop_id", "output_id"),
        # Highlights: the recommendations that first reached adopted or implemented in the period.
        Index("ix_recommendation_progress_adopted_on", "adopted_on"),
        Index("ix_recommendation_progress_implemented_on", "implemented_on"),
    )

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, default=0)
    transmitted_on: Mapped[dt.date | None] = mapped_column(Date)
    acknowledged_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    implemented_on: Mapped[dt.date | None] = mapped_column(Date)
    last_event_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # The origin (copied; derived data, so no foreign keys but the recommendation's).
    workshop_id: Mapped[int | None] = mapped_column(Integer)
    output_id: Mapped[int | None] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(Integer)
    origin_start: Mapped[dt.date] = mapped_column(Date)
    origin_end: Mapped[dt.date] = mapped_column(Date)
    origin_year: Mapped[int] = mapped_column(Integer)
    origin_precision: Mapped[str] = mapped_column(String(10))
    origin_approximate: Mapped[bool] = mapped_column(Boolean)
    origin_cancelled: Mapped[bool] = mapped_column(Boolean)
    closed_as: Mapped[str | None] = mapped_column(String(20))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    # The latest of its origin's last day, its last counted event and its closure: after it
    # nothing about the recommendation moved (progress.settled_on_facts).
    last_change_on: Mapped[dt.date] = mapped_column(Date)
    # The first day a counted event was attributed at least this strongly (progress.first_attributed):
    # the strongest attribution as of a day is a comparison of dates (reports/substance.py).
    attributed_explicit_on: Mapped[dt.date | None] = mapped_column(Date)
    attributed_paraphrase_on: Mapped[dt.date | None] = mapped_column(Date)
    attributed_thematic_on: Mapped[dt.date | None] = mapped_column(Date)
    # An event at acknowledged or beyond dated acknowledged_on is known to the day
    # (days.acknowledging_event_known_sql): the median's days may count it (reports/recommendations.py).
    acknowledged_day_known: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CarryOverCount(Base):
    """How many recommendations the carry-over may count as open
    (progress.carried_on_facts) there are per year of their last change,
    year of origin and rank: the settled part of carry-over reads these
    instead of one index entry per earlier recommendation
    (reports/recommendations.py, docs/report-cost.md).

    Kept as signed deltas so that writers never wait for each other: each
    facts refresh (outcomes/progress_facts.py) inserts +n/−n rows for the
    keys its recommendations left and entered, then merges the rows of
    those keys that no other transaction holds (FOR UPDATE SKIP LOCKED). A
    key's count is the sum of its rows; `flask rebuild-progress` rebuilds
    them with the facts."""

    __tablename__ = "carry_over_count"
    __table_args__ = (Index("ix_carry_over_count_key", "last_change_year", "origin_year", "rank", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_change_year: Mapped[int] = mapped_column(Integer)
    origin_year: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)


# The uptake events dated in a report's years (reports/figures.py uptake_events), read from the
# index alone: with what that figure counts them by, no event row is looked up.
Index("ix_uptake_event_occurred_on", UptakeEvent.occurred_on, UptakeEvent.recommendation_id, UptakeEvent.stage,
      UptakeEvent.confirmed)

# A recommendation's latest counted event on or before a day, one index seek
# (outcomes/progress.py last_event_on_of; the report's stale figure).
Index("ix_uptake_event_recommendation_occurred", UptakeEvent.recommendation_id, UptakeEvent.occurred_on,
      UptakeEvent.confirmed)


# The on-write maintenance of RecommendationProgress: session events, registered with the models.
from . import progress_facts  # noqa: E402,F401
