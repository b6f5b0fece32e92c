"""What a report keeps besides its figures: the organisers' foreword of a
year's report, for all networks or for one (docs/report-definitions.md,
"Foreword"). Written through reports/operations.py, audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow


class ReportForeword(Base):
    """The short foreword (Markdown, sanitised: core/markdown.py) of the
    report of a year, for every network (network_id NULL) or one network."""

    __tablename__ = "report_foreword"
    __table_args__ = (
        CheckConstraint("year BETWEEN 1900 AND 2200", name="year"),
        # One per year and network; a NULL network is the all-networks report.
        Index("ix_report_foreword_year_all", "year", unique=True,
              sqlite_where=text("network_id IS NULL"), postgresql_where=text("network_id IS NULL")),
        Index("ix_report_foreword_year_network", "year", "network_id", unique=True,
              sqlite_where=text("network_id IS NOT NULL"), postgresql_where=text("network_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    network = relationship("Network")
    updated_by = relationship("User")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"Foreword of the {self.year} report, {self.network.acronym if self.network else 'all networks'}"
