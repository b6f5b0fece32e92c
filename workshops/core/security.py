"""Response headers every page carries, the body size limit, and a logging
safety net that keeps email addresses, tokens and secrets out of log lines.

The Content-Security-Policy allows no inline script or style at all: every
template keeps its CSS in static/app.css and its JavaScript in
static/<capability>.js (tests/security/test_templates.py checks this).
"""

from __future__ import annotations

import logging
import re

from flask import Flask, abort, current_app, g, request, session

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
))
HSTS = "max-age=31536000; includeSubDomains"

# Personal agenda links (/agenda/<slug>/p/<token>) show one participant's
# programme to whoever holds the link: never kept by a browser or proxy cache.
PERSONAL_PATHS = re.compile(r"^/agenda/[^/]+/p/")


def init_app(app: Flask) -> None:
    install_log_redaction()
    # Cookies: never readable by scripts, not sent on cross-site posts, and
    # only over HTTPS when the app is served over HTTPS.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True

    @app.before_request
    def _refuse_large_bodies() -> None:
        # Werkzeug refuses an oversized body only when a view reads it; refuse
        # it up front so no route can be made to buffer it.
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length and request.content_length > limit:
            abort(413, f"The upload is larger than {limit // (1024 * 1024)} MB.")

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_app.config.get("HTTPS"):
            headers.setdefault("Strict-Transport-Security", HSTS)
        request_id = g.get("request_id")
        if request_id:
            headers["X-Request-Id"] = request_id
        if shows_personal_data():
            headers["Cache-Control"] = "no-store"
            headers.add("Vary", "Cookie")
        return response


def shows_personal_data() -> bool:
    """Every page for a logged-in browser or an API token, and every page
    reached through a secret link, may show personal data. Decided without a database query
    (the session cookie carries the login key), so it holds even while the
    database is away."""
    if request.endpoint == "static":
        return False
    if "_user_id" in session or "login_key" in session or "Authorization" in request.headers:
        return True
    if PERSONAL_PATHS.match(request.path):
        return True
    return any("token" in name for name in (request.view_args or {}))


# --- logs --------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
# A secret in a query string or a form dump: password=…, token=…, code=…
_SECRET_PARAM = re.compile(
    r"(?i)\b(password|passwd|secret|token|code|key|otp|csrf_token)=([^&\s\"']+)"
)
# A random token (secrets.token_urlsafe and the like): a long run of URL-safe
# characters mixing upper case, lower case and digits. Slugs (lower case)
# and hex digests are left alone so log lines stay readable.
_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[\w-]{20,}")


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=[redacted]", text)
    return _TOKEN.sub("[token]", text)


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001  (a malformed log call is logging's own business)
        return
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters use exc_text when set: the traceback is masked too (a
        # database error's message lists the statement's parameters).
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))


def install_log_redaction() -> None:
    """Mask emails, tokens and secret parameters in every log record, from
    any logger, before any handler sees it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacting", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    factory.redacting = True
    logging.setLogRecordFactory(factory)
