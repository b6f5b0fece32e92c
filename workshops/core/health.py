"""Is the database there, and at the schema this code expects?"""

from __future__ import annotations

from functools import lru_cache

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
