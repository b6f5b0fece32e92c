"""The rows of the CSV/XLSX recommendation table: one per recommendation
of the year with its stage and dates as of the report date and whether it
is stale on the day of the report's Stale figure (the rules of
outcomes/progress.py), streamed from a server-side cursor.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from ..auth.models import User
from ..extensions import db
from ..outcomes import progress
from ..outcomes.days import acknowledgement_day_known_sql, days_after_workshop_sql
from ..outcomes.models import (
    FollowUpCheck,
    Recommendation,
    RecommendationProgress,
    Track1Body,
    UptakeEvent,
    recommendation_target,
    recommendation_theme,
)
from ..outputs.models import Output
from ..programme.models import Network, Series, Theme, Workshop
from ..vocab import STAGES
from .filters import Filters
from .scope import body_label, closed_by, facts_conditions

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
    be streamed straight from a server-side cursor. Driven by the year's
    progress facts (outcomes/progress_facts.py, read by origin day through
    scope.facts_conditions), so its cost follows the year's rows; the stage
    rule is outcomes/progress.py's *_on_facts, as in the report's figures."""
    p = RecommendationProgress.__table__.c
    # The last event as of the report date, and as of the Stale figure's day: the stored one
    # when it is on or before that day, else one index seek (progress.last_event_by).
    recs = (
        select(
            p.recommendation_id.label("id"), p.origin_start, p.origin_end, p.origin_precision,
            p.origin_approximate, p.series_id, p.workshop_id, p.output_id, p.acknowledged_day_known,
            progress.rank_on_facts(p, f.as_of).label("rank"),
            *[progress.first_on_facts(p, stage, f.as_of).label(stage) for stage in STAGES[1:]],
            progress.last_event_on_facts(p, f.as_of, progress.last_event_by(p.recommendation_id, f.as_of))
            .label("last_on"),
            progress.rank_on_facts(p, f.until).label("rank_until"),
            progress.last_event_on_facts(p, f.until, progress.last_event_by(p.recommendation_id, f.until))
            .label("last_until"),
        )
        .where(*facts_conditions(f, f.start, f.end))
        .cte("recs")
    )
    r = recs.c
    # How many events count by the report date: one index range per recommendation.
    events = (select(func.count(UptakeEvent.id))
              .where(UptakeEvent.recommendation_id == r.id, progress.counted_by(f.as_of))
              .scalar_subquery())
    themes = (
        select(recommendation_theme.c.recommendation_id.label("rid"),
               func.aggregate_strings(Theme.name, "; ").label("names"))
        .join(recs, r.id == recommendation_theme.c.recommendation_id)
        .join(Theme, Theme.id == recommendation_theme.c.theme_id)
        .group_by(recommendation_theme.c.recommendation_id)
        .subquery("themes")
    )
    body = body_label()
    targets = (
        select(recommendation_target.c.recommendation_id.label("rid"),
               func.aggregate_strings(body, "; ").label("names"))
        .join(recs, r.id == recommendation_target.c.recommendation_id)
        .join(Track1Body, Track1Body.id == recommendation_target.c.track1_body_id)
        .group_by(recommendation_target.c.recommendation_id)
        .subquery("targets")
    )
    # Follow-up (outcomes/operations_follow_up.py): the checks up to the report date.
    checks = (
        select(FollowUpCheck.recommendation_id.label("rid"), func.count(FollowUpCheck.id).label("count"),
               func.max(FollowUpCheck.checked_on).label("last_on"))
        .join(recs, r.id == FollowUpCheck.recommendation_id)
        .where(FollowUpCheck.checked_on <= f.as_of)
        .group_by(FollowUpCheck.recommendation_id)
        .subquery("checks")
    )
    closed = closed_by(f.as_of, closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on)
    # Stale on the same day as the report's Stale figure: the year's end, or the report date if sooner.
    stale = progress.stale_on(f.until, start=r.origin_start, end=r.origin_end,
                              closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on,
                              rank=r.rank_until, last_on=r.last_until)
    return (
        select(
            Recommendation.reference, Recommendation.title, Network.acronym.label("network"),
            Series.name.label("series"), Workshop.title.label("workshop"), Output.title.label("output"),
            r.origin_start.label("start_date"), r.origin_end.label("end_date"),
            r.origin_precision.label("date_precision"), r.origin_approximate.label("approximate"),
            themes.c.names.label("themes"), targets.c.names.label("targets"), Recommendation.priority,
            r.rank, r.transmitted, r.acknowledged, r.adopted, r.implemented,
            r.last_on, events.label("events"),
            # Blank unless both dates are known to the day (outcomes/days.py), as on the timeline.
            case((acknowledgement_day_known_sql(r.origin_precision, r.origin_approximate, r.acknowledged_day_known),
                  days_after_workshop_sql(r.origin_end, r.acknowledged))).label("days_to_ack"),
            case((closed, Recommendation.closed_as)).label("closed_as"),
            case((closed, Recommendation.closed_on)).label("closed_on"),
            User.name.label("owner"), Recommendation.next_check_on,
            func.coalesce(checks.c.count, 0).label("checks"), checks.c.last_on.label("last_check_on"),
            case((stale, 1), else_=0).label("stale"),
        )
        .select_from(recs)
        .join(Recommendation, Recommendation.id == r.id)
        .outerjoin(Workshop, Workshop.id == r.workshop_id)
        .outerjoin(Output, Output.id == r.output_id)
        # none for a one-off meeting; an output's own series without a workshop
        .outerjoin(Series, Series.id == r.series_id)
        .join(Network, Network.id == func.coalesce(Workshop.network_id, Output.network_id))  # the lead network
        .outerjoin(themes, themes.c.rid == r.id)
        .outerjoin(targets, targets.c.rid == r.id)
        .outerjoin(checks, checks.c.rid == r.id)
        .outerjoin(User, User.id == Recommendation.owner_id)
        .order_by(r.origin_start, r.id)
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
