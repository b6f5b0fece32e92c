"""The demo data a Southeast Asia specialist would recognise."""

import datetime as dt

from sqlalchemy import func, select

from workshops.demo import load
from workshops.extensions import db
from workshops.models import Network, Person, Recommendation, Track1Body, UptakeEvent, Workshop
from workshops.outcomes.models import stale_condition
from workshops.vocab import STAGES


def test_demo_data_covers_what_every_page_needs(app):
    load()
    assert {n.acronym for n in db.session.scalars(select(Network))} == {"CSCAP", "NADI", "ASEAN-ISIS"}
    workshops = db.session.scalars(select(Workshop)).all()
    assert len(workshops) >= 8
    assert len({w.timezone for w in workshops}) >= 5
    assert {w.start_date.year for w in workshops} >= {2024, 2025, 2026}
    assert all(w.agenda_items for w in workshops)
    assert db.session.scalar(select(func.count(Person.id))) >= 50
    assert db.session.scalar(select(func.count(Recommendation.id))) >= 25
    reached = set(db.session.scalars(select(UptakeEvent.stage).distinct()))
    assert reached >= set(STAGES[1:])
    assert db.session.scalar(select(func.count(Recommendation.id)).where(Recommendation.closed_as.isnot(None))) >= 2
    assert db.session.scalar(select(func.count(Recommendation.id)).where(stale_condition(dt.date(2026, 11, 23)))) >= 3
    names = {b.name for b in db.session.scalars(select(Track1Body))}
    assert "China–Vietnam 3+3 strategic dialogue (diplomacy, defence, public security)" in names
    assert "US–Japan Security Consultative Committee (2+2)" in names
