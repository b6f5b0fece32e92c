"""A person's first attended day per network (people/attendance_facts.py)
is derived data maintained on write: after random sequences of
participation writes (added, status changed back and forth, removed,
moved to another person), workshop cancellations and reinstatements,
moved dates and changed co-organisers, the maintained facts equal both
the facts rebuilt from the participations (`flask rebuild-attendance`)
and what the rule says of the loaded rows, written out here in Python."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import FirstAttendance, Network, Participation, Person, Workshop
from workshops.people import attendance_facts
from workshops.people import operations as people_ops
from workshops.programme import operations_workshops as workshop_ops

MOVES = ["add", "status", "status", "remove", "move", "cancel", "reinstate", "date", "co_network"]
STATUSES = ["invited", "confirmed", "attended", "attended", "no_show"]


def _facts() -> dict[tuple[int, int], dt.date]:
    rows = db.session.execute(select(FirstAttendance.person_id, FirstAttendance.network_id,
                                     FirstAttendance.first_on)).all()
    return {(p, n): d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for p, n, d in rows}


def _rebuilt() -> dict[tuple[int, int], dt.date]:
    """The facts rebuilt from the participations, in a transaction rolled back after."""
    maintained = _facts()
    attendance_facts.rebuild(db.session.connection())
    rebuilt = _facts()
    db.session.rollback()
    assert _facts() == maintained
    return rebuilt


def _python_facts() -> dict[tuple[int, int], dt.date]:
    db.session.expire_all()
    expected: dict[tuple[int, int], dt.date] = {}
    for p in db.session.scalars(select(Participation)):
        w = p.workshop
        if p.status != "attended" or w.status == "cancelled":
            continue
        for network_id in {w.network_id, *(n.id for n in w.co_networks)}:
            key = (p.person_id, network_id)
            expected[key] = min(expected.get(key, w.start_date), w.start_date)
    return expected


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.sampled_from(MOVES), st.integers(0, 10**6)), min_size=4, max_size=30))
def test_maintained_facts_equal_rebuilt_ones_after_random_writes(make, moves):
    # Hypothesis runs its examples on one test's database: the world is built once, the writes accumulate.
    if not hasattr(make, "_world"):
        make._admin = make.user("admin")
        networks = [make.network() for _ in range(3)]
        workshops = [make.workshop(network=networks[i % 3], series=make.series(network=networks[i % 3]),
                                   start_date=dt.date(2019 + i, 3, 1), end_date=dt.date(2019 + i, 3, 2),
                                   co_networks=[networks[(i + 1) % 3]] if i % 2 else [])
                     for i in range(5)]
        people = [make.person() for _ in range(5)]
        make._world = ([w.id for w in workshops], [p.id for p in people], [n.id for n in networks])
    workshop_ids, person_ids, network_ids = make._world
    admin = make._admin

    for move, n in moves:
        workshop = db.session.get(Workshop, workshop_ids[n % len(workshop_ids)])
        participations = list(db.session.scalars(select(Participation).order_by(Participation.id)))
        some = participations[n % len(participations)] if participations else None
        if move == "add" or some is None:
            person_id = person_ids[n % len(person_ids)]
            if not db.session.scalar(select(Participation.id).where(Participation.workshop_id == workshop.id,
                                                                    Participation.person_id == person_id)):
                make.participation(workshop=workshop, person=db.session.get(Person, person_id),
                                   status=STATUSES[n % len(STATUSES)])
        elif move == "status":
            people_ops.update_participation(admin, some, {"status": STATUSES[n % len(STATUSES)]}, None)
        elif move == "remove":
            people_ops.remove_participation(admin, some, drop_agenda_roles=True)
        elif move == "move":  # the participation moved to another person (as merging people does)
            taken = set(db.session.scalars(select(Participation.person_id)
                                           .where(Participation.workshop_id == some.workshop_id)))
            free = [p for p in person_ids if p not in taken]
            if free:
                with unit_of_work(system="test"):
                    some.person_id = free[n % len(free)]
        elif move == "cancel" and workshop.status != "cancelled":
            workshop_ops.set_workshop_status(admin, workshop, "cancelled", None)
        elif move == "reinstate" and workshop.status == "cancelled":
            workshop_ops.set_workshop_status(admin, workshop, "draft", None)
        elif move == "date":
            with unit_of_work(system="test"):
                workshop.start_date = dt.date(2018, 1, 1) + dt.timedelta(days=n % 3000)
                workshop.end_date = workshop.start_date + dt.timedelta(days=1)
        elif move == "co_network":
            with unit_of_work(system="test"):
                others = [db.session.get(Network, i) for i in network_ids if i != workshop.network_id]
                workshop.co_networks = others[: n % 3]
    assert _facts() == _rebuilt() == _python_facts()


def test_a_failed_write_leaves_the_facts_as_they_were(make):
    """The facts are written in the write's transaction: a write rolled back takes them back too."""
    p = make.participation(status="confirmed")
    before = _facts()
    try:
        with unit_of_work(system="test"):
            p.status = "attended"
            db.session.flush()
            assert (p.person_id, p.workshop.network_id) in _facts()
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert _facts() == before


def test_the_rebuild_command_derives_the_facts_from_the_participations(app, make):
    p = make.participation(status="attended")
    db.session.execute(FirstAttendance.__table__.delete())
    db.session.commit()
    assert _facts() == {}
    result = app.test_cli_runner().invoke(args=["rebuild-attendance"])
    assert result.exit_code == 0, result.output
    assert "1 first attendances" in result.output
    assert _facts() == {(p.person_id, p.workshop.network_id): p.workshop.start_date}


def test_the_generator_fills_the_facts_of_its_bulk_inserted_participations(app):
    from workshops.demo.synthetic import run

    run(workshops=6, recommendations=12, seed=5)
    expected = _python_facts()
    assert len(expected) >= 10
    assert _facts() == expected
