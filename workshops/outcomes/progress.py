"""A recommendation's progress as of a date: its stage and whether it is
stale — one home for both rules (docs/domain.md, "The life of a
recommendation"), in SQL for the queries (lists, follow-up, the report's
figures and CSV rows, the API's filters) and in Python for objects already
loaded (badges, the timeline, the API's exporters).

**Stage.** A recommendation's stage is never stored: it is the furthest
stage (vocab.STAGE_RANK, one table of ranks) that any of its uptake events
dated on or before the day reached; *proposed* (rank 0) when it has none.
Without a day, every recorded event counts (events are never dated in the
future, so that is the stage as of today). Only confirmed events count
(`counted`, `UptakeEvent.confirmed`): one not yet confirmed is shown on the
timeline but moves no stage, no last activity and no report figure.

**Stale.** A recommendation is stale on a day when, on that day, its
workshop had begun (or its output was issued, for one from an output
alone: outcomes/origin.py), it was open (not closed, or closed only later), it had
not reached *adopted*, and its last activity — its latest event up to that
day, or the workshop's last day when it had none (the day count of
outcomes/days.py) — was vocab.STALE_AFTER_DAYS or more days before.

Each SQL function has its Python twin beside it (`stage_rank` /
`STAGE_RANK`, `rank_reached` / `rank_of`, `last_event_reached` /
`last_event_on`, `open_on` / `is_open_on`, `stale_on` / `stale`);
tests/outcomes/test_progress.py checks that both forms agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, case, false, func, or_, select, true

from ..outputs.models import Output
from ..programme.models import Workshop
from ..vocab import ATTRIBUTIONS, STAGE_RANK, STAGES, STALE_AFTER_DAYS
from .days import day_known, days_after_workshop, since_workshop, why_no_day_count
from .models import Recommendation, RecommendationProgress, UptakeEvent
from .origin import correlated

RANK_ADOPTED = STAGE_RANK["adopted"]
RANK_IMPLEMENTED = STAGE_RANK["implemented"]
# The strength of an event's attribution (vocab.ATTRIBUTIONS, strongest first): 1 = explicit.
ATTRIBUTION_STRENGTH = {a: i for i, a in enumerate(ATTRIBUTIONS, start=1)}


def stale_cutoff(day: dt.date) -> dt.date:
    """The latest last activity that leaves a recommendation stale on `day`."""
    return day - dt.timedelta(days=STALE_AFTER_DAYS)


# --------------------------------------------------------------------------- stage: Python


def _events_by(events: Iterable[UptakeEvent], as_of: dt.date | None) -> list[UptakeEvent]:
    """The events that count by `as_of`: confirmed, dated on or before it."""
    return [e for e in events if e.confirmed and (as_of is None or e.occurred_on <= as_of)]


def rank_of(events: Iterable[UptakeEvent], as_of: dt.date | None = None) -> int:
    """The furthest rank the events dated on or before `as_of` reached (all
    events without a day); 0 (proposed) when there is none."""
    return max((STAGE_RANK[e.stage] for e in _events_by(events, as_of)), default=0)


def stage_of(events: Iterable[UptakeEvent], as_of: dt.date | None = None) -> str:
    """The stage reached by `as_of`: STAGES[rank_of(...)]."""
    return STAGES[rank_of(events, as_of)]


def last_event_on(events: Iterable[UptakeEvent], as_of: dt.date | None = None) -> dt.date | None:
    """The date of the latest event on or before `as_of`, or None."""
    return max((e.occurred_on for e in _events_by(events, as_of)), default=None)


def last_activity_on(rec: Recommendation, as_of: dt.date | None = None) -> dt.date:
    """The latest event's date, or the workshop's last day (the output's
    date, for a recommendation of an output alone) when there is none."""
    return last_event_on(rec.events, as_of) or rec.origin_end


def days_since_activity(rec: Recommendation, as_of: dt.date) -> int:
    """Whole days from the last activity (as of `as_of`) to `as_of`."""
    return (as_of - last_activity_on(rec, as_of)).days


# --------------------------------------------------------------------------- stage: SQL


def counted():
    """SQL: the uptake_event row counts (it is confirmed); the twin of _events_by's test."""
    return UptakeEvent.confirmed == true()


def counted_by(day: dt.date | None = None):
    """SQL: the uptake_event row counts by `day` (confirmed, and dated on or before it)."""
    return counted() if day is None else and_(counted(), UptakeEvent.occurred_on <= day)


def events_counted(day: dt.date | None = None):
    """SQL aggregate over uptake_event rows: how many count by `day`."""
    return func.count(case((counted_by(day), UptakeEvent.id)))


def stage_rank(stage_column):
    """SQL: the rank (0 = proposed … 4 = implemented) of a stage column."""
    return case(STAGE_RANK, value=stage_column, else_=0)


def rank_reached(day: dt.date | None = None):
    """SQL aggregate over uptake_event rows (GROUP BY recommendation): the
    furthest rank of the events on or before `day` (all without a day);
    NULL when there is none — coalesce it to 0 (proposed)."""
    return func.max(case((counted_by(day), stage_rank(UptakeEvent.stage))))


def last_event_reached(day: dt.date | None = None):
    """SQL aggregate over uptake_event rows: the latest date on or before
    `day` (all without a day); NULL when there is none."""
    return func.max(case((counted_by(day), UptakeEvent.occurred_on)))


def first_attributed(attribution: str):
    """SQL aggregate over uptake_event rows: the first date a counted event
    was attributed at least as strongly as `attribution` (explicit beats
    paraphrase beats thematic); NULL when none was."""
    stronger = [a for a in ATTRIBUTIONS if ATTRIBUTION_STRENGTH[a] <= ATTRIBUTION_STRENGTH[attribution]]
    return func.min(case((and_(counted(), UptakeEvent.attribution.in_(stronger)), UptakeEvent.occurred_on)))


def strongest_attribution(events: Iterable[UptakeEvent], as_of: dt.date | None = None) -> str | None:
    """The strongest attribution of the counted events on or before `as_of`
    (all without a day), or None when none was attributed; the Python twin
    of strongest_attribution_on_facts."""
    found = [e.attribution for e in _events_by(events, as_of) if e.attribution]
    return min(found, key=ATTRIBUTION_STRENGTH.__getitem__, default=None)


def first_reached(stage: str):
    """SQL aggregate over uptake_event rows: the first date an event reached
    at least `stage`; NULL when none did."""
    return func.min(case((and_(counted(), stage_rank(UptakeEvent.stage) >= STAGE_RANK[stage]),
                          UptakeEvent.occurred_on)))


# --------------------------------------------------------------------------- stage: SQL over the facts
# RecommendationProgress (outcomes/progress_facts.py) holds what first_reached,
# rank_reached and last_event_reached say over all of a recommendation's
# events, maintained on write (one row per recommendation: rank 0 and NULL
# days without a counted event). The first day at each stage only grows with
# the stage, so the rank as of a day is the furthest stage whose first day
# is on or before it: a comparison of dates, no events read. The last event
# as of a day is the stored one when it is on or before the day; only
# before it do the events themselves have to say (`events_fallback`).


def rank_on_facts(facts, day: dt.date | None = None):
    """SQL: the rank reached by `day` (all events without a day) from the
    facts' columns (`facts` is the table's columns or a CTE's); NULL when
    there is no facts row — coalesce it to 0 (proposed)."""
    if day is None:
        return facts.rank
    return case(*[(getattr(facts, f"{s}_on") <= day, STAGE_RANK[s]) for s in reversed(STAGES[1:])], else_=0)


def first_on_facts(facts, stage: str, day: dt.date | None = None):
    """SQL: the first day the recommendation reached at least `stage`, if it
    is on or before `day`; NULL otherwise."""
    first = getattr(facts, f"{stage}_on")
    return first if day is None else case((first <= day, first))


def strongest_attribution_on_facts(facts, day: dt.date):
    """SQL: the strength (ATTRIBUTION_STRENGTH, 1 = explicit) of the
    strongest attribution among the counted events on or before `day`, from
    the facts' first day at each strength; NULL when none was attributed by
    then. A comparison of dates, like rank_on_facts."""
    return case(*[(getattr(facts, f"attributed_{a}_on") <= day, ATTRIBUTION_STRENGTH[a]) for a in ATTRIBUTIONS])


def carried_on_facts(facts):
    """SQL over the progress facts: what the carry-over can ever count as
    open — never closed, its origin not cancelled, not implemented. The
    settled part of carry-over counts these (reports/recommendations.py),
    and so do the counts kept for it (outcomes/progress_facts.py,
    models.CarryOverCount)."""
    return and_(facts.closed_as.is_(None), facts.origin_cancelled == false(), facts.rank < RANK_IMPLEMENTED)


def last_event_on_facts(facts, day: dt.date | None = None, events_fallback=None):
    """SQL: the latest event on or before `day`: the stored last event when
    it is; otherwise `events_fallback` (last_event_reached(day) over the
    events, NULL when not given)."""
    if day is None:
        return facts.last_event_on
    return case((facts.last_event_on <= day, facts.last_event_on),
                (facts.last_event_on.is_(None), None),  # no counted event at all: nothing to read
                else_=events_fallback)


def stage_rank_of(recommendation_id_column, as_of: dt.date | None = None):
    """A correlated subquery over the facts: the furthest rank reached by
    `as_of` (every event without a day); 0 (proposed) when there is none."""
    facts = RecommendationProgress.__table__.c
    return func.coalesce(select(rank_on_facts(facts, as_of))
                         .where(facts.recommendation_id == recommendation_id_column).scalar_subquery(), 0)


def last_event_by(recommendation_id_column, day: dt.date):
    """A correlated subquery over the events: the latest one that counts by
    `day`, or NULL (last_event_reached for one recommendation; one index
    seek on ix_uptake_event_recommendation_occurred)."""
    return (select(func.max(UptakeEvent.occurred_on))
            .where(UptakeEvent.recommendation_id == recommendation_id_column, counted_by(day)).scalar_subquery())


def last_event_on_of(recommendation_id_column, as_of: dt.date | None = None):
    """A correlated subquery: the date of the latest event on or before
    `as_of` (of all without a day), or NULL — from the facts, reading the
    recommendation's events only when its last one is after `as_of`."""
    facts = RecommendationProgress.__table__.c
    fallback = None if as_of is None else last_event_by(facts.recommendation_id, as_of)
    return (select(last_event_on_facts(facts, as_of, fallback))
            .where(facts.recommendation_id == recommendation_id_column).scalar_subquery())


def last_activity_sql(workshop_end, as_of: dt.date | None = None):
    """SQL twin of last_activity_on for Recommendation rows; `workshop_end`
    is the end date of their workshop (joined, or a subquery)."""
    return func.coalesce(last_event_on_of(Recommendation.id, as_of), workshop_end)


# --------------------------------------------------------------------------- staleness


def is_open_on(day: dt.date, *, closed_as: str | None, closed_on: dt.date | None) -> bool:
    """Open on `day`: never closed, or closed only after it."""
    return closed_as is None or closed_on > day


def open_on(day: dt.date, *, closed_as, closed_on):
    """SQL twin of is_open_on over two columns."""
    return or_(closed_as.is_(None), closed_on > day)


def stale(day: dt.date, *, start: dt.date, end: dt.date, closed_as: str | None,
          closed_on: dt.date | None, rank: int | None, last_on: dt.date | None) -> bool:
    """The stale rule on plain values: `rank` and `last_on` are what the
    events up to `day` say (None when there is none)."""
    return (start <= day and is_open_on(day, closed_as=closed_as, closed_on=closed_on)
            and (rank or 0) < RANK_ADOPTED and (last_on or end) <= stale_cutoff(day))


def stale_on(day: dt.date, *, start, end, closed_as, closed_on, rank, last_on, cutoff=None):
    """SQL twin of stale over columns or expressions: the report's facts
    (rank_reached/last_event_reached per day), the CSV rows, or the
    correlated subqueries of stale_condition. `cutoff` is stale_cutoff(day)
    when `day` is a bound parameter (reports/scope.py's Bound)."""
    cutoff = stale_cutoff(day) if cutoff is None else cutoff
    return and_(start <= day, open_on(day, closed_as=closed_as, closed_on=closed_on),
                func.coalesce(rank, 0) < RANK_ADOPTED, func.coalesce(last_on, end) <= cutoff)


def settled_on_facts(facts, day: dt.date, cutoff=None):
    """SQL over the progress facts: the recommendation's stage, whether it
    is open and whether it is stale are, on every day from `day` on, what
    its facts say in the end — its furthest rank (`facts.rank`), open
    unless closed, and stale when open and not adopted. True when the last
    day anything about it moved (`last_change_on`: its origin's last day,
    its last counted event, its closure) falls STALE_AFTER_DAYS or more
    before `day`: no stage is reached and no closure made later, and its
    last activity is already old enough to be stale (the stale rule above,
    on days where nothing moves). Until a new event or closure is recorded,
    which refreshes the facts. The report counts these rows by their stored
    columns alone (reports/recommendations.py, carry-over). `cutoff` as for
    stale_on."""
    return facts.last_change_on <= (stale_cutoff(day) if cutoff is None else cutoff)


def moving_on_facts(facts, day: dt.date, cutoff=None):
    """SQL over the progress facts: not settled_on_facts(facts, day), one
    range of ix_recommendation_progress_last_change_on — the recent years'
    recommendations and the old ones that moved recently, not the history.
    Closed above by the last day a date can hold, which changes no answer:
    SQLite's planner rates a range open on one side as wide as any other
    (origin_start < the period's end) and read the whole table; closed on
    both sides, it reads this range (measured: 7 ms instead of 18–26 ms at
    100,000 recommendations). `cutoff` as for stale_on."""
    return and_(facts.last_change_on > (stale_cutoff(day) if cutoff is None else cutoff),
                facts.last_change_on <= dt.date.max)


def is_stale(rec: Recommendation, as_of: dt.date) -> bool:
    """Stale on `as_of`, for a recommendation loaded with its events and workshop (or output)."""
    return stale(as_of, start=rec.origin_start, end=rec.origin_end, closed_as=rec.closed_as,
                 closed_on=rec.closed_on, rank=rank_of(rec.events, as_of),
                 last_on=last_event_on(rec.events, as_of))


def stale_condition(as_of: dt.date):
    """SQL WHERE for Recommendation rows: stale on `as_of` (the twin of
    is_stale). The workshop's dates (the output's, without a workshop:
    outcomes/origin.py) are read through correlated subqueries, so the
    query using it may join Workshop or not."""
    return stale_on(as_of, start=correlated(Workshop.start_date, Output.date),
                    end=correlated(Workshop.end_date, Output.date),
                    closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on,
                    rank=stage_rank_of(Recommendation.id, as_of),
                    last_on=last_event_on_of(Recommendation.id, as_of))


# --------------------------------------------------------------------------- due for a check


def due(day: dt.date, *, closed_as: str | None, next_check_on: dt.date | None) -> bool:
    """**Due.** An open recommendation is due for a check on a day when its
    owner's next check (Recommendation.next_check_on) falls on or before
    it. A closed one, or one without a next check, is never due; a check
    logged with no trace found (FollowUpCheck) does not change its stage."""
    return closed_as is None and next_check_on is not None and next_check_on <= day


def due_on(day: dt.date, *, closed_as, next_check_on):
    """SQL twin of due over two columns."""
    return and_(closed_as.is_(None), next_check_on.is_not(None), next_check_on <= day)


def is_due(rec: Recommendation, as_of: dt.date) -> bool:
    return due(as_of, closed_as=rec.closed_as, next_check_on=rec.next_check_on)


def due_condition(as_of: dt.date):
    """SQL WHERE for Recommendation rows: due for a check on `as_of` (the twin of is_due)."""
    return due_on(as_of, closed_as=Recommendation.closed_as, next_check_on=Recommendation.next_check_on)


# --------------------------------------------------------------------------- the timeline


def _origin_precision(rec: Recommendation) -> tuple[str, bool]:
    """How well the recommendation's origin (its workshop, else its output) is dated."""
    origin = rec.workshop if rec.workshop is not None else getattr(rec, "output", None)
    return (getattr(origin, "date_precision", None) or "day", bool(getattr(origin, "approximate", False)))


def timeline(rec: Recommendation, as_of: dt.date) -> list[dict]:
    """The road from the workshop to `as_of`, in date order: each event says
    whether it took the recommendation further than before; days after the
    workshop (or the output, for one from an output alone) follow
    outcomes/days.py."""
    start, end = rec.origin_start, rec.origin_end
    origin_word = "workshop" if rec.workshop is not None else "output"
    steps: list[dict] = [{"kind": "workshop" if rec.workshop is not None else "output", "date": start,
                          "end": end}]
    rank = 0
    origin = _origin_precision(rec)
    for event in rec.events:  # loaded in (date, id) order
        new_rank = STAGE_RANK[event.stage]
        steps.append({
            "kind": "event", "date": event.occurred_on, "event": event,
            # None when a date is not known to the day (outcomes/days.py), with the reason.
            "no_day_count": why_no_day_count(*origin, event.date_precision, event.approximate, origin=origin_word),
            "days_from_workshop": None if why_no_day_count(*origin, event.date_precision, event.approximate)
            else days_after_workshop(end, event.occurred_on),
            "during_workshop": event.occurred_on <= end,
            "advanced": event.confirmed and new_rank > rank,  # one not yet confirmed moves nothing
        })
        if event.confirmed:
            rank = max(rank, new_rank)
    if rec.closed_on is not None:
        steps.append({"kind": "closed", "date": rec.closed_on})
        steps.sort(key=lambda s: (s["date"], {"workshop": 0, "output": 0, "event": 1, "closed": 2}[s["kind"]]))
    steps.append({
        "kind": "today", "date": as_of,
        "days_since": days_since_activity(rec, as_of),
        "since_event": last_event_on(rec.events, as_of) is not None,
        "workshop": since_workshop(start, end, as_of),
        "origin_day_known": day_known(*origin),
        # The last event up to today, and whether "days since" may be counted from it.
        "last_event": (last := next((e for e in reversed(rec.events) if e.occurred_on <= as_of), None)),
        "last_event_known": last is None or day_known(last.date_precision, last.approximate),
    })
    return steps
