"""Backups: a consistent copy of the database taken while the app runs, and
bringing one back.

SQLite: the online backup API copies a consistent snapshot page by page
while other processes go on reading and writing (WAL mode).
PostgreSQL: pg_dump's custom format (one transaction snapshot), restored
with pg_restore --clean --if-exists --no-owner in a single transaction. The
password goes to the tools through PGPASSWORD, never on the command line.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess  # nosec B404  (runs pg_dump/pg_restore with an argument list, no shell)
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from ..extensions import db


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why."""


def describe(url: str) -> str:
    """The database in words, without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}"
    return f"PostgreSQL database {parsed.database} on {parsed.host or 'localhost'}:{parsed.port or 5432}"


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the database to `target` (replaced whole
    only once the copy is complete)."""
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the path of the backup file to write.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if make_url(url).get_backend_name() == "sqlite":
            _sqlite_backup(url, partial)
        else:
            _pg_dump(url, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(url: str, source: Path) -> str | None:
    """Replace the database's contents with the backup at `source`; returns
    the backup's migration revision."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    # Nothing of this process may hold a transaction or lock open meanwhile.
    db.session.remove()
    db.engine.dispose()
    if make_url(url).get_backend_name() == "sqlite":
        revision = _sqlite_restore(url, source)
    else:
        revision = _pg_restore(url, source)
    db.engine.dispose()
    return revision


# --- SQLite ---------------------------------------------------------------------

def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _sqlite_check(path: Path) -> str | None:
    """The backup's migration revision, after checking it is a sound SQLite
    database of this app."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite's integrity check failed).")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a backup of this app's SQLite database ({exc}).") from exc
    return row[0] if row else None


def _sqlite_backup(url: str, target: Path) -> None:
    live = _sqlite_file(url)
    if not live.is_file():
        raise BackupError(f"The database file {live} does not exist.")
    source = sqlite3.connect(live, timeout=15)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.Error as exc:
        raise BackupError(f"The backup of {live} failed: {exc}") from exc
    finally:
        copy.close()
        source.close()
    _sqlite_check(target)


def _sqlite_restore(url: str, source: Path) -> str | None:
    revision = _sqlite_check(source)
    live = _sqlite_file(url)
    live.parent.mkdir(parents=True, exist_ok=True)
    backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live_conn = sqlite3.connect(live, timeout=15)
    try:
        live_conn.execute("PRAGMA busy_timeout=15000")
        backup_conn.backup(live_conn)
    except sqlite3.Error as exc:
        raise BackupError(f"The restore into {live} failed: {exc}") from exc
    finally:
        live_conn.close()
        backup_conn.close()
    return revision


# --- PostgreSQL -----------------------------------------------------------------

def pg_tool(name: str) -> str:
    """The newest pg_dump/pg_restore installed (a dump needs a tool at least
    as new as the server)."""
    versioned = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                       key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    found = versioned[-1] if versioned else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client (apt-get install "
                          "postgresql-client).")
    return found


def _pg_connection(url: str) -> tuple[str, dict]:
    """A libpq URI without the password, and the environment carrying it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return conninfo, env


def _run(args: list[str], env: dict, what: str) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)  # noqa: S603  # nosec B603
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} took more than an hour and was stopped.") from exc
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {message[-1] if message else 'exit code ' + str(result.returncode)}")


def _pg_dump(url: str, target: Path) -> None:
    conninfo, env = _pg_connection(url)
    _run([pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}", f"--dbname={conninfo}"],
         env, "pg_dump")


def _pg_restore(url: str, source: Path) -> str | None:
    conninfo, env = _pg_connection(url)
    listing = subprocess.run([pg_tool("pg_restore"), "--list", str(source)],  # noqa: S603  # nosec B603
                             capture_output=True, text=True, env=env, timeout=600)
    if listing.returncode != 0 or "TABLE DATA public alembic_version" not in listing.stdout:
        raise BackupError(f"{source} is not a pg_dump backup of this app's database.")
    _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={conninfo}", str(source)], env, "pg_restore")
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
