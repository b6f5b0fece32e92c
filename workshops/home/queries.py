"""What the home page reads: the workshops coming up (only the public,
published ones for visitors), and for users the latest uptake events and
the counts of networks, workshops, recommendations and events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..outcomes.models import Recommendation, UptakeEvent
from ..outcomes.progress import events_counted
from ..programme.models import Network, Workshop, WorkshopInstitute

SHOWN = 6  # workshops coming up, and uptake events


def upcoming_workshops(today: dt.date, *, public_only: bool) -> list[Workshop]:
    """The next workshops not cancelled and not over yet, soonest first."""
    query = (
        select(Workshop)
        .where(Workshop.end_date >= today, Workshop.status != "cancelled")
        .options(selectinload(Workshop.series), selectinload(Workshop.network),
                 selectinload(Workshop.institute_roles).selectinload(WorkshopInstitute.institute))
        .order_by(Workshop.start_date)
        .limit(SHOWN)
    )
    if public_only:
        query = query.where(Workshop.visibility == "public", Workshop.status == "published")
    return list(db.session.scalars(query))


def recent_uptake_events() -> list[UptakeEvent]:
    """The latest signs of uptake, newest first."""
    return list(db.session.scalars(
        select(UptakeEvent)
        .options(selectinload(UptakeEvent.recommendation), selectinload(UptakeEvent.track1_body))
        .order_by(UptakeEvent.occurred_on.desc(), UptakeEvent.id.desc())
        .limit(SHOWN)
    ))


def counts() -> dict[str, int]:
    """The figures at the top of the page. The uptake events are those that
    count (confirmed: outcomes/progress.py, as the reports count them), and
    apart the ones not yet confirmed."""
    counted, everything = db.session.execute(select(events_counted(), func.count(UptakeEvent.id))).one()
    return {
        "networks": db.session.scalar(select(func.count(Network.id))),
        "workshops": db.session.scalar(select(func.count(Workshop.id))),
        "recommendations": db.session.scalar(select(func.count(Recommendation.id))),
        "events": counted,
        "unconfirmed_events": everything - counted,
    }
