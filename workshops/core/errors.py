"""Error pages in the app's look; JSON problem details under /api/."""

from __future__ import annotations

import logging

from flask import g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError, InterfaceError
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
    error_id = getattr(g, "request_id", "")
    if _wants_json():
        return problem(status, detail)
    return render_template("errors/error.html", status=status, title=TITLES.get(status, "Error"),
                           detail=detail, error_id=error_id), status


def register_error_handlers(app) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code in (403, 401):
            log.warning("access refused %s %s (request %s)", request.method, request.path,
                        getattr(g, "request_id", ""))
        return _render(exc.code or 500, exc.description or "")

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_down(exc):
        db.session.rollback()
        log.error("database unavailable (request %s): %s", getattr(g, "request_id", ""),
                  type(exc).__name__)
        return _render(503, "The database cannot be reached just now. Please try again in a minute.")

    @app.errorhandler(Exception)
    def _unexpected(exc):
        db.session.rollback()
        log.exception("server error (request %s)", getattr(g, "request_id", ""))
        return _render(500, "The error has been logged. Quote the error id if you report it.")
