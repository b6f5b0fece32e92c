"""What the recommendations became, for the report: one row of facts per
recommendation (its furthest stage and last event as of three days, from
outcomes/progress.py, the one home of the stage and stale rules) and every
figure read from those facts — by theme and target body, the funnel and the
median days to acknowledgement, carry-over and stale, each series'
recommendations — in ONE statement.

docs/report-definitions.md says in words what each figure counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, case, func, or_, select, union_all

from ..outcomes import progress
from ..outcomes.days import acknowledgement_day_known_sql, days_after_workshop_sql
from ..outcomes.models import (
    CarryOverCount,
    RecommendationProgress,
    Track1Body,
    recommendation_target,
    recommendation_theme,
)
from ..programme.models import Theme
from ..vocab import CLOSURE_LABELS, CLOSURES, FED_INTO_TRACK1, STAGE_LABELS, STAGE_RANK, STAGES, TAKEN_UP
from . import substance
from .filters import Filters
from .scope import (
    Bound,
    body_label,
    closed_by,
    count_if,
    facts_conditions,
    share,
    union,
)

RANK_TAKEN_UP = STAGE_RANK[TAKEN_UP]
RANK_ADOPTED = STAGE_RANK["adopted"]
RANK_IMPLEMENTED = progress.RANK_IMPLEMENTED


def recommendation_facts(f: Filters, start: dt.date | None, *, at_period_ends: bool = False):
    """One row per recommendation in the report's scope made from `start`
    (every earlier one without it) up to the period's end — of a workshop,
    or of an output alone, dated by the output (reports/outputs.py) — with
    what its events say as of the report date (the funnel), and with
    `at_period_ends` as of the period's end and the previous period's end
    too (carry-over, stale). Those cost an event read per recommendation
    open and not adopted then whose last event is later, so the year's own
    figures, which read a CTE every column of which is computed, leave them out.

    Read from the progress facts alone (outcomes/progress_facts.py: one
    narrow row per recommendation, its origin copied, maintained on write)
    through outcomes/progress.py's *_on_facts, the one home of the stage
    rule: the stages are comparisons of dates; an event is read only to
    find the last one as of a period's end of a recommendation still open
    and not adopted then whose last event is later (one index seek each).
    The year's own figures read the rows of the two periods by
    ix_recommendation_progress_origin_start; carry-over and stale read the
    ones still moving around the report days through it, and count the
    settled ones from the counts kept on write (outcomes() below;
    docs/report-cost.md)."""
    p = RecommendationProgress.__table__.c

    def last_event_by(day: dt.date):
        # The last event as of `day` is the stored one when it is on or before it. Otherwise
        # the events say — read only for a recommendation the stale rule still asks about
        # on that day (open, not yet adopted), one index seek each (progress.last_event_by);
        # for the others it is NULL, which no figure reads.
        asked = and_(progress.open_on(day, closed_as=p.closed_as, closed_on=p.closed_on),
                     progress.rank_on_facts(p, day) < progress.RANK_ADOPTED)
        return progress.last_event_on_facts(p, day, case((asked, progress.last_event_by(p.recommendation_id, day))))

    bucket = case((p.origin_start >= f.start, f.year), (p.origin_start >= f.previous_start, f.year - 1))
    return (
        select(
            p.recommendation_id.label("id"), p.series_id, p.origin_start.label("start_date"),
            p.origin_end.label("end_date"), p.origin_year, p.closed_as, p.closed_on,
            p.origin_precision.label("w_precision"), p.origin_approximate.label("w_approximate"),
            p.acknowledged_day_known.label("ack_known"),
            bucket.label("year"),
            progress.rank_on_facts(p, f.as_of).label("rank"),
            progress.first_on_facts(p, TAKEN_UP, f.as_of).label("first_taken_up"),
            progress.strongest_attribution_on_facts(p, f.as_of).label("strongest"),
            *([progress.rank_on_facts(p, f.until).label("rank_until"),
               last_event_by(f.until).label("last_until"),
               progress.rank_on_facts(p, f.previous_until).label("rank_before"),
               last_event_by(f.previous_until).label("last_before")] if at_period_ends else []),
        )
        .where(*facts_conditions(f, start, f.end))
    )


def _parts(f: Bound) -> dict[str, Select]:
    """outcomes()'s parts, built once per shape (scope.built)."""
    # The two periods' rows (and the series window's, when it reaches further back), shared by the
    # parts that read them; carry-over and stale read the earlier years in their own parts.
    facts = recommendation_facts(f, f.facts_start).cte("facts")
    x = facts.c
    taken_up = x.rank >= RANK_TAKEN_UP
    this_year = x.year == f.year
    parts: dict[str, Select] = {}

    # Funnel of this year's and last year's recommendations, as of the report date.
    closed = closed_by(f.as_of, closed_as=x.closed_as, closed_on=x.closed_on)
    parts["funnel"] = (
        select(x.year, func.count(x.id).label("total"),
               *[count_if(x.rank >= STAGE_RANK[s]).label(s) for s in STAGES[1:]],
               *[count_if(and_(closed, x.closed_as == c)).label(c) for c in CLOSURES])
        .where(x.year.is_not(None)).group_by(x.year)
    )
    # The median in SQL: number the waiting times per year, keep the middle one or two.
    # Only pairs known to the day count (outcomes/days.py); the others are counted as left out.
    known = acknowledgement_day_known_sql(x.w_precision, x.w_approximate, x.ack_known)
    waits = (
        select(x.year, days_after_workshop_sql(x.end_date, x.first_taken_up).label("days"),
               case((known, 1), else_=0).label("known"))
        .where(x.year.is_not(None), x.first_taken_up.is_not(None))
        .cte("waits")
    )
    numbered = select(
        waits.c.year, waits.c.days,
        func.row_number().over(partition_by=waits.c.year, order_by=waits.c.days).label("n"),
        func.count().over(partition_by=waits.c.year).label("size"),
    ).where(waits.c.known == 1).subquery("numbered")
    parts["median_left_out"] = (
        select(waits.c.year, count_if(waits.c.known == 0).label("left_out")).group_by(waits.c.year)
    )
    parts["median"] = (
        select(numbered.c.year, func.avg(numbered.c.days).label("median"), func.max(numbered.c.size).label("size"))
        .where(or_(numbered.c.n == (numbered.c.size + 1) // 2, numbered.c.n == (numbered.c.size + 2) // 2))
        .group_by(numbered.c.year)
    )

    # By theme and by target body: this year's recommendations, counted under each.
    parts["theme"] = (
        select(Theme.name.label("label"), func.count(x.id).label("count"), count_if(taken_up).label("taken_up"))
        .select_from(facts)
        .outerjoin(recommendation_theme, recommendation_theme.c.recommendation_id == x.id)
        .outerjoin(Theme, Theme.id == recommendation_theme.c.theme_id)
        .where(this_year).group_by(Theme.name)
    )
    body = body_label()
    parts["target"] = (
        select(body.label("label"), func.count(x.id).label("count"), count_if(taken_up).label("taken_up"))
        .select_from(facts)
        .outerjoin(recommendation_target, recommendation_target.c.recommendation_id == x.id)
        .outerjoin(Track1Body, Track1Body.id == recommendation_target.c.track1_body_id)
        .where(this_year).group_by(body)
    )

    # Carry-over and stale, at the year's end (or the report date) and at last year's end,
    # over every recommendation made by then, in two parts. A recommendation settled on both
    # days (progress.settled_on_facts: nothing about it moved in the half year before, nor
    # later) is what its stored facts say: counted by plain columns, no rule evaluated per
    # row, and not at all when closed or implemented (progress.carried_on_facts). The others,
    # the ones still moving — the recent years' and the old ones with recent events or
    # closures, a number that follows the years around the report, not the history — go
    # through the full rule. docs/report-cost.md.
    p = RecommendationProgress.__table__.c
    both_days = f.both_days
    settled = progress.settled_on_facts(p, both_days, cutoff=f.stale_cutoff(both_days))
    settled_rows = (
        select(
            p.origin_year.label("origin"), p.rank.label("rank"),
            count_if(p.origin_start < f.start).label("open"),
            count_if(p.rank < RANK_ADOPTED).label("stale"),
            count_if(p.origin_start < f.previous_start).label("open_before"),
            count_if(p.rank < RANK_ADOPTED).label("stale_before"),
        )
        .where(*facts_conditions(f, None, f.end), settled, progress.carried_on_facts(p))
        .group_by(p.origin_year, p.rank)
    )
    counted_rows = None
    if f.series_id is None and f.network_id is None and f.funder_id is None and f.theme_id is None:
        # Unfiltered: the years wholly settled come from the counts kept on write
        # (models.CarryOverCount, a few rows per year); only the rows of the year the settled
        # day falls in are read, one range of ix_recommendation_progress_last_change_on. The
        # counts need no scope: a settled row's origin began and ended by its last change,
        # before either report day, so the scope's dates hold (and carried_on_facts leaves
        # out the cancelled). A filter cuts across the counts' keys: its settled rows are
        # read from ix_recommendation_progress_carry instead.
        k = CarryOverCount.__table__.c
        kept = (
            select(k.origin_year, k.rank, func.sum(k.n).label("n"))
            .where(k.last_change_year < f.counted_from_year)
            .group_by(k.origin_year, k.rank)
            .subquery("kept")
        )
        counted_rows = select(
            kept.c.origin_year.label("origin"), kept.c.rank.label("rank"),
            case((kept.c.origin_year < f.first_year, kept.c.n), else_=0).label("open"),
            case((kept.c.rank < RANK_ADOPTED, kept.c.n), else_=0).label("stale"),
            case((kept.c.origin_year < f.previous_first_year, kept.c.n), else_=0).label("open_before"),
            case((kept.c.rank < RANK_ADOPTED, kept.c.n), else_=0).label("stale_before"),
        )
        settled_rows = settled_rows.where(p.last_change_on >= f.counted_from)
    carried = [settled_rows] if counted_rows is None else [settled_rows, counted_rows]
    moving = (recommendation_facts(f, None, at_period_ends=True)
              .where(progress.moving_on_facts(p, both_days, cutoff=f.stale_cutoff(both_days))).subquery("moving"))
    h = moving.c

    def open_at(day: dt.date, rank_col):
        return and_(progress.open_on(day, closed_as=h.closed_as, closed_on=h.closed_on),
                    rank_col < RANK_IMPLEMENTED)

    def stale_at(day: dt.date, rank_col, last_col):
        # definitions: "Stale"; the CSV's Stale column uses the same rule.
        return progress.stale_on(day, start=h.start_date, end=h.end_date, closed_as=h.closed_as,
                                 closed_on=h.closed_on, rank=rank_col, last_on=last_col,
                                 cutoff=f.stale_cutoff(day))

    carried.append(
        select(
            h.origin_year.label("origin"), h.rank_until.label("rank"),
            count_if(and_(h.start_date < f.start, open_at(f.until, h.rank_until))).label("open"),
            count_if(stale_at(f.until, h.rank_until, h.last_until)).label("stale"),
            count_if(and_(h.start_date < f.previous_start, open_at(f.previous_until, h.rank_before)))
            .label("open_before"),
            count_if(stale_at(f.previous_until, h.rank_before, h.last_before)).label("stale_before"),
        )
        .where(h.start_date <= f.until)
        .group_by(h.origin_year, h.rank_until)
    )
    # The three together (a few hundred rows by year of origin and rank), summed by year of
    # origin and by rank in SQL: what the report shows.
    carry = union_all(*carried).cte("carry")
    parts["carry_by_year"] = (select(carry.c.origin, func.sum(carry.c.open).label("open"),
                                     func.sum(carry.c.stale).label("stale"))
                              .group_by(carry.c.origin))
    parts["carry_by_rank"] = (select(carry.c.rank, *[func.sum(carry.c[n]).label(n)
                                                     for n in ("open", "stale", "open_before", "stale_before")])
                              .group_by(carry.c.rank))

    # Symbolic against substantive uptake over the series window (substance.py), per series
    # and year of origin; each series' recommendations over the window are summed from it.
    parts["substance"] = substance.part(f, facts)
    return parts


def outcomes(f: Filters) -> dict:
    """Every figure about recommendations — by theme and target body, the
    funnel and median days (this year and last), carry-over and stale (at
    both years' ends), each series' recommendations over five years, and
    symbolic against substantive uptake (substance.py) — in ONE statement
    over the recommendation facts."""
    rows = union(_parts, f)

    by_year = {row["year"]: row for row in rows["funnel"]}
    medians = {row["year"]: row for row in rows["median"]}
    left_out = {row["year"]: row["left_out"] or 0 for row in rows["median_left_out"]}

    def funnel_of(y: int) -> dict:
        row = by_year.get(y, {})
        total = row.get("total", 0)
        reached = {"proposed": total, **{s: row.get(s) or 0 for s in STAGES[1:]}}
        median = medians.get(y)
        return {
            "total": total,
            "stages": [{"stage": s, "label": STAGE_LABELS[s], "count": reached[s],
                        "share": share(reached[s], total)} for s in STAGES],
            "fed_into_track1": reached[FED_INTO_TRACK1],
            "fed_into_track1_share": share(reached[FED_INTO_TRACK1], total),
            "taken_up": reached[TAKEN_UP],
            "taken_up_share": share(reached[TAKEN_UP], total),
            "closed": [{"closure": c, "label": CLOSURE_LABELS[c], "count": row.get(c) or 0} for c in CLOSURES],
            "median_days_to_acknowledgement": round(float(median["median"]), 1) if median else None,
            "median_measured_over": median["size"] if median else 0,
            # Taken-up recommendations whose workshop or first acknowledging event is not known to the day.
            "median_left_out": left_out.get(y, 0),
        }

    def ranked(key: str, missing: str) -> list[dict]:
        entries = [{"label": r["label"] or missing, "count": r["count"], "taken_up": r["taken_up"] or 0}
                   for r in rows[key]]
        return sorted(entries, key=lambda e: (-e["count"], e["label"] == missing, e["label"]))

    by_rank = rows["carry_by_rank"]
    stages = dict.fromkeys(STAGES[:-1], 0)
    for row in by_rank:
        if row["open"]:  # never implemented: open means not yet
            stages[STAGES[row["rank"]]] += row["open"]
    years = [{"year": int(row["origin"]), "open": row["open"] or 0, "stale": row["stale"] or 0}
             for row in sorted(rows["carry_by_year"], key=lambda r: -r["origin"]) if row["open"] or row["stale"]]
    return {
        "recommendations": {"by_theme": ranked("theme", "No theme"), "by_target": ranked("target", "No target body")},
        "funnel": {**funnel_of(f.year), "previous": funnel_of(f.year - 1)},
        "carry_over": {
            "date": f.until.isoformat(),
            "open": sum(row["open"] or 0 for row in by_rank),
            "stale": sum(row["stale"] or 0 for row in by_rank),
            "previous_open": sum(row["open_before"] or 0 for row in by_rank),
            "previous_stale": sum(row["stale_before"] or 0 for row in by_rank),
            "by_stage": [{"stage": s, "label": STAGE_LABELS[s], "count": n} for s, n in stages.items()],
            "by_origin_year": years,
        },
        "series_recommendations": substance.per_series(f, rows["substance"]),
        "substance": substance.substance(f, rows["substance"]),
    }
