"""The weekly follow-up digest: each owner gets one mail listing the
recommendations they own that are due for a check (progress.py "due"),
through the outbox. `flask --app wsgi send-follow-up-digests` (run weekly
by cron or a systemd timer) is idempotent per week: a FollowUpDigest row
(user, Monday of the week) is written in the same unit of work as the mail,
and its unique constraint stops a second one, even from two runs at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.operations import unit_of_work
from ..auth.models import User
from ..core.clock import today as clock_today
from ..errors import Invalid
from ..extensions import db
from ..mail.operations import clean_address, queue_mail, render_mail
from .models import FollowUpDigest, Recommendation
from .progress import due_condition


def week_of(day: dt.date) -> dt.date:
    """The Monday of the day's ISO week: a digest's period."""
    return day - dt.timedelta(days=day.weekday())


@dataclass
class FollowUpRun:
    sent: int = 0
    already: int = 0  # had this week's digest


def due_by_owner(day: dt.date) -> dict[int, list[Recommendation]]:
    rows = db.session.scalars(
        select(Recommendation).where(due_condition(day), Recommendation.owner_id.is_not(None))
        .options(selectinload(Recommendation.workshop))
        .order_by(Recommendation.next_check_on, Recommendation.id))
    owned: dict[int, list[Recommendation]] = {}
    for rec in rows:
        owned.setdefault(rec.owner_id, []).append(rec)
    return owned


def send_follow_up_digests(day: dt.date | None = None) -> FollowUpRun:
    """Queue this week's digest for each active owner with something due
    (inside a request context with the site's base URL: cli.py opens one)."""
    day = day or clock_today()
    week = week_of(day)
    run = FollowUpRun()
    owned = due_by_owner(day)
    if not owned:
        return run
    done = set(db.session.scalars(select(FollowUpDigest.user_id).where(FollowUpDigest.week_of == week)))
    users = db.session.scalars(select(User).where(User.id.in_(list(owned)), User.active.is_(True)).order_by(User.id))
    for user in users:
        if user.id in done:
            run.already += 1
            continue
        try:
            address = clean_address(user.email)
        except Invalid:
            continue
        recs = owned[user.id]
        items = [(rec, url_for("outcomes.recommendation", recommendation_id=rec.id, _external=True)) for rec in recs]
        text, html = render_mail("follow_up_digest", user=user, items=items, day=day,
                                 list_url=url_for("outcomes.follow_up", show="due", owner="me", _external=True))
        try:
            with unit_of_work(None, system="send-follow-up-digests", note="Weekly follow-up digest queued") as session:
                queue_mail(session, kind="follow_up_digest", to=address,
                           subject=f"Follow-up due: {len(recs)} recommendation{'s' if len(recs) != 1 else ''}",
                           text=text, html=html)
                session.add(FollowUpDigest(user_id=user.id, week_of=week, due_count=len(recs)))
        except IntegrityError:
            run.already += 1  # another run wrote this week's digest first: its mail stands, ours is gone
            continue
        run.sent += 1
    return run
