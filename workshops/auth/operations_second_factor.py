"""The second factor: a TOTP app's codes (each usable once) and the
recovery codes. Turning it off and new recovery codes ask for the password:
those two are in operations.py, beside the password check. Re-exported by
operations.py."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

import pyotp
from sqlalchemy import delete, func, or_, select, update

from ..audit.operations import Invalid, unit_of_work
from ..db import db, utcnow
from .models import LoginSession, RecoveryCode, User
from .operations_sessions import _digest, end_other_sessions, mark_second_factor_done

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
