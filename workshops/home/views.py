"""The home page: what is coming up, and for users the latest uptake and
the figures. It reads programme and outcomes, so it sits above them (and
core, below every capability, reads none of them)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..core.clock import today
from . import queries

bp = Blueprint("home", __name__)


@bp.route("/")
def home():
    public_only = not current_user.is_authenticated
    upcoming = queries.upcoming_workshops(today(), public_only=public_only)
    if public_only:
        return render_template("home/home.html", upcoming=upcoming, recent_events=[], counts={})
    return render_template("home/home.html", upcoming=upcoming, recent_events=queries.recent_uptake_events(),
                           counts=queries.counts())
