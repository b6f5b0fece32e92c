"""Inviting participants from their list (the form on
people/participants.html posts here) and the mail-merge CSV of personal
links, on the agenda_views blueprint:

    POST /agenda/<slug>/invitations        invite the chosen, or all not yet invited; resend
    GET  /agenda/<slug>/personal-links.csv name, address, link, answer page: for an institute's own mail system

operations_invitations.py holds the rules; the sender (flask send-mail) delivers.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import Invalid, unit_of_work
from ..core.downloads import download
from ..core.spreadsheets import csv_bytes
from ..db import MAX_INTEGER
from ..extensions import db
from ..people.models import Participation, issue_personal_token
from ..programme.models import Workshop
from .operations_invitations import invite_participants, usable_address
from .views import _editable_workshop, bp


def _participants_page(workshop: Workshop):
    return redirect(url_for("people.participants", workshop_id=workshop.id) + "#invite", code=303)


def _participations(workshop: Workshop, ids: list[int] | None) -> list[Participation]:
    query = (select(Participation).where(Participation.workshop_id == workshop.id)
             .options(selectinload(Participation.person)).order_by(Participation.id))
    if ids is not None:
        query = query.where(Participation.id.in_(ids))
    return list(db.session.scalars(query))


def _chosen_ids() -> list[int]:
    values = request.form.getlist("participation_id")
    return sorted({int(v) for v in values if v.isdecimal() and 0 < int(v) <= MAX_INTEGER})[:5000]


def _names(participations: list[Participation]) -> str:
    names = [p.person.full_name for p in participations[:5]]
    more = len(participations) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


@bp.route("/<slug>/invitations", methods=["POST"])
@login_required
def invite(slug: str):
    workshop = _editable_workshop(slug)
    which = request.form.get("which", "")
    resend = request.form.get("resend") == "yes"
    if which == "not_invited":
        chosen = [p for p in _participations(workshop, None) if p.invited_at is None]
    else:
        chosen = _participations(workshop, _chosen_ids())
    try:
        result = invite_participants(
            current_user, workshop, chosen, resend=resend,
            personal_url=lambda token: url_for("agenda_views.agenda", slug=workshop.slug, kind="p", token=token,
                                               _external=True),
            reply_url=lambda token: url_for("agenda_views.reply", slug=workshop.slug, token=token, _external=True),
            site_url=url_for("home.home", _external=True))
    except Invalid as exc:
        for message in exc.errors.values():
            flash(message, "error")
        return _participants_page(workshop)
    if result.sent:
        flash(f"{'Resent' if resend else 'Sent'} {len(result.sent)} invitation{'s' if len(result.sent) != 1 else ''} "
              "with a personal link and a calendar file; they leave with the next run of the mail sender.",
              "success")
    if result.no_address:
        flash(f"No address for {_names(result.no_address)}: send them their link yourself "
              "(the personal links CSV has it).", "warning")
    if result.already:
        flash(f"Already invited, not sent again: {_names(result.already)}. Tick “send again” to resend.", "info")
    return _participants_page(workshop)


@bp.route("/<slug>/personal-links.csv")
@login_required
def personal_links_csv(slug: str):
    """Every participant's personal link for a mail merge; links missing
    (never made, or revoked) are created first, in one audited change."""
    workshop = _editable_workshop(slug)
    people = _participations(workshop, None)
    missing = [p for p in people if p.personal_token is None and p.person.erased_at is None]
    if missing:
        with unit_of_work(current_user, note="personal agenda links created for the mail-merge file"):
            for participation in missing:
                issue_personal_token(participation)
    rows = []
    for p in people:
        if p.person.erased_at is not None:
            continue
        token = p.personal_token
        rows.append((
            p.person.display_name, usable_address(p) or "", p.role, p.status,
            url_for("agenda_views.agenda", slug=workshop.slug, kind="p", token=token, _external=True),
            url_for("agenda_views.reply", slug=workshop.slug, token=token, _external=True),
            p.invited_at.date().isoformat() if p.invited_at else "",
        ))
    body = csv_bytes(("Name", "Email", "Role", "Status", "Personal agenda link", "Answer page", "Invited on"), rows)
    return download(body, f"{workshop.slug}-personal-links.csv", "csv",
                    headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
