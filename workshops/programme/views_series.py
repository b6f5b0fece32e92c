"""Series and their lifecycle (routes of the programme blueprint)."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.access import can_edit
from ..core.forms import options
from ..core.pages import edit_round, guarded
from ..core.pagination import paginate
from ..extensions import db
from ..vocab import SERIES_STATUSES
from . import operations, queries
from .forms import SeriesForm, SeriesStatusForm
from .models import Network, Series, Workshop, WorkshopInstitute
from .views import _arg_choice, _arg_int, _refuse_foreign, bp, editable_networks, form_data


@bp.route("/series")
@login_required
def series_list():
    all_networks = list(db.session.scalars(select(Network).order_by(Network.acronym)))
    network_id = _arg_int("network", {n.id for n in all_networks})
    status = _arg_choice("status", SERIES_STATUSES)
    page = paginate(queries.series_query(network_id, status))
    return render_template("programme/series_list.html", page=page, networks=all_networks,
                           network_id=network_id, status=status,
                           stats=queries.meeting_stats([s.id for s in page.items]))


@bp.route("/series/<int:series_id>", methods=["GET"])
@login_required
def series(series_id: int):
    series = _load_series(series_id)
    return _series_page(series, SeriesStatusForm(formdata=None, data={"effective_on": dt.date.today()}))


def _load_series(series_id: int) -> Series:
    return db.first_or_404(select(Series).where(Series.id == series_id).options(
        selectinload(Series.network), selectinload(Series.status_changes)))


def _series_page(series: Series, status_form: SeriesStatusForm, code: int = 200):
    meetings = list(db.session.scalars(
        select(Workshop).where(Workshop.series_id == series.id)
        .options(selectinload(Workshop.institute_roles).selectinload(WorkshopInstitute.institute))
        .order_by(Workshop.start_date.desc())))
    return render_template("programme/series.html", series=series, meetings=meetings,
                           status_form=status_form, history=queries.series_history(series)), code


@bp.route("/series/<int:series_id>/status", methods=["POST"])
@guarded(_load_series, may=can_edit)
def series_status_add(series: Series):
    form = SeriesStatusForm()
    return edit_round(
        form, lambda: operations.add_series_status(current_user, series, form_data(form)),
        render=lambda **_: _series_page(_load_series(series.id), form)[0],
        saved=lambda step: f"Recorded: {step.status} from {step.effective_on:%d %B %Y}.",
        then=url_for(".series", series_id=series.id) + "#lifecycle")


def _series_form(series: Series | None, network_id: int | None) -> SeriesForm:
    data = {"network": network_id, "kind": "workshop_series"}
    if series is not None:
        data = {"network": series.network_id, "name": series.name, "slug": series.slug, "kind": series.kind,
                "description": series.description, "version": series.version}
    form = SeriesForm(data=data)
    pairs = [(n.id, f"{n.acronym} — {n.name}") for n in editable_networks()]
    if series is not None and series.network_id not in {p[0] for p in pairs}:
        pairs.insert(0, (series.network_id, series.network.acronym))
    form.network.choices = options(pairs)
    return form


@bp.route("/series/new", methods=["GET", "POST"])
@guarded(may=lambda: current_user.can_edit_anything)
def series_new():
    _refuse_foreign(Network, "network")
    form = _series_form(None, _arg_int("network"))
    if not form.network.choices:
        abort(403)
    return edit_round(
        form, lambda: operations.create_series(current_user, form_data(form)),
        render=lambda **c: render_template("programme/series_form.html", form=form, series=None, **c),
        saved=lambda series: f"Series “{series.name}” created.",
        then=lambda series: url_for(".series", series_id=series.id))


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@guarded(_load_series, may=can_edit)
def series_edit(series: Series):
    _refuse_foreign(Network, "network")
    form = _series_form(series, None)
    del form.active_since
    return edit_round(
        form, lambda: operations.update_series(current_user, series, form_data(form), form.version.data),
        record=series,
        render=lambda **c: render_template("programme/series_form.html", form=form, series=series, **c),
        saved="Series saved.", then=url_for(".series", series_id=series.id))
