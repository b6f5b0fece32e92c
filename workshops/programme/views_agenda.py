"""The agenda builder: a workshop's items by day, their forms, moves,
status and deletion (routes of the programme blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import Conflict
from ..auth.access import can_edit
from ..core.pages import edit_round, guarded
from ..extensions import db
from . import operations, queries
from .forms import AgendaItemForm, ConfirmForm, MoveItemForm, day_choices
from .models import AgendaItem, Workshop
from .views import _load_workshop, bp, form_data


def _warnings(result) -> list[tuple[str, str]]:
    """What an agenda operation saved but wants the organiser to note."""
    _, warnings = result
    return [(f"Saved, but note: {warning.message}", "warning") for warning in warnings]


def _may_edit_agenda(workshop: Workshop, *_) -> bool:
    return can_edit(workshop)


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


def _workshop_and_item(workshop_id: int, item_id: int) -> tuple[Workshop, AgendaItem]:
    workshop = _load_workshop(workshop_id)
    return workshop, _load_item(workshop, item_id)


def _item_form(workshop: Workshop, item: AgendaItem | None) -> AgendaItemForm:
    if item is None:
        day = request.args.get("day", "")
        days = {d.isoformat() for d in workshop.days()}
        data = {"day": day if day in days else workshop.start_date.isoformat(), "kind": "session",
                "status": "scheduled"}
    else:
        zone = workshop.zone
        data = {
            "title": item.title, "kind": item.kind, "day": item.local_start(zone).date().isoformat(),
            "start": item.local_start(zone).time(), "end": item.local_end(zone).time(),
            "room": item.room, "description": item.description, "status": item.status, "version": item.version,
            **{field: [p.participation_id for p in item.people if p.role == role]
               for role, field in operations.PEOPLE_FIELDS.items()},
        }
    form = AgendaItemForm(data=data)
    form.set_choices(workshop.days(), queries.participation_choices(workshop))
    return form


def _at_item(workshop: Workshop):
    return lambda result: url_for(".agenda", workshop_id=workshop.id) + f"#item-{result[0].id}"


@bp.route("/workshops/<int:workshop_id>/agenda/new", methods=["GET", "POST"])
@guarded(_load_workshop, may=_may_edit_agenda)
def agenda_item_new(workshop: Workshop):
    form = _item_form(workshop, None)
    return edit_round(
        form, lambda: operations.add_agenda_item(current_user, workshop, form_data(form)),
        render=lambda **c: render_template("programme/agenda_item_form.html", workshop=workshop, form=form,
                                           item=None, **c),
        saved=lambda result: f"“{result[0].title}” added to the agenda.", notes=_warnings,
        then=_at_item(workshop))


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_edit(workshop: Workshop, item: AgendaItem):
    form = _item_form(workshop, item)
    return edit_round(
        form, lambda: operations.update_agenda_item(current_user, item, form_data(form), form.version.data),
        record=item,
        render=lambda **c: render_template("programme/agenda_item_form.html", workshop=workshop, form=form,
                                           item=item, **c),
        saved=lambda result: f"“{result[0].title}” saved.", notes=_warnings, then=_at_item(workshop))


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/move", methods=["GET", "POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_move(workshop: Workshop, item: AgendaItem):
    zone = workshop.zone
    form = MoveItemForm(data={"day": item.local_start(zone).date().isoformat(),
                              "start": item.local_start(zone).time(), "version": item.version})
    form.day.choices = day_choices(workshop.days())
    return edit_round(
        form, lambda: operations.move_agenda_item(current_user, item, form_data(form), form.version.data),
        record=item,
        render=lambda **c: render_template("programme/agenda_move.html", workshop=workshop, form=form,
                                           item=item, **c),
        saved=lambda result: f"“{result[0].title}” moved to {result[0].local_start(zone):%A %d %B, %H:%M}.",
        notes=_warnings, then=_at_item(workshop))


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/status", methods=["POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_status(workshop: Workshop, item: AgendaItem):
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
        for note, category in _warnings((item, warnings)):
            flash(note, category)
    return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#item-{item.id}")


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/delete", methods=["GET", "POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_delete(workshop: Workshop, item: AgendaItem):
    form = ConfirmForm(data={"version": item.version})
    title = item.title
    return edit_round(
        form, lambda: operations.delete_agenda_item(current_user, item, form.version.data), record=item,
        render=lambda **c: render_template("programme/agenda_delete.html", workshop=workshop, item=item,
                                           form=form, **c),
        saved=f"“{title}” deleted from the agenda.", then=url_for(".agenda", workshop_id=workshop.id))
