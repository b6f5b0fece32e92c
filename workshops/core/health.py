"""Is the database there, and at the schema this code expects?

/healthz asks on every call; wsgi.py asks once before serving (gunicorn or
`flask run`) and stops with one sentence instead of a stack trace. Other
commands (`flask db upgrade` above all) are not stopped: they are how a
missing or old schema gets fixed."""

from __future__ import annotations

import os
import sys
from functools import lru_cache

import click
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .. import ROOT
from ..extensions import db


@lru_cache(maxsize=1)
def expected_revision() -> str | None:
    config = AlembicConfig()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def database_problem() -> str | None:
    """One sentence naming what is wrong and the fix, or None when all is well."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except SQLAlchemyError:
                current = None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        return (
            f"The database cannot be reached ({reason}); check DATABASE_URL and that the "
            "database server is running."
        )
    head = expected_revision()
    if current is None:
        return "The database has no tables yet; run: flask --app wsgi db upgrade"
    if current != head:
        return (
            f"The database is at migration {current} but this code needs {head}; "
            "run: flask --app wsgi db upgrade"
        )
    return None


def startup_problem(app) -> str | None:
    """What stops this app from serving, in one sentence, or None."""
    if app.config.get("PRODUCTION") and not os.environ.get("DATABASE_URL", "").strip():
        return ("DATABASE_URL is not set; in production set it to the database to use, e.g. "
                "postgresql+psycopg://user:password@host:5432/dbname.")
    with app.app_context():
        return database_problem()


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


def create_app_or_stop():
    """wsgi.py's app: configuration errors and, when serving, database
    problems end start-up with one sentence."""
    from sqlalchemy.exc import ArgumentError

    from .. import ConfigError, create_app

    try:
        app = create_app()
    except ConfigError as exc:
        stop(str(exc))
    except (ArgumentError, ValueError) as exc:  # a URL that parses but makes no sense
        stop(f"DATABASE_URL is malformed ({str(exc).splitlines()[0][:200]}); use "
             "sqlite:////absolute/path.sqlite3 or postgresql+psycopg://user:password@host:5432/dbname.")
    if serving():
        problem = startup_problem(app)
        if problem:
            stop(problem)
    return app
