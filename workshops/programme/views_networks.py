"""Networks and their member institutes (routes of the programme blueprint)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.queries import history_of
from ..auth.access import can_edit
from ..core.forms import options
from ..core.pages import edit_round, guarded
from ..extensions import db
from . import operations, queries
from .forms import InstituteForm, NetworkForm
from .models import MemberInstitute, Network, Series
from .views import _arg_int, bp, form_data


def _admin(*_) -> bool:
    operations.require_admin()
    return True


@bp.route("/networks")
@login_required
def networks():
    return render_template("programme/networks.html", rows=queries.networks_with_counts())


@bp.route("/networks/<int:network_id>")
@login_required
def network(network_id: int):
    network = db.first_or_404(
        select(Network).where(Network.id == network_id).options(selectinload(Network.institutes)))
    series = list(db.session.scalars(
        select(Series).where(Series.network_id == network.id)
        .options(selectinload(Series.status_changes)).order_by(Series.name)))
    return render_template(
        "programme/network.html", network=network, series=series,
        stats=queries.meeting_stats([s.id for s in series]),
        recent=queries.recent_workshops_of_network(network.id), history=history_of(network),
    )


@bp.route("/networks/new", methods=["GET", "POST"])
@guarded(may=_admin)
def network_new():
    form = NetworkForm()
    return edit_round(
        form, lambda: operations.create_network(current_user, form_data(form)),
        render=lambda **c: render_template("programme/network_form.html", form=form, network=None, **c),
        saved=lambda network: f"Network {network.acronym} created.",
        then=lambda network: url_for(".network", network_id=network.id))


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@guarded(lambda network_id: db.get_or_404(Network, network_id), may=_admin)
def network_edit(network: Network):
    form = NetworkForm(data={
        "acronym": network.acronym, "name": network.name, "slug": network.slug, "website": network.website,
        "founded_year": network.founded_year, "description": network.description, "version": network.version,
    })
    return edit_round(
        form, lambda: operations.update_network(current_user, network, form_data(form), form.version.data),
        record=network,
        render=lambda **c: render_template("programme/network_form.html", form=form, network=network, **c),
        saved="Network saved.", then=url_for(".network", network_id=network.id))


def _institute_form(institute: MemberInstitute | None, network: Network | None) -> InstituteForm:
    data = {"networks": [network.id] if network else []}
    if institute is not None:
        data = {"name": institute.name, "acronym": institute.acronym, "country": institute.country,
                "city": institute.city, "website": institute.website, "version": institute.version,
                "networks": [n.id for n in institute.networks]}
    form = InstituteForm(data=data)
    form.networks.choices = options((n.id, f"{n.acronym} — {n.name}")
                                    for n in db.session.scalars(select(Network).order_by(Network.acronym)))
    return form


@bp.route("/networks/<int:network_id>/institutes/new", methods=["GET", "POST"])
@guarded(lambda network_id: db.get_or_404(Network, network_id), may=can_edit)
def institute_new(network: Network):
    form = _institute_form(None, network)
    return edit_round(
        form, lambda: operations.create_institute(current_user, form_data(form)),
        render=lambda **c: render_template("programme/institute_form.html", form=form, network=network,
                                           institute=None, **c),
        saved=lambda institute: f"{institute.name} added.",
        then=url_for(".network", network_id=network.id) + "#institutes")


def _load_institute(institute_id: int) -> MemberInstitute:
    return db.first_or_404(select(MemberInstitute).where(MemberInstitute.id == institute_id)
                           .options(selectinload(MemberInstitute.networks)))


@bp.route("/institutes/<int:institute_id>/edit", methods=["GET", "POST"])
@guarded(_load_institute, may=operations.may_edit_institute)
def institute_edit(institute: MemberInstitute):
    back = _arg_int("network", {n.id for n in institute.networks})
    form = _institute_form(institute, None)

    def then(_) -> str:
        target = back or (institute.networks[0].id if institute.networks else None)
        return url_for(".network", network_id=target) + "#institutes" if target else url_for(".networks")

    return edit_round(
        form, lambda: operations.update_institute(current_user, institute, form_data(form), form.version.data),
        record=institute,
        render=lambda **c: render_template(
            "programme/institute_form.html", form=form, institute=institute,
            network=db.session.get(Network, back) if back else None, history=history_of(institute), **c),
        saved=lambda _: f"{institute.name} saved.", then=then)
