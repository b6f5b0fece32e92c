"""The check-in list of a workshop's day: one tap per participant marks
them attended, undo sets the status they had back, and "mark all confirmed
as attended" (routes of the people blueprint; the rules are in
operations_checkin.py).

Every tap is an ordinary form POST that redirects back to the person's row
(works without JavaScript); static/checkin.js sends the same form with
`Accept: application/json` and gets the new row and counts back, so the
page is not reloaded (progressive enhancement)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit.operations import Conflict, Invalid
from ..auth.access import can_edit
from ..core.pages import CONFLICT, INVALID, guarded
from ..extensions import db
from ..programme.models import Workshop
from ..vocab import PARTICIPATION_STATUS_LABELS
from . import operations_checkin as checkin
from . import queries
from .forms import CheckInForm
from .models import Participation
from .views import _load_workshop, bp

QUERY_MAX = 100


def _may_check_in(workshop: Workshop) -> bool:
    """Organisers of one of the workshop's networks and admins (auth/access.py can_edit)."""
    return can_edit(workshop)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _query() -> str:
    return " ".join(request.values.get("q", "").split())[:QUERY_MAX]


def _counts(listed: list[Participation]) -> dict[str, int]:
    return {"attended": sum(1 for p in listed if p.status == checkin.ATTENDED), "expected": len(listed),
            "confirmed": sum(1 for p in listed if p.status == "confirmed")}


def _expected(workshop: Workshop) -> list[Participation]:
    """Everyone expected on the day, by name, with their people (two statements)."""
    return [p for p in queries.participants_of(workshop) if p.status in checkin.EXPECTED]


def _row_context(workshop: Workshop, query: str) -> dict:
    return {"workshop": workshop, "q": query, "status_labels": PARTICIPATION_STATUS_LABELS}


def _page(workshop: Workshop, *, error: str = "", status: int = 200):
    query = _query()
    listed = _expected(workshop)
    words = query.lower().split()
    shown = [p for p in listed if all(w in p.person.display_name.lower() for w in words)]
    return render_template(
        "people/check_in.html", participations=shown, counts=_counts(listed),
        before=checkin.statuses_before_attended(workshop), error=error, **_row_context(workshop, query),
    ), status


@bp.route("/workshops/<int:workshop_id>/check-in")
@guarded(_load_workshop, may=_may_check_in)
def check_in_list(workshop: Workshop):
    return _page(workshop)


def _back(workshop: Workshop, anchor: str = "") -> str:
    query = _query()
    url = url_for("people.check_in_list", workshop_id=workshop.id, **({"q": query} if query else {}))
    return url + (f"#{anchor}" if anchor else "")


def _refused(workshop: Workshop, message: str, status: int, participation: Participation | None = None):
    if not _wants_json():
        return _page(workshop, error=message, status=status)
    body = {"error": message}
    if participation is not None:
        body.update(_row_json(workshop, participation))
    return jsonify(body), status


def _row_json(workshop: Workshop, participation: Participation) -> dict:
    listed = _expected(workshop)
    before = checkin.statuses_before_attended(workshop) if participation.status == checkin.ATTENDED else {}
    row = render_template("people/_check_in_row.html", p=participation, before=before,
                          **_row_context(workshop, _query()))
    return {"row": row, "id": f"p-{participation.id}", **_counts(listed)}


@bp.route("/workshops/<int:workshop_id>/check-in/<int:participation_id>", methods=["POST"])
@guarded(lambda workshop_id, participation_id: (_load_workshop(workshop_id), participation_id),
         may=lambda workshop, _: _may_check_in(workshop))
def check_in(workshop: Workshop, participation_id: int):
    form = CheckInForm()
    if not form.validate_on_submit():
        message = " ".join(m for messages in form.errors.values() for m in messages) or "The form expired."
        return _refused(workshop, f"{message} Reload the page and try again; nothing was changed.", INVALID)
    participation = db.session.get(Participation, participation_id)
    try:
        checkin.check_in(current_user, workshop, participation, form.status.data or "", form.version.data)
    except Conflict:
        db.session.rollback()
        participation = db.session.get(Participation, participation_id)
        now = PARTICIPATION_STATUS_LABELS.get(participation.status, participation.status)
        return _refused(workshop, f"Someone else changed {participation.person.full_name}'s status meanwhile "
                                  f"(now: {now}). Nothing was changed; the list shows it as it is now.",
                        CONFLICT, participation if checkin.on_list(participation, workshop) else None)
    except Invalid as exc:
        return _refused(workshop, " ".join(exc.errors.values()), INVALID)
    name = participation.person.display_name
    message = (f"{name} is marked attended." if participation.status == checkin.ATTENDED
               else f"{name} is back to {PARTICIPATION_STATUS_LABELS[participation.status].lower()}.")
    if _wants_json():
        return jsonify({"message": message, **_row_json(workshop, participation)})
    flash(message, "success")
    return redirect(_back(workshop, f"p-{participation.id}"), 303)


@bp.route("/workshops/<int:workshop_id>/check-in/all", methods=["POST"])
@guarded(_load_workshop, may=_may_check_in)
def check_in_all(workshop: Workshop):
    form = CheckInForm()
    if not form.validate_on_submit():
        return _page(workshop, error="The form expired. Reload the page and try again; nothing was changed.",
                     status=INVALID)
    try:
        done = checkin.check_in_all_confirmed(current_user, workshop)
    except Invalid as exc:
        return _page(workshop, error=" ".join(exc.errors.values()), status=INVALID)
    except Conflict:
        db.session.rollback()
        return _page(workshop, error="Someone else changed these participants meanwhile; nothing was changed. "
                                     "Try again.", status=CONFLICT)
    flash(f"{len(done)} confirmed {'participant is' if len(done) == 1 else 'participants are'} marked attended.",
          "success")
    return redirect(_back(workshop), 303)
