"""`Idempotency-Key` on the API's POSTs (docs/api-examples.md).

A client whose POST got no answer (a timeout, a dropped connection, a
server restarted) cannot know whether it was saved. Sent again with the
same key, the same request gets the first answer (status, body, Location)
and saves nothing twice; the same key with another request is refused
(422, naming the header).

The key is written by the same transaction as the write it belongs to (a
`before_commit` hook of the session, so every operation's unit of work
carries it without knowing): a write that is rolled back leaves no key, and
a key without a write cannot exist. Two requests sent at once with one key
both run, but only one commit can hold the key (a unique constraint per
user): the other's whole transaction is rolled back, and it answers with
the winner's answer. The answer is recorded just after the write; keys are
kept for KEPT_FOR.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass

from flask import Response, request
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import utcnow
from ..extensions import db
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
KEPT_FOR = dt.timedelta(hours=24)
KEY_PATTERN = r"^[!-~]{1,200}$"  # 1 to 200 visible ASCII characters, e.g. a UUID
WAIT_FOR_ANSWER = 5.0  # seconds a retry waits for the first request's answer
_KEY = re.compile(KEY_PATTERN)
_CLAIM = "idempotency_claim"


class Refused(Exception):
    """The key cannot be used for this request: status, detail, and the
    message naming the header."""

    def __init__(self, status: int, detail: str, message: str):
        self.status, self.detail, self.errors = status, detail, {HEADER: message}
        super().__init__(detail)


@dataclass
class Claim:
    user_id: int
    key: str
    request_hash: str
    pending: bool = False  # inserted by a commit still under way
    written: bool = False  # committed with a write
    lost: bool = False  # a commit that carried it was rolled back


def _request_hash() -> str:
    """The request as the key promises it: method, path and body (JSON
    compared by content, so key order and spacing do not matter)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except ValueError:
        body = raw
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _row(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key).execution_options(populate_existing=True))


def _replay(row: IdempotencyKey, request_hash: str) -> Response:
    """The first answer to this key, or Refused."""
    if row.request_hash != request_hash:
        raise Refused(422, f"This {HEADER} was used for another request; nothing was saved.",
                      "This key was sent with another request (a different body or address) in the last "
                      "24 hours; use a new key for a new request.")
    deadline = time.monotonic() + WAIT_FOR_ANSWER
    while row.status is None and time.monotonic() < deadline:
        time.sleep(0.1)  # the first request saved; its answer is being recorded
        db.session.rollback()  # a fresh snapshot
        row = _row(row.user_id, row.key) or row
    if row.status is None:
        raise Refused(409, f"A request with this {HEADER} was saved, but its answer is not known yet; nothing "
                           "was saved again. Read the records, or try again in a minute.",
                      "The first request with this key is still being answered.")
    response = Response(row.body or "", status=row.status,
                        mimetype="application/problem+json" if row.status >= 400 else "application/json")
    if row.location:
        response.headers["Location"] = row.location
    return response


def start(user_id: int) -> Response | None:
    """Before the view of a POST: the stored answer when the key was used
    already, else None with the key claimed for this request's write."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise Refused(400, f"The {HEADER} header is not valid.",
                      "Give 1 to 200 visible ASCII characters, e.g. a random UUID.")
    request_hash = _request_hash()
    row = _row(user_id, key)
    if row is not None and row.created_at < utcnow() - KEPT_FOR:
        _forget_expired(user_id)
        db.session.commit()
        row = None
    if row is not None:
        db.session.commit()  # end the read; the answer needs nothing more
        return _replay(row, request_hash)
    db.session.info[_CLAIM] = Claim(user_id, key, request_hash)
    return None


def _forget_expired(user_id: int) -> None:
    db.session.execute(delete(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < utcnow() - KEPT_FOR))


def finish(response: Response) -> Response:
    """After the view (or its refusal): record the answer under the key, or
    answer as the request that took the key first did."""
    claim: Claim | None = db.session.info.pop(_CLAIM, None)
    if claim is None:
        return response
    if claim.lost and not claim.written:
        # A commit that carried the key failed: another request with this
        # key committed first (the unique constraint), or the write failed.
        db.session.rollback()
        row = _row(claim.user_id, claim.key)
        db.session.rollback()
        return _replay(row, claim.request_hash) if row is not None else response
    answer = {"status": response.status_code, "location": response.headers.get("Location"),
              "body": response.get_data(as_text=True)}
    if claim.written:
        db.session.execute(update(IdempotencyKey).where(
            IdempotencyKey.user_id == claim.user_id, IdempotencyKey.key == claim.key).values(**answer))
    elif response.status_code < 300:
        # Nothing was written (a change to what already was): the answer is
        # still kept, so a retry gets it and another request is refused.
        db.session.execute(insert(IdempotencyKey).values(
            user_id=claim.user_id, key=claim.key, request_hash=claim.request_hash, created_at=utcnow(), **answer))
    else:
        return response  # refused, nothing saved: the key stays free
    _forget_expired(claim.user_id)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a request sent at the same moment wrote nothing either
    return response


def forget() -> None:
    """End of the request, whatever happened: no claim outlives it."""
    db.session.info.pop(_CLAIM, None)


@event.listens_for(Session, "before_commit")
def _write_with_the_change(session: Session) -> None:
    claim: Claim | None = session.info.get(_CLAIM)
    if claim is None or claim.written or claim.pending:
        return
    claim.pending = True
    session.connection().execute(insert(IdempotencyKey).values(
        user_id=claim.user_id, key=claim.key, request_hash=claim.request_hash, created_at=utcnow()))


@event.listens_for(Session, "after_commit")
def _written(session: Session) -> None:
    claim: Claim | None = session.info.get(_CLAIM)
    if claim is not None and claim.pending:
        claim.pending, claim.written = False, True


@event.listens_for(Session, "after_rollback")
def _not_written(session: Session) -> None:
    claim: Claim | None = session.info.get(_CLAIM)
    if claim is not None and claim.pending:
        claim.pending, claim.lost = False, True


def lost() -> bool:
    """Whether a commit of this request that carried its key was rolled back."""
    claim: Claim | None = db.session.info.get(_CLAIM)
    return claim is not None and claim.lost and not claim.written
