"""Follow-up that someone owns, on the outcomes blueprint: setting a
recommendation's owner and next check, and logging "checked, no trace
found" (operations_follow_up.py holds the rules; progress.py "due")."""

from __future__ import annotations

from flask import render_template, request, url_for

from ..auth.access import can_edit
from ..core.pages import edit_round, guarded
from . import operations as ops
from .forms import CheckForm, FollowUpForm
from .models import Recommendation
from .views import _load_recommendation, _user, bp


def _back(rec: Recommendation) -> str:
    return url_for(".recommendation", recommendation_id=rec.id) + "#follow-up"


@bp.route("/recommendations/<int:recommendation_id>/follow-up", methods=["GET", "POST"])
@guarded(_load_recommendation, may=can_edit)
def follow_up_edit(rec: Recommendation):
    form = FollowUpForm(data={"owner_id": rec.owner_id, "next_check_on": rec.next_check_on,
                              "version": rec.version} if request.method == "GET" else None)
    form.owner_id.set_options([(u.id, u.name) for u in ops.owner_candidates(rec)])

    def saved(r: Recommendation) -> str:
        who = r.owner.name if r.owner is not None else "nobody"
        when = f"next check on {r.next_check_on:%d %B %Y}" if r.next_check_on else "no next check set"
        return f"Follow-up saved: {who} owns it, {when}."

    return edit_round(
        form, lambda: ops.set_follow_up(_user(), rec, form.data_for_operation(), form.version.data),
        record=rec,
        render=lambda **c: render_template("outcomes/follow_up_form.html", form=form, rec=rec, **c),
        saved=saved, then=_back(rec))


@bp.route("/recommendations/<int:recommendation_id>/checks/new", methods=["GET", "POST"])
@guarded(_load_recommendation, may=can_edit)
def check_new(rec: Recommendation):
    form = CheckForm()
    return edit_round(
        form, lambda: ops.log_check(_user(), rec, form.data_for_operation()),
        render=lambda **c: render_template("outcomes/check_form.html", form=form, rec=rec, **c),
        saved=lambda check: f"Logged the check of {check.checked_on:%d %B %Y}: no trace found; "
                            "the stage stays as it was.",
        then=_back(rec))
