"""Featuring a recommendation in the report's highlights, from its page
(operations_featured.py holds the rule; reports/highlights.py reads it)."""

from __future__ import annotations

from flask import flash, redirect, url_for

from ..audit.operations import Conflict
from ..auth.access import can_edit
from ..core.pages import guarded
from .forms import FeatureForm
from .models import Recommendation
from .operations_featured import set_featured
from .views import _load_recommendation, _user, bp


@bp.route("/recommendations/<int:recommendation_id>/featured", methods=["POST"])
@guarded(_load_recommendation, may=can_edit)
def recommendation_featured(rec: Recommendation):
    form = FeatureForm()
    back = redirect(url_for(".recommendation", recommendation_id=rec.id))
    if not form.validate_on_submit():
        flash("The choice could not be read; nothing changed. Use the button on this page.", "error")
        return back
    try:
        set_featured(_user(), rec, form.featured.data == "yes", form.version.data)
    except Conflict:
        flash("Someone else changed this recommendation meanwhile; nothing was changed. "
              "Check its history below and try again.", "error")
    else:
        flash("Featured first among the report's highlights once it is adopted or implemented."
              if rec.featured else "No longer featured in the report's highlights.", "success")
    return back
