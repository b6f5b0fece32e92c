"""Password links: a forgotten password reset through a mailed link, and
an invited user setting their first password through one.

A link carries a random token (32 bytes, URL-safe); only its SHA-256 is
stored (PasswordLink), with an expiry (an hour for a reset, a week for an
invitation) and `used_at`. Using it is a compare-and-set on `used_at`, in
the same transaction as the new password, so a link works once even when
two browsers submit it together; setting a password voids every other open
link of the account, ends every login session and revokes the API tokens
(as a password change does). No password is ever mailed.

The mails are queued through mail.queue_mail in the same unit of work, so
a link and its mail exist together or not at all."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable

from sqlalchemy import func, inspect, select, update

from ..audit.operations import Invalid, unit_of_work
from ..db import db, utcnow
from ..mail.operations import clean_address, queue_mail, render_mail
from ..vocab import USER_ROLES
from .models import PasswordLink, User
from .operations_sessions import _digest, _end_sessions
from .queries import _aware

RESET_VALIDITY = dt.timedelta(hours=1)
INVITATION_VALIDITY = dt.timedelta(days=7)
VALIDITY = {"reset": RESET_VALIDITY, "invitation": INVITATION_VALIDITY}
# What a link that cannot be used says (never a 500).
LINK_REFUSALS = {
    "unknown": "This link is not valid. Copy the whole link from the mail, or ask for a new one.",
    "used": "This link has been used already: each link sets a password once. Log in, or ask for a new link.",
    "expired": "This link has expired. Ask for a new one.",
    "inactive": "This account is deactivated; ask an admin.",
}


class LinkRefused(Exception):
    """The link cannot be used; `reason` is a key of LINK_REFUSALS."""

    def __init__(self, reason: str, purpose: str | None = None):
        super().__init__(LINK_REFUSALS[reason])
        self.reason = reason
        self.purpose = purpose


def _new_link(session, user: User, purpose: str) -> str:
    """A new link for `user` (inside the caller's unit of work); returns the token."""
    token = secrets.token_urlsafe(32)
    session.add(PasswordLink(user_id=user.id, purpose=purpose, token_hash=_digest(token),
                             expires_at=utcnow() + VALIDITY[purpose]))
    return token


def _void_open_links(user: User, purpose: str | None = None) -> None:
    query = update(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    if purpose:
        query = query.where(PasswordLink.purpose == purpose)
    db.session.execute(query.values(used_at=utcnow()).execution_options(synchronize_session=False))


def request_password_reset(email: str, link_for: Callable[[str], str]) -> bool:
    """Queue a reset mail when `email` is an active account's; say nothing
    either way (the caller shows one answer). `link_for(token)` is the
    page's absolute URL. Returns whether a mail was queued (for the log)."""
    address = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == address)) if address else None
    if user is None or not user.active:
        return False
    with unit_of_work(None, system="password reset", note="password reset requested") as session:
        link = link_for(_new_link(session, user, "reset"))
        text, html = render_mail("password_reset", user=user, link=link, hours=1)
        queue_mail(session, kind="password_reset", to=user.email, subject="Reset your Track-2 Workshops password",
                   text=text, html=html)
    return True


def open_link(token: str) -> PasswordLink:
    """The link a token names, or LinkRefused saying why it cannot be used."""
    if not token or len(token) > 100:
        raise LinkRefused("unknown")
    link = db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _digest(token)))
    if link is None:
        raise LinkRefused("unknown")
    if link.used_at is not None:
        raise LinkRefused("used", link.purpose)
    if link.expires_at <= utcnow():
        raise LinkRefused("expired", link.purpose)
    if not link.user.active:
        raise LinkRefused("inactive", link.purpose)
    return link


def set_password_by_link(token: str, new_password: str) -> User:
    """Use the link: the new password (the password rules apply), every
    session of the user ends, their API tokens are revoked, their other
    open links die. Raises LinkRefused, or Invalid naming new_password."""
    from .operations import hash_password, password_problem, revoke_live_tokens

    link = open_link(token)
    user = link.user
    problem = password_problem(new_password, email=user.email, name=user.name)
    if problem:
        raise Invalid({"new_password": problem})
    note = "accepted the invitation and set their password" if link.purpose == "invitation" \
        else "set a new password through a reset link"
    with unit_of_work(user, note=note) as session:
        now = utcnow()
        claimed = session.execute(
            update(PasswordLink).where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None),
                                       PasswordLink.expires_at > now)
            .values(used_at=now).execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            raise LinkRefused("used", link.purpose)
        _void_open_links(user)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = now
        revoke_live_tokens(user, user, note="API token revoked: password set through a link")
        _end_sessions(user, None)
    return user


def network_model():
    """The Network class, reached through the User.networks relationship
    (accounts sit below the programme layer and name its models by string)."""
    return inspect(User).relationships["networks"].mapper.class_


def invite_user(actor, email: str, name: str, role: str, network_ids: Iterable[int],
                link_for: Callable[[str], str]) -> User:
    """An account without a usable password (a random one nobody knows),
    and a mail with a link valid a week to set their own. Admins only (the
    view checks)."""
    from .operations import hash_password

    address = clean_address(email, "email")
    errors = {}
    if db.session.scalar(select(User.id).where(User.email == address)) is not None:
        errors["email"] = "There is already an account with this address."
    if role not in USER_ROLES:
        errors["role"] = "Choose a role."
    name = " ".join((name or "").split())[:200] or address.split("@")[0]
    network = network_model()
    wanted = sorted(set(network_ids)) if role == "organiser" else []
    networks = list(db.session.scalars(select(network).where(network.id.in_(wanted)))) if wanted else []
    if len(networks) != len(wanted):
        errors["networks"] = "Choose networks from the list."
    if errors:
        raise Invalid(errors)
    with unit_of_work(actor, note=f"invited {address} as {role}") as session:
        now = utcnow()
        user = User(email=address, name=name, role=role, password_hash=hash_password(secrets.token_urlsafe(32)),
                    created_at=now, password_changed_at=now)
        user.networks = networks
        session.add(user)
        session.flush()
        _queue_invitation(session, actor, user, link_for)
    return user


def reinvite_user(actor, user: User, link_for: Callable[[str], str]) -> None:
    """A new invitation link (the older ones stop working) and its mail;
    only for an account whose invitation has not been accepted."""
    if not invitation_pending(user):
        raise Invalid({"user": "This person has set their password already; they can use “Forgot your password?”."})
    if not user.active:
        raise Invalid({"user": "This account is deactivated; reactivate it first."})
    with unit_of_work(actor, note=f"invited {user.email} again") as session:
        _void_open_links(user, "invitation")
        _queue_invitation(session, actor, user, link_for)


def _queue_invitation(session, actor, user: User, link_for) -> None:
    link = link_for(_new_link(session, user, "invitation"))
    inviter = getattr(actor, "name", None) or "An admin"
    text, html = render_mail("user_invitation", user=user, inviter=inviter, link=link,
                             days=INVITATION_VALIDITY.days)
    queue_mail(session, kind="user_invitation", to=user.email,
               subject="You are invited to Track-2 Workshops", text=text, html=html)


def invitation_pending(user: User) -> bool:
    """Invited, and no password set since (through the link or otherwise)."""
    return user.id in pending_invitations([user.id])


def pending_invitations(user_ids=None) -> dict[int, dt.datetime]:
    """{user id: when their latest invitation link expires} for the invited
    accounts whose password was not set since their latest invitation."""
    query = (
        select(PasswordLink.user_id, func.max(PasswordLink.created_at), func.max(PasswordLink.expires_at),
               User.password_changed_at)
        .join(User, User.id == PasswordLink.user_id)
        .where(PasswordLink.purpose == "invitation")
        .group_by(PasswordLink.user_id, User.password_changed_at)
    )
    if user_ids is not None:
        query = query.where(PasswordLink.user_id.in_(list(user_ids)))
    return {user_id: _aware(expires) for user_id, created, expires, changed in db.session.execute(query)
            if changed <= _aware(created)}

