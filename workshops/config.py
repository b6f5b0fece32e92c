"""One configuration, read from the environment (README lists every variable)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the clone: templates/, static/, migrations/
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message names the fix."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigError(f"{name} is {value!r}; set it to a whole number (0 or more), or leave it unset.")
    return number


# Development answers on this machine only, whatever the port. (Werkzeug
# cannot match an IPv6 literal such as [::1] against the list.)
DEVELOPMENT_HOSTS = ["localhost", "127.0.0.1"]


def trusted_hosts_from_env(production: bool, overridden: bool = False) -> list[str] | None:
    """TRUSTED_HOSTS (comma-separated; '.example.org' takes its subdomains
    too; '*' any host), else the host of SERVER_NAME; in development this
    machine's names. Production refuses to start without one of the two, so
    no link the app writes (calendar URLs, the API's `next`) can name a host
    that a request made up."""
    listed = [h.strip().lower() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if listed == ["*"]:
        return None
    if not listed:
        server = os.environ.get("SERVER_NAME", "").strip().lower()
        if server:
            listed = [server.split("://")[-1].split("/")[0]]
    if listed:
        return listed
    if production and not overridden:
        raise ConfigError(
            "TRUSTED_HOSTS is not set; in production set it to the host names the site is reached at "
            "(TRUSTED_HOSTS=workshops.example.org), or set SERVER_NAME."
        )
    return list(DEVELOPMENT_HOSTS)


def _development_secret_key(instance: Path) -> str:
    """Generated once and kept under instance/ so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url_from_env(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance / 'workshops.sqlite3'}"
    if url.startswith("postgres://"):
        raise ConfigError(
            "DATABASE_URL starts with postgres://; write postgresql+psycopg://user@host/dbname instead."
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not (url.startswith("sqlite:///") or url.startswith("postgresql+psycopg://")):
        raise ConfigError(
            "DATABASE_URL is not understood; use sqlite:////absolute/path.sqlite3 or "
            "postgresql+psycopg://user:password@host:5432/dbname."
        )
    return url


class Config:
    """Settings for a run of the app; tests pass a dict of overrides."""

    def __init__(self, overrides: dict | None = None):
        overrides = overrides or {}
        env = os.environ.get("WORKSHOPS_ENV", "development")
        self.ENV = overrides.get("ENV", env)
        self.PRODUCTION = self.ENV == "production"
        instance = Path(overrides.get("INSTANCE_PATH", INSTANCE_DIR))
        self.INSTANCE_PATH = str(instance)

        secret = os.environ.get("SECRET_KEY", "").strip()
        if not secret and "SECRET_KEY" not in overrides:
            if self.PRODUCTION:
                raise ConfigError(
                    "SECRET_KEY is not set; in production set it to a long random string "
                    "(python -c 'import secrets; print(secrets.token_hex(32))')."
                )
            secret = _development_secret_key(instance)
        self.SECRET_KEY = overrides.get("SECRET_KEY", secret)
        # Earlier keys, still read when decrypting secrets at rest (core/crypto.py).
        self.OLD_SECRET_KEYS = tuple(k.strip() for k in os.environ.get("OLD_SECRET_KEYS", "").split(",") if k.strip())

        self.SQLALCHEMY_DATABASE_URI = overrides.get("SQLALCHEMY_DATABASE_URI") or database_url_from_env(instance)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
            self.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"connect_timeout": 5}
        else:
            self.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"timeout": 15}

        self.DEMO_LOGIN = _bool("DEMO_LOGIN", not self.PRODUCTION) and not self.PRODUCTION
        self.HTTPS = _bool("HTTPS", False)
        self.SESSION_COOKIE_SECURE = self.HTTPS
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
        self.SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "24"))
        self.REQUIRE_ADMIN_2FA = _bool("REQUIRE_ADMIN_2FA", self.PRODUCTION)
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "5")) * 1024 * 1024
        # One uploaded document (documents/operations.py); below MAX_UPLOAD_MB, which bounds the whole request.
        self.DOCUMENT_MAX_BYTES = _int("DOCUMENT_MAX_MB", 4) * 1024 * 1024
        # Failed logins allowed in the window: for one account from one
        # address (the strict limit), from one address whatever the accounts,
        # and for one account from every address together (past that, only an
        # address with no failure in the window may still try: its owner).
        self.LOGIN_MAX_ATTEMPTS = _int("LOGIN_MAX_ATTEMPTS", 5)
        self.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = _int("LOGIN_MAX_ATTEMPTS_PER_ADDRESS", 50)
        self.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT = _int("LOGIN_MAX_ATTEMPTS_PER_ACCOUNT", 50)
        self.LOGIN_WINDOW_MINUTES = _int("LOGIN_WINDOW_MINUTES", 15)
        # Proxies in front of the app whose X-Forwarded-For/-Proto are believed
        # (0: none, the peer's address is the client's).
        self.TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
        # Host names this app answers to (Flask checks every request's Host
        # against them; others get 400).
        self.TRUSTED_HOSTS = trusted_hosts_from_env(self.PRODUCTION, "TRUSTED_HOSTS" in overrides)
        self.WTF_CSRF_TIME_LIMIT = None  # the CSRF token lives as long as the session
        self.WTF_CSRF_ENABLED = True
        self.PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "25"))
        # Mail (mail/sender.py): without MAIL_URL it is written to the log.
        self.MAIL_URL = os.environ.get("MAIL_URL", "").strip()
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "").strip()
        if self.MAIL_URL and not self.MAIL_FROM and "MAIL_FROM" not in overrides:
            raise ConfigError("MAIL_URL is set but MAIL_FROM is not; set it to the address mail comes from "
                              "(MAIL_FROM='Track-2 Workshops <workshops@example.org>').")
        self.MAIL_FROM = self.MAIL_FROM or "Track-2 Workshops <workshops@localhost>"
        self.MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)
        self.MAIL_RETRY_SECONDS = _int("MAIL_RETRY_SECONDS", 60)  # doubled after each failure
        self.MAIL_LEASE_SECONDS = _int("MAIL_LEASE_SECONDS", 600)  # a crashed sender's claim runs out
        self.MAIL_POLL_SECONDS = _int("MAIL_POLL_SECONDS", 10)
        self.MAIL_TIMEOUT_SECONDS = _int("MAIL_TIMEOUT_SECONDS", 30)
        self.TESTING = False
        self.SKIP_SCHEMA_CHECK = False

        for key, value in overrides.items():
            setattr(self, key, value)
