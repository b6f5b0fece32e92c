"""A recommendation's progress kept as facts (models.RecommendationProgress,
one row per recommendation): what its uptake events say, and what the
report scopes and dates it by. Refreshed on every flush that adds, changes
or deletes an uptake event, a recommendation, or the dates, status or
series of a workshop or output — inside the same transaction, so the unit
of work of the write (audit/operations.unit_of_work) commits or rolls back
both — and rebuilt from the events by `flask --app wsgi rebuild-progress`
(and by the synthetic generator, whose bulk inserts bypass the session).

The stage rule itself keeps its one home in outcomes/progress.py; the
facts are what its aggregates (first_reached, rank_reached,
last_event_reached) say over all of a recommendation's events that count
(confirmed: progress.counted), so the stage as of a day is a comparison of
dates (progress.rank_on_facts). Without a counted event the rank is 0
(proposed) and the stage days and last event are NULL. The origin columns
follow outcomes/origin.py: the workshop's, or the output's for a
recommendation of an output alone. Why copy them: the report's figures
then read one narrow table by its origin day (reports/recommendations.py)
instead of joining three (docs/report-cost.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import click
from flask.cli import with_appcontext
from sqlalchemy import (
    Integer,
    case,
    cast,
    delete,
    event,
    false,
    func,
    insert,
    inspect,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.orm import Session

from ..outputs.models import Output
from ..programme.models import Workshop
from ..vocab import ATTRIBUTIONS, STAGES
from .days import acknowledging_event_known_sql
from .models import CarryOverCount, Recommendation, RecommendationProgress, UptakeEvent

FACT_STAGES = STAGES[1:]  # transmitted … implemented: one "<stage>_on" column each
BATCH = 500  # ids per refresh statement (SQLite's bound-parameter limit)
# What a workshop's or output's facts copy: a change to any of these refreshes its recommendations.
WORKSHOP_COPIED = ("start_date", "end_date", "status", "series_id", "date_precision", "approximate")
OUTPUT_COPIED = ("date", "series_id", "date_precision", "approximate")


def facts_select(recommendation_ids: Iterable[int] | None = None):
    """The facts of these recommendations (all of them without ids): one
    GROUP BY over their counted uptake events, outer-joined to every
    recommendation and its origin; columns in the table's names."""
    from .progress import counted, first_attributed, first_reached, last_event_reached, rank_reached

    events = (
        select(
            UptakeEvent.recommendation_id.label("rid"),
            rank_reached().label("rank"),
            *[first_reached(stage).label(f"{stage}_on") for stage in FACT_STAGES],
            last_event_reached().label("last_event_on"),
            *[first_attributed(a).label(f"attributed_{a}_on") for a in ATTRIBUTIONS],
        )
        .where(counted())
        .group_by(UptakeEvent.recommendation_id)
    )
    if recommendation_ids is not None:
        events = events.where(UptakeEvent.recommendation_id.in_(recommendation_ids))
    e = events.subquery("events")

    def origin(workshop_column, output_column):
        # outcomes/origin.py: the workshop's, or the output's for a recommendation of an output alone.
        return case((Recommendation.workshop_id.is_not(None), workshop_column), else_=output_column)

    start = origin(Workshop.start_date, Output.date)
    end = origin(Workshop.end_date, Output.date)

    def latest(day, later):  # the later of two days, `later` possibly NULL (portable GREATEST)
        return case((later > day, later), else_=day)

    query = (
        select(
            Recommendation.id,
            func.coalesce(e.c.rank, 0),
            *[getattr(e.c, f"{stage}_on") for stage in FACT_STAGES],
            e.c.last_event_on,
            Recommendation.workshop_id, Recommendation.output_id,
            origin(Workshop.series_id, Output.series_id),
            start,
            end,
            cast(func.extract("year", start), Integer),
            func.coalesce(origin(Workshop.date_precision, Output.date_precision), "day"),
            func.coalesce(origin(Workshop.approximate, Output.approximate), false()),
            case((Workshop.status == "cancelled", true()), else_=false()),
            Recommendation.closed_as, Recommendation.closed_on,
            latest(latest(end, e.c.last_event_on), Recommendation.closed_on),
            *[getattr(e.c, f"attributed_{a}_on") for a in ATTRIBUTIONS],
            case((e.c.acknowledged_on.is_(None), false()),
                 else_=acknowledging_event_known_sql(Recommendation.id, e.c.acknowledged_on)),
        )
        .select_from(Recommendation)
        .outerjoin(Workshop, Workshop.id == Recommendation.workshop_id)
        .outerjoin(Output, Output.id == Recommendation.output_id)
        .outerjoin(e, e.c.rid == Recommendation.id)
    )
    if recommendation_ids is not None:
        query = query.where(Recommendation.id.in_(recommendation_ids))
    return query


def _columns() -> list[str]:
    return ["recommendation_id", "rank", *[f"{s}_on" for s in FACT_STAGES], "last_event_on",
            "workshop_id", "output_id", "series_id", "origin_start", "origin_end", "origin_year",
            "origin_precision", "origin_approximate", "origin_cancelled", "closed_as", "closed_on",
            "last_change_on", *[f"attributed_{a}_on" for a in ATTRIBUTIONS], "acknowledged_day_known"]


def _carry_keys(connection, chunk: list[int] | None = None) -> Counter:
    """The carry-over counts' keys (year of last change, year of origin,
    rank) of these recommendations' facts (all without ids), with how many
    each holds: the rows progress.carried_on_facts keeps."""
    from .progress import carried_on_facts

    p = RecommendationProgress.__table__.c
    year = cast(func.extract("year", p.last_change_on), Integer)
    query = (select(year, p.origin_year, p.rank, func.count())
             .where(carried_on_facts(p)).group_by(year, p.origin_year, p.rank))
    if chunk is not None:
        query = query.where(p.recommendation_id.in_(chunk))
    return Counter({(int(y), int(o), int(r)): n for y, o, r, n in connection.execute(query)})


def _count_changes(connection, before: Counter, after: Counter) -> None:
    """Add what moved between two readings of _carry_keys to the carry-over
    counts, as signed rows, then merge each moved key's rows into one.

    Merging takes only the rows no other transaction holds (FOR UPDATE SKIP
    LOCKED: PostgreSQL; SQLite writes one transaction at a time) and
    replaces them by their sum, so a key's sum never changes and two
    writers of one key never wait for each other or deadlock; a key keeps
    at most a row per writer that was merging it at the same moment."""
    table = CarryOverCount.__table__
    moved = {key: after[key] - before[key] for key in before.keys() | after.keys() if after[key] != before[key]}
    if not moved:
        return
    connection.execute(insert(table), [{"last_change_year": y, "origin_year": o, "rank": r, "n": n}
                                       for (y, o, r), n in sorted(moved.items())])
    keys = sorted(moved)
    c = table.c
    for i in range(0, len(keys), BATCH // 3):
        rows = connection.execute(
            select(c.id, c.last_change_year, c.origin_year, c.rank, c.n)
            .where(tuple_(c.last_change_year, c.origin_year, c.rank).in_(keys[i:i + BATCH // 3]))
            .order_by(c.id).with_for_update(skip_locked=True)).all()
        by_key: dict[tuple, list] = {}
        for row in rows:
            by_key.setdefault((row.last_change_year, row.origin_year, row.rank), []).append(row)
        merge = {key: found for key, found in by_key.items() if len(found) > 1 or found[0].n == 0}
        if not merge:
            continue
        connection.execute(delete(table).where(c.id.in_([row.id for found in merge.values() for row in found])))
        sums = [{"last_change_year": y, "origin_year": o, "rank": r, "n": total}
                for (y, o, r), found in sorted(merge.items()) if (total := sum(row.n for row in found))]
        if sums:
            connection.execute(insert(table), sums)


def refresh(connection, recommendation_ids: Iterable[int] = (), *, workshop_ids: Iterable[int] = (),
            output_ids: Iterable[int] = (), new_origins: tuple[Iterable[int], Iterable[int]] = ((), ())) -> None:
    """Recompute the facts of these recommendations, and of every
    recommendation of these workshops and outputs, from their events and
    origin. `new_origins`: the workshops and outputs that recommendations of
    this flush were just given (created, or moved there)."""
    table = RecommendationProgress.__table__
    # A recommendation created on (or moved to) a workshop while another transaction redates it
    # (PostgreSQL, READ COMMITTED) would copy the dates last committed, and that transaction's
    # refresh cannot see the new recommendation: both commit, the facts keep the old dates.
    # Taking FOR SHARE on the new origin first waits for such an edit to commit (or makes the
    # edit wait for this one), so one of the two refreshes sees the other's write. Not for
    # event writes: their origin did not change, and a workshop edit already waits for their
    # recommendation's lock below.
    for model, origin_ids in ((Workshop, new_origins[0]), (Output, new_origins[1])):
        origin_ids = sorted(set(origin_ids))
        for i in range(0, len(origin_ids), BATCH):
            connection.execute(select(model.id).where(model.id.in_(origin_ids[i:i + BATCH]))
                               .order_by(model.id).with_for_update(read=True))
    ids = set(recommendation_ids)
    for column, origin_ids in ((Recommendation.workshop_id, sorted(set(workshop_ids))),
                               (Recommendation.output_id, sorted(set(output_ids)))):
        for i in range(0, len(origin_ids), BATCH):
            ids.update(connection.scalars(select(Recommendation.id).where(column.in_(origin_ids[i:i + BATCH]))))
    ids = sorted(ids)
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
        before = _carry_keys(connection, chunk)
        connection.execute(delete(table).where(table.c.recommendation_id.in_(chunk)))
        connection.execute(insert(table).from_select(_columns(), facts_select(chunk)))
        _count_changes(connection, before, _carry_keys(connection, chunk))


def rebuild(connection) -> int:
    """Recompute every recommendation's facts, and the carry-over counts
    from them; the number of rows."""
    table = RecommendationProgress.__table__
    if connection.dialect.name == "postgresql":
        # A refresh committing in the middle would insert a facts row the rebuild also inserts,
        # or count a change twice: writers wait for the rebuild (readers do not).
        connection.execute(text("LOCK TABLE recommendation_progress, carry_over_count IN EXCLUSIVE MODE"))
    connection.execute(delete(table))
    connection.execute(insert(table).from_select(_columns(), facts_select()))
    connection.execute(delete(CarryOverCount.__table__))
    counts = _carry_keys(connection)
    if counts:
        connection.execute(insert(CarryOverCount.__table__),
                           [{"last_change_year": y, "origin_year": o, "rank": r, "n": n}
                            for (y, o, r), n in sorted(counts.items())])
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _changed(obj, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched(session: Session) -> tuple[set[int], set[int], set[int], set[int], set[int]]:
    """The recommendations whose facts this flush changed (through their
    events, or themselves: both the old and the new recommendation of a
    moved event), the workshops and outputs whose copied columns it
    changed, and the workshops and outputs recommendations were just given
    (refresh's `new_origins`). Read in after_flush, when the new rows have
    their ids and the attributes still hold their history."""
    recs: set[int] = set()
    workshops: set[int] = set()
    outputs: set[int] = set()
    new_workshops: set[int] = set()
    new_outputs: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, UptakeEvent):
            history = inspect(obj).attrs.recommendation_id.history
            recs.update(i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None)
            if obj.recommendation_id is not None:
                recs.add(obj.recommendation_id)
        elif isinstance(obj, Recommendation) and obj.id is not None:
            recs.add(obj.id)  # a deleted one: its row is deleted and none inserted
            given = obj in session.new or _changed(obj, ("workshop_id", "output_id", "workshop", "output"))
            if given and obj not in session.deleted:
                new_workshops.update(i for i in (obj.workshop_id,) if i is not None)
                new_outputs.update(i for i in (obj.output_id,) if i is not None)
        elif isinstance(obj, Workshop) and obj.id is not None and obj in session.dirty:
            if _changed(obj, WORKSHOP_COPIED):
                workshops.add(obj.id)
        elif isinstance(obj, Output) and obj.id is not None and obj in session.dirty:
            if _changed(obj, OUTPUT_COPIED):
                outputs.add(obj.id)
    return recs, workshops, outputs, new_workshops, new_outputs


@event.listens_for(Session, "before_flush")
def _forget_deleted(session: Session, _context, _instances) -> None:
    """Before a flush deletes recommendations: take their rows out of the
    carry-over counts and delete their facts, which the database would
    otherwise drop with them (ON DELETE CASCADE) before the refresh after
    the flush could see what they counted."""
    ids = sorted(obj.id for obj in session.deleted if isinstance(obj, Recommendation) and obj.id is not None)
    if not ids:
        return
    connection = session.connection()
    table = RecommendationProgress.__table__
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        # Locked first, as a refresh does (and FOR UPDATE: the flush deletes them): a refresh
        # of one of them in another transaction (its workshop redated, an event added) commits
        # first and this reads the keys it wrote, or waits for this deletion. Without it, this
        # read the old keys while the other moved the row to new ones, and the counts drifted
        # (or the two deadlocked on the facts row and the recommendation).
        connection.execute(select(Recommendation.id).where(Recommendation.id.in_(chunk))
                           .order_by(Recommendation.id).with_for_update())
        before = _carry_keys(connection, chunk)
        connection.execute(delete(table).where(table.c.recommendation_id.in_(chunk)))
        _count_changes(connection, before, Counter())


@event.listens_for(Session, "after_flush")
def _remember(session: Session, _context) -> None:
    touched = _touched(session)
    if any(touched):
        pending = session.info.setdefault("progress_touched", tuple(set() for _ in touched))
        for kept, found in zip(pending, touched, strict=True):
            kept.update(found)


@event.listens_for(Session, "after_flush_postexec")
def _maintain(session: Session, _context) -> None:
    """After the flush wrote the rows: refresh the facts they change on the
    same connection (the same transaction, the same unit of work)."""
    touched = session.info.pop("progress_touched", None)
    if touched:
        recs, workshops, outputs, new_workshops, new_outputs = touched
        refresh(session.connection(), recs, workshop_ids=workshops, output_ids=outputs,
                new_origins=(new_workshops, new_outputs))


@click.command("rebuild-progress")
@with_appcontext
def rebuild_progress() -> None:
    """Rebuild every recommendation's progress facts from its uptake events."""
    from ..extensions import db

    n = rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Rebuilt the progress facts of {n:,} recommendations.")
