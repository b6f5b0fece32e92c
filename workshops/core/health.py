"""Is the database there, and at the schema this code expects?

/healthz asks on every call; wsgi.py asks once before serving (gunicorn or
`flask run`) and stops with one sentence instead of a stack trace when the
schema is missing or at another migration. Other commands (`flask db
upgrade` above all) are not stopped: they are how a missing or old schema
gets fixed.

A database that cannot be reached does not stop start-up: it is an outage,
not a mistake, and gunicorn starts new workers during an outage too (one
replaced after a crash, a timeout or --max-requests). A worker that exited
then would make the master shut the whole server down for good. So the
worker starts, answers 503 while the database is away, and serves again
once it is back; its first request after that checks the schema as start-up
would have."""

from __future__ import annotations

import logging
import os
import sys
from functools import lru_cache

import click
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import abort, g, request
from flask_login import AnonymousUserMixin
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..config import ROOT
from ..extensions import db

log = logging.getLogger("workshops.health")


@lru_cache(maxsize=1)
def expected_revision() -> str | None:
    config = AlembicConfig()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def database_problem() -> str | None:
    """One sentence naming what is wrong and the fix, or None when all is well."""
    return database_state()[0]


def database_state() -> tuple[str | None, bool]:
    """database_problem(), and whether the database could be reached at all."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except SQLAlchemyError:
                current = None
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", exc)).strip().splitlines() or [type(exc).__name__])[0][:200]
        return (
            f"The database cannot be reached ({reason}); check DATABASE_URL and that the "
            "database server is running.",
            False,
        )
    head = expected_revision()
    if current is None:
        return "The database has no tables yet; run: flask --app wsgi db upgrade", True
    if current != head:
        return (
            f"The database is at migration {current} but this code needs {head}; "
            "run: flask --app wsgi db upgrade",
            True,
        )
    return None, True


def startup_problem(app) -> str | None:
    """What stops this app from serving, in one sentence, or None. A database
    that cannot be reached is not such a problem (see the module docstring):
    it is said on stderr, and the schema is checked once it is back."""
    if app.config.get("PRODUCTION") and not os.environ.get("DATABASE_URL", "").strip():
        return ("DATABASE_URL is not set; in production set it to the database to use, e.g. "
                "postgresql+psycopg://user:password@host:5432/dbname.")
    with app.app_context():
        problem, reachable = database_state()
    if not reachable:
        print(f"Track-2 Workshops starts without its database: {problem} Pages answer 503 until it is back.",
              file=sys.stderr, flush=True)
        check_schema_when_back(app)
        return None
    return problem


def check_schema_when_back(app) -> None:
    """Until the database has been reached once, every request first checks
    it: still away, the request goes on and meets the outage (503); back at
    another migration, 503 with the fix in the log; back at the right one,
    no more checks."""
    checked = False

    @app.before_request
    def _schema_checked_once():
        nonlocal checked
        if checked or request.path == "/healthz" or request.endpoint == "static":
            return None
        problem, reachable = database_state()
        if not reachable:
            return None
        if problem:
            log.error("not serving: %s", problem)
            g._login_user = AnonymousUserMixin()  # the error page's layout must not ask the database
            abort(503, description="The service is being upgraded. Please try again in a few minutes.")
        checked = True
        return None


def serving() -> bool:
    """True under gunicorn and under `flask run`; False for other commands."""
    context = click.get_current_context(silent=True)
    if context is not None:
        return context.info_name == "run"
    return "gunicorn" in sys.modules


def stop(sentence: str) -> None:
    """End start-up with one clear sentence on stderr. Under gunicorn the
    exit code is its "app failed to load" (4), so the arbiter stops instead
    of restarting workers in a loop."""
    print(f"Track-2 Workshops cannot start: {sentence}", file=sys.stderr, flush=True)
    raise SystemExit(4 if "gunicorn" in sys.modules else 1)

