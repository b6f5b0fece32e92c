"""An app of its own on a database of its own, migrated, with one user."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade

from workshops import create_app
from workshops.auth.operations import create_user
from workshops.extensions import db

PASSWORD = "Lantern-Orchard-Basalt-71"
EMAIL = "organiser@example.org"


def settings(url: str, instance: Path, **extra) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "reliability-tests", "INSTANCE_PATH": str(instance),
            "TESTING": True, "WTF_CSRF_ENABLED": False, "DEMO_LOGIN": False, **extra}


def app_on(url: str, instance: Path, *, revision: str = "head", with_user: bool = True, **extra):
    app = create_app(settings(url, instance, **extra))
    with app.app_context():
        upgrade(revision=revision)
        if with_user:
            create_user(EMAIL, "Organiser", PASSWORD, "organiser")
        db.session.remove()
    return app


def log_in(client) -> None:
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
