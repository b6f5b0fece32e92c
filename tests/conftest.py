"""Fixtures: a fresh app on a migrated database per test, factories that
build data the way the app does (through the audited unit of work), and a
logged-in client per role.

The database is SQLite in a temporary folder, or PostgreSQL when
TEST_DATABASE_URL is set (postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from workshops import create_app
from workshops.extensions import db

from .factories import Factories

PASSWORD = "correct-horse-battery-9"
IN_CI = os.environ.get("CI", "").lower() == "true"


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
        upgrade()
        db.engine.dispose()
    yield url
    if url.startswith("postgresql"):
        with app.app_context():
            downgrade(revision="base")
            db.engine.dispose()


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
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
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


class Auth:
    """Logs a test client in as a user, the way a person does."""

    def __init__(self, client, make: Factories):
        self.client = client
        self.make = make

    def login(self, user=None, *, role: str = "admin", networks=()):
        user = user or self.make.user(role=role, networks=networks, password=PASSWORD)
        response = self.client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, make) -> Auth:
    return Auth(client, make)


def form_errors(html: str) -> list[str]:
    """The messages shown next to fields."""
    return re.findall(r'class="field-error">([^<]*)<', html)
