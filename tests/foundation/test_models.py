"""Invariants hold in the database itself, not only in code."""

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import AgendaItem, Recommendation, UptakeEvent
from workshops.outcomes.progress import stage_rank_of


def _raw(sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_a_workshop_cannot_end_before_it_starts(make):
    workshop = make.workshop()
    with pytest.raises(IntegrityError):
        _raw("UPDATE workshop SET end_date = :d WHERE id = :id",
             d=workshop.start_date - dt.timedelta(days=1), id=workshop.id)


def test_an_agenda_item_must_end_after_it_starts(make):
    item = make.agenda_item()
    with pytest.raises(IntegrityError):
        _raw("UPDATE agenda_item SET ends_at = starts_at WHERE id = :id", id=item.id)


def test_an_uptake_event_stage_must_be_one_of_the_road(make):
    event = make.uptake_event()
    with pytest.raises(IntegrityError):
        _raw("UPDATE uptake_event SET stage = 'rumoured' WHERE id = :id", id=event.id)


def test_closing_a_recommendation_needs_a_reason(make):
    rec = make.recommendation()
    with pytest.raises(IntegrityError):
        _raw("UPDATE recommendation SET closed_as = 'declined', closed_on = '2025-01-01' WHERE id = :id", id=rec.id)


def test_one_person_takes_part_once_in_a_workshop(make):
    part = make.participation()
    with pytest.raises(IntegrityError):
        make.participation(workshop=part.workshop, person=part.person)


def test_foreign_keys_are_enforced(make):
    make.workshop()
    with pytest.raises(IntegrityError):
        _raw("UPDATE workshop SET series_id = 999999")


def test_emails_are_stored_lower_case(make):
    with pytest.raises(IntegrityError):
        make.person(email="Mixed@Example.org")


def test_stage_is_the_furthest_stage_of_the_events_whatever_their_order(make):
    rec = make.recommendation()
    assert rec.stage == "proposed"
    make.uptake_event(rec, stage="acknowledged", occurred_on=dt.date(2025, 9, 1))
    make.uptake_event(rec, stage="transmitted", occurred_on=dt.date(2025, 10, 1))
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    assert rec.stage == "acknowledged"
    # The same answer computed in SQL (outcomes/progress.py).
    assert db.session.scalar(select(stage_rank_of(Recommendation.id)).where(Recommendation.id == rec.id)) == 2


def test_agenda_times_are_stored_in_utc_and_shown_in_the_workshop_zone(make):
    workshop = make.workshop(timezone="Asia/Jakarta")
    item = make.agenda_item(workshop, start="09:00", end="10:00")
    stored = db.session.execute(text("SELECT starts_at FROM agenda_item WHERE id = :id"), {"id": item.id}).scalar()
    stored = stored if isinstance(stored, dt.datetime) else dt.datetime.fromisoformat(stored)
    assert stored.replace(tzinfo=None) == dt.datetime(2025, 6, 3, 2, 0)
    db.session.expire_all()
    item = db.session.get(AgendaItem, item.id)
    assert item.local_start().strftime("%H:%M %Z") == "09:00 WIB"


def test_a_naive_datetime_is_refused(make):
    workshop = make.workshop()
    with pytest.raises(Exception, match="naive"):
        with unit_of_work(system="test"):
            db.session.add(AgendaItem(workshop=workshop, title="x", starts_at=dt.datetime(2025, 6, 3, 9),
                                      ends_at=dt.datetime(2025, 6, 3, 10)))
    assert db.session.query(UptakeEvent).count() == 0
