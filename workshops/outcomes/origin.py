"""Where a recommendation comes from — a workshop, a written output, or
both — in SQL, for every query that dates, places or scopes one (lists,
follow-up, search, the report, the API). Its Python twins are the
Recommendation properties `origin_start`, `origin_end`, `network_id`.

The rule (docs/domain.md, "Outputs"): a recommendation with a workshop is
the workshop's (its dates, its networks), as before outputs existed; one
from an output alone is dated by the output's date (its first possible
day: a month- or year-precision output counts in its year) and belongs to
the output's network. Days after it (outcomes/days.py) count from the
workshop's last day, or from the output's date.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, or_, select

from ..outputs.models import Output
from ..programme.models import Workshop, in_networks
from .models import Recommendation


def with_origin(query: Select) -> Select:
    """The query outer-joined to the recommendation's workshop and output,
    so that origin_start/origin_end/origin_network can be read."""
    return (query.outerjoin(Workshop, Recommendation.workshop_id == Workshop.id)
            .outerjoin(Output, Recommendation.output_id == Output.id))


def origin_start():
    """SQL (over with_origin): the day it was made — the workshop's first day or the output's date."""
    return func.coalesce(Workshop.start_date, Output.date)


def origin_end():
    """SQL (over with_origin): the day days after it count from."""
    return func.coalesce(Workshop.end_date, Output.date)


def origin_in_networks(network_ids) -> object:
    """SQL on Recommendation rows (no join needed): it belongs to one of
    these networks — its workshop's (lead or co-organiser), or, without a
    workshop, its output's."""
    ids = list(network_ids)
    return or_(
        Recommendation.workshop_id.in_(select(Workshop.id).where(in_networks(ids))),
        and_(Recommendation.workshop_id.is_(None),
             Recommendation.output_id.in_(select(Output.id).where(Output.network_id.in_(ids)))),
    )


def correlated(workshop_column, output_column):
    """SQL on Recommendation rows without a join: the workshop's column, or
    the output's when it has no workshop (correlated subqueries)."""
    from_workshop = (select(workshop_column).where(Workshop.id == Recommendation.workshop_id)
                     .correlate_except(Workshop).scalar_subquery())
    from_output = (select(output_column).where(Output.id == Recommendation.output_id)
                   .correlate_except(Output).scalar_subquery())
    return func.coalesce(from_workshop, from_output)
