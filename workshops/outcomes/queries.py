"""Reading recommendations: lists with their derived stage, the follow-up
list of stale ones, and the figures shown beside them. The stage and the
staleness come from outcomes/progress.py: its SQL forms filter and sort, its
Python forms (re-exported here for the pages) display the loaded objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..outputs.models import Output
from ..programme.models import AgendaItem, Workshop
from ..vocab import STAGE_RANK, STAGES
from .models import (
    Recommendation,
    Track1Body,
    UptakeEvent,
    UptakeEventReference,
    recommendation_target,
    recommendation_theme,
)
from .origin import origin_end, origin_in_networks, origin_start, with_origin
from .progress import (  # noqa: F401  (days_since_activity, is_stale, last_activity_on: for the pages)
    days_since_activity,
    due_condition,
    is_due,
    is_stale,
    last_activity_on,
    last_activity_sql,
    stage_rank_of,
    stale_condition,
)

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _list_options():
    return (
        selectinload(Recommendation.events),
        selectinload(Recommendation.workshop).options(selectinload(Workshop.series), selectinload(Workshop.network)),
        selectinload(Recommendation.output).selectinload(Output.network),
        selectinload(Recommendation.themes),
        selectinload(Recommendation.targets),
    )


@dataclass
class RecommendationFilters:
    """What the list is narrowed to; every field optional."""

    words: list[str] = field(default_factory=list)
    network_id: int | None = None
    series_id: int | None = None
    year: int | None = None
    theme_id: int | None = None
    stage: str | None = None
    target_id: int | None = None
    status: str | None = None  # open, closed, stale
    priority: str | None = None
    sort: str = "newest"


SORTS = {
    "newest": "Newest workshop first",
    "oldest": "Oldest workshop first",
    "stage_desc": "Furthest stage first",
    "stage_asc": "Least advanced first",
    "quiet": "Longest without activity first",
    "active": "Most recent activity first",
    "priority": "Highest priority first",
    "title": "Title A–Z",
}


def like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def words_match(columns, words: list[str]):
    """Every word appears in at least one of the columns (case-insensitive)."""
    return [or_(*(c.ilike(like_pattern(w), escape="\\") for c in columns)) for w in words]


def recommendations_query(filters: RecommendationFilters, as_of: dt.date) -> Select:
    rank = stage_rank_of(Recommendation.id)
    # From a workshop, an output or both: dated and placed by outcomes/origin.py.
    query = with_origin(select(Recommendation)).options(*_list_options())
    start, end = origin_start(), origin_end()
    if filters.words:
        query = query.where(*words_match(
            [Recommendation.title, Recommendation.text, Recommendation.reference], filters.words))
    if filters.network_id is not None:
        query = query.where(origin_in_networks([filters.network_id]))
    if filters.series_id is not None:
        query = query.where(func.coalesce(Workshop.series_id, Output.series_id) == filters.series_id)
    if filters.year is not None:
        query = query.where(start >= dt.date(filters.year, 1, 1), start <= dt.date(filters.year, 12, 31))
    if filters.theme_id is not None:
        query = query.where(Recommendation.id.in_(
            select(recommendation_theme.c.recommendation_id)
            .where(recommendation_theme.c.theme_id == filters.theme_id)))
    if filters.target_id is not None:
        query = query.where(Recommendation.id.in_(
            select(recommendation_target.c.recommendation_id)
            .where(recommendation_target.c.track1_body_id == filters.target_id)))
    if filters.stage in STAGE_RANK:
        query = query.where(rank == STAGE_RANK[filters.stage])
    if filters.priority is not None:
        query = query.where(Recommendation.priority == filters.priority)
    if filters.status == "open":
        query = query.where(Recommendation.closed_as.is_(None))
    elif filters.status == "closed":
        query = query.where(Recommendation.closed_as.is_not(None))
    elif filters.status == "stale":
        query = query.where(stale_condition(as_of))
    order = {
        "newest": [start.desc(), Recommendation.id],
        "oldest": [start.asc(), Recommendation.id],
        "stage_desc": [rank.desc(), start.desc(), Recommendation.id],
        "stage_asc": [rank.asc(), start.asc(), Recommendation.id],
        "quiet": [last_activity_sql(end).asc(), Recommendation.id],
        "active": [last_activity_sql(end).desc(), Recommendation.id.desc()],
        "priority": [case(PRIORITY_ORDER, value=Recommendation.priority, else_=3), start.desc(), Recommendation.id],
        "title": [func.lower(Recommendation.title), Recommendation.id],
    }.get(filters.sort) or [start.desc(), Recommendation.id]
    return query.order_by(*order)


def workshop_years() -> list[int]:
    """Years in which a workshop with recommendations began, or an output
    that alone gave recommendations was issued, newest first."""
    dates = db.session.scalars(
        select(func.min(Workshop.start_date)).join(Recommendation).group_by(Workshop.id)
    ).all()
    dates += db.session.scalars(
        select(func.min(Output.date)).join(Recommendation, Recommendation.output_id == Output.id)
        .where(Recommendation.workshop_id.is_(None)).group_by(Output.id)
    ).all()
    return sorted({d.year for d in dates if d is not None}, reverse=True)


def stage_counts(query: Select) -> dict[str, int]:
    """How many recommendations of a (filtered) list stand at each stage."""
    ids = query.order_by(None).with_only_columns(Recommendation.id).subquery()
    rank = stage_rank_of(ids.c.id).label("rank")
    rows = db.session.execute(select(rank, func.count()).select_from(ids).group_by(rank)).all()
    counts = dict.fromkeys(STAGES, 0)
    for r, n in rows:
        counts[STAGES[r]] = n
    return counts


def workshop_recommendations(workshop: Workshop) -> list[Recommendation]:
    return list(db.session.scalars(
        select(Recommendation)
        .where(Recommendation.workshop_id == workshop.id)
        .options(selectinload(Recommendation.events), selectinload(Recommendation.themes),
                 selectinload(Recommendation.targets), selectinload(Recommendation.agenda_item))
        .order_by(Recommendation.reference, Recommendation.id)
    ))


def recommendation_detail(recommendation_id: int) -> Recommendation | None:
    return db.session.scalar(
        select(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .options(
            selectinload(Recommendation.events).selectinload(UptakeEvent.track1_body),
            selectinload(Recommendation.events).selectinload(UptakeEvent.recorded_by),
            selectinload(Recommendation.events).selectinload(UptakeEvent.references)
            .selectinload(UptakeEventReference.document),
            selectinload(Recommendation.workshop).options(selectinload(Workshop.series), selectinload(Workshop.network)),
            selectinload(Recommendation.output).options(selectinload(Output.network), selectinload(Output.series)),
            selectinload(Recommendation.agenda_item),
            selectinload(Recommendation.themes),
            selectinload(Recommendation.targets),
        )
    )


def agenda_items_of(workshop: Workshop) -> list[AgendaItem]:
    """The agenda items a recommendation can come from (not breaks or meals)."""
    return list(db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.workshop_id == workshop.id, AgendaItem.kind.not_in(("break", "meal")))
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ))


# --------------------------------------------------------------------------- follow-up


FOLLOW_UP_SHOWS = ("stale", "due")


def follow_up_query(as_of: dt.date, network_ids_first: list[int] | None = None,
                    network_ids: list[int] | None = None, *, show: str = "stale",
                    owner_id: int | None = None) -> Select:
    """Stale recommendations (`show="due"`: those due for a check, the
    soonest check first), oldest activity first; the given networks'
    ones first when `network_ids_first` is set, only those of
    `network_ids` when that is set, only those `owner_id` owns when set
    (progress.py holds both rules)."""
    query = (
        with_origin(select(Recommendation))
        .where(due_condition(as_of) if show == "due" else stale_condition(as_of))
        .options(*_list_options(), selectinload(Recommendation.owner))
    )
    if owner_id is not None:
        query = query.where(Recommendation.owner_id == owner_id)
    if network_ids is not None:
        query = query.where(origin_in_networks(network_ids))
    order = []
    if network_ids_first:
        order.append(case((origin_in_networks(network_ids_first), 0), else_=1))
    if show == "due":
        order.append(Recommendation.next_check_on.asc())
    order += [last_activity_sql(origin_end(), as_of).asc(), Recommendation.id]
    return query.order_by(*order)


def stale_count(as_of: dt.date, network_ids: list[int] | None = None) -> int:
    """One COUNT: the stale recommendations (of these networks, if given)."""
    query = select(func.count(Recommendation.id)).where(stale_condition(as_of))
    if network_ids is not None:
        if not network_ids:
            return 0
        query = query.where(origin_in_networks(network_ids))
    return db.session.scalar(query) or 0


# --------------------------------------------------------------------------- Track-1 bodies


def track1_bodies_query(kind: str | None, level: str | None) -> Select:
    query = select(Track1Body).options(selectinload(Track1Body.parent), selectinload(Track1Body.members))
    if kind:
        query = query.where(Track1Body.kind == kind)
    if level:
        query = query.where(Track1Body.level == level)
    return query.order_by(func.lower(Track1Body.name), Track1Body.id)


def track1_counts(body_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Recommendations targeting, and uptake events at, each body."""
    if not body_ids:
        return {}, {}
    targets = dict(db.session.execute(
        select(recommendation_target.c.track1_body_id, func.count())
        .where(recommendation_target.c.track1_body_id.in_(body_ids))
        .group_by(recommendation_target.c.track1_body_id)
    ).all())
    events = dict(db.session.execute(
        select(UptakeEvent.track1_body_id, func.count())
        .where(UptakeEvent.track1_body_id.in_(body_ids))
        .group_by(UptakeEvent.track1_body_id)
    ).all())
    return targets, events


def track1_body_detail(body_id: int) -> Track1Body | None:
    return db.session.scalar(
        select(Track1Body).where(Track1Body.id == body_id)
        .options(selectinload(Track1Body.parent), selectinload(Track1Body.children),
                 selectinload(Track1Body.members))
    )


DETAIL_LIMIT = 50


def recommendations_targeting(body: Track1Body, limit: int | None = None) -> tuple[int, list[Recommendation]]:
    """(how many, the newest `limit`) of the recommendations addressed to the body."""
    query = with_origin(
        select(Recommendation)
        .join(recommendation_target, recommendation_target.c.recommendation_id == Recommendation.id)
    ).where(recommendation_target.c.track1_body_id == body.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.options(*_list_options()).order_by(origin_start().desc(), Recommendation.id)
        .limit(limit or DETAIL_LIMIT)
    ).all()
    return total, list(items)


def events_at(body: Track1Body, limit: int | None = None) -> tuple[int, list[UptakeEvent]]:
    """(how many, the latest `limit`) of the uptake events recorded at the body."""
    where = UptakeEvent.track1_body_id == body.id
    total = db.session.scalar(select(func.count(UptakeEvent.id)).where(where)) or 0
    items = db.session.scalars(
        select(UptakeEvent).where(where)
        .options(selectinload(UptakeEvent.recommendation),
                 selectinload(UptakeEvent.references).selectinload(UptakeEventReference.document))
        .order_by(UptakeEvent.occurred_on.desc(), UptakeEvent.id.desc()).limit(limit or DETAIL_LIMIT)
    ).all()
    return total, list(items)
