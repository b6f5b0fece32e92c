"""The database: one SQLAlchemy object, a declarative base whose constraint
names are the same on SQLite and PostgreSQL, and a UTC datetime type."""

from __future__ import annotations

import datetime as dt

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Alembic and the database then name every constraint the same way on both
# engines, so a migration written on one applies on the other.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The largest value of an INTEGER column on both engines: no id or version
# is above it, so a larger number in a URL or a form is simply not found.
MAX_INTEGER = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class UTCDateTime(TypeDecorator):
    """A point in time, stored as naive UTC and read back timezone-aware.

    SQLite has no timezone type, so both engines store naive UTC; the
    workshop's IANA zone name is stored beside and applied at display time.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC time is needed")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL on SQLite
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL and a busy timeout: SQLite behaves as a shared
    database for several gunicorn workers, and "database is locked" never
    reaches a user."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_settings(dbapi_connection, connection_record):
    """PostgreSQL settings for every connection, set once when it opens
    (not a round trip per report). The JIT compiler would spend longer
    compiling the report's aggregates than running them (measured: 1.3 s of
    a 2 s query); and a server-side cursor (the streamed CSV export) is
    planned for its first 10% of rows by default, which picked nested loops:
    180 s instead of 1.2 s for 9,650 rows (docs/report-cost.md)."""
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("SET cursor_tuple_fraction = 1")
    dbapi_connection.commit()  # a SET inside a transaction rolled back would not last
