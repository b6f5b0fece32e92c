"""The report at scale: a fixed number of SQL statements whatever the data,
and the synthetic data generator behind the benchmark."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select

from workshops.audit.models import AuditEntry
from workshops.demo.synthetic import DEFAULT_UNTIL, run
from workshops.extensions import db
from workshops.models import (
    Network,
    Participation,
    Person,
    Recommendation,
    SeriesStatusChange,
    UptakeEvent,
    Workshop,
)
from workshops.outcomes.progress import stale_condition
from workshops.reports.queries import Filters, build_report

from ..conftest import _empty_all_tables
from .conftest import AS_OF


def test_the_number_of_statements_does_not_grow_with_the_data(app, client, auth, world, count_statements):
    auth.login(role="viewer")
    filters = Filters(year=2025, as_of=AS_OF)
    with count_statements() as small_report:
        small = build_report(filters)
    with count_statements() as small_request:
        assert client.get(f"/reports/2025.json?as_of={AS_OF.isoformat()}").status_code == 200

    run(workshops=80, recommendations=600, seed=11)
    db.session.expire_all()
    with count_statements() as large_report:
        large = build_report(filters)
    with count_statements() as large_request:
        assert client.get(f"/reports/2025.json?as_of={AS_OF.isoformat()}").status_code == 200

    assert large.funnel["total"] > small.funnel["total"]  # the data really grew
    assert large.participation["attendees"] > small.participation["attendees"]
    # A ceiling: one statement per part of the report (the highlights read the foreword in
    # theirs); the PostgreSQL settings are set once per connection (db.py), not per report.
    assert len(large_report) == len(small_report) <= 7
    assert len(large_request) == len(small_request)


def fingerprint() -> str:
    """The generated data without its ids: what a seed must reproduce."""
    parts = [
        db.session.execute(select(Workshop.slug, Workshop.start_date, Workshop.end_date, Workshop.status,
                                  Workshop.format, Workshop.title).order_by(Workshop.slug)).all(),
        db.session.execute(select(Person.email, Person.full_name, Person.country, Person.sector)
                           .order_by(Person.email)).all(),
        db.session.execute(select(Workshop.slug, Person.email, Participation.status, Participation.sector,
                                  Participation.serving_official)
                           .join(Workshop).join(Person).order_by(Workshop.slug, Person.email)).all(),
        db.session.execute(select(Recommendation.reference, Recommendation.title, Recommendation.closed_as,
                                  Recommendation.closed_on).order_by(Recommendation.reference)).all(),
        db.session.execute(select(Recommendation.reference, UptakeEvent.stage, UptakeEvent.occurred_on)
                           .join(Recommendation)
                           .order_by(Recommendation.reference, UptakeEvent.occurred_on, UptakeEvent.stage)).all(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_generated_data_is_the_same_for_the_same_seed(app):
    run(workshops=25, recommendations=150, seed=5)
    first = fingerprint()
    _empty_all_tables()
    run(workshops=25, recommendations=150, seed=5)
    assert fingerprint() == first
    _empty_all_tables()
    run(workshops=25, recommendations=150, seed=6)
    assert fingerprint() != first


def test_generated_data_has_roads_of_every_shape_and_people_who_return(app):
    counts = run(workshops=300, recommendations=3000, seed=2)
    assert counts["workshop"] == 300 and counts["recommendation"] == 3000
    # About three events a recommendation, as in the benchmark's 100,000 / 300,000.
    assert 2.5 < counts["uptake_event"] / 3000 < 3.5
    assert db.session.scalar(select(func.count(Network.id))) == 3
    years = db.session.scalars(select(func.distinct(func.extract("year", Workshop.start_date)))).all()
    assert {int(y) for y in years} >= set(range(2016, 2027))
    spanning = db.session.scalar(select(func.count(Workshop.id)).where(
        func.extract("year", Workshop.end_date) > func.extract("year", Workshop.start_date)))
    assert spanning > 0
    assert db.session.scalar(select(func.count(SeriesStatusChange.id)).where(
        SeriesStatusChange.status == "revived")) > 0
    # Every furthest stage, and recommendations with no event at all.
    assert db.session.scalar(select(func.count(Recommendation.id)).where(
        ~Recommendation.id.in_(select(UptakeEvent.recommendation_id)))) > 0
    stages = set(db.session.scalars(select(UptakeEvent.stage).distinct()))
    assert stages == {"proposed", "transmitted", "acknowledged", "adopted", "implemented"}
    closures = set(db.session.scalars(select(Recommendation.closed_as).where(
        Recommendation.closed_as.is_not(None)).distinct()))
    assert closures == {"declined", "superseded", "withdrawn"}
    assert db.session.scalar(select(func.count(Recommendation.id)).where(stale_condition(DEFAULT_UNTIL))) > 0
    # People who come back in later years.
    attended_years = select(Participation.person_id).join(Workshop).where(Participation.status == "attended") \
        .group_by(Participation.person_id) \
        .having(func.count(func.distinct(func.extract("year", Workshop.start_date))) >= 3)
    assert db.session.scalar(select(func.count()).select_from(attended_years.subquery())) > 50
    # Nothing happens after the synthetic "today".
    assert db.session.scalar(select(func.max(UptakeEvent.occurred_on))) <= DEFAULT_UNTIL
    assert db.session.scalar(select(func.count(Participation.id)).join(Workshop).where(
        Participation.status == "attended", Workshop.start_date > DEFAULT_UNTIL)) == 0


def test_generate_data_command_writes_in_bulk_with_one_audit_entry(app, make):
    make.network(acronym="NADI", slug="nadi", name="NADI")  # reused, not duplicated
    runner = app.test_cli_runner()
    result = runner.invoke(args=["generate-data", "--workshops", "20", "--recommendations", "60", "--seed", "9"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "20 workshop" in result.output and "60 recommendation" in result.output
    assert db.session.scalar(select(func.count(Network.id)).where(Network.acronym == "NADI")) == 1
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "SyntheticData")).all()
    assert len(entries) == 1
    assert entries[0].actor == "system: generate-data"
    assert "generate-data --workshops 20 --recommendations 60 --seed 9" in entries[0].note
    assert entries[0].changes["recommendation"] == [None, 60]
    # The same seed twice would duplicate it: refused, nothing written.
    again = runner.invoke(args=["generate-data", "--workshops", "20", "--seed", "9"])
    assert again.exit_code == 1 and "already in this database" in again.output
    assert db.session.scalar(select(func.count(Workshop.id))) == 20
    # The ids continue after the generated ones (PostgreSQL sequences were moved on).
    w = make.workshop(start_date=dt.date(2026, 1, 5))
    assert w.id > 20
