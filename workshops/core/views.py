"""The home page and the health check."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..outcomes.models import Recommendation, UptakeEvent
from ..programme.models import Network, Series, Workshop
from .health import database_problem

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    today = dt.date.today()
    public_only = not current_user.is_authenticated
    upcoming_q = (
        select(Workshop)
        .where(Workshop.end_date >= today, Workshop.status != "cancelled")
        .options(selectinload(Workshop.series).selectinload(Series.network), selectinload(Workshop.host))
        .order_by(Workshop.start_date)
        .limit(6)
    )
    if public_only:
        upcoming_q = upcoming_q.where(Workshop.visibility == "public", Workshop.status == "published")
    upcoming = db.session.scalars(upcoming_q).all()
    recent_events = []
    counts = {}
    if not public_only:
        recent_events = db.session.scalars(
            select(UptakeEvent)
            .options(selectinload(UptakeEvent.recommendation), selectinload(UptakeEvent.track1_body))
            .order_by(UptakeEvent.occurred_on.desc(), UptakeEvent.id.desc())
            .limit(6)
        ).all()
        counts = {
            "networks": db.session.scalar(select(func.count(Network.id))),
            "workshops": db.session.scalar(select(func.count(Workshop.id))),
            "recommendations": db.session.scalar(select(func.count(Recommendation.id))),
            "events": db.session.scalar(select(func.count(UptakeEvent.id))),
        }
    return render_template("core/home.html", upcoming=upcoming, recent_events=recent_events, counts=counts)


@bp.route("/healthz")
def healthz():
    problem = database_problem()
    if problem:
        return jsonify({"status": "error", "database": problem}), 503
    return jsonify({"status": "ok", "database": "ok"})
