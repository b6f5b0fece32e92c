"""Workshops: the list, one workshop, its form, status, deletion and the
next meeting of its series (routes of the programme blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import Conflict, Invalid
from ..audit.queries import history_of
from ..auth.access import can_edit
from ..core.countries import country_name
from ..core.forms import options
from ..core.pages import edit_round, guarded
from ..core.pagination import paginate
from ..core.zones import canonical_zone
from ..extensions import db
from ..vocab import FORMATS, WORKSHOP_STATUSES
from . import operations, queries
from .forms import BLANK_INSTITUTE_ROWS, ConfirmForm, PlanNextForm, StatusForm, WorkshopForm
from .models import MemberInstitute, Network, Series, Theme, Workshop
from .views import _arg_choice, _arg_int, _load_workshop, _refuse_foreign, bp, editable_networks, form_data


@bp.route("/workshops")
@login_required
def workshops():
    all_networks = list(db.session.scalars(select(Network).order_by(Network.acronym)))
    all_series = list(db.session.scalars(
        select(Series).options(selectinload(Series.network)).order_by(Series.name)))
    themes = list(db.session.scalars(select(Theme).order_by(Theme.name)))
    years = queries.workshop_years()
    countries = sorted(queries.workshop_countries(), key=country_name)
    filters = queries.WorkshopFilters(
        network=_arg_int("network", {n.id for n in all_networks}),
        series=_arg_int("series", {s.id for s in all_series}),
        year=_arg_int("year", set(years)),
        theme=_arg_int("theme", {t.id for t in themes}),
        country=_arg_choice("country", countries),
        status=_arg_choice("status", WORKSHOP_STATUSES),
        format=_arg_choice("format", FORMATS),
        sort=_arg_choice("sort", queries.SORTS) or "date_desc",
    )
    page = paginate(queries.workshops_query(filters))
    return render_template(
        "programme/workshops.html", page=page, filters=filters, networks=all_networks, series_options=all_series,
        themes=themes, years=years, countries=countries, sorts=queries.SORTS,
    )


@bp.route("/workshops/<int:workshop_id>")
@login_required
def workshop(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    items = queries.agenda_items_of(workshop)
    return render_template(
        "programme/workshop.html", workshop=workshop, days=queries.agenda_days(workshop, items),
        item_count=len(items), participants=queries.participant_counts(workshop),
        recommendations=queries.recommendation_count(workshop), history=history_of(workshop),
        status_form=StatusForm(formdata=None, data={"version": workshop.version}),
    )


def _series_choices(current: Series | None = None) -> list:
    """"None" (a one-off meeting), then the series the user may plan in,
    grouped by network, and the workshop's own (a co-organiser may edit a
    meeting of another network's series). The operation checks that the
    series belongs to one of the workshop's networks."""
    editable = {n.id for n in editable_networks()}
    rows = db.session.scalars(select(Series).join(Network, Series.network_id == Network.id)
                              .options(selectinload(Series.network)).order_by(Network.acronym, Series.name))
    return options([(0, "No series — a one-off meeting")]) + [
        option for s in rows if s.network_id in editable or (current is not None and s.id == current.id)
        for option in options([(s.id, s.name)], optgroup=s.network.acronym)]


def _refuse_foreign_series(workshop: Workshop | None) -> None:
    """403 when a posted form names a series of a network the user does not
    organise (not offered by the form), unless it is the workshop's own."""
    raw = request.form.get("series", "") if request.method == "POST" else ""
    if raw.isdecimal() and len(raw) < 10 and (workshop is None or int(raw) != workshop.series_id):
        _refuse_foreign(Series, "series")


def _institute_rows(workshop: Workshop | None) -> list[dict]:
    rows = [{"institute": r.institute_id, "role": r.role} for r in workshop.institute_roles] if workshop else []
    blank = max(BLANK_INSTITUTE_ROWS, 3 - len(rows))
    return rows + [{"institute": 0, "role": "host" if not rows and i == 0 else "co_organiser"} for i in range(blank)]


def _workshop_form(workshop: Workshop | None, series_id: int | None = None) -> WorkshopForm:
    if workshop is None:
        data = {"series": series_id or 0, "timezone": "Asia/Singapore", "format": "in_person",
                "visibility": "participants", "chatham_house": True, "network": 0, "networks": [],
                "institutes": _institute_rows(None)}
        last = db.session.scalar(select(Workshop).where(Workshop.series_id == series_id)
                                 .order_by(Workshop.start_date.desc()).limit(1)) if series_id else None
        if last is not None:  # the series' habits are the likeliest for its next meeting
            data.update(timezone=canonical_zone(last.timezone), format=last.format, visibility=last.visibility,
                        chatham_house=last.chatham_house, themes=[t.id for t in last.themes])
    else:
        data = {
            "title": workshop.title, "slug": workshop.slug, "series": workshop.series_id or 0,
            "network": workshop.network_id, "networks": [n.id for n in workshop.co_networks],
            "institutes": _institute_rows(workshop), "start_date": workshop.start_date, "end_date": workshop.end_date,
            "date_precision": workshop.date_precision, "approximate": workshop.approximate,
            "timezone": canonical_zone(workshop.timezone), "format": workshop.format, "venue": workshop.venue,
            "city": workshop.city, "country": workshop.country or "", "visibility": workshop.visibility,
            "chatham_house": workshop.chatham_house, "objectives": workshop.objectives, "rules": workshop.rules,
            "themes": [t.id for t in workshop.themes], "version": workshop.version, "shift_agenda": True,
        }
    if workshop is not None and not workshop.has_days:
        data["end_date"] = None  # known only to the month or the year: no last day of its own
    form = WorkshopForm(data=data, zone=data["timezone"])
    form.series.choices = _series_choices(workshop.series if workshop else None)
    networks = list(db.session.scalars(select(Network).order_by(Network.acronym)))
    editable = {n.id for n in editable_networks()}
    form.network.choices = options([(0, "Choose a network (none needed with a series)"), *(
        (n.id, n.acronym) for n in networks if n.id in editable or (workshop and n.id == workshop.network_id))])
    form.networks.choices = options((n.id, f"{n.acronym} — {n.name}") for n in networks)
    form.set_institutes(db.session.scalars(select(MemberInstitute).order_by(MemberInstitute.name)))
    form.themes.choices = options((t.id, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.name)))
    return form


def _data(form: WorkshopForm) -> dict:
    return {**form_data(form), **form.organisers_data()}


@bp.route("/workshops/new", methods=["GET", "POST"])
@guarded(may=lambda: current_user.can_edit_anything)
def workshop_new():
    _refuse_foreign_series(None)
    form = _workshop_form(None, _arg_int("series"))
    del form.shift_agenda
    return edit_round(
        form, lambda: operations.create_workshop(current_user, _data(form)),
        problems=lambda: operations.workshop_problems(_data(form), None, current_user),
        render=lambda **c: render_template("programme/workshop_form.html", form=form, workshop=None, **c),
        saved="Workshop created as a draft. Build its agenda next.",
        then=lambda workshop: url_for(".workshop", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_edit(workshop: Workshop):
    _refuse_foreign_series(workshop)
    form = _workshop_form(workshop)
    return edit_round(
        form, lambda: operations.update_workshop(current_user, workshop, _data(form), form.version.data),
        record=workshop, problems=lambda: operations.workshop_problems(_data(form), workshop, current_user),
        render=lambda **c: render_template("programme/workshop_form.html", form=form, workshop=workshop, **c),
        saved="Workshop saved.", then=url_for(".workshop", workshop_id=workshop.id))


def _change_status(workshop: Workshop, status: str, done: str):
    """A status button (publish, cancel…): no form to show again, so every
    outcome is a message on the workshop's page."""
    form = StatusForm()
    if not form.validate_on_submit():
        flash("The request could not be read; please try again.", "error")
        return redirect(url_for(".workshop", workshop_id=workshop.id))
    try:
        operations.set_workshop_status(current_user, workshop, status, form.version.data)
    except Conflict:
        flash("Someone else changed this workshop meanwhile; nothing was changed. "
              "Check the page and try again.", "error")
    except Invalid as exc:
        flash(" ".join(exc.errors.values()), "error")
    else:
        flash(done, "success")
    return redirect(url_for(".workshop", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/publish", methods=["POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_publish(workshop: Workshop):
    return _change_status(workshop, "published", "Workshop published.")


@bp.route("/workshops/<int:workshop_id>/unpublish", methods=["POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_unpublish(workshop: Workshop):
    return _change_status(workshop, "draft", "Workshop moved back to draft.")


@bp.route("/workshops/<int:workshop_id>/reinstate", methods=["POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_reinstate(workshop: Workshop):
    return _change_status(workshop, "draft", "Workshop reinstated as a draft.")


@bp.route("/workshops/<int:workshop_id>/cancel", methods=["GET", "POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_cancel(workshop: Workshop):
    if request.method == "POST":
        return _change_status(workshop, "cancelled",
                              "Workshop cancelled. It is kept, with its agenda, participants and recommendations.")
    form = ConfirmForm(formdata=None, data={"version": workshop.version})
    return render_template("programme/workshop_confirm.html", workshop=workshop, form=form, action="cancel")


@bp.route("/workshops/<int:workshop_id>/delete", methods=["GET", "POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_delete(workshop: Workshop):
    form = ConfirmForm(data={"version": workshop.version})
    blockers = queries.delete_blockers(workshop)
    title, series_id = workshop.title, workshop.series_id
    return edit_round(
        form, lambda: operations.delete_workshop(current_user, workshop),
        render=lambda **c: render_template("programme/workshop_confirm.html", workshop=workshop, form=form,
                                           action="delete", blockers=blockers, **c),
        saved=f"Workshop “{title}” deleted.",
        then=url_for(".series", series_id=series_id) if series_id else url_for(".workshops"))


@bp.route("/workshops/<int:workshop_id>/clone", methods=["GET", "POST"])
@guarded(_load_workshop, may=can_edit)
def workshop_clone(workshop: Workshop):
    start = operations.a_year_later(workshop.start_date)
    form = PlanNextForm(data={
        "start_date": start, "title": operations.next_title(workshop.title, workshop.start_date.year, start.year)})

    def page(**context) -> str:
        items = queries.agenda_items_of(workshop)
        copied = sum(1 for i in items if i.status != "cancelled")
        return render_template("programme/workshop_clone.html", workshop=workshop, form=form, copied=copied,
                               **context)

    return edit_round(
        form, lambda: operations.plan_next_meeting(current_user, workshop, form_data(form)), render=page,
        saved="The next meeting is planned as a draft, with the agenda skeleton copied. "
              "Check the details and the agenda.",
        then=lambda clone: url_for(".workshop", workshop_id=clone.id))
