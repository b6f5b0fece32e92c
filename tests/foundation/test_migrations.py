"""The migrations and the models agree, and the road down and up again
works on a database that holds the demo data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from workshops.demo import load
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent, Workshop


def test_autogenerate_finds_no_difference_between_models_and_migrations(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_constraint_names_follow_the_naming_convention(app):
    checks = {c["name"] for c in inspect(db.engine).get_check_constraints("uptake_event")}
    assert "ck_uptake_event_stage" in checks
    fks = {fk["name"] for fk in inspect(db.engine).get_foreign_keys("uptake_event")}
    assert "fk_uptake_event_recommendation_id_recommendation" in fks


def test_downgrade_to_base_and_upgrade_again_with_demo_data(app):
    load()
    assert db.session.scalar(select(func.count(Workshop.id))) == 13  # the twelve of the story and a one-off (issue 13)
    db.session.remove()
    downgrade(revision="base")
    assert "workshop" not in inspect(db.engine).get_table_names()
    upgrade()
    assert db.session.scalar(select(func.count(Workshop.id))) == 0
    load()
    assert db.session.scalar(select(func.count(Recommendation.id))) >= 25
    assert db.session.scalar(select(func.count(UptakeEvent.id))) >= 25


def test_migrations_down_and_up_keep_every_row_that_points_at_a_copied_table(app):
    """On SQLite a batch migration copies the table it alters; with foreign
    keys on, dropping the old copy would cascade-delete the agenda roles of
    every participation. Down to 0002 and up again must keep them all — but
    the recommendations of an output alone, which no revision before 0010
    can hold: they go with their outputs, with their uptake events."""
    from workshops.models import AgendaItemPerson, Participation, Recommendation

    load()
    counts = {model: db.session.scalar(select(func.count()).select_from(model))
              for model in (Participation, AgendaItemPerson, UptakeEvent)}
    counts[UptakeEvent] -= db.session.scalar(select(func.count(UptakeEvent.id)).join(Recommendation)
                                             .where(Recommendation.workshop_id.is_(None)))
    assert counts[AgendaItemPerson] > 0
    db.session.remove()
    downgrade(revision="0002")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM agenda_item_person").scalar() == counts[AgendaItemPerson]
    upgrade()
    after = {model: db.session.scalar(select(func.count()).select_from(model)) for model in counts}
    assert after == counts


def test_0011_carries_each_workshops_network_and_host_over_both_ways(app):
    """Down to 0010 (one series, one host column) and up again: every
    workshop keeps its lead network and its host; a one-off meeting goes
    into a series "One-off meetings" of its network made for it; the
    co-organising networks and the other roles are what 0010 cannot hold."""
    from workshops.models import WorkshopInstitute

    load()
    before = {w.id: (w.network_id, w.host.id if w.host else None, w.series_id)
              for w in db.session.scalars(select(Workshop))}
    one_off = [wid for wid, (_, _, series_id) in before.items() if series_id is None]
    assert one_off and db.session.scalar(select(func.count()).select_from(WorkshopInstitute)
                                         .where(WorkshopInstitute.role == "funder")) >= 2
    db.session.remove()
    downgrade(revision="0010")
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT workshop.id, series.network_id, workshop.host_institute_id, series.name "
            "FROM workshop JOIN series ON series.id = workshop.series_id").all()
    assert {r[0]: (r[1], r[2]) for r in rows} == {wid: (n, h) for wid, (n, h, _) in before.items()}
    assert {r[3] for r in rows if r[0] in one_off} == {"One-off meetings"}
    upgrade()
    after = {w.id: (w.network_id, w.host.id if w.host else None) for w in db.session.scalars(select(Workshop))}
    assert after == {wid: (n, h) for wid, (n, h, _) in before.items()}
    assert db.session.scalar(select(func.count()).select_from(WorkshopInstitute)) == sum(
        1 for _, h, _ in before.values() if h)
