"""A network's written outputs: memoranda, study-group reports,
recommendation papers, chair's statements, policy briefs — issued with or
without a meeting (docs/domain.md, "Outputs"). A recommendation may come
from an output (outcomes/models.py Recommendation.output_id)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from ..vocab import DATE_PRECISIONS, OUTPUT_KINDS, sql_in

output_workshop = Table(
    "output_workshop",
    Base.metadata,
    Column("output_id", ForeignKey("output.id", ondelete="CASCADE"), primary_key=True),
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Output(Base):
    """One written product of a network. `date` is the first possible day of
    what is known (`date_precision`: day, month or year; `approximate` for
    "c. 2008"), the day sorting, filters and day counts use."""

    __tablename__ = "output"
    __table_args__ = (
        CheckConstraint(sql_in("kind", OUTPUT_KINDS), name="kind"),
        CheckConstraint(sql_in("date_precision", DATE_PRECISIONS), name="date_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="memorandum")
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(10), default="day")
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="RESTRICT"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="RESTRICT"), index=True)
    issuing_body: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # An uploaded copy (documents/models.py): a PDF, DOCX or XLSX, served only as a download.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    network = relationship("Network")
    series = relationship("Series")
    document = relationship("Document")
    workshops = relationship("Workshop", secondary=output_workshop, order_by="Workshop.start_date")
    recommendations = relationship("Recommendation", back_populates="output", order_by="Recommendation.id")
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.date.year
