"""Response headers every page carries, the body size limit, and a logging
safety net that keeps email addresses, tokens and secrets out of log lines.

The Content-Security-Policy allows no inline script or style at all: every
template keeps its CSS in static/app.css and its JavaScript in
static/<capability>.js (tests/security/test_templates.py checks this).
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, abort, current_app, g, request, session
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger("workshops.security")

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
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        # Behind that many proxies (README: nginx), the client's address and
        # scheme are the ones the nearest proxies saw; a client's own
        # X-Forwarded-For entries further left are ignored. The Host header is
        # not taken from X-Forwarded-Host: the proxy passes Host through.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    # Cookies: never readable by scripts, not sent on cross-site posts, and
    # only over HTTPS when the app is served over HTTPS.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True

    @app.before_request
    def _refuse_untrusted_hosts():
        # Flask 3.1 checks Host against TRUSTED_HOSTS while matching the URL
        # and leaves no URL adapter behind, so the app's error page (which
        # builds URLs) cannot be drawn: answer a plain 400 before anything else.
        if isinstance(request.routing_exception, SecurityError):
            log.warning("request refused: host not trusted (request %s)", g.get("request_id", ""))
            message = "This site is not served under that host name."
            if request.path.startswith("/api/"):
                from .errors import problem

                return problem(400, message)
            return Response(f"Bad request: {message}\n", 400, mimetype="text/plain")
        return None

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
# A token where it is known to be one, whatever its letters: the secret and
# personal agenda links (/agenda/<slug>/s/<token>, /p/<token>), a bearer
# token, an API token (t2w_…), and a path segment after reset/, confirm/,
# verify/, invite/ or token/ (links sent by email).
_TOKEN_IN_PLACE = re.compile(
    r"(?i)(?:(?<=/[sp]/)|(?<=/reset/)|(?<=/confirm/)|(?<=/verify/)|(?<=/invite/)|(?<=/token/))"
    r"[\w-]{8,}"
    r"|(?<=\bBearer )[^\s,;\"']+"
    r"|\bt2w_[\w-]+"
)
# Anywhere else, a random token (secrets.token_urlsafe and the like): a run
# of at least 20 URL-safe characters mixing upper and lower case, with or
# without digits. Slugs (lower case) and hex digests are left alone, and so
# are CamelCase names (PendingRollbackError) so log lines stay readable.
_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[\w-]{20,}(?![\w-])")
_CAMEL_CASE = re.compile(r"[a-z]*(?:[A-Z]+[a-z]{2,})+[A-Z]*")


def _mask_token(match: re.Match) -> str:
    return match.group(0) if _CAMEL_CASE.fullmatch(match.group(0)) else "[token]"


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=[redacted]", text)
    text = _TOKEN_IN_PLACE.sub("[token]", text)
    return _TOKEN.sub(_mask_token, text)


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
