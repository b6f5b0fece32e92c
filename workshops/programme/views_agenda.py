"""The agenda builder: a workshop's items by day, with add, edit,
duplicate, move, cancel and delete (routes of the programme blueprint).

Every action is an ordinary form round (core/pages.py edit_round) that
works without JavaScript. static/agenda_builder.js sends the same forms
with the header `X-Agenda-Builder: 1` and gets JSON back instead of a
redirect: after a save the agenda and a fresh "add an item" form as HTML
fragments and the messages; after a refusal the form again, its messages
beside the fields (422, or 409 when someone else saved the item first).
The page is then updated without loading another (progressive enhancement,
like people/views_checkin.py)."""

from __future__ import annotations

from flask import flash, get_flashed_messages, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import Conflict, Invalid
from ..auth.access import can_edit
from ..core.pages import CONFLICT, INVALID, edit_round, guarded
from ..extensions import db
from . import operations, queries
from .forms import ConfirmForm, MoveItemForm, day_choices
from .forms_agenda import BuilderItemForm, distinct_ids, with_spare_rows
from .models import AgendaItem, Workshop
from .views import _load_workshop, bp, form_data


def _in_place() -> bool:
    """The builder's script asks (static/agenda_builder.js), not a page load."""
    return request.headers.get("X-Agenda-Builder") == "1"


def _warnings(result) -> list[tuple[str, str]]:
    """What an agenda operation saved but wants the organiser to note."""
    _, warnings = result
    return [(f"Saved, but note: {warning.message}", "warning") for warning in warnings]


def _may_edit_agenda(workshop: Workshop, *_) -> bool:
    return can_edit(workshop)


def _agenda_context(workshop: Workshop, items: list[AgendaItem]) -> dict:
    return {"workshop": workshop, "days": queries.agenda_days(workshop, items),
            "warnings": queries.agenda_warnings(items), "item_count": len(items)}


@bp.route("/workshops/<int:workshop_id>/agenda")
@login_required
def agenda(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    items = queries.agenda_items_of(workshop)
    add_form = _new_form(workshop, items, on_agenda=True) if can_edit(workshop) and workshop.has_days else None
    return render_template("programme/agenda.html", history=queries.agenda_history(workshop), add_form=add_form,
                           **_agenda_context(workshop, items))


def _load_item(workshop: Workshop, item_id: int) -> AgendaItem:
    return db.first_or_404(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.workshop_id == workshop.id)
        .options(selectinload(AgendaItem.people)))


def _workshop_and_item(workshop_id: int, item_id: int) -> tuple[Workshop, AgendaItem]:
    workshop = _load_workshop(workshop_id)
    return workshop, _load_item(workshop, item_id)


def _new_form(workshop: Workshop, items: list[AgendaItem] | None = None, on_agenda: bool = False) -> BuilderItemForm:
    """The "add an item" form: the last item's room and length remembered
    (operations.next_item_defaults), people rows empty. `on_agenda`: shown
    on the agenda page, or sent in place after a save (then empty, not
    holding what was just posted), its ids made its own."""
    data = operations.next_item_defaults(workshop, queries.agenda_items_of(workshop) if items is None else items)
    day = request.args.get("day", "")
    if day in {d.isoformat() for d in workshop.days()}:
        data["day"] = day
    blank = {"formdata": None} if on_agenda else {}
    form = BuilderItemForm(**blank, data={**data, "people": with_spare_rows([])})
    form.set_choices(workshop.days(), queries.participation_choices(workshop))
    return distinct_ids(form, "new") if on_agenda or _in_place() else form


def _edit_form(workshop: Workshop, item: AgendaItem) -> BuilderItemForm:
    zone = workshop.zone
    data = {
        "title": item.title, "kind": item.kind, "day": item.local_start(zone).date().isoformat(),
        "start": item.local_start(zone).time(), "end": item.local_end(zone).time(), "room": item.room,
        "description": item.description, "status": item.status, "version": item.version,
        "people": with_spare_rows(operations.person_rows_of(item)),
    }
    form = BuilderItemForm(data=data)
    form.set_choices(workshop.days(), queries.participation_choices(workshop))
    return distinct_ids(form, f"item-{item.id}") if _in_place() else form


def _at_item(workshop: Workshop):
    return lambda result: url_for(".agenda", workshop_id=workshop.id) + f"#item-{result[0].id}"


def _builder_parts(workshop: Workshop, focus: str = "") -> dict:
    """The agenda and a fresh add form as HTML, and the flashed messages
    (taken, so the next page load does not show them again)."""
    items = queries.agenda_items_of(workshop)
    return {
        "agenda": render_template("programme/_agenda_builder.html", **_agenda_context(workshop, items)),
        "add": render_template("programme/_agenda_item_form.html", workshop=workshop, item=None,
                               form=_new_form(workshop, items, on_agenda=True), conflict=None),
        "messages": [{"text": text, "category": category}
                     for category, text in get_flashed_messages(with_categories=True)],
        "focus": focus,
    }


def _answer(workshop: Workshop, answer):
    """edit_round's answer, or for the builder's script: JSON (see the module's docstring)."""
    if not _in_place():
        return answer
    if isinstance(answer, tuple):
        body, status = answer
        return jsonify({"form": body}), status
    anchor = answer.location.rpartition("#")[2]
    return jsonify(_builder_parts(workshop, focus=anchor))


def _item_page(template: str, workshop: Workshop, form, item: AgendaItem | None):
    """The form alone for the builder's script, or its page."""
    def render(**context):
        name = template.replace("programme/", "programme/_") if _in_place() else template
        return render_template(name, workshop=workshop, form=form, item=item, **context)
    return render


@bp.route("/workshops/<int:workshop_id>/agenda/new", methods=["GET", "POST"])
@guarded(_load_workshop, may=_may_edit_agenda)
def agenda_item_new(workshop: Workshop):
    form = _new_form(workshop)
    return _answer(workshop, edit_round(
        form, lambda: operations.add_agenda_item(current_user, workshop, form_data(form)),
        render=_item_page("programme/agenda_item_form.html", workshop, form, None),
        saved=lambda result: f"“{result[0].title}” added to the agenda.", notes=_warnings,
        then=_at_item(workshop)))


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_edit(workshop: Workshop, item: AgendaItem):
    form = _edit_form(workshop, item)
    return _answer(workshop, edit_round(
        form, lambda: operations.update_agenda_item(current_user, item, form_data(form), form.version.data),
        record=item, render=_item_page("programme/agenda_item_form.html", workshop, form, item),
        saved=lambda result: f"“{result[0].title}” saved.", notes=_warnings, then=_at_item(workshop)))


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/move", methods=["GET", "POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_move(workshop: Workshop, item: AgendaItem):
    zone = workshop.zone
    form = MoveItemForm(data={"day": item.local_start(zone).date().isoformat(),
                              "start": item.local_start(zone).time(), "version": item.version})
    form.day.choices = day_choices(workshop.days())
    if _in_place():
        distinct_ids(form, f"move-{item.id}")
    return _answer(workshop, edit_round(
        form, lambda: operations.move_agenda_item(current_user, item, form_data(form), form.version.data),
        record=item, render=_item_page("programme/agenda_move.html", workshop, form, item),
        saved=lambda result: f"“{result[0].title}” moved to {result[0].local_start(zone):%A %d %B, %H:%M}.",
        notes=_warnings, then=_at_item(workshop)))


def _action_answer(workshop: Workshop, message: str, status: int, anchor: str):
    """A button's refusal (status, duplicate): beside the agenda as it is now."""
    db.session.rollback()
    if _in_place():
        return jsonify({**_builder_parts(workshop, focus=anchor), "error": message}), status
    flash(message, "error")
    return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#{anchor}")


def _action_done(workshop: Workshop, result, message: str):
    flash(message, "success")
    for note, category in _warnings(result):
        flash(note, category)
    if _in_place():
        return jsonify(_builder_parts(workshop, focus=f"item-{result[0].id}"))
    return redirect(url_for(".agenda", workshop_id=workshop.id) + f"#item-{result[0].id}")


CHANGED_MEANWHILE = "Someone else changed “{}” meanwhile; nothing was changed. The agenda shows it as it is now."


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/status", methods=["POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_status(workshop: Workshop, item: AgendaItem):
    form = ConfirmForm()
    wanted = request.form.get("status", "")
    anchor, title = f"item-{item.id}", item.title
    if not form.validate_on_submit() or wanted not in ("scheduled", "cancelled"):
        return _action_answer(workshop, "The request could not be read; please try again.", INVALID, anchor)
    try:
        result = operations.set_agenda_item_status(current_user, item, wanted, form.version.data)
    except Conflict:
        return _action_answer(workshop, CHANGED_MEANWHILE.format(title), CONFLICT, anchor)
    done = "cancelled (kept on the agenda)" if wanted == "cancelled" else "scheduled again"
    return _action_done(workshop, result, f"“{title}” is {done}.")


@bp.route("/workshops/<int:workshop_id>/agenda/<int:item_id>/duplicate", methods=["POST"])
@guarded(_workshop_and_item, may=_may_edit_agenda)
def agenda_item_duplicate(workshop: Workshop, item: AgendaItem):
    form = ConfirmForm()
    anchor, title = f"item-{item.id}", item.title
    if not form.validate_on_submit():
        return _action_answer(workshop, "The request could not be read; please try again.", INVALID, anchor)
    try:
        result = operations.duplicate_agenda_item(current_user, item, form.version.data)
    except Conflict:
        return _action_answer(workshop, CHANGED_MEANWHILE.format(title), CONFLICT, anchor)
    except Invalid as exc:
        return _action_answer(workshop, " ".join(exc.errors.values()), INVALID, anchor)
    copy = result[0]
    return _action_done(workshop, result, f"A copy of “{title}” added at {copy.local_start():%H:%M}.")


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
