"""Carry-over and stale, read from the progress facts in two parts
(reports/recommendations.py: the settled recommendations counted by their
stored columns, the moving ones through the full rule), equal what the
Python rule of outcomes/progress.py says of every loaded recommendation —
over synthetic histories (several seeds, thirty years), for years early and
late in the history, a report date inside a year, a period, a series
filter, and recommendations placed on both sides of the day that splits
settled from moving (the last change exactly STALE_AFTER_DAYS before, and
one day later)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshops.demo.synthetic import run
from workshops.extensions import db
from workshops.models import Recommendation, Workshop
from workshops.outcomes import progress
from workshops.reports.filters import Filters
from workshops.reports.recommendations import outcomes
from workshops.vocab import STAGE_RANK, STAGES

UNTIL = dt.date(2026, 10, 31)  # the generator's "today"
CASES = [  # (year, first year of the period or None, report date)
    (2024, None, UNTIL), (2026, None, UNTIL), (2001, None, UNTIL), (2012, None, UNTIL),
    (2020, None, dt.date(2020, 7, 15)), (2024, 2021, UNTIL), (2030, None, UNTIL),
]


def _expected(recs, f: Filters, series_id=None) -> dict:
    """The carry-over figures by the Python rule, written out here over loaded recommendations."""
    opened, stale, by_stage = Counter(), Counter(), Counter()
    previous_open = previous_stale = 0
    for rec in recs:
        start = rec.origin_start
        cancelled = rec.workshop is not None and rec.workshop.status == "cancelled"
        series = rec.workshop.series_id if rec.workshop is not None else rec.output.series_id
        if cancelled or start > f.as_of or start >= f.end or (series_id is not None and series != series_id):
            continue
        closure = {"closed_as": rec.closed_as, "closed_on": rec.closed_on}
        rank = progress.rank_of(rec.events, f.until)
        if start < f.start and progress.is_open_on(f.until, **closure) and rank < STAGE_RANK["implemented"]:
            opened[start.year] += 1
            by_stage[STAGES[rank]] += 1
        if progress.is_stale(rec, f.until):
            stale[start.year] += 1
        before = progress.rank_of(rec.events, f.previous_until)
        if (start < f.previous_start and progress.is_open_on(f.previous_until, **closure)
                and before < STAGE_RANK["implemented"]):
            previous_open += 1
        if start <= f.until and progress.is_stale(rec, f.previous_until):
            previous_stale += 1
    years = sorted(set(opened) | set(stale), reverse=True)
    return {
        "open": sum(opened.values()), "stale": sum(stale.values()),
        "previous_open": previous_open, "previous_stale": previous_stale,
        "by_stage": {s: by_stage[s] for s in STAGES[:-1]},
        "by_origin_year": [{"year": y, "open": opened[y], "stale": stale[y]} for y in years],
    }


def _got(f: Filters) -> dict:
    co = outcomes(f)["carry_over"]
    return {"open": co["open"], "stale": co["stale"], "previous_open": co["previous_open"],
            "previous_stale": co["previous_stale"],
            "by_stage": {s["stage"]: s["count"] for s in co["by_stage"]},
            "by_origin_year": co["by_origin_year"]}


def _on_the_split(make, f: Filters) -> None:
    """Recommendations whose last change falls exactly on the day that splits settled from
    moving for this report, and one day after: by their workshop's end, an event, a closure."""
    both_days = min(f.until, f.previous_until)
    cutoff = progress.stale_cutoff(both_days)
    for day in (cutoff, cutoff + dt.timedelta(days=1)):
        workshop = make.workshop(start_date=day - dt.timedelta(days=400), end_date=day)
        make.recommendation(workshop=workshop)  # its last change: the workshop's end
        early = make.workshop(start_date=day - dt.timedelta(days=900), end_date=day - dt.timedelta(days=899))
        make.uptake_event(make.recommendation(workshop=early), stage="acknowledged", occurred_on=day)
        make.recommendation(workshop=early, closed_as="withdrawn", closed_on=day, closed_reason="Test.")


@pytest.mark.parametrize("seed", [3, 11])
def test_carry_over_from_the_facts_equals_the_rule_over_every_recommendation(app, make, seed):
    run(workshops=60, recommendations=600, seed=seed, first_year=1997, until=UNTIL)
    with make.batch():
        for year, first, as_of in CASES:
            _on_the_split(make, Filters(year=year, as_of=as_of, first_year=first))
    db.session.expire_all()
    recs = db.session.scalars(select(Recommendation).options(
        selectinload(Recommendation.events), selectinload(Recommendation.workshop),
        selectinload(Recommendation.output))).all()
    series_id = db.session.scalar(select(Workshop.series_id).where(Workshop.series_id.is_not(None))
                                  .group_by(Workshop.series_id).order_by(db.func.count().desc()).limit(1))
    checked = 0
    for year, first, as_of in CASES:
        for series in (None, series_id):
            f = Filters(year=year, as_of=as_of, first_year=first, series_id=series)
            expected = _expected(recs, f, series)
            assert _got(f) == expected, (year, first, as_of, series)
            checked += expected["open"] + expected["stale"]
    assert checked > 500  # the cases count real recommendations, not empty years
