"""The outbox page: what was sent to whom, when, and what failed, with
resend. Admins see every mail; organisers the mail of their networks
(password resets and account invitations belong to no network: admins
only); viewers are refused. The bodies are not shown (they hold links,
a password reset's, that only their addressee may use), except in
development without MAIL_URL, where nothing is sent and the log masks links."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import false, func, select
from wtforms import Form

from ..audit.operations import unit_of_work
from ..auth.access import editor_required
from ..core.forms import FilterSelect, SearchText, options
from ..core.pages import guarded
from ..core.pagination import paginate
from ..db import utcnow
from ..extensions import db
from . import operations
from .message import mask_mail_url, parse_mail_url
from .models import MAIL_KIND_LABELS, MAIL_STATUS_LABELS, OutboxMessage
from .sender import LogTransport, send_waiting

bp = Blueprint("mail", __name__)
log = logging.getLogger("workshops.mail")
UNATTENDED_MINUTES = 10


def _networks_seen() -> list[int] | None:
    """None: every mail (an admin); else the organiser's networks."""
    if current_user.is_admin:
        return None
    return sorted(n.id for n in current_user.networks) if current_user.role == "organiser" else []


def may_see_mail(message: OutboxMessage) -> bool:
    if not (current_user.is_authenticated and current_user.active and current_user.can_edit_anything):
        return False
    networks = _networks_seen()
    return networks is None or message.network_id in networks


def _seen(query):
    networks = _networks_seen()
    if networks is None:
        return query
    return query.where(OutboxMessage.network_id.in_(networks)) if networks else query.where(false())


class OutboxFilterForm(Form):
    status = FilterSelect("Status", choices=options({"": "Any status", **MAIL_STATUS_LABELS}))
    q = SearchText("Address or subject")


class ResendForm(FlaskForm):
    """The resend button (CSRF only)."""


def _delivery() -> str:
    url = current_app.config.get("MAIL_URL") or ""
    if not url:
        return ""
    try:
        return mask_mail_url(parse_mail_url(url))
    except Exception:  # noqa: BLE001  (shown as not understood; the sender says why)
        return "MAIL_URL (not understood)"


def _show_bodies() -> bool:
    """Development without MAIL_URL: nothing is sent and the log masks
    links, so the page shows each mail's text (a reset link can be
    followed). Never in production, where bodies hold others' links."""
    return not current_app.config.get("MAIL_URL") and not current_app.config.get("PRODUCTION")


@bp.route("/outbox")
@editor_required
def outbox():
    form = OutboxFilterForm(request.args)
    form.validate()
    query = _seen(select(OutboxMessage))
    if form.status.data in MAIL_STATUS_LABELS:
        query = query.where(OutboxMessage.status == form.status.data)
    for word in (form.q.data or "").split()[:8]:
        pattern = f"%{word.lower()}%"
        query = query.where(OutboxMessage.to_address.like(pattern) | func.lower(OutboxMessage.subject).like(pattern))
    counts = dict(db.session.execute(
        _seen(select(OutboxMessage.status, func.count(OutboxMessage.id))).group_by(OutboxMessage.status)).all())
    page = paginate(query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))
    # Mail no sender has tried for ten minutes: is send-mail running?
    unattended = db.session.scalar(_seen(select(func.count(OutboxMessage.id))).where(
        OutboxMessage.status == "waiting", OutboxMessage.attempts == 0,
        OutboxMessage.created_at < utcnow() - dt.timedelta(minutes=UNATTENDED_MINUTES))) or 0
    return render_template(
        "mail/outbox.html", form=form, page=page, counts=counts, kind_labels=MAIL_KIND_LABELS,
        status_labels=MAIL_STATUS_LABELS, resend_form=ResendForm(), delivery=_delivery(), show_bodies=_show_bodies(),
        filtered=any(request.args.get(k) for k in ("status", "q")), unattended=unattended,
        unattended_minutes=UNATTENDED_MINUTES)


@bp.route("/outbox/<int:message_id>/resend", methods=["POST"])
@guarded(lambda message_id: db.get_or_404(OutboxMessage, message_id), may=may_see_mail)
def resend(message: OutboxMessage):
    form = ResendForm()
    if form.validate_on_submit():
        with unit_of_work(current_user, note=f"mail resent (a copy of #{message.id})") as session:
            operations.resend(session, message)
        flash(f"The mail to {message.to_address} is queued again.", "success")
    else:
        flash("The form expired; try again.", "error")
    return redirect(url_for("mail.outbox", **{k: v for k, v in request.args.items() if k in ("status", "q", "page")}))


def init_app(app) -> None:
    @app.after_request
    def _log_mail_at_once(response):
        """Development without MAIL_URL (`make run`, no sender running): the
        mail a request queued is written to the log at once and marked sent,
        so it shows on the outbox page. Production waits for send-mail."""
        config = app.config
        if g.get("mail_queued") and not config.get("MAIL_URL") and not config.get("PRODUCTION") \
                and (not app.testing or config.get("MAIL_LOG_AT_ONCE")):
            try:
                send_waiting(LogTransport())
            except Exception:  # noqa: BLE001  (the page is done; send-mail would pick it up)
                db.session.rollback()
                log.exception("writing queued mail to the log failed")
        return response
