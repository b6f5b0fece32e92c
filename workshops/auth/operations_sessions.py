"""Login sessions (server-side, the cookie carries a key whose digest is
stored) and the login rate limits. Re-exported by operations.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from ..db import db, utcnow
from .models import LoginAttempt, LoginSession, User


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- login sessions --------------------------------------------------------

def start_login_session(user: User) -> str:
    """A new server-side session; returns the key the cookie will carry. It
    counts as logged in only once the second factor is done, for a user who
    has one (see session_complete)."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(key_hash=_digest(key), user_id=user.id))
    db.session.commit()
    return key


def load_login_session(key: str) -> LoginSession | None:
    """The live session for a cookie key, or None when it ended or expired
    (idle for SESSION_IDLE_MINUTES, or older than SESSION_ABSOLUTE_HOURS)."""
    if not key:
        return None
    # One round trip for every page: the session, its user and the user's networks (access.py).
    row = db.session.scalars(
        select(LoginSession).where(LoginSession.key_hash == _digest(key))
        .options(joinedload(LoginSession.user).joinedload(User.networks))
    ).unique().first()
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    now = utcnow()
    idle = dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = dt.timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        end_login_session(key)
        return None
    if now - row.last_seen_at > dt.timedelta(minutes=1):  # write at most once a minute
        row.last_seen_at = now
        db.session.commit()
    return row


def session_complete(row: LoginSession) -> bool:
    """A user with a second factor is logged in only after giving it."""
    return row.second_factor_done or not row.user.has_second_factor


def mark_second_factor_done(row: LoginSession) -> None:
    row.second_factor_done = True
    db.session.commit()


def end_login_session(key: str) -> None:
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.key_hash == _digest(key), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.commit()


def end_other_sessions(user: User, keep_key: str | None) -> None:
    """After a password change, every other browser is logged out."""
    _end_sessions(user, keep_key)
    db.session.commit()


def _end_sessions(user: User, keep_key: str | None) -> None:
    """Every live login session of the user but the one with `keep_key` ends."""
    query = update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    if keep_key:
        query = query.where(LoginSession.key_hash != _digest(keep_key))
    db.session.execute(query.values(ended_at=utcnow()))


# --- rate limiting -----------------------------------------------------------

def _failures(since: dt.datetime, *conditions) -> tuple[int, dt.datetime | None]:
    """How many failed attempts matching `conditions` since `since`, and the
    oldest of them."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(LoginAttempt.at > since, *conditions)
    ).one()
    if oldest is not None and not isinstance(oldest, dt.datetime):
        oldest = dt.datetime.fromisoformat(str(oldest))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return count, oldest


def login_blocked_until(email: str, address: str) -> dt.datetime | None:
    """The one limiter of password and code checks (login, second factor,
    and every re-check of a logged-in user's password). When too many recent
    failures, the time the oldest of them leaves the window; otherwise None.

    Three limits, all counted in the shared database (every worker sees them):
    - this account from this address: LOGIN_MAX_ATTEMPTS (the strict one);
    - this address, whatever the accounts: LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
      well above it, so one address typing wrong emails does not lock out
      everyone else behind the same proxy;
    - this account from every address: LOGIN_MAX_ATTEMPTS_PER_ACCOUNT; past
      it only an address with no failure in the window may still try, so
      guessing from many addresses slows down while the owner, at an address
      that has not failed, still gets in."""
    config = current_app.config
    window = dt.timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    since = utcnow() - window
    account = LoginAttempt.account_key == _digest(email.strip().lower())
    here = LoginAttempt.address == address
    count, oldest = _failures(since, account, here)
    if count >= config["LOGIN_MAX_ATTEMPTS"]:
        return oldest + window
    count, oldest = _failures(since, here)
    if count >= config.get("LOGIN_MAX_ATTEMPTS_PER_ADDRESS", 50):
        return oldest + window
    if count:  # this address has failed: the account-wide limit applies to it
        total, oldest = _failures(since, account)
        if total >= config.get("LOGIN_MAX_ATTEMPTS_PER_ACCOUNT", 50):
            return oldest + window
    return None


def record_failed_login(email: str, address: str) -> None:
    db.session.add(LoginAttempt(account_key=_digest(email.strip().lower()), address=address))
    db.session.commit()


def clear_failed_logins(email: str, address: str) -> None:
    """After a right login: this account's failures from this address go (the
    owner typed the password wrong before); those from other addresses stay."""
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.account_key == _digest(email.strip().lower()), LoginAttempt.address == address))
    db.session.commit()

