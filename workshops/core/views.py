"""The health check (the home page is workshops/home/)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .health import database_problem

bp = Blueprint("core", __name__)


@bp.route("/healthz")
def healthz():
    problem = database_problem()
    if problem:
        return jsonify({"status": "error", "database": problem}), 503
    return jsonify({"status": "ok", "database": "ok"})
