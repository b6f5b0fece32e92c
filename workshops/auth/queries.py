"""Reading accounts for the admins' user list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..audit.models import AuditEntry
from ..db import db
from .models import ApiToken, LoginSession, User


@dataclass(frozen=True)
class UserRow:
    user: User
    last_login: dt.datetime | None
    live_sessions: int
    live_tokens: int


def users_for_admins() -> list[UserRow]:
    """Every account, active ones first, with when it last logged in and
    how many sessions and API tokens it has live (two grouped subqueries,
    one statement)."""
    sessions = (
        select(
            LoginSession.user_id,
            func.max(LoginSession.created_at).label("last_login"),
            func.count(LoginSession.id).filter(LoginSession.ended_at.is_(None)).label("live"),
        )
        .group_by(LoginSession.user_id)
        .subquery()
    )
    tokens = (
        select(ApiToken.user_id, func.count(ApiToken.id).label("live"))
        .where(ApiToken.revoked_at.is_(None))
        .group_by(ApiToken.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User, sessions.c.last_login, sessions.c.live, tokens.c.live)
        .outerjoin(sessions, sessions.c.user_id == User.id)
        .outerjoin(tokens, tokens.c.user_id == User.id)
        .order_by(User.active.desc(), func.lower(User.name), User.id)
    ).all()
    return [UserRow(user, _aware(last), live or 0, live_tokens or 0) for user, last, live, live_tokens in rows]


def _aware(value) -> dt.datetime | None:
    """An aggregate of a UTC column comes back naive (or as text on SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def users_in_log() -> list[tuple[int, str]]:
    """(id, name) of the users who appear in the audit trail, for its filter
    (here, where the users are: the trail sits below the accounts)."""
    rows = db.session.execute(
        select(User.id, User.name, User.email)
        .where(User.id.in_(select(AuditEntry.user_id).where(AuditEntry.user_id.is_not(None)).distinct()))
        .order_by(User.name)
    ).all()
    return [(i, f"{name} ({email})") for i, name, email in rows]
