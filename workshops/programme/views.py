"""Routes of the programme capability: networks and their member
institutes, series and their lifecycle, workshops, and the agenda builder.

Every handler runs the same pipeline: load the objects (404), check the
right (403), then act through operations.py (one code path with the API).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import Conflict, Invalid
from ..audit.queries import history_of
from ..auth.access import can_edit, require_edit
from ..core.countries import country_name
from ..core.forms import show_errors, show_problems
from ..core.pagination import paginate
from ..extensions import db
from ..vocab import FORMATS, SERIES_STATUSES, WORKSHOP_STATUSES
from . import operations, queries
from .forms import (
    AgendaItemForm,
    ConfirmForm,
    InstituteForm,
    MoveItemForm,
    NetworkForm,
    PlanNextForm,
    SeriesForm,
    SeriesStatusForm,
    StatusForm,
    WorkshopForm,
    day_choices,
    options,
)
from .models import AgendaItem, MemberInstitute, Network, Series, Theme, Workshop

bp = Blueprint("programme", __name__)

INVALID, CONFLICT = 422, 409


@bp.context_processor
def _helpers():
    return {"can_edit": can_edit, "may_edit_institute": operations.may_edit_institute}


def form_data(form) -> dict:
    """The form's values as the plain dict an operation takes."""
    return {name: f.data for name, f in form._fields.items() if name not in ("csrf_token", "version")}


def _refresh_version(form, obj) -> None:
    """After a conflict the form carries the version now saved, so that
    saving again (after reading what changed) goes through."""
    form.version.data = obj.version
    form.version.raw_data = [str(obj.version)]


def _flash_warnings(warnings) -> None:
    for warning in warnings:
        flash(f"Saved, but note: {warning.message}", "warning")


def _arg_int(name: str, allowed=None) -> int | None:
    raw = request.args.get(name, "")
    if not raw.isdecimal() or len(raw) > 9:
        return None
    value = int(raw)
    return value if allowed is None or value in allowed else None


def _arg_choice(name: str, allowed) -> str | None:
    raw = request.args.get(name, "")
    return raw if raw in allowed else None


def _refuse_foreign(model, field: str) -> None:
    """403 when a posted form names an existing record of a network the
    user may not change (rather than a mere "pick from the list")."""
    raw = request.form.get(field, "") if request.method == "POST" else ""
    if raw.isdecimal() and len(raw) < 10:
        obj = db.session.get(model, int(raw))
        if obj is not None:
            require_edit(obj)


def editable_networks() -> list[Network]:
    networks = db.session.scalars(select(Network).order_by(Network.acronym))
    return [n for n in networks if can_edit(n.id)]


# --------------------------------------------------------------- networks


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
@login_required
def network_new():
    operations.require_admin()
    form = NetworkForm()
    if form.validate_on_submit():
        try:
            network = operations.create_network(current_user, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"Network {network.acronym} created.", "success")
            return redirect(url_for(".network", network_id=network.id))
    return render_template("programme/network_form.html", form=form, network=None), \
        INVALID if form.errors else 200


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@login_required
def network_edit(network_id: int):
    network = db.get_or_404(Network, network_id)
    operations.require_admin()
    form = NetworkForm(data={
        "acronym": network.acronym, "name": network.name, "slug": network.slug, "website": network.website,
        "founded_year": network.founded_year, "description": network.description, "version": network.version,
    })
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            operations.update_network(current_user, network, form_data(form), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), CONFLICT
            _refresh_version(form, network)
        else:
            flash("Network saved.", "success")
            return redirect(url_for(".network", network_id=network.id))
    if form.errors:
        status = INVALID
    return render_template("programme/network_form.html", form=form, network=network, conflict=conflict), status


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
@login_required
def institute_new(network_id: int):
    network = db.get_or_404(Network, network_id)
    require_edit(network)
    form = _institute_form(None, network)
    if form.validate_on_submit():
        try:
            institute = operations.create_institute(current_user, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"{institute.name} added.", "success")
            return redirect(url_for(".network", network_id=network.id) + "#institutes")
    return render_template("programme/institute_form.html", form=form, network=network, institute=None), \
        INVALID if form.errors else 200


@bp.route("/institutes/<int:institute_id>/edit", methods=["GET", "POST"])
@login_required
def institute_edit(institute_id: int):
    institute = db.first_or_404(select(MemberInstitute).where(MemberInstitute.id == institute_id)
                                .options(selectinload(MemberInstitute.networks)))
    if not operations.may_edit_institute(institute):
        abort(403)
    back = _arg_int("network", {n.id for n in institute.networks})
    form = _institute_form(institute, None)
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            operations.update_institute(current_user, institute, form_data(form), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), CONFLICT
            _refresh_version(form, institute)
        else:
            flash(f"{institute.name} saved.", "success")
            target = back or (institute.networks[0].id if institute.networks else None)
            return redirect(url_for(".network", network_id=target) + "#institutes" if target
                            else url_for(".networks"))
    if form.errors:
        status = INVALID
    return render_template("programme/institute_form.html", form=form, institute=institute,
                           network=db.session.get(Network, back) if back else None, conflict=conflict,
                           history=history_of(institute)), status


# ----------------------------------------------------------------- series


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
        .options(selectinload(Workshop.host)).order_by(Workshop.start_date.desc())))
    return render_template("programme/series.html", series=series, meetings=meetings,
                           status_form=status_form, history=queries.series_history(series)), code


@bp.route("/series/<int:series_id>/status", methods=["POST"])
@login_required
def series_status_add(series_id: int):
    series = _load_series(series_id)
    require_edit(series)
    form = SeriesStatusForm()
    if form.validate_on_submit():
        try:
            step = operations.add_series_status(current_user, series, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"Recorded: {step.status} from {step.effective_on:%d %B %Y}.", "success")
            return redirect(url_for(".series", series_id=series.id) + "#lifecycle")
    return _series_page(_load_series(series_id), form, INVALID)


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
@login_required
def series_new():
    if not current_user.can_edit_anything:
        abort(403)
    _refuse_foreign(Network, "network")
    network_id = _arg_int("network")
    form = _series_form(None, network_id)
    if not form.network.choices:
        abort(403)
    if form.validate_on_submit():
        try:
            series = operations.create_series(current_user, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"Series “{series.name}” created.", "success")
            return redirect(url_for(".series", series_id=series.id))
    return render_template("programme/series_form.html", form=form, series=None), \
        INVALID if form.errors else 200


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@login_required
def series_edit(series_id: int):
    series = _load_series(series_id)
    require_edit(series)
    _refuse_foreign(Network, "network")
    form = _series_form(series, None)
    del form.active_since
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            operations.update_series(current_user, series, form_data(form), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), CONFLICT
            _refresh_version(form, series)
        else:
            flash("Series saved.", "success")
            return redirect(url_for(".series", series_id=series.id))
    if form.errors:
        status = INVALID
    return render_template("programme/series_form.html", form=form, series=series, conflict=conflict), status


# -------------------------------------------------------------- workshops


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


def _load_workshop(workshop_id: int) -> Workshop:
    workshop = queries.load_workshop(workshop_id)
    if workshop is None:
        abort(404)
    return workshop


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
    """The series the user may plan in, grouped by network."""
    editable = {n.id for n in editable_networks()}
    rows = db.session.scalars(select(Series).join(Network, Series.network_id == Network.id)
                              .options(selectinload(Series.network)).order_by(Network.acronym, Series.name))
    return [option for s in rows if s.network_id in editable or (current is not None and s.id == current.id)
            for option in options([(s.id, s.name)], optgroup=s.network.acronym)]


def _workshop_form(workshop: Workshop | None, series_id: int | None = None) -> WorkshopForm:
    if workshop is None:
        data = {"series": series_id, "timezone": "Asia/Singapore", "format": "in_person",
                "visibility": "participants", "chatham_house": True, "host": 0}
        last = db.session.scalar(select(Workshop).where(Workshop.series_id == series_id)
                                 .order_by(Workshop.start_date.desc()).limit(1)) if series_id else None
        if last is not None:  # the series' habits are the likeliest for its next meeting
            data.update(timezone=last.timezone, format=last.format, visibility=last.visibility,
                        chatham_house=last.chatham_house, themes=[t.id for t in last.themes])
    else:
        data = {
            "title": workshop.title, "slug": workshop.slug, "series": workshop.series_id,
            "host": workshop.host_institute_id or 0, "start_date": workshop.start_date, "end_date": workshop.end_date,
            "timezone": workshop.timezone, "format": workshop.format, "venue": workshop.venue,
            "city": workshop.city, "country": workshop.country or "", "visibility": workshop.visibility,
            "chatham_house": workshop.chatham_house, "objectives": workshop.objectives, "rules": workshop.rules,
            "themes": [t.id for t in workshop.themes], "version": workshop.version, "shift_agenda": True,
        }
    form = WorkshopForm(data=data, zone=workshop.timezone if workshop else None)
    form.series.choices = _series_choices(workshop.series if workshop else None)
    form.host.choices = options([(0, "— not decided yet"), *[
        (i.id, f"{i.name} ({i.acronym})" if i.acronym else i.name)
        for i in db.session.scalars(select(MemberInstitute).order_by(MemberInstitute.name))]])
    form.themes.choices = options((t.id, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.name)))
    return form


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def workshop_new():
    if not current_user.can_edit_anything:
        abort(403)
    _refuse_foreign(Series, "series")
    form = _workshop_form(None, _arg_int("series"))
    del form.shift_agenda
    if not form.series.choices:
        abort(403)
    if form.validate_on_submit():
        try:
            workshop = operations.create_workshop(current_user, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash("Workshop created as a draft. Build its agenda next.", "success")
            return redirect(url_for(".workshop", workshop_id=workshop.id))
    elif form.is_submitted():
        show_problems(form, operations.workshop_problems(form_data(form)))
    return render_template("programme/workshop_form.html", form=form, workshop=None), \
        INVALID if form.errors else 200


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def workshop_edit(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    _refuse_foreign(Series, "series")
    form = _workshop_form(workshop)
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            operations.update_workshop(current_user, workshop, form_data(form), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), CONFLICT
            _refresh_version(form, workshop)
        else:
            flash("Workshop saved.", "success")
            return redirect(url_for(".workshop", workshop_id=workshop.id))
    elif form.is_submitted():
        show_problems(form, operations.workshop_problems(form_data(form), workshop))
    if form.errors:
        status = INVALID
    return render_template("programme/workshop_form.html", form=form, workshop=workshop,
                           conflict=conflict), status


def _change_status(workshop_id: int, status: str, done: str):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
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
@login_required
def workshop_publish(workshop_id: int):
    return _change_status(workshop_id, "published", "Workshop published.")


@bp.route("/workshops/<int:workshop_id>/unpublish", methods=["POST"])
@login_required
def workshop_unpublish(workshop_id: int):
    return _change_status(workshop_id, "draft", "Workshop moved back to draft.")


@bp.route("/workshops/<int:workshop_id>/reinstate", methods=["POST"])
@login_required
def workshop_reinstate(workshop_id: int):
    return _change_status(workshop_id, "draft", "Workshop reinstated as a draft.")


@bp.route("/workshops/<int:workshop_id>/cancel", methods=["GET", "POST"])
@login_required
def workshop_cancel(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    if request.method == "POST":
        return _change_status(workshop_id, "cancelled",
                              "Workshop cancelled. It is kept, with its agenda, participants and recommendations.")
    form = ConfirmForm(formdata=None, data={"version": workshop.version})
    return render_template("programme/workshop_confirm.html", workshop=workshop, form=form, action="cancel")


@bp.route("/workshops/<int:workshop_id>/delete", methods=["GET", "POST"])
@login_required
def workshop_delete(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    form = ConfirmForm(data={"version": workshop.version})
    blockers = queries.delete_blockers(workshop)
    status = 200
    if form.validate_on_submit():
        title = workshop.title
        try:
            operations.delete_workshop(current_user, workshop)
        except Invalid as exc:
            show_errors(form, exc)
            status = INVALID
        else:
            flash(f"Workshop “{title}” deleted.", "success")
            return redirect(url_for(".series", series_id=workshop.series_id))
    return render_template("programme/workshop_confirm.html", workshop=workshop, form=form, action="delete",
                           blockers=blockers), status


@bp.route("/workshops/<int:workshop_id>/clone", methods=["GET", "POST"])
@login_required
def workshop_clone(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    start = operations.a_year_later(workshop.start_date)
    form = PlanNextForm(data={
        "start_date": start, "title": operations.next_title(workshop.title, workshop.start_date.year, start.year)})
    if form.validate_on_submit():
        try:
            clone = operations.plan_next_meeting(current_user, workshop, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash("The next meeting is planned as a draft, with the agenda skeleton copied. "
                  "Check the details and the agenda.", "success")
            return redirect(url_for(".workshop", workshop_id=clone.id))
    items = queries.agenda_items_of(workshop)
    copied = sum(1 for i in items if i.status != "cancelled")
    return render_template("programme/workshop_clone.html", workshop=workshop, form=form, copied=copied), \
        INVALID if form.errors else 200


# ----------------------------------------------------------------- agenda


@bp.route("/workshops/<int:workshop_id>/agenda")
@login_required
def agenda(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    items = queries.agenda_items_of(workshop)
    return render_template(
        "programme/agenda.html", workshop=workshop, days=queries.agenda_days(workshop, items),
        warnings=queries.agenda_warnings(items), history=queries.agenda_history(workshop),
        item_count=len(items),
    )


def _load_item(workshop: Workshop, item_id: int) -> AgendaItem:
    return db.first_or_404(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.workshop_id == workshop.id)
        .options(selectinload(AgendaItem.people)))


def _item_form(workshop: Workshop, item: AgendaItem | None) -> AgendaItemForm:
    if item is None:
        day = request.args.get("day", "")
        days = {d.isoformat() for d in workshop.days()}
        data = {"day": day if day in days else workshop.start_date.isoformat(), "kind": "session",
                "status": "scheduled"}
    else:
        zone = workshop.zone
        data = {
            "title": item.title, "kind": item.kind, "day": item.starts_at.astimezone(zone).date().isoformat(),
            "start": item.starts_at.astimezone(zone).time(), "end": item.ends_at.astimezone(zone).time(),
            "room": item.room, "description": item.description, "status": item.status, "version": item.version,
            **{field: [p.participation_id for p in item.people if p.role == role]
               for role, field in operations.PEOPLE_FIELDS.items()},
        }
    form = AgendaItemForm(data=data)
    form.set_choices(workshop.days(), queries.participation_choices(workshop))
    return form


@bp.route("/workshops/<int:workshop_id>/agenda/new", methods=["GET", "POST"])
@login_required
def agenda_item_new(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    form = _item_form(workshop, None)
    if form.validate_on_submit():
        try:
            item, warnings = operations.add_agenda_item(current_user, workshop, form_data(form))
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"“{item.title}” added to the agenda.", "success")
            _flash_warnings(warnings)
            return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#item-{item.id}")
    return render_template("programme/agenda_item_form.html", workshop=workshop, form=form, item=None), \
        INVALID if form.errors else 200


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def agenda_item_edit(workshop_id: int, item_id: int):
    workshop = _load_workshop(workshop_id)
    item = _load_item(workshop, item_id)
    require_edit(workshop)
    form = _item_form(workshop, item)
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            item, warnings = operations.update_agenda_item(current_user, item, form_data(form), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), CONFLICT
            _refresh_version(form, item)
        else:
            flash(f"“{item.title}” saved.", "success")
            _flash_warnings(warnings)
            return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#item-{item.id}")
    if form.errors:
        status = INVALID
    return render_template("programme/agenda_item_form.html", workshop=workshop, form=form, item=item,
                           conflict=conflict), status


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/move", methods=["GET", "POST"])
@login_required
def agenda_item_move(workshop_id: int, item_id: int):
    workshop = _load_workshop(workshop_id)
    item = _load_item(workshop, item_id)
    require_edit(workshop)
    zone = workshop.zone
    form = MoveItemForm(data={"day": item.starts_at.astimezone(zone).date().isoformat(),
                              "start": item.starts_at.astimezone(zone).time(), "version": item.version})
    form.day.choices = day_choices(workshop.days())
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            item, warnings = operations.move_agenda_item(current_user, item, form_data(form), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), CONFLICT
            _refresh_version(form, item)
        else:
            flash(f"“{item.title}” moved to {item.starts_at.astimezone(zone):%A %d %B, %H:%M}.", "success")
            _flash_warnings(warnings)
            return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#item-{item.id}")
    if form.errors:
        status = INVALID
    return render_template("programme/agenda_move.html", workshop=workshop, form=form, item=item,
                           conflict=conflict), status


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/status", methods=["POST"])
@login_required
def agenda_item_status(workshop_id: int, item_id: int):
    workshop = _load_workshop(workshop_id)
    item = _load_item(workshop, item_id)
    require_edit(workshop)
    form = ConfirmForm()
    wanted = request.form.get("status", "")
    if not form.validate_on_submit() or wanted not in ("scheduled", "cancelled"):
        flash("The request could not be read; please try again.", "error")
        return redirect(url_for(".agenda", workshop_id=workshop.id))
    try:
        item, warnings = operations.set_agenda_item_status(current_user, item, wanted, form.version.data)
    except Conflict:
        flash("Someone else changed this item meanwhile; nothing was changed. Check it and try again.", "error")
    else:
        flash(f"“{item.title}” is {'cancelled (kept on the agenda)' if wanted == 'cancelled' else 'scheduled again'}.",
              "success")
        _flash_warnings(warnings)
    return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#item-{item.id}")


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def agenda_item_delete(workshop_id: int, item_id: int):
    workshop = _load_workshop(workshop_id)
    item = _load_item(workshop, item_id)
    require_edit(workshop)
    form = ConfirmForm(data={"version": item.version})
    conflict = None
    if form.validate_on_submit():
        title = item.title
        try:
            operations.delete_agenda_item(current_user, item, form.version.data)
        except Conflict as exc:
            conflict = exc.changes_since()
            _refresh_version(form, item)
        else:
            flash(f"“{title}” deleted from the agenda.", "success")
            return redirect(url_for(".agenda", workshop_id=workshop.id))
    return render_template("programme/agenda_delete.html", workshop=workshop, item=item, form=form,
                           conflict=conflict), CONFLICT if conflict is not None else 200

