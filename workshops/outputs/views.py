"""Routes of the outputs capability: the list of a network's written
outputs, one output, and the forms that create, change and delete one.
Organisers edit their networks' outputs; every logged-in user reads.
Each handler loads (404), checks access (403) and acts through
operations.py, the code path the JSON API shares."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..audit.queries import history_of
from ..auth.access import can_edit
from ..core.forms import options
from ..core.pages import edit_round, guarded
from ..core.pagination import paginate
from ..errors import Invalid
from ..extensions import db
from ..programme.models import Network, Series, Workshop, in_networks
from . import operations as ops
from . import queries
from .forms import DATE_HINT, ConfirmForm, OutputFilterForm, OutputForm
from .models import Output

bp = Blueprint("outputs", __name__)
WORKSHOP_CHOICES_MAX = 500


def _user():
    return current_user._get_current_object()


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 10 else None


@bp.route("/outputs")
@login_required
def outputs():
    networks = list(db.session.scalars(select(Network).order_by(Network.acronym)))
    form = OutputFilterForm(request.args)
    form.network.choices = options([("", "All networks"), *[(str(n.id), n.acronym) for n in networks]])
    form.year.choices = options([("", "Any year"), *[(str(y), str(y)) for y in queries.output_years()]])
    form.validate()
    query = queries.outputs_query(_int_or_none(form.network.data), form.kind.data or None,
                                  _int_or_none(form.year.data))
    filtered = any(request.args.get(k) for k in ("network", "kind", "year"))
    return render_template("outputs/outputs.html", form=form, page=paginate(query), filtered=filtered,
                           may_create=any(can_edit(n.id) for n in networks))


def _load(output_id: int) -> Output:
    output = queries.output_detail(output_id)
    if output is None:
        abort(404)
    return output


@bp.route("/outputs/<int:output_id>")
@login_required
def output(output_id: int):
    found = _load(output_id)
    return render_template("outputs/output.html", output=found, may_edit=can_edit(found),
                           history=history_of(found))


# --------------------------------------------------------------------------- forms


def _form(output: Output | None) -> OutputForm:
    data = {"kind": "memorandum"}
    if output is not None:
        data = {"kind": output.kind, "title": output.title, "date": None, "network": output.network_id,
                "series_id": str(output.series_id or ""), "issuing_body": output.issuing_body,
                "url": output.url, "summary": output.summary, "version": output.version,
                "workshop_ids": [w.id for w in output.workshops]}
    form = OutputForm(data=data)
    if form.series_id.data is None:
        form.series_id.data = ""
    if output is not None and request.method == "GET":
        form.date.raw = ops.format_partial_date(output.date, output.date_precision, output.approximate)
    networks = [n for n in db.session.scalars(select(Network).order_by(Network.acronym)) if can_edit(n.id)]
    if output is not None and output.network_id not in {n.id for n in networks}:
        networks.insert(0, output.network)
    form.network.choices = options([(n.id, f"{n.acronym} — {n.name}") for n in networks])
    series = db.session.execute(
        select(Series.id, Series.name, Network.acronym).join(Network)
        .where(Series.network_id.in_([n.id for n in networks])).order_by(Network.acronym, Series.name)).all()
    form.series_id.choices = options([("", "— none —"), *[(str(i), f"{a} · {name}") for i, name, a in series]])
    workshops = list(db.session.scalars(
        select(Workshop).where(in_networks([n.id for n in networks])).order_by(Workshop.start_date.desc())
        .limit(WORKSHOP_CHOICES_MAX)))
    linked = [w for w in (output.workshops if output is not None else []) if w not in workshops]
    form.workshop_ids.choices = options([(w.id, f"{w.title} ({w.start_date.year})") for w in [*linked, *workshops]])
    return form


def _render(form: OutputForm, output: Output | None, **context):
    return render_template("outputs/output_form.html", form=form, output=output, date_hint=DATE_HINT, **context)


@bp.route("/outputs/new", methods=["GET", "POST"])
@guarded(may=lambda: current_user.can_edit_anything)
def output_new():
    form = _form(None)
    if request.method == "GET" and _int_or_none(request.args.get("network")):
        form.network.data = _int_or_none(request.args.get("network"))
    return edit_round(
        form, lambda: ops.create_output(_user(), form.data_for_operation()),
        render=lambda **c: _render(form, None, **c),
        saved=lambda o: f"Recorded the output “{o.title}”.",
        then=lambda o: url_for(".output", output_id=o.id))


@bp.route("/outputs/<int:output_id>/edit", methods=["GET", "POST"])
@guarded(_load, may=can_edit)
def output_edit(output: Output):
    form = _form(output)
    return edit_round(
        form, lambda: ops.update_output(_user(), output, form.data_for_operation(output.document_id),
                                        form.version.data),
        record=output, render=lambda **c: _render(form, output, **c),
        saved="Saved the output.", then=url_for(".output", output_id=output.id))


@bp.route("/outputs/<int:output_id>/delete", methods=["GET", "POST"])
@guarded(_load, may=can_edit)
def output_delete(output: Output):
    form = ConfirmForm()
    title = output.title
    problem = ops.delete_problem(output)
    return edit_round(
        form, lambda: ops.delete_output(_user(), output),
        refusals={Invalid: lambda exc: {"problem": exc.errors.get("recommendations")}}, invalid_status=409,
        render=lambda **c: render_template("outputs/output_delete.html", output=output, form=form,
                                           **{"problem": problem, **c}),
        saved=f"Deleted the output “{title}”.", then=url_for(".outputs"))
