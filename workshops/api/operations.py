"""Personal API tokens: created and revoked by their owner, recorded in the
audit trail. The secret is shown once and only its SHA-256 is stored, so a
copy of the database gives no one access."""

from __future__ import annotations

import datetime as dt
import secrets

from ..audit.operations import Invalid, unit_of_work
from ..auth.models import ApiToken, User
from ..auth.operations import mark_revoked
from ..core.cleaning import column_limit, length_message, strip_controls
from ..db import utcnow
from ..extensions import db
from .queries import live_token_count, token_digest

TOKEN_PREFIX = "t2w_"  # noqa: S105  (not a secret: tells a leaked token apart in logs and secret scanners
NAME_MAX = column_limit(ApiToken.name)
MAX_LIVE_TOKENS = 20
# Writing last_used_at on every request would turn reads into writes.
USE_RECORDED_EVERY = dt.timedelta(minutes=1)


def create_token(actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret (shown once)."""
    name = strip_controls(name)
    if not name:
        raise Invalid({"name": "Name the token after what will use it, e.g. “Institute website”."})
    if len(name) > NAME_MAX:
        raise Invalid({"name": length_message(NAME_MAX)})
    if live_token_count(user.id) >= MAX_LIVE_TOKENS:
        raise Invalid({"name": f"You have {MAX_LIVE_TOKENS} tokens already; revoke one you no longer use."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work(actor, note="API token created"):
        token = ApiToken(user_id=user.id, name=name, token_hash=token_digest(secret), prefix=secret[:12])
        db.session.add(token)
    return token, secret


def revoke_token(actor, token: ApiToken) -> None:
    """The token stops working at once; its row stays, marked revoked."""
    if token.revoked_at is not None:
        raise Invalid({"token": "This token is already revoked."})
    with unit_of_work(actor, note="API token revoked"):
        mark_revoked(actor, token, utcnow(), "API token revoked")


def record_use(token: ApiToken) -> None:
    """Note when the token was last used (at most once a minute)."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY:
        return
    with unit_of_work(token.user):
        token.last_used_at = now
