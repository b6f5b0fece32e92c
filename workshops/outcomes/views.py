"""Routes of the outcomes capability: recommendations, their uptake events
and timeline, the follow-up list and the Track-1 bodies registry.

Each handler loads its objects (404), checks access (403), then acts
through operations.py, the code path the JSON API shares."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEntry
from ..audit.operations import Conflict, Invalid
from ..audit.queries import history_of
from ..auth.access import can_edit
from ..core.forms import options
from ..core.pages import edit_round, guarded
from ..core.pagination import paginate
from ..documents.models import Document
from ..documents.operations import megabytes
from ..extensions import db
from ..outputs.models import Output
from ..programme.models import Network, Series, Theme, Workshop
from ..vocab import STAGE_LABELS
from . import operations as ops
from . import progress, queries
from .forms import (
    CloseForm,
    ConfirmForm,
    FollowUpFilterForm,
    RecommendationFilterForm,
    RecommendationForm,
    ReopenForm,
    UptakeEventForm,
)
from .models import Recommendation, Track1Body, UptakeEvent

bp = Blueprint("outcomes", __name__)


def _user():
    """The logged-in user object itself (not the request-local proxy)."""
    return current_user._get_current_object()


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
    form.network.choices = options([("", "All networks"), *_network_choices()])
    form.series.choices = options([("", "All series"), *_series_choices()])
    form.year.choices = options([("", "Any year"), *[(str(y), str(y)) for y in queries.workshop_years()]])
    form.theme.choices = options([("", "Any theme"), *[(str(i), n) for i, n in _theme_choices()]])
    form.target.choices = options([("", "Any body"), *[(str(i), n) for i, n in _body_choices()]])
    form.sort.choices = options([("", queries.SORTS["newest"]),
                                 *[(k, v) for k, v in queries.SORTS.items() if k != "newest"]])
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
        "outcomes/recommendation.html", rec=rec, as_of=as_of, timeline=progress.timeline(rec, as_of),
        stale=queries.is_stale(rec, as_of), may_edit=can_edit(rec), due=queries.is_due(rec, as_of),
        history=history_of(rec), event_history=_event_history(rec),
        reopen_form=ReopenForm(data={"version": rec.version}),
    )


# --------------------------------------------------------------------------- recommendation: forms


def _output_choices(rec: Recommendation | None, output: Output | None) -> list[tuple[int, str]]:
    """Outputs of the networks the user organises (and the one already linked)."""
    outputs = [o for o in db.session.scalars(select(Output).options(selectinload(Output.network))
                                              .order_by(Output.date.desc(), Output.id.desc()).limit(500))
               if can_edit(o)]
    for extra in (output, rec.output if rec is not None else None):
        if extra is not None and extra not in outputs:
            outputs.insert(0, extra)
    return [(o.id, f"{o.network.acronym} · {o.title} ({o.date.year})") for o in outputs]


def _recommendation_form(workshop: Workshop | None, rec: Recommendation | None = None,
                         output: Output | None = None) -> RecommendationForm:
    data = {"output_id": output.id} if output is not None else None
    if rec is not None:
        data = {
            "title": rec.title, "reference": rec.reference, "text": rec.text, "priority": rec.priority,
            "theme_ids": [t.id for t in rec.themes], "target_ids": [t.id for t in rec.targets],
            "agenda_item_id": rec.agenda_item_id, "output_id": rec.output_id, "version": rec.version,
        }
    form = RecommendationForm(data=data)
    form.theme_ids.choices = options(_theme_choices())
    form.target_ids.choices = options(_body_choices())
    form.output_id.set_options(_output_choices(rec, output))
    if workshop is None:
        # From an output alone: the output is required and no agenda item exists.
        form.output_id.choices = form.output_id.choices[1:]
        form.agenda_item_id.set_options([])
        return form
    zone = workshop.zone
    items = []
    for item in queries.agenda_items_of(workshop):
        local = item.local_start(zone)
        day = (local.date() - workshop.start_date).days + 1
        items.append((item.id, f"Day {day}, {local:%H:%M} — {item.title}"))
    form.agenda_item_id.set_options(items)
    return form


def _load_recommendation(recommendation_id: int) -> Recommendation:
    return db.get_or_404(Recommendation, recommendation_id)


@bp.route("/workshops/<int:workshop_id>/recommendations/new", methods=["GET", "POST"])
@guarded(lambda workshop_id: db.get_or_404(Workshop, workshop_id), may=can_edit)
def recommendation_new(workshop: Workshop):
    form = _recommendation_form(workshop)
    return edit_round(
        form, lambda: ops.create_recommendation(_user(), workshop, form.data_for_operation()),
        problems=lambda: ops.recommendation_problems(workshop, form.data_for_operation(), _user()),
        render=lambda **c: render_template("outcomes/recommendation_form.html", form=form, workshop=workshop,
                                           output=None, rec=None, **c),
        saved=lambda rec: f"Recorded the recommendation “{rec.title}”.",
        then=lambda rec: url_for(".recommendation", recommendation_id=rec.id))


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@guarded(_load_recommendation, may=can_edit)
def recommendation_edit(rec: Recommendation):
    form = _recommendation_form(rec.workshop, rec)
    return edit_round(
        form, lambda: ops.update_recommendation(_user(), rec, form.data_for_operation(), form.version.data),
        record=rec, problems=lambda: ops.recommendation_problems(
            rec.workshop, {"output_id": rec.output_id, **form.data_for_operation()}, _user()),
        render=lambda **c: render_template("outcomes/recommendation_form.html", form=form, workshop=rec.workshop,
                                           output=rec.output, rec=rec, **c),
        saved="Saved the recommendation.", then=url_for(".recommendation", recommendation_id=rec.id))


@bp.route("/recommendations/<int:recommendation_id>/delete", methods=["GET", "POST"])
@guarded(_load_recommendation, may=can_edit)
def recommendation_delete(rec: Recommendation):
    form = ConfirmForm()
    workshop_id, output_id, title = rec.workshop_id, rec.output_id, rec.title
    problem = ops.delete_problem(rec)
    return edit_round(
        form, lambda: ops.delete_recommendation(_user(), rec),
        # The only refusal is the uptake events it still has: said as the page's problem, 409.
        refusals={Invalid: lambda exc: {"problem": exc.errors.get("events")}}, invalid_status=409,
        render=lambda **c: render_template("outcomes/recommendation_delete.html", rec=rec, form=form,
                                           **{"problem": problem, **c}),
        saved=f"Deleted the recommendation “{title}”.",
        then=url_for(".workshop_recommendations", workshop_id=workshop_id) if workshop_id is not None
        else url_for("outputs.output", output_id=output_id))


@bp.route("/recommendations/<int:recommendation_id>/close", methods=["GET", "POST"])
@guarded(_load_recommendation, may=can_edit)
def recommendation_close(rec: Recommendation):
    if not rec.is_open and request.method == "GET":
        flash(f"This recommendation is already closed as {rec.closed_as}.", "info")
        return redirect(url_for(".recommendation", recommendation_id=rec.id))
    form = CloseForm(data={"version": rec.version, "closed_on": ops.today()})

    def closure() -> dict:
        return {"closed_as": form.closed_as.data, "closed_on": form.closed_on.data,
                "closed_reason": form.closed_reason.data}

    return edit_round(
        form, lambda: ops.close_recommendation(_user(), rec, closure(), form.version.data),
        record=rec, problems=lambda: ops.closure_problems(rec, closure()),
        render=lambda **c: render_template("outcomes/close_form.html", rec=rec, form=form, **c),
        saved=lambda _: f"Closed the recommendation as {rec.closed_as}.",
        then=url_for(".recommendation", recommendation_id=rec.id))


@bp.route("/recommendations/<int:recommendation_id>/reopen", methods=["POST"])
@guarded(_load_recommendation, may=can_edit)
def recommendation_reopen(rec: Recommendation):
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
        data = {k: getattr(event, k) for k in ("occurred_on", "date_precision", "approximate", "stage",
                                                "track1_body_id", "evidence_kind",
                                                "title", "excerpt", "version")}
        data["not_confirmed"] = not event.confirmed
        data["attribution"] = event.attribution or ""
        data["references"] = [{"url": r.url or "", "label": r.label, "document_id": r.document_id or ""}
                              for r in event.references]
    form = UptakeEventForm(data=data)
    form.track1_body_id.set_options(_body_choices())
    if not form.is_submitted():
        form.pad_references()
    return form


def _event_problems(form: UptakeEventForm, rec: Recommendation) -> dict[str, str]:
    """The event rules' refusals beside the form's own (one round); none
    while a source row is only being added."""
    return {} if form.add_reference.data else ops.event_problems(rec, form.data_for_operation())


def _event_page(form: UptakeEventForm, rec: Recommendation, event: UptakeEvent | None, **context) -> str:
    """The event form, with the files its rows already hold (documents/models.py)."""
    given = [str(row.form.document_id.data or "") for row in form.references]
    ids = [int(i) for i in given if i.isdecimal() and len(i) < 12]
    documents = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(ids)))} if ids else {}
    return render_template("outcomes/event_form.html", form=form, rec=rec, event=event, documents=documents,
                           document_max=megabytes(current_app.config["DOCUMENT_MAX_BYTES"]),
                           max_references=ops.MAX_REFERENCES, **context)


@bp.route("/recommendations/<int:recommendation_id>/events/new", methods=["GET", "POST"])
@guarded(_load_recommendation, may=can_edit)
def event_new(rec: Recommendation):
    form = _event_form()
    if request.method == "GET" and len(rec.targets) == 1:
        form.track1_body_id.data = rec.targets[0].id
    return edit_round(
        form, lambda: ops.add_uptake_event(_user(), rec, form.data_for_operation()),
        submitted=lambda: not form.adding_reference() and form.validate_on_submit(),
        problems=lambda: _event_problems(form, rec),
        render=lambda **c: _event_page(form, rec, None, **c),
        saved=lambda event: f"Recorded the uptake event “{event.title}”; the recommendation now stands at "
                            f"{STAGE_LABELS[rec.stage].lower()}.",
        then=url_for(".recommendation", recommendation_id=rec.id) + "#timeline")


def _load_event(recommendation_id: int, event_id: int) -> UptakeEvent:
    event = db.get_or_404(UptakeEvent, event_id)
    if event.recommendation_id != recommendation_id:
        abort(404)
    return event


def _timeline_of(event: UptakeEvent) -> str:
    return url_for(".recommendation", recommendation_id=event.recommendation_id) + "#timeline"


@bp.route("/recommendations/<int:recommendation_id>/events/<int:event_id>/edit", methods=["GET", "POST"])
@guarded(_load_event, may=can_edit)
def event_edit(event: UptakeEvent):
    form = _event_form(event)
    return edit_round(
        form, lambda: ops.update_uptake_event(_user(), event, form.data_for_operation(), form.version.data),
        record=event, submitted=lambda: not form.adding_reference() and form.validate_on_submit(),
        problems=lambda: _event_problems(form, event.recommendation),
        render=lambda **c: _event_page(form, event.recommendation, event, **c),
        saved="Saved the uptake event.", then=_timeline_of(event))


@bp.route("/recommendations/<int:recommendation_id>/events/<int:event_id>/delete", methods=["GET", "POST"])
@guarded(_load_event, may=can_edit)
def event_delete(event: UptakeEvent):
    form = ConfirmForm()
    title, back = event.title, _timeline_of(event)
    return edit_round(
        form, lambda: ops.delete_uptake_event(_user(), event),
        render=lambda **c: render_template("outcomes/event_delete.html", event=event, rec=event.recommendation,
                                           form=form, **c),
        saved=f"Deleted the uptake event “{title}”.", then=back)


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
    form.network.choices = options([("", "All networks"), *([("mine", "My networks")] if mine else []),
                                    *_network_choices()])
    form.validate()
    choice = form.network.data or ""
    network_ids = None
    if choice == "mine":
        network_ids = mine
    elif choice.isdecimal():
        network_ids = [int(choice)]
    as_of = ops.today()
    show = form.show.data or "stale"
    owner_id = current_user.id if form.owner.data == "me" else None
    page = paginate(queries.follow_up_query(as_of, network_ids_first=mine or None, network_ids=network_ids,
                                            show=show, owner_id=owner_id))
    return render_template(
        "outcomes/follow_up.html", form=form, page=page, as_of=as_of, mine=set(mine), show=show,
        is_due=queries.is_due,
        mine_count=queries.stale_count(as_of, mine) if mine else None,
        days_since=queries.days_since_activity, last_activity_on=queries.last_activity_on,
        can_edit=can_edit,
    )


# --------------------------------------------------------------------------- app-wide helpers


def init_app(app) -> None:
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


# Follow-up owners and checks ("outcomes.follow_up_edit", "outcomes.check_new").
from . import views_follow_up  # noqa: E402,F401,I001
# The Track-1 bodies registry's routes, on this blueprint ("outcomes.track1_…").
from . import views_track1  # noqa: E402,F401
# A recommendation of an output alone ("outcomes.output_recommendation_new").
from . import views_outputs  # noqa: E402,F401,I001
# Featuring a recommendation in the report's highlights ("outcomes.recommendation_featured").
from . import views_featured  # noqa: E402,F401,I001
