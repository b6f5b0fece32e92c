"""Passwords and accounts: the password rules, hashing and checks, making,
deactivating and reactivating accounts (their API tokens die with them),
and the two second-factor changes that ask for the password.

Login sessions and rate limits are in operations_sessions, the second
factor in operations_second_factor; every name is importable from this
module, where the views, the CLI and the tests import it. hash_password and
_dummy_hash stay here: the tests swap them for a quick hash on this module.
"""

from __future__ import annotations

import datetime as dt
import gzip
import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.models import AuditEntry
from ..audit.operations import Invalid, expect_version, unit_of_work
from ..db import db, utcnow
from .models import ApiToken, RecoveryCode, User
from .operations_links import (  # noqa: F401  (re-exported)
    LINK_REFUSALS,
    LinkRefused,
    invitation_pending,
    invite_user,
    open_link,
    pending_invitations,
    reinvite_user,
    request_password_reset,
    set_password_by_link,
)
from .operations_second_factor import (  # noqa: F401  (re-exported)
    ISSUER,
    RECOVERY_CODE_COUNT,
    _new_recovery_codes,
    _normalise_recovery_code,
    check_second_factor,
    enable_totp,
    new_totp_secret,
    recovery_codes_left,
    totp_step,
    totp_uri,
    use_totp_code,
    valid_totp_secret,
)
from .operations_sessions import (  # noqa: F401  (re-exported)
    _digest,
    _end_sessions,
    _failures,
    clear_failed_logins,
    end_login_session,
    end_other_sessions,
    load_login_session,
    login_blocked_until,
    mark_second_factor_done,
    record_failed_login,
    session_complete,
    start_login_session,
)

MIN_PASSWORD_LENGTH = 12
# Said whenever a logged-in user's password re-check fails (the views count
# it as a failed login: auth/views.py _password_recheck).
WRONG_PASSWORD = "This is not your current password."  # noqa: S105  (a message, not a password)
MAX_PASSWORD_LENGTH = 1000
# The 20,000 most common passwords of public breach lists (Royce Williams'
# list, as shipped by Django under the BSD licence), one per line, gzipped.
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt.gz")
# Long ones people still pick, beyond that list.
EXTRA_COMMON_PASSWORDS = {
    "123456789012", "1234567890123", "12345678901234", "123456789123", "qwertyuiopas",
    "qwertyuiop123", "password1234", "password12345", "passwordpassword", "iloveyou1234",
    "abcdefghijkl", "abc123456789", "111111111111", "000000000000", "aaaaaaaaaaaa",
    "123123123123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
    "administrator", "letmeinplease", "welcome12345", "changeme1234", "passw0rd1234",
    "football1234", "baseball1234", "sunshine1234", "princess1234", "monkey123456",
    "trustno11234", "dragon123456", "superman1234", "asdfghjkl123", "asdfghjklqwe",
    "qwertyuiopasdfghjkl", "correcthorsebatterystaple", "masterpassword", "myp@ssw0rd12",
}
_DECORATION = "0123456789!@#$%^&*()-_=+.,;:?/\\|[]{}<>~`'\" "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8", errors="replace") as lines:
        listed = {line.strip().lower() for line in lines if line.strip()}
    return frozenset(listed | EXTRA_COMMON_PASSWORDS)


def _is_repetition(text: str) -> bool:
    """'abcabcabcabc', 'qwertyqwerty': a short unit said again and again."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a new password is refused, or None when it is acceptable.

    Refused: shorter than twelve characters; a common password, also when
    it is only a common one with digits or symbols around it
    ("sunshine2026!!"); a repetition; the person's own email or name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.lower()
    core = lowered.strip(_DECORATION)
    common = common_passwords()
    if lowered in common or (len(core) >= 4 and core in common) or len(set(password)) < 4 \
            or _is_repetition(lowered) or _is_repetition(core):
        return "This password is among the most common ones; choose another."
    personal = {email.strip().lower(), email.strip().lower().split("@")[0], name.strip().lower(),
                name.strip().lower().replace(" ", "")}
    if core in {p for p in personal if len(p) >= 4}:
        return "Do not use your name or email address as the password."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(user: User | None, password: str) -> bool:
    """For an unknown email the same hashing work is done, so the answer's
    timing does not tell which emails have an account."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def create_user(email: str, name: str, password: str, role: str, networks=(), actor=None) -> User:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ValueError(problem)
    with unit_of_work(actor, system="create-user"):
        user = User(email=email.strip().lower(), name=name, password_hash=hash_password(password), role=role)
        user.networks = list(networks)
        db.session.add(user)
    return user


def change_password(user: User, current: str, new: str, keep_key: str | None) -> None:
    """The user changes their own password; every other browser of theirs is
    logged out and every API token of theirs revoked (a token made by whoever
    knew the old password must die with it). Returns how many tokens were
    revoked. Raises Invalid when the current password is wrong or the new
    one is refused."""
    if not check_password(user, current):
        raise Invalid({"current_password": WRONG_PASSWORD})
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise Invalid({"new_password": problem})
    with unit_of_work(user, note="changed their password"):
        user.password_hash = hash_password(new)
        user.password_changed_at = utcnow()
        revoked = revoke_live_tokens(user, user, note="API token revoked: password changed")
        _end_sessions(user, keep_key)
    return revoked


def deactivate_user(actor, user: User, version: int | None = None) -> int:
    """The account can no longer be used: its login sessions end, its API
    tokens are revoked, and a login with its password is refused like a
    wrong one. Recorded in the audit trail. Returns how many tokens were
    revoked. Admins cannot deactivate themselves or the last active admin."""
    expect_version(user, version)
    if actor is not None and getattr(actor, "id", None) == user.id:
        raise Invalid({"user": "You cannot deactivate your own account; ask another admin."})
    if not user.active:
        raise Invalid({"user": "This account is already deactivated."})
    if user.is_admin and active_admin_count() <= 1:
        raise Invalid({"user": "This is the last active admin; make another admin first."})
    with unit_of_work(actor, system="deactivate-user", note="account deactivated"):
        user.active = False
        revoked = revoke_live_tokens(actor, user, note="API token revoked: account deactivated")
        _end_sessions(user, None)
    return revoked


def reactivate_user(actor, user: User, version: int | None = None) -> None:
    """The account may log in again (with new sessions; revoked tokens stay revoked)."""
    expect_version(user, version)
    if user.active:
        raise Invalid({"user": "This account is active already."})
    with unit_of_work(actor, system="reactivate-user", note="account reactivated"):
        user.active = True


def revoke_live_tokens(actor, user: User, note: str) -> int:
    """Every live API token of `user` stops working (password changed, account
    deactivated); called inside the caller's unit of work. Returns how many."""
    now = utcnow()
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        mark_revoked(actor, token, now, note)
    return len(tokens)


def mark_revoked(actor, token: ApiToken, now: dt.datetime, note: str) -> None:
    """The token is revoked now, and the audit trail says so."""
    token.revoked_at = now
    # The audit trail leaves out timestamp columns, so the revocation
    # would otherwise pass unrecorded: it is written here explicitly.
    db.session.add(AuditEntry(
        user_id=getattr(actor, "id", None), actor=getattr(actor, "name", "system"), action="update",
        object_type="ApiToken", object_id=token.id, object_label=token.name[:300],
        changes={"revoked_at": [None, now.isoformat()]}, note=note,
    ))


def active_admin_count() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))) or 0


# --- the second factor, turned off or renewed (the password is asked) -------

def disable_totp(user: User, password: str) -> None:
    if not check_password(user, password):
        raise Invalid({"password": WRONG_PASSWORD})
    if user.is_admin and current_app.config.get("REQUIRE_ADMIN_2FA"):
        raise Invalid({"password": "Admins must keep the second factor on."})
    with unit_of_work(user, note="turned off the second factor"):
        user.totp_secret = None
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    if not user.has_second_factor:
        raise Invalid({"password": "Turn on the second factor first."})
    if not check_password(user, password):
        raise Invalid({"password": WRONG_PASSWORD})
    with unit_of_work(user, note="made new recovery codes"):
        return _new_recovery_codes(user)

