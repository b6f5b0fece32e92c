"""Error pages in the app's look; JSON problem details under /api/.

Every error page names the request's id (also sent as X-Request-Id and
written in the log line), never a stack trace. While the database is away the
pages answer 503 without touching it again (not even to load the user)."""

from __future__ import annotations

import logging

from flask import g, jsonify, render_template, request
from flask_login import AnonymousUserMixin
from markupsafe import escape
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from ..extensions import db

log = logging.getLogger("workshops.errors")

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "You may not do this",
    404: "Not found",
    405: "Not allowed",
    409: "Changed meanwhile",
    413: "Too large",
    422: "Not valid",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "The database is unavailable",
}
DATABASE_AWAY = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def problem(status: int, detail: str, **extra):
    """RFC 9457 problem details, the API's one error format. `extra` adds
    members such as `errors` ({field: message}); None values are left out."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail, "error_id": g.get("request_id", "")}
    body.update({key: value for key, value in extra.items() if value is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _render(status: int, detail: str):
    error_id = g.get("request_id", "")
    title = TITLES.get(status, "Error")
    if _wants_json():
        return problem(status, detail)
    try:
        return render_template("errors/error.html", status=status, title=title, detail=detail,
                               error_id=error_id), status
    except Exception:  # noqa: BLE001  (the layout itself failed: a bare page, still no trace)
        log.exception("error page could not be rendered (request %s)", error_id)
        html = (f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
                f"<p>{escape(detail)}</p><p>Error id: {escape(error_id)}</p>")
        return html, status


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (a dead connection cannot roll back; the pool drops it)
        log.warning("rollback failed (request %s)", g.get("request_id", ""))


def register_error_handlers(app) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code in (401, 403):
            log.warning("access refused %s %s (request %s)", request.method, request.path,
                        g.get("request_id", ""))
        elif exc.code == 413:
            log.warning("request body too large %s %s (request %s)", request.method, request.path,
                        g.get("request_id", ""))
        return _render(exc.code or 500, exc.description or "")

    @app.errorhandler(DATABASE_AWAY[0])
    @app.errorhandler(DATABASE_AWAY[1])
    @app.errorhandler(DATABASE_AWAY[2])
    @app.errorhandler(DATABASE_AWAY[3])
    def _database_down(exc):
        _rollback()
        # The layout asks who is logged in; answering needs the database.
        g._login_user = AnonymousUserMixin()
        log.error("database unavailable (request %s): %s", g.get("request_id", ""), type(exc).__name__)
        return _render(503, "The database cannot be reached just now. Please try again in a minute.")

    @app.errorhandler(Exception)
    def _unexpected(exc):
        _rollback()
        log.exception("server error (request %s)", g.get("request_id", ""))
        return _render(500, "The error has been logged. Quote the error id if you report it.")
