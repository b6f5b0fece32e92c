"""The rows of the CSV/XLSX recommendation table: one per recommendation
of the year with its stage and dates as of the report date and whether it
is stale on the day of the report's Stale figure (the rules of
outcomes/progress.py), streamed from a server-side cursor.
"""

from __future__ import annotations

from sqlalchemy import case, func, select, union_all

from ..auth.models import User
from ..extensions import db
from ..outcomes import progress
from ..outcomes.days import acknowledgement_day_known_sql, days_after_workshop_sql
from ..outcomes.models import (
    FollowUpCheck,
    Recommendation,
    Track1Body,
    recommendation_target,
    recommendation_theme,
)
from ..outcomes.origin import origin_end, origin_start
from ..outputs.models import Output
from ..programme.models import Network, Series, Theme, Workshop
from ..vocab import STAGES
from .filters import Filters
from .outputs import output_recommendation_conditions
from .scope import body_label, closed_by, events_reached, recommendation_conditions, tune_postgresql

RECOMMENDATION_COLUMNS = (
    "Reference", "Title", "Network", "Series", "Workshop", "Output", "Workshop start", "Workshop end",
    "Workshop date precision", "Workshop date approximate",
    "Themes", "Target bodies", "Priority", "Stage", "First transmitted", "First acknowledged",
    "First adopted", "First implemented", "Last event", "Events", "Days to acknowledgement",
    "Closed as", "Closed on", "Owner", "Next check", "Checks with no trace", "Last check", "Stale",
)


def recommendation_columns(f: Filters) -> list[str]:
    """The header of the CSV/XLSX recommendation table: the Stale column
    names the day it is computed on, the day of the report's Stale figure."""
    return [*RECOMMENDATION_COLUMNS[:-1], f"Stale on {f.until.isoformat()}"]


def recommendation_rows_query(f: Filters):
    """One row per recommendation of the year with its stage and dates as of
    the report date: themes and target bodies aggregated in SQL, so rows can
    be streamed straight from a server-side cursor."""
    recs = union_all(
        select(Recommendation.id)
        .join(Workshop, Workshop.id == Recommendation.workshop_id)
        .where(*recommendation_conditions(f, f.start, f.end)),
        # and those of an output alone issued in the year (reports/outputs.py)
        select(Recommendation.id)
        .join(Output, Output.id == Recommendation.output_id)
        .where(*output_recommendation_conditions(f, f.start, f.end)),
    ).cte("recs")
    # The workshop's dates, or the output's for a recommendation of an output alone.
    start, end = origin_start(), origin_end()
    precision = func.coalesce(Workshop.date_precision, Output.date_precision)
    approximate = func.coalesce(Workshop.approximate, Output.approximate)
    reach = events_reached(
        f, select(recs.c.id),
        progress.rank_reached().label("rank"),
        *[progress.first_reached(stage).label(stage) for stage in STAGES[1:]],
        progress.last_event_reached().label("last_on"),
        progress.events_counted().label("events"),
        progress.rank_reached(f.until).label("rank_until"),
        progress.last_event_reached(f.until).label("last_until"),
    ).subquery("reach")
    themes = (
        select(recommendation_theme.c.recommendation_id.label("rid"),
               func.aggregate_strings(Theme.name, "; ").label("names"))
        .join(recs, recs.c.id == recommendation_theme.c.recommendation_id)
        .join(Theme, Theme.id == recommendation_theme.c.theme_id)
        .group_by(recommendation_theme.c.recommendation_id)
        .subquery("themes")
    )
    body = body_label()
    targets = (
        select(recommendation_target.c.recommendation_id.label("rid"),
               func.aggregate_strings(body, "; ").label("names"))
        .join(recs, recs.c.id == recommendation_target.c.recommendation_id)
        .join(Track1Body, Track1Body.id == recommendation_target.c.track1_body_id)
        .group_by(recommendation_target.c.recommendation_id)
        .subquery("targets")
    )
    # Follow-up (outcomes/operations_follow_up.py): the checks up to the report date.
    checks = (
        select(FollowUpCheck.recommendation_id.label("rid"), func.count(FollowUpCheck.id).label("count"),
               func.max(FollowUpCheck.checked_on).label("last_on"))
        .join(recs, recs.c.id == FollowUpCheck.recommendation_id)
        .where(FollowUpCheck.checked_on <= f.as_of)
        .group_by(FollowUpCheck.recommendation_id)
        .subquery("checks")
    )
    closed = closed_by(f.as_of, closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on)
    # Stale on the same day as the report's Stale figure: the year's end, or the report date if sooner.
    stale = progress.stale_on(f.until, start=start, end=end,
                              closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on,
                              rank=reach.c.rank_until, last_on=reach.c.last_until)
    return (
        select(
            Recommendation.reference, Recommendation.title, Network.acronym.label("network"),
            Series.name.label("series"), Workshop.title.label("workshop"), Output.title.label("output"),
            start.label("start_date"), end.label("end_date"), precision.label("date_precision"),
            approximate.label("approximate"),
            themes.c.names.label("themes"), targets.c.names.label("targets"), Recommendation.priority,
            func.coalesce(reach.c.rank, 0).label("rank"),
            reach.c.transmitted, reach.c.acknowledged, reach.c.adopted, reach.c.implemented,
            reach.c.last_on, func.coalesce(reach.c.events, 0).label("events"),
            # Blank unless both dates are known to the day (outcomes/days.py), as on the timeline.
            case((acknowledgement_day_known_sql(recs.c.id, reach.c.acknowledged, precision, approximate),
                  days_after_workshop_sql(end, reach.c.acknowledged))).label("days_to_ack"),
            case((closed, Recommendation.closed_as)).label("closed_as"),
            case((closed, Recommendation.closed_on)).label("closed_on"),
            User.name.label("owner"), Recommendation.next_check_on,
            func.coalesce(checks.c.count, 0).label("checks"), checks.c.last_on.label("last_check_on"),
            case((stale, 1), else_=0).label("stale"),
        )
        .select_from(recs)
        .join(Recommendation, Recommendation.id == recs.c.id)
        .outerjoin(Workshop, Workshop.id == Recommendation.workshop_id)
        .outerjoin(Output, Output.id == Recommendation.output_id)
        # none for a one-off meeting; an output's own series without a workshop
        .outerjoin(Series, Series.id == func.coalesce(Workshop.series_id, Output.series_id))
        .join(Network, Network.id == func.coalesce(Workshop.network_id, Output.network_id))  # the lead network
        .outerjoin(reach, reach.c.rid == recs.c.id)
        .outerjoin(themes, themes.c.rid == recs.c.id)
        .outerjoin(targets, targets.c.rid == recs.c.id)
        .outerjoin(checks, checks.c.rid == recs.c.id)
        .outerjoin(User, User.id == Recommendation.owner_id)
        .order_by(start, Recommendation.id)
    )


def _sorted_list(text: str | None) -> str:
    # The order inside group_concat/string_agg is not defined; sort for stable files.
    return "; ".join(sorted(text.split("; "))) if text else ""


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a CASE over dates comes back as text on SQLite
        return value
    return value.isoformat()


def recommendation_rows(f: Filters, batch: int = 1000):
    """The rows of the recommendation table, fetched `batch` at a time from a
    server-side cursor (memory stays flat however many rows there are)."""
    tune_postgresql()
    result = db.session.execute(
        recommendation_rows_query(f), execution_options={"stream_results": True, "yield_per": batch}
    )
    try:
        for row in result:
            yield (
                row.reference, row.title, row.network, row.series or "", row.workshop or "", row.output or "",
                _iso(row.start_date), _iso(row.end_date),
                row.date_precision, "yes" if row.approximate else "no",
                _sorted_list(row.themes), _sorted_list(row.targets), row.priority,
                STAGES[row.rank], _iso(row.transmitted), _iso(row.acknowledged), _iso(row.adopted),
                _iso(row.implemented), _iso(row.last_on), row.events,
                "" if row.days_to_ack is None else row.days_to_ack,
                row.closed_as or "", _iso(row.closed_on),
                row.owner or "", _iso(row.next_check_on), row.checks, _iso(row.last_check_on),
                "yes" if row.stale else "no",
            )
    finally:
        result.close()
