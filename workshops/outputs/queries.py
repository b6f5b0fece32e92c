"""Reading outputs: the filtered list (newest first) and one output with
what it links to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Output


def outputs_query(network_id: int | None = None, kind: str | None = None, year: int | None = None) -> Select:
    """Outputs by their date's first possible day, newest first; a month- or
    year-precision output counts in its year (core/partial_dates.py)."""
    query = select(Output).options(selectinload(Output.network), selectinload(Output.series),
                                   selectinload(Output.recommendations))
    if network_id is not None:
        query = query.where(Output.network_id == network_id)
    if kind is not None:
        query = query.where(Output.kind == kind)
    if year is not None:
        query = query.where(Output.date >= dt.date(year, 1, 1), Output.date <= dt.date(year, 12, 31))
    return query.order_by(Output.date.desc(), Output.id.desc())


def output_years() -> list[int]:
    """Years in which an output was issued, newest first."""
    dates = db.session.scalars(select(func.min(Output.date)).group_by(func.extract("year", Output.date))).all()
    return sorted({d.year for d in dates if d is not None}, reverse=True)


def output_detail(output_id: int) -> Output | None:
    return db.session.scalar(
        select(Output).where(Output.id == output_id)
        .options(selectinload(Output.network), selectinload(Output.series), selectinload(Output.workshops),
                 selectinload(Output.recommendations), selectinload(Output.document))
    )
