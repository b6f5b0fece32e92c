"""A recommendation's progress kept as facts (models.RecommendationProgress):
derived from its uptake events, refreshed on every flush that adds, changes
or deletes an event — inside the same transaction, so the unit of work of
the write (audit/operations.unit_of_work) commits or rolls back both — and
rebuilt from the events by `flask --app wsgi rebuild-progress` (and by the
synthetic generator, whose bulk inserts bypass the session).

The stage rule itself keeps its one home in outcomes/progress.py; the
facts are what its aggregates (first_reached, rank_reached,
last_event_reached) say over all of a recommendation's events that count
(confirmed: progress.counted), so the stage as of a day is a comparison of
dates (progress.rank_on_facts). A recommendation whose events are all
unconfirmed has no row, like one without events; confirming or
unconfirming an event is a change of the event, refreshed like any other.
"""

from __future__ import annotations

from collections.abc import Iterable

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from ..vocab import STAGES
from .models import Recommendation, RecommendationProgress, UptakeEvent

FACT_STAGES = STAGES[1:]  # transmitted … implemented: one "<stage>_on" column each
BATCH = 500  # ids per refresh statement (SQLite's bound-parameter limit)


def facts_select(recommendation_ids: Iterable[int] | None = None):
    """The facts of the recommendations with events (all of them without
    ids), as one GROUP BY over uptake_event, columns in the table's names."""
    from .progress import counted, first_reached, last_event_reached, rank_reached

    query = (
        select(
            UptakeEvent.recommendation_id,
            rank_reached().label("rank"),
            *[first_reached(stage).label(f"{stage}_on") for stage in FACT_STAGES],
            last_event_reached().label("last_event_on"),
        )
        .where(counted())
        .group_by(UptakeEvent.recommendation_id)
    )
    if recommendation_ids is not None:
        query = query.where(UptakeEvent.recommendation_id.in_(recommendation_ids))
    return query


def _columns() -> list[str]:
    return ["recommendation_id", "rank", *[f"{s}_on" for s in FACT_STAGES], "last_event_on"]


def refresh(connection, recommendation_ids: Iterable[int]) -> None:
    """Recompute the facts of these recommendations from their events."""
    table = RecommendationProgress.__table__
    ids = sorted(set(recommendation_ids))
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        # Two transactions adding events to one recommendation at once (PostgreSQL,
        # READ COMMITTED) would each miss the other's event and both insert its row.
        # Locking the recommendations first, in id order, makes the second wait for
        # the first to commit and then read every event. SQLite already writes one
        # transaction at a time (the lock renders as nothing there). NO KEY UPDATE,
        # not UPDATE: the event's own foreign key already holds KEY SHARE on the row,
        # and two writers upgrading that to UPDATE would deadlock each other.
        connection.execute(select(Recommendation.id).where(Recommendation.id.in_(chunk))
                           .order_by(Recommendation.id).with_for_update(key_share=True))
        connection.execute(delete(table).where(table.c.recommendation_id.in_(chunk)))
        connection.execute(insert(table).from_select(_columns(), facts_select(chunk)))


def rebuild(connection) -> int:
    """Recompute every recommendation's facts from the events; the number of rows."""
    table = RecommendationProgress.__table__
    connection.execute(delete(table))
    connection.execute(insert(table).from_select(_columns(), facts_select()))
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _touched(session: Session) -> set[int]:
    """Recommendations whose events this flush added, changed or deleted
    (both the old and the new recommendation of a moved event). Read in
    after_flush, when the new rows have their ids and the attributes still
    hold their history."""
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, UptakeEvent):
            history = inspect(obj).attrs.recommendation_id.history
            ids.update(i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None)
            if obj.recommendation_id is not None:
                ids.add(obj.recommendation_id)
    return ids


@event.listens_for(Session, "after_flush")
def _remember(session: Session, _context) -> None:
    touched = _touched(session)
    if touched:
        session.info.setdefault("progress_touched", set()).update(touched)


@event.listens_for(Session, "after_flush_postexec")
def _maintain(session: Session, _context) -> None:
    """After the flush wrote the events: refresh their recommendations' facts
    on the same connection (the same transaction, the same unit of work)."""
    touched = session.info.pop("progress_touched", None)
    if touched:
        refresh(session.connection(), touched)


@click.command("rebuild-progress")
@with_appcontext
def rebuild_progress() -> None:
    """Rebuild every recommendation's progress facts from its uptake events."""
    from ..extensions import db

    n = rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Rebuilt the progress of {n:,} recommendations with uptake events.")
