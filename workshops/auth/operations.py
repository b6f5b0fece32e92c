"""Passwords, login sessions, login rate limits and the second factor."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import re
import secrets
from functools import lru_cache
from pathlib import Path

import pyotp
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.models import AuditEntry
from ..audit.operations import Invalid, expect_version, unit_of_work
from ..db import db, utcnow
from .models import ApiToken, LoginAttempt, LoginSession, RecoveryCode, User

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


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


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


# --- second factor (TOTP) and recovery codes -----------------------------------

ISSUER = "Track-2 Workshops"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def valid_totp_secret(secret: str) -> bool:
    return bool(re.fullmatch(r"[A-Z2-7]{32}", secret or ""))


def totp_step(secret: str | None, code: str, now: dt.datetime | None = None) -> int | None:
    """The 30-second time step a six-digit code belongs to: now's, or the
    one before or after (clocks drift); None when it is none of them."""
    code = re.sub(r"\s", "", code or "")
    if not secret or not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utcnow())
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_totp_code(user: User, code: str) -> bool:
    """Every check of a user's TOTP code: right, and of a later time step
    than the last code accepted, so a code (seen over a shoulder, or sent
    twice) works once. The step is recorded in the same statement that
    checks it, so two requests racing with one code cannot both pass."""
    step = totp_step(user.totp_secret, code)
    if step is None:
        return False
    table = User.__table__
    used = db.session.execute(
        update(table)
        .where(table.c.id == user.id, or_(table.c.totp_last_step.is_(None), table.c.totp_last_step < step))
        .values(totp_last_step=step)
    )
    db.session.commit()
    return used.rowcount == 1


def _normalise_recovery_code(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (code or "").lower())


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; returns them in clear, to show once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(_normalise_recovery_code(raw))))
    return codes


def enable_totp(user: User, secret: str, code: str, keep_key: str | None) -> list[str]:
    """Turn the second factor on once the user proved their app has the
    secret; returns ten new recovery codes. Other browsers are logged out:
    they logged in without the second factor."""
    if not valid_totp_secret(secret):
        raise Invalid({"code": "The setup expired; start again."})
    step = totp_step(secret, code)
    if step is None:
        raise Invalid({"code": "This code is not right. Check the time on your phone and try the next code."})
    with unit_of_work(user, note="turned on the second factor"):
        user.totp_secret = secret  # stored encrypted (auth/models.py)
        user.totp_last_step = step  # this code is used up
        codes = _new_recovery_codes(user)
    if keep_key:
        row = db.session.scalar(select(LoginSession).where(LoginSession.key_hash == _digest(keep_key)))
        if row is not None:
            mark_second_factor_done(row)
    end_other_sessions(user, keep_key)
    return codes


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


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) or 0


def check_second_factor(user: User, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code (then used up)."""
    if user.has_second_factor and use_totp_code(user, code):
        return True
    normalised = _normalise_recovery_code(code)
    if len(normalised) != 10:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(normalised),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.session.commit()
    return used.rowcount == 1
