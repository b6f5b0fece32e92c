"""wsgi.py's app: the application built, and before serving, the database
checked (core/health.py), so that a configuration or database mistake ends
start-up with one sentence. Here, above the app factory, because it calls it."""

from __future__ import annotations

from sqlalchemy.exc import ArgumentError

from . import create_app
from .config import ConfigError
from .core import health


def create_app_or_stop():
    """wsgi.py's app: configuration errors and, when serving, database
    problems end start-up with one sentence."""
    try:
        app = create_app()
    except ConfigError as exc:
        health.stop(str(exc))
    except (ArgumentError, ValueError) as exc:  # a URL that parses but makes no sense
        health.stop(f"DATABASE_URL is malformed ({str(exc).splitlines()[0][:200]}); use "
                    "sqlite:////absolute/path.sqlite3 or postgresql+psycopg://user:password@host:5432/dbname.")
    if health.serving():
        problem = health.startup_problem(app)
        if problem:
            health.stop(problem)
    return app
