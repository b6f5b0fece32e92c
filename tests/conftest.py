"""Fixtures: a fresh app on a migrated database per test, factories that
build data the way the app does (through the audited unit of work), a
logged-in client per role, a counter of the SQL statements a block sends,
and the database's state before and after a request.

Passwords are hashed one way in every test (quick_password_hashes): a cheap
PBKDF2 instead of scrypt, marked `real_password_hashing` where the hash
itself is what is tested. Logging in still checks the password.

The database is SQLite in a temporary folder, or PostgreSQL when
TEST_DATABASE_URL is set (postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import create_engine, event, func, select, text
from werkzeug.security import generate_password_hash

import workshops.auth.operations
from workshops import create_app
from workshops.extensions import db

from .factories import Factories

PASSWORD = "correct-horse-battery-9"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    config.addinivalue_line("markers", "real_password_hashing: hash passwords with the app's own scrypt")
    _reuse_compiled_url_builders()


def pytest_addoption(parser):
    parser.addoption(
        "--only-database-tests", action="store_true",
        help="run only the tests that use the test database (TEST_DATABASE_URL) or the browser tests' server "
             "on it: .ci/run's PostgreSQL run, as every other test ran the same way in its SQLite run")


def pytest_collection_modifyitems(config, items):
    """With --only-database-tests, leave out (deselect, not skip) the tests
    that never open the test database: they do the same whatever
    TEST_DATABASE_URL says (the static checks; the reliability tests, which
    run on SQLite and a throwaway PostgreSQL of their own)."""
    if not config.getoption("only_database_tests"):
        return
    keep, leave_out = [], []
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        (keep if uses & {"database_url", "live_server"} else leave_out).append(item)
    if leave_out:
        config.hook.pytest_deselected(items=leave_out)
        items[:] = keep


def _reuse_compiled_url_builders() -> None:
    """Most tests build an app of their own, and Werkzeug compiles two
    Python functions per URL rule for each (0.1 s of the 0.13 s create_app
    takes). A rule with the same parts compiles to the same code, bound to
    its own rule when called: the tests compile each one once. Rules with
    defaults are left to Werkzeug (their defaults go through converters)."""
    from werkzeug.routing import Rule

    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "reused", False):
        return
    compiled: dict = {}

    def reused(self, append_unknown=True):
        if self.defaults:
            return compile_builder(self, append_unknown)
        key = (tuple(self._trace), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    reused.reused = True
    Rule._compile_builder = reused


def quick_hash(password: str) -> str:
    """A cheap hash the real login still checks (scrypt takes 0.1 s a hash and a check)."""
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture(autouse=True)
def quick_password_hashes(request, monkeypatch):
    """Every test hashes passwords the quick way: users built by the
    factories, accounts made or changed through the app, and the dummy hash
    a login with an unknown email is checked against."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    monkeypatch.setattr(workshops.auth.operations, "hash_password", quick_hash)
    monkeypatch.setattr(workshops.auth.operations, "_dummy_hash", lambda: quick_hash("dummy"))


def test_database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database, migrated to head once for the whole run."""
    url = test_database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        try:
            create_engine(url).connect().close()
        except Exception as exc:  # noqa: BLE001
            message = f"TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {exc}"
            if IN_CI:
                pytest.exit(message, returncode=3)
            pytest.skip(message)
    app = create_app(_settings(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        if url.startswith("postgresql"):
            # A database left behind by an interrupted run starts from nothing.
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            without_waiting_for_the_disk(db.engine)
        upgrade()
        db.engine.dispose()
    yield url
    if url.startswith("postgresql"):
        with app.app_context():
            downgrade(revision="base")
            db.engine.dispose()


def without_waiting_for_the_disk(engine) -> None:
    """A test database's commits do not wait for the disk (every later
    connection to it: synchronous_commit off; what is committed is seen all
    the same, only a crash of the server could lose it): a commit takes
    1 ms instead of 5 to 15, and the tests commit tens of times each."""
    with engine.connect() as conn:
        name = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        conn.commit()
    engine.dispose()


def _settings(url: str, instance: Path, **extra) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(instance),
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "DEMO_LOGIN": False,
        "LOGIN_MAX_ATTEMPTS": 5,
        **extra,
    }


def _empty_all_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        # DELETE, children first, and every sequence back to 1 (what
        # TRUNCATE … RESTART IDENTITY did): TRUNCATE of every table costs
        # 0.3 s a test, DELETE of a test's few rows under 0.02 s.
        db.session.remove()
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())
            conn.exec_driver_sql(
                "SELECT count(setval(c.oid, 1, false)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()")
        return
    db.session.remove()
    with db.engine.connect() as conn:
        # Self-referencing rows (a Track-1 body's parent) cannot be deleted
        # one by one with foreign keys on.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for table in tables:
            conn.execute(table.delete())
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app with extra settings on the test database."""
    apps = []

    def build(**extra):
        app = create_app(_settings(database_url, tmp_path / "instance", **extra))
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app) -> Factories:
    return Factories()


def log_in(client, user) -> None:
    """Log a test client in as a factory-built user, through the login form."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


class Auth:
    """Logs a test client in as a user, the way a person does."""

    def __init__(self, client, make: Factories):
        self.client = client
        self.make = make

    def login(self, user=None, *, role: str = "admin", networks=()):
        user = user or self.make.user(role=role, networks=networks, password=PASSWORD)
        log_in(self.client, user)
        return user

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, make) -> Auth:
    return Auth(client, make)


def count(model) -> int:
    """Rows of a model in the database."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit_entries(object_type: str, action: str | None = None) -> list:
    """The audit log's entries about one kind of record, oldest first."""
    from workshops.audit.models import AuditEntry

    query = select(AuditEntry).where(AuditEntry.object_type == object_type)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def fresh(obj):
    """The object as the database now holds it."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def form_errors(html: str) -> list[str]:
    """The messages shown next to fields."""
    return re.findall(r'class="field-error">([^<]*)<', html)


class Statement(NamedTuple):
    sql: str
    options: dict  # the execution options it was sent with (stream_results, …)


@pytest.fixture
def count_statements(app):
    """`with count_statements() as statements: …` gives the list of SQL
    statements the app sent on db.engine while the block ran;
    `count_statements(where)` keeps only those `where(statement)` accepts."""

    @contextmanager
    def counting(where=None):
        statements: list[Statement] = []

        def record(conn, cursor, sql, parameters, context, executemany):
            statement = Statement(sql, dict(context.execution_options) if context is not None else {})
            if where is None or where(statement):
                statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


def snapshot() -> dict[str, int]:
    """Rows per table, in one statement (audit entries included: an update
    writes one, so a changed row shows too)."""
    tables = db.metadata.sorted_tables
    # Table names come from the metadata, never from input.
    counts = ", ".join(f'(SELECT count(*) FROM "{t.name}")' for t in tables)  # noqa: S608
    row = db.session.execute(text(f"SELECT {counts}")).one()
    db.session.commit()
    return dict(zip((t.name for t in tables), row, strict=True))


def checksum() -> dict[str, int]:
    """Rows per table and a digest of every row's content: a refused request
    must leave all of it as it was (not only the counts)."""
    result = {}
    db.session.commit()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in ("login_session", "api_token"):
                # Bookkeeping a read also touches (last seen, last used).
                result[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[table.name] = hash(tuple(tuple(str(v) for v in row) for row in rows))
    return result


class Pristine:
    """The database's rows as they are now (users logged in included), put
    back in a few statements after a request changed them: far quicker than
    building a world again through the factories, and the ids, link tokens
    and the browsers' login sessions stay the same."""

    def __init__(self):
        db.session.commit()
        with db.engine.connect() as conn:
            self.rows = {t: [dict(r._mapping) for r in conn.execute(select(t))] for t in db.metadata.sorted_tables}

    def restore(self) -> None:
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            # Children first; a few small tables: DELETE is quicker than TRUNCATE.
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for table, rows in self.rows.items():
                if rows:
                    conn.execute(table.insert(), rows)
            if conn.dialect.name == "postgresql":
                for table, rows in self.rows.items():
                    if rows and "id" in table.c and table.c.id.autoincrement:
                        # The names come from the metadata, never from input.
                        conn.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                            f"{max(r['id'] for r in rows)})")
