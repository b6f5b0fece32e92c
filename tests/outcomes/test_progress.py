"""A recommendation's stage and staleness as of a date have one home,
outcomes/progress.py, with a SQL form (lists, follow-up, report, CSV, API
filters) and a Python form (loaded objects). On a seeded random set of
workshops, recommendations, events and closures, both forms give the same
answer on every day asked — including the days where the answer flips."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent, Workshop
from workshops.outcomes import progress
from workshops.outcomes.models import RecommendationProgress
from workshops.vocab import ATTRIBUTIONS, CLOSURES, STAGES, STALE_AFTER_DAYS


def _date(value) -> dt.date | None:
    # A CASE over dates comes back as text on SQLite.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@pytest.fixture(params=[7, 2026, 31337])
def generated(request, make):
    """About sixty recommendations of workshops held from 2019 to 2026, each
    with zero to four events (any stage, in any order of dates) and a third
    of them closed; returns them and the days to ask about."""
    rng = random.Random(request.param)
    series = make.series()
    workshops = []
    for _ in range(6):
        start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 7 * 365))
        workshops.append(make.workshop(series=series, start_date=start,
                                       end_date=start + dt.timedelta(days=rng.randrange(0, 4))))
    recs = []
    with unit_of_work(system="test"):
        for n in range(60):
            w = rng.choice(workshops)
            closure = {}
            if rng.random() < 0.33:
                closure = {"closed_as": rng.choice(CLOSURES), "closed_reason": "Generated.",
                           "closed_on": w.start_date + dt.timedelta(days=rng.randrange(0, 4 * 365))}
            events = [UptakeEvent(stage=rng.choice(STAGES), evidence_kind="document", title="Evidence",
                                  occurred_on=w.start_date + dt.timedelta(days=rng.randrange(0, 3 * 365)),
                                  attribution=rng.choice([None, None, *ATTRIBUTIONS]))
                      for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4]))]
            rec = Recommendation(workshop=w, title=f"Generated {n}", text="Generated.", events=events,
                                 priority=rng.choice(["low", "medium", "high"]), **closure)
            db.session.add(rec)
            recs.append(rec)
    # Days where an answer flips: an event's day, a closure, the stale
    # threshold of an event or a workshop's end (and the day before), plus a few at random.
    days = set()
    for rec in recs:
        for e in rec.events:
            days |= {e.occurred_on, e.occurred_on + dt.timedelta(days=STALE_AFTER_DAYS)}
        if rec.closed_on:
            days |= {rec.closed_on, rec.closed_on - dt.timedelta(days=1)}
        end = rec.workshop.end_date + dt.timedelta(days=STALE_AFTER_DAYS)
        days |= {rec.workshop.start_date - dt.timedelta(days=1), end - dt.timedelta(days=1), end}
    days = sorted(rng.sample(sorted(days), 25) + [dt.date(2018, 12, 31), dt.date(2031, 1, 1)])
    ids = [r.id for r in recs]
    db.session.expire_all()
    return ids, days


def _loaded(ids):
    return list(db.session.scalars(select(Recommendation).where(Recommendation.id.in_(ids))))


def test_the_sql_and_python_stage_agree_on_every_day(generated):
    ids, days = generated
    recs = _loaded(ids)
    for day in [None, *days]:
        rows = db.session.execute(
            select(Recommendation.id, progress.stage_rank_of(Recommendation.id, day),
                   progress.last_event_on_of(Recommendation.id, day))
            .where(Recommendation.id.in_(ids))).all()
        sql = {i: (rank, _date(last)) for i, rank, last in rows}
        for rec in recs:
            python = (progress.rank_of(rec.events, day), progress.last_event_on(rec.events, day))
            assert sql[rec.id] == python, (day, rec.id)
    # The model's properties are the rule without a day.
    assert {r.id: r.stage for r in recs} == {r.id: progress.stage_of(r.events) for r in recs}
    assert all(r.stage == STAGES[progress.rank_of(r.events)] for r in recs)


def test_the_strongest_attribution_agrees_on_every_day(generated):
    """strongest_attribution_on_facts (the substance figure's SQL, from the facts' first day at
    each strength) and strongest_attribution (loaded events) name the same strength each day."""
    ids, days = generated
    recs = _loaded(ids)
    p = RecommendationProgress.__table__.c
    seen = set()
    for day in days:
        sql = dict(db.session.execute(
            select(p.recommendation_id, progress.strongest_attribution_on_facts(p, day))
            .where(p.recommendation_id.in_(ids))).all())
        for rec in recs:
            python = progress.strongest_attribution(rec.events, day)
            assert sql[rec.id] == (progress.ATTRIBUTION_STRENGTH[python] if python else None), (day, rec.id)
            seen.add(python)
    assert seen == {None, *ATTRIBUTIONS}  # every strength, and none, on some day


def test_the_stale_condition_and_is_stale_agree_on_every_day(generated):
    ids, days = generated
    recs = _loaded(ids)
    flipped = set()
    for day in days:
        sql = set(db.session.scalars(
            select(Recommendation.id).where(Recommendation.id.in_(ids), progress.stale_condition(day))))
        python = {r.id for r in recs if progress.is_stale(r, day)}
        assert sql == python, day
        flipped.add(bool(python))
    assert flipped == {True, False}  # the generated set has stale and fresh days alike


def test_the_reports_grouped_form_agrees_with_the_python_form(generated):
    """The report and the CSV read the events once, grouped per
    recommendation (rank_reached, last_event_reached, first_reached), and
    test staleness on those columns with stale_on."""
    ids, days = generated
    recs = {r.id: r for r in _loaded(ids)}
    for day in days:
        reach = (
            select(UptakeEvent.recommendation_id.label("rid"),
                   progress.rank_reached(day).label("rank"),
                   progress.last_event_reached(day).label("last_on"),
                   progress.first_reached("acknowledged").label("acknowledged"))
            .where(UptakeEvent.recommendation_id.in_(ids))
            .group_by(UptakeEvent.recommendation_id).subquery()
        )
        stale = progress.stale_on(day, start=Workshop.start_date, end=Workshop.end_date,
                                  closed_as=Recommendation.closed_as, closed_on=Recommendation.closed_on,
                                  rank=reach.c.rank, last_on=reach.c.last_on)
        rows = db.session.execute(
            select(Recommendation.id, reach.c.rank, reach.c.last_on, reach.c.acknowledged, stale)
            .join(Workshop, Workshop.id == Recommendation.workshop_id)
            .outerjoin(reach, reach.c.rid == Recommendation.id)
            .where(Recommendation.id.in_(ids))).all()
        assert len(rows) == len(ids)
        for rid, rank, last_on, acknowledged, is_stale in rows:
            rec = recs[rid]
            assert (rank or 0) == progress.rank_of(rec.events, day), (day, rid)
            assert _date(last_on) == progress.last_event_on(rec.events, day), (day, rid)
            assert _date(acknowledged) == min(
                (e.occurred_on for e in rec.events if e.stage in ("acknowledged", "adopted", "implemented")),
                default=None)
            assert bool(is_stale) == progress.is_stale(rec, day), (day, rid)


def test_a_day_before_an_event_does_not_see_it(make):
    """As of a day, only the events up to it count: the stage, the last
    activity and so staleness are what was known then."""
    w = make.workshop(start_date=dt.date(2020, 3, 2), end_date=dt.date(2020, 3, 3))
    rec = make.recommendation(workshop=w)
    make.uptake_event(rec, stage="adopted", occurred_on=dt.date(2022, 6, 1))
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    before, after = dt.date(2022, 5, 31), dt.date(2022, 6, 1)
    assert progress.stage_of(rec.events, before) == "proposed" and progress.stage_of(rec.events, after) == "adopted"
    assert progress.is_stale(rec, before) and not progress.is_stale(rec, after)
    stale = set(db.session.scalars(select(Recommendation.id).where(progress.stale_condition(before))))
    assert stale == {rec.id}
    assert not db.session.scalars(select(Recommendation.id).where(progress.stale_condition(after))).all()
    # Nor is a recommendation stale before its workshop, or on a day after it was closed.
    assert not progress.is_stale(rec, dt.date(2020, 3, 1))
