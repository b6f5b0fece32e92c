"""Accounts: users with a role, the networks an organiser works in, login
sessions kept on the server (so a copied cookie dies at logout), API tokens,
login attempts (rate limiting across workers) and second-factor codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.crypto import decrypt, encrypt
from ..db import Base, UTCDateTime, utcnow
from ..vocab import USER_ROLES, sql_in

organiser_network = Table(
    "organiser_network",
    Base.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(sql_in("role", USER_ROLES), name="role"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The second factor's secret, Fernet-encrypted (core/crypto.py); read
    # and write it as `totp_secret`.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(String(255))
    # The last TOTP time step accepted, so a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    networks = relationship("Network", secondary=organiser_network, lazy="selectin")
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def has_second_factor(self) -> bool:
        """Known without the key: a secret the key no longer opens still
        counts (its owner then logs in with a recovery code)."""
        return self.totp_secret_encrypted is not None

    @property
    def totp_secret(self) -> str | None:
        return decrypt(self.totp_secret_encrypted) if self.totp_secret_encrypted else None

    @totp_secret.setter
    def totp_secret(self, secret: str | None) -> None:
        self.totp_secret_encrypted = encrypt(secret) if secret else None
        self.totp_last_step = None

    def can_edit_network(self, network_id: int | None) -> bool:
        """Admins edit everything; organisers only within their networks."""
        if not self.active:
            return False
        if self.role == "admin":
            return True
        if self.role == "organiser":
            return network_id in {n.id for n in self.networks}
        return False

    @property
    def can_edit_anything(self) -> bool:
        return self.active and self.role in ("admin", "organiser")

    @property
    def label(self) -> str:
        return self.name


class LoginSession(Base):
    """One logged-in browser. The cookie carries only this row's random key;
    logging out or changing the password ends the row, so a copy of the
    cookie is worthless afterwards."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A personal API token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed logins, kept in the shared database so that the limit holds
    across every gunicorn worker and machine."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)  # hash of the email
    address: Mapped[str] = mapped_column(String(64), index=True)


class RecoveryCode(Base):
    """Single-use second-factor recovery codes (hashed)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


PASSWORD_LINK_PURPOSES = ("reset", "invitation")


class PasswordLink(Base):
    """A link that lets its holder set the account's password: a password
    reset (valid an hour) or an invitation (valid a week). Only the SHA-256
    of its random token is stored; `used_at` makes it single-use, and
    setting a password voids every other open link of the account."""

    __tablename__ = "password_link"
    __table_args__ = (CheckConstraint(sql_in("purpose", PASSWORD_LINK_PURPOSES), name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def label(self) -> str:
        return f"{'Invitation' if self.purpose == 'invitation' else 'Password reset'} link of user {self.user_id}"
