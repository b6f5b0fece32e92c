"""Migration 0008 (dates known to the day, the month or the year): today's
workshops and uptake events carry over unchanged, as known to the day and
not approximate, and the road down and up again works."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from workshops.demo import load
from workshops.extensions import db


def _rows(conn, table: str, date_column: str) -> list[tuple]:
    return [tuple(r) for r in conn.exec_driver_sql(f"SELECT id, {date_column} FROM {table} ORDER BY id")]  # noqa: S608


def test_0008_carries_todays_workshops_and_events_over_as_known_to_the_day(app):
    load()
    db.session.remove()
    downgrade(revision="0007")
    for table in ("workshop", "uptake_event"):
        assert "date_precision" not in {c["name"] for c in inspect(db.engine).get_columns(table)}
    with db.engine.connect() as conn:
        before = {"workshop": _rows(conn, "workshop", "start_date"),
                  "uptake_event": _rows(conn, "uptake_event", "occurred_on")}
    assert before["workshop"] and before["uptake_event"]

    upgrade(revision="0008")

    with db.engine.connect() as conn:
        for table, column in (("workshop", "start_date"), ("uptake_event", "occurred_on")):
            assert _rows(conn, table, column) == before[table]
            kinds = conn.exec_driver_sql(f"SELECT DISTINCT date_precision, approximate FROM {table}").all()  # noqa: S608
            assert [(p, bool(a)) for p, a in kinds] == [("day", False)]
        checks = {c["name"] for c in inspect(db.engine).get_check_constraints("workshop")}
        assert "ck_workshop_date_precision" in checks
    upgrade()
