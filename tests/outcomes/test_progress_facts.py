"""A recommendation's progress facts (outcomes/progress_facts.py) are
derived data maintained on write: after seeded random sequences of event
writes, edits, deletes, closures and reopenings made through the
operations, the maintained facts equal both the facts rebuilt from the
events (`flask rebuild-progress`) and what the Python rule of
outcomes/progress.py says of the loaded events. Events not yet confirmed
count for nothing, and confirming or unconfirming one is such a write."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select, update

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent
from workshops.outcomes import operations as ops
from workshops.outcomes import progress, progress_facts
from workshops.outcomes.models import RecommendationProgress
from workshops.vocab import CLOSURES, STAGE_RANK, STAGES

COLUMNS = ("recommendation_id", "rank", "transmitted_on", "acknowledged_on", "adopted_on", "implemented_on",
           "last_event_on")


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _facts() -> dict[int, tuple]:
    table = RecommendationProgress.__table__
    rows = db.session.execute(select(*[table.c[c] for c in COLUMNS])).all()
    return {row[0]: tuple(_date(v) for v in row[1:]) for row in rows}


def _python_facts(ids) -> dict[int, tuple]:
    """What the Python twins say of the loaded events."""
    db.session.expire_all()
    expected = {}
    for rec in db.session.scalars(select(Recommendation).where(Recommendation.id.in_(ids))):
        counted = [e for e in rec.events if e.confirmed]  # written out here, not read from progress.py
        if not counted:
            continue
        firsts = [min((e.occurred_on for e in counted if STAGE_RANK[e.stage] >= STAGE_RANK[s]), default=None)
                  for s in progress_facts.FACT_STAGES]
        expected[rec.id] = (progress.rank_of(rec.events), *firsts, progress.last_event_on(rec.events))
    return expected


def _rebuilt() -> dict[int, tuple]:
    """The facts rebuilt from the events, in a transaction rolled back after."""
    maintained = _facts()
    progress_facts.rebuild(db.session.connection())
    rebuilt = _facts()
    db.session.rollback()
    assert _facts() == maintained
    return rebuilt


@pytest.mark.parametrize("seed", [3, 17, 2026])
def test_maintained_facts_equal_rebuilt_ones_after_random_writes(make, seed):
    rng = random.Random(seed)
    admin = make.user("admin")
    series = make.series()
    recs = []
    for _ in range(3):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365))
        workshop = make.workshop(series=series, start_date=start, end_date=start + dt.timedelta(days=2))
        recs += [make.recommendation(workshop=workshop) for _ in range(3)]
    ids = [r.id for r in recs]

    def a_day(rec):
        start = rec.workshop.start_date
        return start + dt.timedelta(days=rng.randrange(0, (dt.date.today() - start).days + 1))

    def event_data(rec):
        return {"occurred_on": a_day(rec), "stage": rng.choice(STAGES), "evidence_kind": "document",
                "title": "Evidence", "track1_body_id": None, "confirmed": rng.random() < 0.7}

    def flipped(event):
        return {"occurred_on": event.occurred_on, "stage": event.stage, "evidence_kind": "document",
                "title": "Evidence", "track1_body_id": None, "confirmed": not event.confirmed}

    done = set()
    for step in range(60):
        rec = db.session.get(Recommendation, rng.choice(ids))
        events = list(rec.events)
        move = rng.choices(["add", "edit", "flip", "delete", "close", "reopen"], weights=[5, 3, 3, 2, 1, 1])[0]
        if move == "add" or (move in ("edit", "flip", "delete") and not events):
            ops.add_uptake_event(admin, rec, event_data(rec))
            move = "add"
        elif move == "edit":
            ops.update_uptake_event(admin, rng.choice(events), event_data(rec))
        elif move == "flip":  # confirm one not yet confirmed, or set one apart
            ops.update_uptake_event(admin, (event := rng.choice(events)), flipped(event))
        elif move == "delete":
            ops.delete_uptake_event(admin, rng.choice(events))
        elif move == "close" and rec.is_open:
            ops.close_recommendation(admin, rec, {"closed_as": rng.choice(CLOSURES), "closed_reason": "Test.",
                                                  "closed_on": a_day(rec)})
        elif move == "reopen" and not rec.is_open:
            ops.reopen_recommendation(admin, rec, "Test.")
        done.add(move)
        if step % 10 == 9:
            assert _facts() == _rebuilt() == _python_facts(ids), (seed, step)
    assert _facts() == _rebuilt() == _python_facts(ids)
    assert {"add", "edit", "flip", "delete"} <= done
    assert any(not e.confirmed for r in recs for e in db.session.get(Recommendation, r.id).events)


def test_a_failed_write_leaves_the_facts_as_they_were(make):
    """The facts are written in the write's transaction: a refused write rolls them back too."""
    admin = make.user("admin")
    rec = make.recommendation()
    ops.add_uptake_event(admin, rec, {"occurred_on": rec.workshop.end_date, "stage": "adopted",
                                      "evidence_kind": "document", "title": "Adopted", "track1_body_id": None})
    before = _facts()
    assert before[rec.id][0] == STAGE_RANK["adopted"]
    with pytest.raises(ops.Invalid):
        ops.add_uptake_event(admin, rec, {"occurred_on": "not a date", "stage": "implemented",
                                          "evidence_kind": "document", "title": "X", "track1_body_id": None})
    assert _facts() == before


def test_events_written_outside_the_operations_are_maintained_too(make):
    """The factories, the demo loader: any flush of an event refreshes its recommendation's facts;
    deleting the recommendation removes them."""
    rec = make.recommendation()
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=rec.workshop.end_date)
    make.uptake_event(recommendation=rec, stage="transmitted",
                      occurred_on=rec.workshop.end_date + dt.timedelta(days=9))
    end = rec.workshop.end_date
    assert _facts()[rec.id] == (2, end, end, None, None, end + dt.timedelta(days=9))
    with unit_of_work(system="test"):
        db.session.delete(db.session.get(UptakeEvent, rec.events[0].id))
    assert _facts()[rec.id] == (1, end + dt.timedelta(days=9), None, None, None, end + dt.timedelta(days=9))


def test_the_rebuild_command_derives_the_facts_from_the_events(app, make):
    rec = make.recommendation()
    make.uptake_event(recommendation=rec, stage="implemented", occurred_on=rec.workshop.end_date)
    table = RecommendationProgress.__table__
    db.session.execute(table.delete())
    db.session.commit()
    assert _facts() == {}
    result = app.test_cli_runner().invoke(args=["rebuild-progress"])
    assert result.exit_code == 0, result.output
    assert "1 recommendations" in result.output
    end = rec.workshop.end_date
    assert _facts() == {rec.id: (4, end, end, end, end, end)}


def test_the_migration_backfills_the_facts_of_existing_events(app):
    """Migration 0007 derives the facts of the events already recorded, in SQL both engines run."""
    from flask_migrate import downgrade, upgrade

    from workshops.demo import load

    load()
    # Below 0009 every event counts: going down forgets which were not yet confirmed (they count again).
    db.session.execute(update(UptakeEvent).values(confirmed=True))
    db.session.commit()
    # Going below 0010 removes the recommendations of an output alone (they have no workshop to keep).
    ids = list(db.session.scalars(select(Recommendation.id).where(Recommendation.workshop_id.is_not(None))))
    expected = _python_facts(ids)
    assert len(expected) >= 10
    db.session.remove()
    downgrade(revision="0006")
    upgrade()
    assert _facts() == expected


def test_the_generator_fills_the_facts_of_its_bulk_inserted_events(app):
    from workshops.demo.synthetic import run

    run(workshops=6, recommendations=60, seed=5)
    ids = list(db.session.scalars(select(Recommendation.id)))
    expected = _python_facts(ids)
    assert len(expected) >= 20
    assert _facts() == expected
