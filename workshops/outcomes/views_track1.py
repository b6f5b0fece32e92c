"""The Track-1 bodies registry: the list, one body with the recommendations
that target it and the events it saw, and its form (routes of the outcomes
blueprint)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from ..audit.queries import history_of
from ..auth.access import editor_required
from ..core.countries import all_countries
from ..core.forms import options
from ..core.pages import edit_round
from ..core.pagination import paginate
from ..extensions import db
from . import operations as ops
from . import queries
from .forms import Track1BodyForm, Track1FilterForm
from .models import Track1Body
from .views import _body_choices, _user, bp


@bp.route("/track1-bodies")
@login_required
def track1_bodies():
    form = Track1FilterForm(request.args)
    form.validate()
    page = paginate(queries.track1_bodies_query(form.kind.data or None, form.level.data or None), per_page=50)
    targets, events = queries.track1_counts([b.id for b in page.items])
    return render_template("outcomes/track1_bodies.html", form=form, page=page, targets=targets, events=events,
                           may_create=current_user.can_edit_anything)


@bp.route("/track1-bodies/<int:body_id>")
@login_required
def track1_body(body_id: int):
    body = queries.track1_body_detail(body_id)
    if body is None:
        abort(404)
    as_of = ops.today()
    rec_total, recs = queries.recommendations_targeting(body)
    event_total, events = queries.events_at(body)
    return render_template(
        "outcomes/track1_body.html", body=body, recommendations=recs, rec_total=rec_total, events=events,
        event_total=event_total, history=history_of(body), as_of=as_of, is_stale=queries.is_stale,
        may_edit=current_user.can_edit_anything,
    )


def _body_form(body: Track1Body | None = None) -> Track1BodyForm:
    data = None
    if body is not None:
        data = {k: getattr(body, k) for k in ("name", "acronym", "kind", "level", "parent_id", "established",
                                               "description", "version")}
        data["level"] = body.level or ""
        data["member_countries"] = body.member_countries
    form = Track1BodyForm(data=data)
    form.parent_id.set_options([(i, n) for i, n in _body_choices() if body is None or i != body.id])
    # Ticked countries first: among 250 the chosen ones are otherwise out of sight.
    ticked = set(form.member_countries.data or [])
    countries = all_countries()
    form.member_countries.choices = options([c for c in countries if c[0] in ticked] +
                                            [c for c in countries if c[0] not in ticked])
    return form


@bp.route("/track1-bodies/new", methods=["GET", "POST"])
@editor_required
def track1_body_new():
    form = _body_form()
    return edit_round(
        form, lambda: ops.create_track1_body(_user(), form.data_for_operation()),
        render=lambda **c: render_template("outcomes/track1_body_form.html", form=form, body=None, **c),
        saved=lambda body: f"Added the Track-1 body “{body.name}”.",
        then=lambda body: url_for(".track1_body", body_id=body.id))


@bp.route("/track1-bodies/<int:body_id>/edit", methods=["GET", "POST"])
@editor_required
def track1_body_edit(body_id: int):
    body = db.get_or_404(Track1Body, body_id)
    form = _body_form(body)
    return edit_round(
        form, lambda: ops.update_track1_body(_user(), body, form.data_for_operation(), form.version.data),
        record=body,
        render=lambda **c: render_template("outcomes/track1_body_form.html", form=form, body=body, **c),
        saved="Saved the Track-1 body.", then=url_for(".track1_body", body_id=body.id))
