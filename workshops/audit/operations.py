"""The one layer every write goes through.

    with unit_of_work(actor) as session:
        workshop.title = "…"

Everything done inside is saved together with its audit entries, or nothing
is. The entries name the actor the operation was given (a page's logged-in
user, the API token's user, nobody for a command), never a user looked up
from the request. A flush of an audited object outside a unit of work is
refused, so no code path can change data without leaving a trace.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..db import db, utcnow
from ..errors import Conflict, Invalid, Problems  # noqa: F401  (re-exported: raised by every operation)
from .models import AuditEntry

# Bookkeeping rows that are not the institution's data.
NOT_AUDITED = {"AuditEntry", "LoginSession", "LoginAttempt", "RecoveryCode"}
NEVER_SHOWN = {"password_hash", "totp_secret", "token_hash", "key_hash", "secret_token", "personal_token",
               "totp_secret_encrypted", "personal_token_hash", "personal_token_encrypted",
               # a queued mail's bodies hold its links (password reset, personal agenda)
               "text_body", "html_body", "attachments", "headers"}
_ACTOR = "audit_actor"
# Columns named *_at are bookkeeping stamps (created_at, updated_at…) and are
# left out, except these, which are the data itself: when an agenda session
# starts and ends (its moves are history; agenda_views/digests.py reads them).
RECORDED_TIMES = {"closed_at", "starts_at", "ends_at"}


def _changes_since(obj, since_version: int | None) -> list[AuditEntry]:
    """The audit entries of `obj` written after the version the user saw
    (what a Conflict shows: workshops/errors.py Conflict.changes_since)."""
    query = select(AuditEntry).where(
        AuditEntry.object_type == type(obj).__name__,
        AuditEntry.object_id == obj.id,
    )
    if since_version is not None:
        query = query.where(AuditEntry.object_version > since_version)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


Conflict.history = staticmethod(_changes_since)


class Actor:
    """Who a unit of work acts for: a user, or the system (demo, import)."""

    def __init__(self, user=None, system: str | None = None):
        self.user = user
        self.name = user.name if user is not None else f"system: {system or 'command line'}"


@contextmanager
def unit_of_work(actor=None, *, system: str | None = None, note: str = "") -> Iterator[Session]:
    """Run a change as one transaction with its audit entries.

    Inside another unit of work (an import that calls the operations of
    several capabilities for a whole file) it joins the outer one: the
    outer one saves everything together, or nothing, under its own actor.
    A joining step with a note of its own (the API recording a
    recommendation and marking it featured, one transaction) keeps it: what
    was pending is flushed under the outer note first, the step's changes
    under its own, and the outer note is back after it."""
    session = db.session
    outer = session.info.get(_ACTOR)
    if outer is not None:
        if not note or note == outer[1]:
            yield session
            return
        session.flush()
        session.info[_ACTOR] = (outer[0], note)
        try:
            yield session
            session.flush()
        finally:
            session.info[_ACTOR] = outer
        return
    if not isinstance(actor, Actor):
        actor = Actor(actor if actor is not None and getattr(actor, "is_authenticated", True) else None,
                      system)
    session.info[_ACTOR] = (actor, note)
    try:
        yield session
        session.flush()
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict(None, None) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_ACTOR, None)
        session.info.pop("audit_pending", None)  # from a flush that failed


def expect_version(obj, version: int | None) -> None:
    """Refuse to save over someone else's work: the form's version must be
    the one in the database."""
    if version is not None and obj.version != version:
        raise Conflict(obj, version)


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):  # an uploaded file: its size (its sha256 is its own column)
        return f"({len(value):,} bytes)"
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__table__"):
        return getattr(value, "label", None) or f"{type(value).__name__} {value.id}"
    return value


def _label(obj) -> str:
    try:
        label = getattr(obj, "label", None)
    except Exception:  # a label that needs an unloaded relationship
        label = None
    return (str(label) if label else f"{type(obj).__name__} {getattr(obj, 'id', '')}")[:300]


def _person_id(obj) -> int | None:
    """The person a row concerns, if any (a model says so with an
    `audit_person_id` property): recorded on its entries, so that they can
    be found after the row is gone (people/privacy.py)."""
    try:
        return getattr(obj, "audit_person_id", None)
    except Exception:  # a relationship that cannot be loaded any more
        return None


def _collection_labels(items) -> list:
    return sorted(_jsonable(i) for i in items)


def _old_row(obj, state) -> dict:
    """The row as the database holds it, for attributes whose old value was
    not loaded (expired after a commit) when they were changed."""
    mapper = state.mapper
    table = mapper.local_table
    pk = mapper.primary_key_from_instance(obj)
    query = select(table).where(*[col == value for col, value in zip(mapper.primary_key, pk, strict=True)])
    row = db.session.connection().execute(query).mappings().first()
    return dict(row) if row else {}


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    changes: dict = {}
    old_row = None
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in NEVER_SHOWN or key in ("version",) or key.endswith("_at") and key not in RECORDED_TIMES:
            continue
        hist = state.attrs[key].history
        if action == "create":
            value = getattr(obj, key, None)
            if value not in (None, "", [], False) and key != "id":
                changes[key] = [None, _jsonable(value)]
        elif action == "update" and hist.has_changes():
            if hist.deleted:
                old = hist.deleted[0]
            else:
                old_row = old_row if old_row is not None else _old_row(obj, state)
                old = old_row.get(attr.columns[0].name)
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[key] = [_jsonable(old), _jsonable(new)]
    for rel in state.mapper.relationships:
        if rel.secondary is None and not rel.uselist:
            continue  # many-to-one: its foreign key column is already recorded
        if rel.secondary is None:
            continue  # one-to-many children audit themselves
        hist = state.attrs[rel.key].history
        if hist.has_changes():
            old = _collection_labels(list(hist.unchanged) + list(hist.deleted))
            new = _collection_labels(list(hist.unchanged) + list(hist.added))
            if old != new:
                changes[rel.key] = [old if action != "create" else None, new]
    for key in NEVER_SHOWN & {a.key for a in state.mapper.column_attrs}:
        hist = state.attrs[key].history
        if action == "update" and hist.has_changes():
            changes[key] = ["(hidden)", "(changed)"]
    return changes


@event.listens_for(Session, "before_flush")
def _record(session: Session, flush_context, instances) -> None:
    """Note what changes, while the old values are still known."""
    audited = [
        (action, obj)
        for action, objs in (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
        for obj in objs
        if type(obj).__name__ not in NOT_AUDITED
    ]
    if not audited:
        return
    if session.info.get(_ACTOR) is None:
        raise RuntimeError("Data may only change inside audit.operations.unit_of_work()")
    pending = session.info.setdefault("audit_pending", [])
    for action, obj in audited:
        if action == "update" and not session.is_modified(obj, include_collections=True):
            continue
        if action == "create":
            # Foreign keys are filled in by the flush: read them after it.
            pending.append((action, obj, None, None, None))
            continue
        changes = _changes(obj, action)
        if action == "update" and not changes:
            continue
        pending.append((action, obj, changes, _label(obj), _person_id(obj)))


@event.listens_for(Session, "after_flush")
def _write_entries(session: Session, flush_context) -> None:
    """Write the entries in one statement, now that new objects have their
    ids and updated ones their new versions."""
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor, note = session.info[_ACTOR]
    now = utcnow()
    rows = [
        {
            "at": now,
            "user_id": actor.user.id if actor.user is not None else None,
            "actor": actor.name,
            "action": action,
            "object_type": type(obj).__name__,
            "object_id": getattr(obj, "id", None),
            "object_label": label if label is not None else _label(obj),
            "person_id": person_id if action != "create" else _person_id(obj),
            "object_version": None if action == "delete" else getattr(obj, "version", None),
            "changes": changes if changes is not None else _changes(obj, action),
            "note": note,
        }
        for action, obj, changes, label, person_id in pending
    ]
    session.connection().execute(AuditEntry.__table__.insert(), rows)
