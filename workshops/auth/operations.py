"""Passwords, login sessions and login rate limits."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.operations import unit_of_work
from ..db import db, utcnow
from .models import LoginAttempt, LoginSession, User

MIN_PASSWORD_LENGTH = 12
# The most common passwords of twelve characters or more (public breach lists).
COMMON_PASSWORDS = {
    "123456789012", "1234567890123", "12345678901234", "123456789123", "qwertyuiopas",
    "qwertyuiop123", "password1234", "password12345", "passwordpassword", "iloveyou1234",
    "abcdefghijkl", "abc123456789", "111111111111", "000000000000", "aaaaaaaaaaaa",
    "123123123123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
    "administrator", "letmeinplease", "welcome12345", "changeme1234", "passw0rd1234",
    "football1234", "baseball1234", "sunshine1234", "princess1234", "monkey123456",
    "trustno11234", "dragon123456", "superman1234", "asdfghjkl123", "asdfghjklqwe",
    "qwertyuiopasdfghjkl", "correcthorsebatterystaple", "masterpassword", "myp@ssw0rd12",
}


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return "This password is among the most common ones; choose another."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def create_user(email: str, name: str, password: str, role: str, networks=(), actor=None) -> User:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    with unit_of_work(actor, system="create-user"):
        user = User(email=email.strip().lower(), name=name, password_hash=hash_password(password), role=role)
        user.networks = list(networks)
        db.session.add(user)
    return user


# --- login sessions --------------------------------------------------------

def start_login_session(user: User) -> str:
    """A new server-side session; returns the key the cookie will carry."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(key_hash=_digest(key), user_id=user.id))
    db.session.commit()
    return key


def load_login_session(key: str) -> LoginSession | None:
    """The live session for a cookie key, or None when it ended or expired."""
    if not key:
        return None
    row = db.session.scalar(select(LoginSession).where(LoginSession.key_hash == _digest(key)))
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


def end_login_session(key: str) -> None:
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.key_hash == _digest(key), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.commit()


def end_other_sessions(user: User, keep_key: str | None) -> None:
    """After a password change, every other browser is logged out."""
    query = update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    if keep_key:
        query = query.where(LoginSession.key_hash != _digest(keep_key))
    db.session.execute(query.values(ended_at=utcnow()))
    db.session.commit()


# --- rate limiting -----------------------------------------------------------

def login_blocked_until(email: str, address: str) -> dt.datetime | None:
    """When too many recent failures for this account or this address, the
    time the oldest of them leaves the window; otherwise None."""
    window = dt.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    limit = current_app.config["LOGIN_MAX_ATTEMPTS"]
    since = utcnow() - window
    for column, value in ((LoginAttempt.account_key, _digest(email.strip().lower())),
                          (LoginAttempt.address, address)):
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(column == value, LoginAttempt.at > since)
        ).one()
        if count >= limit:
            oldest = oldest if isinstance(oldest, dt.datetime) else dt.datetime.fromisoformat(str(oldest))
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=dt.UTC)
            return oldest + window
    return None


def record_failed_login(email: str, address: str) -> None:
    db.session.add(LoginAttempt(account_key=_digest(email.strip().lower()), address=address))
    db.session.commit()


def clear_failed_logins(email: str) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account_key == _digest(email.strip().lower())))
    db.session.commit()
