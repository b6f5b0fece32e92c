"""A recommendation an output put forward without a workshop (routes of
the outcomes blueprint, "outcomes.output_recommendation_new"); the
outputs themselves are the outputs capability's (outputs/views.py)."""

from __future__ import annotations

from flask import render_template, url_for

from ..auth.access import can_edit
from ..core.pages import edit_round, guarded
from ..extensions import db
from ..outputs.models import Output
from . import operations as ops
from .views import _recommendation_form, _user, bp


@bp.route("/outputs/<int:output_id>/recommendations/new", methods=["GET", "POST"])
@guarded(lambda output_id: db.get_or_404(Output, output_id), may=can_edit)
def output_recommendation_new(output: Output):
    """A recommendation an output put forward, without a workshop."""
    form = _recommendation_form(None, output=output)
    return edit_round(
        form, lambda: ops.create_recommendation(_user(), None, form.data_for_operation()),
        problems=lambda: ops.recommendation_problems(None, form.data_for_operation(), _user()),
        render=lambda **c: render_template("outcomes/recommendation_form.html", form=form, workshop=None,
                                           output=output, rec=None, **c),
        saved=lambda rec: f"Recorded the recommendation “{rec.title}”.",
        then=lambda rec: url_for(".recommendation", recommendation_id=rec.id))
