"""Routes of the outcomes capability: recommendations, their uptake events
and timeline, the follow-up list and the Track-1 bodies registry.

Each handler loads its objects (404), checks access (403), then acts
through operations.py, the code path the JSON API shares."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import BuildError

from ..audit.models import AuditEntry
from ..audit.operations import Conflict, Invalid
from ..audit.queries import history_of
from ..auth.access import can_edit, editor_required
from ..core.countries import all_countries
from ..core.forms import show_errors
from ..core.pagination import paginate
from ..extensions import db
from ..programme.models import Network, Series, Theme, Workshop
from ..vocab import STAGE_LABELS, STAGE_RANK
from . import operations as ops
from . import queries
from .days import days_after_workshop, since_workshop
from .forms import (
    CloseForm,
    ConfirmForm,
    FollowUpFilterForm,
    RecommendationFilterForm,
    RecommendationForm,
    ReopenForm,
    Track1BodyForm,
    Track1FilterForm,
    UptakeEventForm,
)
from .models import Recommendation, Track1Body, UptakeEvent

bp = Blueprint("outcomes", __name__)


def _user():
    """The logged-in user object itself (not the request-local proxy)."""
    return current_user._get_current_object()


def url_if_exists(endpoint: str, **values) -> str | None:
    """A link to another capability's page, or None while it is not built."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 12 else None


# --------------------------------------------------------------------------- recommendations: lists


def _network_choices() -> list[tuple[str, str]]:
    return [(str(n.id), n.acronym) for n in db.session.scalars(select(Network).order_by(Network.acronym))]


def _series_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Series.id, Series.name, Network.acronym).join(Network).order_by(Network.acronym, Series.name)
    ).all()
    return [(str(i), f"{acronym} · {name}") for i, name, acronym in rows]


def _theme_choices() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.name))]


def _body_choices() -> list[tuple[int, str]]:
    bodies = db.session.scalars(select(Track1Body).order_by(Track1Body.name)).all()
    return [(b.id, f"{b.name} ({b.acronym})" if b.acronym and b.acronym != b.name else b.name) for b in bodies]


@bp.route("/recommendations")
@login_required
def recommendations():
    form = RecommendationFilterForm(request.args)
    form.network.choices = [("", "All networks"), *_network_choices()]
    form.series.choices = [("", "All series"), *_series_choices()]
    form.year.choices = [("", "Any year"), *[(str(y), str(y)) for y in queries.workshop_years()]]
    form.theme.choices = [("", "Any theme"), *[(str(i), n) for i, n in _theme_choices()]]
    form.target.choices = [("", "Any body"), *[(str(i), n) for i, n in _body_choices()]]
    form.sort.choices = [("", queries.SORTS["newest"]),
                         *[(k, v) for k, v in queries.SORTS.items() if k != "newest"]]
    form.validate()
    filters = queries.RecommendationFilters(
        words=[w for w in (form.q.data or "").split()][:12],
        network_id=_int_or_none(form.network.data),
        series_id=_int_or_none(form.series.data),
        year=_int_or_none(form.year.data),
        theme_id=_int_or_none(form.theme.data),
        stage=form.stage.data or None,
        target_id=_int_or_none(form.target.data),
        status=form.status.data or None,
        priority=form.priority.data or None,
        sort=form.sort.data or "newest",
    )
    as_of = ops.today()
    query = queries.recommendations_query(filters, as_of)
    page = paginate(query)
    filtered = any(request.args.get(k) for k in ("q", "network", "series", "year", "theme", "stage",
                                                  "target", "status", "priority"))
    return render_template(
        "outcomes/recommendations.html", form=form, page=page, as_of=as_of, filtered=filtered,
        counts=queries.stage_counts(query), is_stale=queries.is_stale,
    )


@bp.route("/workshops/<int:workshop_id>/recommendations")
@login_required
def workshop_recommendations(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    recs = queries.workshop_recommendations(workshop)
    as_of = ops.today()
    return render_template(
        "outcomes/workshop_recommendations.html", workshop=workshop, recommendations=recs, as_of=as_of,
        may_edit=can_edit(workshop), is_stale=queries.is_stale, last_activity_on=queries.last_activity_on,
    )


# --------------------------------------------------------------------------- recommendation: detail


def _timeline(rec: Recommendation, as_of: dt.date) -> list[dict]:
    """The road from the workshop to today, in date order. Days after the
    workshop follow the report's rule (outcomes/days.py)."""
    start, end = rec.workshop.start_date, rec.workshop.end_date
    steps: list[dict] = [{"kind": "workshop", "date": start, "end": end}]
    rank = 0
    for event in rec.events:  # loaded in (date, id) order
        new_rank = STAGE_RANK[event.stage]
        steps.append({
            "kind": "event", "date": event.occurred_on, "event": event,
            "days_from_workshop": days_after_workshop(end, event.occurred_on),
            "during_workshop": event.occurred_on <= end,
            "advanced": new_rank > rank,
        })
        rank = max(rank, new_rank)
    if rec.closed_on is not None:
        steps.append({"kind": "closed", "date": rec.closed_on})
        steps.sort(key=lambda s: (s["date"], {"workshop": 0, "event": 1, "closed": 2}[s["kind"]]))
    steps.append({
        "kind": "today", "date": as_of,
        "days_since": queries.days_since_activity(rec, as_of),
        "since_event": rec.last_event_on is not None,
        "workshop": since_workshop(start, end, as_of),
    })
    return steps


def _event_history(rec: Recommendation) -> list[AuditEntry]:
    ids = [e.id for e in rec.events]
    if not ids:
        return []
    return list(db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "UptakeEvent", AuditEntry.object_id.in_(ids))
        .order_by(AuditEntry.id.desc()).limit(100)
    ))


@bp.route("/recommendations/<int:recommendation_id>")
@login_required
def recommendation(recommendation_id: int):
    rec = queries.recommendation_detail(recommendation_id)
    if rec is None:
        abort(404)
    as_of = ops.today()
    return render_template(
        "outcomes/recommendation.html", rec=rec, as_of=as_of, timeline=_timeline(rec, as_of),
        stale=queries.is_stale(rec, as_of), may_edit=can_edit(rec),
        history=history_of(rec), event_history=_event_history(rec),
        reopen_form=ReopenForm(data={"version": rec.version}),
    )


# --------------------------------------------------------------------------- recommendation: forms


def _recommendation_form(workshop: Workshop, rec: Recommendation | None = None) -> RecommendationForm:
    data = None
    if rec is not None:
        data = {
            "title": rec.title, "reference": rec.reference, "text": rec.text, "priority": rec.priority,
            "theme_ids": [t.id for t in rec.themes], "target_ids": [t.id for t in rec.targets],
            "agenda_item_id": rec.agenda_item_id, "version": rec.version,
        }
    form = RecommendationForm(data=data)
    form.theme_ids.choices = _theme_choices()
    form.target_ids.choices = _body_choices()
    zone = workshop.zone
    options = []
    for item in queries.agenda_items_of(workshop):
        local = item.starts_at.astimezone(zone)
        day = (local.date() - workshop.start_date).days + 1
        options.append((item.id, f"Day {day}, {local:%H:%M} — {item.title}"))
    form.agenda_item_id.set_options(options)
    return form


@bp.route("/workshops/<int:workshop_id>/recommendations/new", methods=["GET", "POST"])
@login_required
def recommendation_new(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    if not can_edit(workshop):
        abort(403)
    form = _recommendation_form(workshop)
    if form.validate_on_submit():
        try:
            rec = ops.create_recommendation(_user(), workshop, form.data_for_operation())
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"Recorded the recommendation “{rec.title}”.", "success")
            return redirect(url_for(".recommendation", recommendation_id=rec.id))
    status = 422 if form.errors else 200
    return render_template("outcomes/recommendation_form.html", form=form, workshop=workshop,
                           rec=None), status


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@login_required
def recommendation_edit(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    if not can_edit(rec):
        abort(403)
    form = _recommendation_form(rec.workshop, rec)
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            ops.update_recommendation(_user(), rec, form.data_for_operation(), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), 409
            db.session.refresh(rec)
        else:
            flash("Saved the recommendation.", "success")
            return redirect(url_for(".recommendation", recommendation_id=rec.id))
    if form.errors:
        status = 422
    return render_template("outcomes/recommendation_form.html", form=form, workshop=rec.workshop, rec=rec,
                           conflict=conflict), status


@bp.route("/recommendations/<int:recommendation_id>/delete", methods=["GET", "POST"])
@login_required
def recommendation_delete(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    if not can_edit(rec):
        abort(403)
    form = ConfirmForm()
    status = 200
    problem = ops.delete_problem(rec)
    if form.validate_on_submit():
        workshop_id, title = rec.workshop_id, rec.title
        try:
            ops.delete_recommendation(_user(), rec)
        except Invalid as exc:
            problem, status = exc.errors.get("events"), 409
        else:
            flash(f"Deleted the recommendation “{title}”.", "success")
            return redirect(url_for(".workshop_recommendations", workshop_id=workshop_id))
    return render_template("outcomes/recommendation_delete.html", rec=rec, form=form, problem=problem), status


@bp.route("/recommendations/<int:recommendation_id>/close", methods=["GET", "POST"])
@login_required
def recommendation_close(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    if not can_edit(rec):
        abort(403)
    if not rec.is_open and request.method == "GET":
        flash(f"This recommendation is already closed as {rec.closed_as}.", "info")
        return redirect(url_for(".recommendation", recommendation_id=rec.id))
    form = CloseForm(data={"version": rec.version, "closed_on": ops.today()})
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            ops.close_recommendation(_user(), rec, {
                "closed_as": form.closed_as.data, "closed_on": form.closed_on.data,
                "closed_reason": form.closed_reason.data}, form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), 409
            db.session.refresh(rec)
        else:
            flash(f"Closed the recommendation as {rec.closed_as}.", "success")
            return redirect(url_for(".recommendation", recommendation_id=rec.id))
    if form.errors:
        status = 422
    return render_template("outcomes/close_form.html", rec=rec, form=form, conflict=conflict), status


@bp.route("/recommendations/<int:recommendation_id>/reopen", methods=["POST"])
@login_required
def recommendation_reopen(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    if not can_edit(rec):
        abort(403)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash("The reopening could not be read; nothing changed. " + " ".join(
            e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for(".recommendation", recommendation_id=rec.id))
    try:
        ops.reopen_recommendation(_user(), rec, form.note.data or "", form.version.data)
    except Invalid as exc:
        flash(" ".join(exc.errors.values()), "info")
    except Conflict:
        flash("Someone else changed this recommendation meanwhile; nothing was changed. "
              "Check its history below and try again.", "error")
    else:
        flash("Reopened the recommendation.", "success")
    return redirect(url_for(".recommendation", recommendation_id=rec.id))


# --------------------------------------------------------------------------- uptake events


def _event_form(event: UptakeEvent | None = None) -> UptakeEventForm:
    data = None
    if event is not None:
        data = {k: getattr(event, k) for k in ("occurred_on", "stage", "track1_body_id", "evidence_kind",
                                                "title", "reference", "excerpt", "version")}
    form = UptakeEventForm(data=data)
    form.track1_body_id.set_options(_body_choices())
    return form


@bp.route("/recommendations/<int:recommendation_id>/events/new", methods=["GET", "POST"])
@login_required
def event_new(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    if not can_edit(rec):
        abort(403)
    form = _event_form()
    if request.method == "GET" and len(rec.targets) == 1:
        form.track1_body_id.data = rec.targets[0].id
    if form.validate_on_submit():
        try:
            event = ops.add_uptake_event(_user(), rec, form.data_for_operation())
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"Recorded the uptake event “{event.title}”; the recommendation now stands at "
                  f"{STAGE_LABELS[rec.stage].lower()}.", "success")
            return redirect(url_for(".recommendation", recommendation_id=rec.id) + "#timeline")
    return render_template("outcomes/event_form.html", form=form, rec=rec, event=None), \
        (422 if form.errors else 200)


def _load_event(recommendation_id: int, event_id: int) -> UptakeEvent:
    event = db.get_or_404(UptakeEvent, event_id)
    if event.recommendation_id != recommendation_id:
        abort(404)
    return event


@bp.route("/recommendations/<int:recommendation_id>/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def event_edit(recommendation_id: int, event_id: int):
    event = _load_event(recommendation_id, event_id)
    if not can_edit(event):
        abort(403)
    form = _event_form(event)
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            ops.update_uptake_event(_user(), event, form.data_for_operation(), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), 409
            db.session.refresh(event)
        else:
            flash("Saved the uptake event.", "success")
            return redirect(url_for(".recommendation", recommendation_id=recommendation_id) + "#timeline")
    if form.errors:
        status = 422
    return render_template("outcomes/event_form.html", form=form, rec=event.recommendation, event=event,
                           conflict=conflict), status


@bp.route("/recommendations/<int:recommendation_id>/events/<int:event_id>/delete", methods=["GET", "POST"])
@login_required
def event_delete(recommendation_id: int, event_id: int):
    event = _load_event(recommendation_id, event_id)
    if not can_edit(event):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = event.title
        ops.delete_uptake_event(_user(), event)
        flash(f"Deleted the uptake event “{title}”.", "success")
        return redirect(url_for(".recommendation", recommendation_id=recommendation_id) + "#timeline")
    return render_template("outcomes/event_delete.html", event=event, rec=event.recommendation, form=form)


# --------------------------------------------------------------------------- follow-up


def _my_network_ids() -> list[int]:
    if current_user.is_authenticated and current_user.role == "organiser":
        return sorted(n.id for n in current_user.networks)
    return []


@bp.route("/follow-up")
@login_required
def follow_up():
    mine = _my_network_ids()
    form = FollowUpFilterForm(request.args)
    form.network.choices = [("", "All networks"), *([("mine", "My networks")] if mine else []),
                            *_network_choices()]
    form.validate()
    choice = form.network.data or ""
    network_ids = None
    if choice == "mine":
        network_ids = mine
    elif choice.isdecimal():
        network_ids = [int(choice)]
    as_of = ops.today()
    page = paginate(queries.follow_up_query(as_of, network_ids_first=mine or None, network_ids=network_ids))
    return render_template(
        "outcomes/follow_up.html", form=form, page=page, as_of=as_of, mine=set(mine),
        mine_count=queries.stale_count(as_of, mine) if mine else None,
        days_since=queries.days_since_activity, last_activity_on=queries.last_activity_on,
        can_edit=can_edit,
    )


# --------------------------------------------------------------------------- Track-1 bodies


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
    form.member_countries.choices = [c for c in countries if c[0] in ticked] + \
        [c for c in countries if c[0] not in ticked]
    return form


@bp.route("/track1-bodies/new", methods=["GET", "POST"])
@editor_required
def track1_body_new():
    form = _body_form()
    if form.validate_on_submit():
        try:
            body = ops.create_track1_body(_user(), form.data_for_operation())
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(f"Added the Track-1 body “{body.name}”.", "success")
            return redirect(url_for(".track1_body", body_id=body.id))
    return render_template("outcomes/track1_body_form.html", form=form, body=None), \
        (422 if form.errors else 200)


@bp.route("/track1-bodies/<int:body_id>/edit", methods=["GET", "POST"])
@editor_required
def track1_body_edit(body_id: int):
    body = db.get_or_404(Track1Body, body_id)
    form = _body_form(body)
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            ops.update_track1_body(_user(), body, form.data_for_operation(), form.version.data)
        except Invalid as exc:
            show_errors(form, exc)
        except Conflict as exc:
            conflict, status = exc.changes_since(), 409
            db.session.refresh(body)
        else:
            flash("Saved the Track-1 body.", "success")
            return redirect(url_for(".track1_body", body_id=body.id))
    if form.errors:
        status = 422
    return render_template("outcomes/track1_body_form.html", form=form, body=body, conflict=conflict), status


# --------------------------------------------------------------------------- app-wide helpers


def init_app(app) -> None:
    app.jinja_env.globals["url_if_exists"] = url_if_exists
    app.jinja_env.tests["web_link"] = ops.is_web_link

    @app.context_processor
    def _follow_up_badge():
        """The number beside "Follow-up" in the navigation: one COUNT, only
        for those who act on it (organisers: their networks' ones)."""
        if not current_user.is_authenticated or not current_user.can_edit_anything:
            return {}
        try:
            ids = None if current_user.is_admin else [n.id for n in current_user.networks]
            return {"nav_follow_up_count": queries.stale_count(ops.today(), ids)}
        except SQLAlchemyError:
            db.session.rollback()
            return {}

