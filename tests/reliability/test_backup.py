"""`flask --app wsgi backup PATH` writes a consistent copy while the app
runs; `restore` brings it back. On the suite's database (SQLite, or
PostgreSQL when TEST_DATABASE_URL is set) and on a throwaway PostgreSQL."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import func, select

from workshops.audit.models import AuditEntry
from workshops.audit.operations import unit_of_work
from workshops.documents.operations import store_document
from workshops.extensions import db
from workshops.models import Document, Network, Person, Recommendation, UptakeEvent, Workshop

from .helpers import app_on, dispose

COUNTED = (Network, Workshop, Person, Recommendation, UptakeEvent, Document, AuditEntry)


def _fill(make) -> None:
    """The demo data when it exists, else a small history from factories."""
    try:
        from workshops.demo import load
    except ImportError:
        workshop = make.workshop(title="ARF Track-2 on HADR")
        make.participation(workshop=workshop)
        make.uptake_event(recommendation=make.recommendation(workshop=workshop))
    else:
        load()


def _snapshot() -> dict:
    db.session.expire_all()
    counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}
    titles = sorted(db.session.scalars(select(Workshop.title)))
    names = sorted(db.session.scalars(select(Person.full_name)))
    # Uploaded files live in the database: their bytes come back too.
    files = sorted((d.filename, hashlib.sha256(d.content).hexdigest()) for d in db.session.scalars(select(Document)))
    db.session.commit()  # no transaction left open across a restore
    return {"counts": counts, "titles": titles, "names": names, "files": files}


def _cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input, catch_exceptions=False)


def _damage() -> None:
    with unit_of_work(system="test"):
        for workshop in db.session.scalars(select(Workshop)):
            workshop.title = "overwritten by mistake"
        db.session.add(Network(acronym="GONE", slug="gone", name="Added after the backup"))
    db.session.commit()


def test_backup_and_restore_round_trip_the_data(app, make, tmp_path):
    _fill(make)
    with unit_of_work(system="test") as session:
        store_document(session, None, "statement.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40)
    before = _snapshot()
    assert before["counts"]["Workshop"] > 0 and before["files"]

    target = tmp_path / "backups" / "workshops.backup"
    result = _cli(app, "backup", str(target))
    assert result.exit_code == 0, result.output
    assert "Backed up the" in result.output and target.stat().st_size > 0

    _damage()
    assert _snapshot() != before
    result = _cli(app, "restore", "--yes", str(target))
    assert result.exit_code == 0, result.output
    assert "Restored the" in result.output
    assert _snapshot() == before


def test_restore_asks_first_and_changes_nothing_when_declined(app, make, tmp_path):
    make.workshop(title="Kept as it is")
    target = tmp_path / "copy.backup"
    _cli(app, "backup", str(target))
    _damage()
    damaged = _snapshot()
    result = _cli(app, "restore", str(target), input="n\n")
    assert result.exit_code == 1
    assert "Replace everything in the" in result.output and "Aborted" in result.output
    assert _snapshot() == damaged


def test_restore_refuses_a_file_that_is_not_a_backup(app, make, tmp_path):
    make.network(acronym="KEEP")
    before = _snapshot()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all " * 100)
    result = _cli(app, "restore", "--yes", str(junk))
    assert result.exit_code == 1
    assert "Nothing was changed." in result.output
    assert _snapshot() == before


def _backup_while_writing(app, tmp_path) -> int:
    """A writer adds networks (each with its audit entry, in one transaction)
    while the backup runs; returns how many it wrote."""
    written, stop = [], threading.Event()

    def writer():
        with app.app_context():
            n = 0
            while not stop.is_set() and n < 400:
                n += 1
                with unit_of_work(system="writer"):
                    db.session.add(Network(acronym=f"W{n}", slug=f"w{n}", name=f"Written {n}"))
                written.append(n)
            db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        result = _cli(app, "backup", str(tmp_path / "live.backup"))
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join(timeout=60)
    return len(written)


def _consistent() -> int:
    networks = db.session.scalar(select(func.count(Network.id)))
    entries = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.object_type == "Network", AuditEntry.action == "create"))
    db.session.commit()
    assert networks == entries  # no network without its audit entry, nor the reverse
    return networks


def test_a_backup_taken_during_writes_is_consistent(app, tmp_path):
    total = _backup_while_writing(app, tmp_path)
    result = _cli(app, "restore", "--yes", str(tmp_path / "live.backup"))
    assert result.exit_code == 0, result.output
    restored = _consistent()
    assert 20 <= restored <= total


@pytest.mark.slow
def test_round_trip_on_a_throwaway_postgresql(throwaway_postgres, tmp_path):
    app = app_on(throwaway_postgres.create_database("backups"), tmp_path / "instance")
    with app.app_context():
        total = _backup_while_writing(app, tmp_path)
        _damage()
        result = _cli(app, "restore", "--yes", str(tmp_path / "live.backup"))
        assert result.exit_code == 0, result.output
        restored = _consistent()
        assert 20 <= restored <= total
        assert db.session.scalar(select(func.count()).where(Network.acronym == "GONE")) == 0
        db.session.commit()
    dispose(app)
