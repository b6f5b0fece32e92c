"""Routes of the people capability: people, a workshop's participants,
their import from CSV or XLSX and their export.

Every handler runs the same pipeline: load the objects (404), check the
right (403), then act through operations.py (one code path with the API).
Who may read a person is one rule (auth/access.py people_seen): admins
everyone, organisers the people of their networks' workshops and those in
no workshop yet, viewers no one (the directory shows them counts by sector
and country); participants are scoped by network too (may_see_participants).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from ..audit.operations import Invalid
from ..audit.queries import history_of
from ..auth.access import (
    can_edit,
    may_see_participants,
    participants_seen_in,
    people_seen,
    people_seen_among,
    require_edit,
    require_participants,
    require_person,
    sees_people,
)
from ..core.countries import all_countries
from ..core.downloads import download
from ..core.pages import edit_round, guarded
from ..core.pagination import paginate
from ..core.spreadsheets import SpreadsheetError, read_table
from ..extensions import db
from ..programme.models import Network, Series, Workshop
from ..vocab import PARTICIPATION_STATUSES, ROLES, SECTORS
from . import exporters, operations, queries
from .forms import (
    AddParticipantForm,
    FindPersonForm,
    ImportConfirmForm,
    ImportUploadForm,
    ParticipationForm,
    PersonForm,
    RemoveParticipationForm,
    read_signed_import,
    sign_import,
)
from .models import Participation, Person

bp = Blueprint("people", __name__)

INVALID = 422


def sees_contacts() -> bool:
    """Email and phone are for users who may edit people (admins, organisers)."""
    return current_user.is_authenticated and current_user.can_edit_anything


@bp.context_processor
def _helpers():
    return {"can_edit": can_edit, "sees_contacts": sees_contacts}


def _arg_int(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdecimal() and 0 < int(raw) <= queries.MAX_ID else None


def _arg_choice(name: str, allowed) -> str | None:
    raw = request.args.get(name, "")
    return raw if raw in allowed else None


def _get(model, object_id: int):
    """The object or 404 (an id too large for the column matches no route)."""
    return db.get_or_404(model, object_id)


def _load_workshop(workshop_id: int) -> Workshop:
    return db.first_or_404(
        select(Workshop).where(Workshop.id == workshop_id)
        .options(selectinload(Workshop.series).selectinload(Series.network))
    )


def _load_participation(workshop: Workshop, participation_id: int) -> Participation:
    return db.first_or_404(
        select(Participation)
        .where(Participation.id == participation_id, Participation.workshop_id == workshop.id)
        .options(selectinload(Participation.person))
    )


def _require_people_editor() -> None:
    if not sees_contacts():
        abort(403)


# ------------------------------------------------------------------ people


PEOPLE_SORT_LABELS = {"name": "Name (A–Z)", "-name": "Name (Z–A)", "country": "Country",
                      "-created": "Newest first"}


@bp.route("/people")
@login_required
def people():
    """The people directory. Admins and organisers read the people they may
    (auth/access.py people_seen); viewers, who read no one's name, read the
    people the filters find as counts by sector and country, the way they
    read a workshop's participants: what a programme head asks of it is who
    takes part, not how to reach them (no search by name, which would tell
    whether someone is recorded)."""
    networks = db.session.scalars(select(Network).order_by(Network.acronym)).all()
    countries = dict(all_countries())
    names = sees_people()
    filters = {
        "q": operations.clean_line(request.args.get("q", ""))[:200] if names else "",
        "country": _arg_choice("country", countries),
        "sector": _arg_choice("sector", SECTORS),
        "network": _arg_int("network"),
        "sort": _arg_choice("sort", queries.PEOPLE_SORTS) or "name",
    }
    query = queries.people_query(
        words=queries.words_of(filters["q"]), country=filters["country"], sector=filters["sector"],
        network_id=filters["network"], sort=filters["sort"], search_email=sees_contacts(),
        seen=people_seen() if names else None,
    )
    common = {"filters": filters, "networks": networks, "countries": all_countries(), "sorts": PEOPLE_SORT_LABELS}
    if not names:
        return render_template("people/people.html", sees_names=False,
                               composition=queries.people_composition(query), **common)
    page = paginate(query)
    counts = queries.workshop_counts((p.id for p in page.items), seen_in=participants_seen_in)
    return render_template("people/people.html", sees_names=True, page=page, counts=counts, **common)


@bp.route("/people/<int:person_id>")
@login_required
def person(person_id: int):
    """A person, for those who may read them (403 otherwise), with the
    workshops and agenda roles whose participants the reader may see."""
    person = _get(Person, person_id)
    require_person(person)
    history = history_of(person)
    return render_template(
        "people/person.html", person=person,
        participations=queries.participations_of(person, seen_in=participants_seen_in),
        agenda_roles=queries.agenda_roles_of(person, seen_in=participants_seen_in),
        history=history if sees_contacts() else queries.redacted(history),
    )


def _readable(*groups) -> set[int]:
    """The ids among these people (lists or single people, None skipped)
    whose page the reader may open: one query, so a name is linked only
    where the link leads somewhere."""
    ids = []
    for group in groups:
        if group is None:
            continue
        ids.extend(p.id for p in (group if isinstance(group, (list, tuple)) else [group]))
    return people_seen_among(ids)


def _person_page(form: PersonForm, person: Person | None, *, status: int = 200, similar=(), taken=None,
                 conflict=None):
    return render_template("people/person_form.html", form=form, person=person, similar=similar,
                           taken=taken, conflict=conflict, readable=_readable(list(similar), taken)), status


# A person recorded twice is refused with the one already there (a taken
# email) or the similar names: the form comes back with them to choose from.
PERSON_REFUSALS = {
    operations.EmailTaken: lambda exc: {"taken": exc.person},
    operations.SimilarPeople: lambda exc: {"similar": exc.people},
}


def _save_person(form: PersonForm, person: Person | None):
    def save() -> Person:
        if person is None:
            return operations.create_person(current_user, form.person_data(),
                                            different_person=form.different_person.data)
        return operations.update_person(current_user, person, form.person_data(), form.version.data)

    return edit_round(
        form, save, record=person, refusals=PERSON_REFUSALS,
        render=lambda **c: _person_page(form, person, **c)[0],
        saved=lambda saved: f"{saved.full_name} was {'added' if person is None else 'saved'}.",
        then=lambda saved: url_for("people.person", person_id=saved.id))


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new():
    _require_people_editor()
    form = PersonForm()
    if request.method == "GET":
        form.sector.data = form.sector.data or "academia"
    return _save_person(form, None)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int):
    person = _get(Person, person_id)
    _require_people_editor()
    require_person(person)
    if person.erased_at is not None:
        flash(operations.ERASED_MESSAGE, "error")
        return redirect(url_for("people.person", person_id=person.id))
    form = PersonForm(obj=person)
    return _save_person(form, person)


# ------------------------------------------------------------ participants


@bp.route("/workshops/<int:workshop_id>/participants")
@login_required
def participants(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    if not may_see_participants(workshop):
        counts = queries.status_counts(workshop)
        return render_template("people/participants.html", workshop=workshop, sees_names=False,
                               counts=counts, total=sum(counts.values()),
                               composition=queries.composition(workshop))
    filters = {
        "role": _arg_choice("role", ROLES),
        "status": _arg_choice("status", PARTICIPATION_STATUSES),
        "sort": _arg_choice("sort", ("name", "role", "status", "country", "-added")) or "name",
    }
    listed = queries.participants_of(workshop, role=filters["role"], status=filters["status"],
                                     sort=filters["sort"])
    counts = queries.status_counts(workshop)
    return render_template(
        "people/participants.html", workshop=workshop, participations=listed, filters=filters,
        counts=counts, total=sum(counts.values()), sees_names=True,
        export_args={k: v for k, v in filters.items() if v and k != "sort"},
    )


def _add_page(workshop: Workshop, form: AddParticipantForm, *, status: int = 200, chosen=None,
              similar=(), taken=None):
    find = FindPersonForm(request.args, meta={"csrf": False})
    find.validate()
    query = find.q.data or ""
    results = []
    if query and not find.errors:
        results = _find_people(query)
    return render_template(
        "people/participant_add.html", workshop=workshop, form=form, find=find, query=query,
        results=results, chosen=chosen, similar=similar, taken=taken,
        already=queries.participant_person_ids(workshop), readable=_readable(results, list(similar), taken, chosen),
    ), status


def _find_people(query: str) -> list[Person]:
    """The find box: the person with this email (any case), then similar
    names and names containing the words, at most 12."""
    found: list[Person] = []
    if "@" in query:
        match = queries.person_by_email(query)
        if match is not None:
            found.append(match)
        return found
    for p in queries.similar_people(query, limit=8):
        if p not in found:
            found.append(p)
    words = queries.words_of(query)
    if words:
        contains = db.session.scalars(
            queries.people_query(words=words, search_email=sees_contacts()).limit(12)
        ).all()
        found.extend(p for p in contains if p not in found)
    return [p for p in found if p.erased_at is None][:12]


@bp.route("/workshops/<int:workshop_id>/participants/add", methods=["GET", "POST"])
@login_required
def participant_add(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    form = AddParticipantForm()
    chosen = None
    chosen_id = form.person_id.data if request.method == "POST" else _arg_int("person_id")
    use_id = request.form.get("use_person", "") if request.method == "POST" else ""
    if use_id.isdecimal() and 0 < int(use_id) <= queries.MAX_ID:
        chosen_id = int(use_id)  # "use this person" from the suggestions: one click
    if chosen_id:
        chosen = db.session.get(Person, chosen_id) if 0 < chosen_id <= queries.MAX_ID else None
        if chosen is None:
            flash("That person no longer exists; find them again or add a new person.", "error")
            return redirect(url_for("people.participant_add", workshop_id=workshop.id))
        if request.method == "GET":
            form.person_id.data = chosen.id
            for key, value in operations.person_defaults(chosen).items():
                getattr(form, key).data = value or ""

    def save() -> Participation:
        data = form.participation_data()
        if use_id:
            # The suggestion's own sector, country and affiliation, not the ones typed for a new person.
            for key in ("sector", "country", "affiliation"):
                data.pop(key)
        if chosen is not None:
            return operations.add_participant(current_user, workshop, data, person=chosen)
        return operations.add_participant(current_user, workshop, data, new_person=form.new_person_data(),
                                          different_person=form.different_person.data)

    # A taken email or similar names: the page offers those people instead of the one chosen.
    refusals = {kind: (lambda exc, hook=hook: {**hook(exc), "chosen": None})
                for kind, hook in PERSON_REFUSALS.items()}
    return edit_round(
        form, save, refusals=refusals,
        submitted=lambda: request.method == "POST" and bool(use_id or form.validate_on_submit()),
        render=lambda conflict=None, **c: _add_page(workshop, form, **{"chosen": chosen, **c})[0],
        saved=lambda p: f"{p.person.full_name} was added as {p.role} ({p.status.replace('_', '-')}).",
        then=url_for("people.participants", workshop_id=workshop.id))


def _workshop_and_participation(workshop_id: int, participation_id: int) -> tuple[Workshop, Participation]:
    workshop = _load_workshop(workshop_id)
    return workshop, _load_participation(workshop, participation_id)


def _may_edit_participants(workshop: Workshop, *_) -> bool:
    return can_edit(workshop)


@bp.route("/workshops/<int:workshop_id>/participants/<int:participation_id>/edit", methods=["GET", "POST"])
@guarded(_workshop_and_participation, may=_may_edit_participants)
def participant_edit(workshop: Workshop, participation: Participation):
    form = ParticipationForm(obj=participation)
    name = participation.person.full_name

    def notes(_) -> list[tuple[str, str]]:
        roles = queries.agenda_roles_of_participation(participation)
        if participation.status in ("declined", "no_show") and roles:
            return [(f"Note: {name} is still on the agenda as {operations.describe_agenda_roles(roles)}.",
                     "warning")]
        return []

    return edit_round(
        form, lambda: operations.update_participation(current_user, participation, form.participation_data(),
                                                      form.version.data),
        record=participation,
        render=lambda **c: render_template("people/participant_form.html", workshop=workshop,
                                           participation=participation, form=form, **c),
        saved=f"{name}'s participation was saved.", notes=notes,
        then=url_for("people.participants", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/participants/<int:participation_id>/remove", methods=["GET", "POST"])
@guarded(_workshop_and_participation, may=_may_edit_participants)
def participant_remove(workshop: Workshop, participation: Participation):
    form = RemoveParticipationForm(data={"version": participation.version})
    name = participation.person.full_name
    roles = queries.agenda_roles_of_participation(participation)
    return edit_round(
        form, lambda: operations.remove_participation(current_user, participation, version=form.version.data,
                                                      drop_agenda_roles=form.drop_agenda_roles.data == "yes"),
        record=participation,
        render=lambda **c: render_template(
            "people/participant_remove.html", workshop=workshop, participation=participation, form=form,
            roles=queries.agenda_roles_of_participation(participation), **c),
        saved=f"{name} was removed from the participants"
              + (f" and from {len(roles)} agenda {'item' if len(roles) == 1 else 'items'}." if roles else "."),
        then=url_for("people.participants", workshop_id=workshop.id))


# ------------------------------------------------------------------ import


def _import_page(workshop: Workshop, *, upload=None, check=None, confirm=None, source="", status=200):
    return render_template(
        "people/import.html", workshop=workshop, upload=upload or ImportUploadForm(formdata=None),
        check=check, confirm=confirm, source=source, columns=operations.IMPORT_COLUMNS,
        required=operations.REQUIRED_COLUMNS, defaults=operations.IMPORT_DEFAULTS,
        max_rows=operations.MAX_IMPORT_ROWS, max_mb=operations.MAX_IMPORT_BYTES // (1024 * 1024),
        spellings={c: operations.import_spellings(c) for c in ("role", "status")},
        readable=_readable([r.person for r in check.rows if r.person is not None] if check else None),
    ), status


def _upload_error(workshop: Workshop, message: str, status: int = INVALID):
    upload = ImportUploadForm(formdata=None)
    upload.file.errors = [message]
    return _import_page(workshop, upload=upload, status=status)


@bp.route("/workshops/<int:workshop_id>/participants/import", methods=["GET", "POST"])
@login_required
def participants_import(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    if request.method == "GET":
        return _import_page(workshop)
    try:
        request.files  # noqa: B018  (reading the body now: a too large one is refused here)
    except RequestEntityTooLarge:
        return _too_large(workshop)
    if "payload" in request.form:
        return _confirm_import(workshop)
    upload = ImportUploadForm()
    if not upload.validate_on_submit():
        return _import_page(workshop, upload=upload, status=INVALID)
    storage = upload.file.data
    data = storage.stream.read(operations.MAX_IMPORT_BYTES + 1)
    source = operations.clean_line(storage.filename)[:200]
    try:
        table = read_table(source, data, max_bytes=operations.MAX_IMPORT_BYTES,
                           max_rows=operations.MAX_IMPORT_ROWS)
        rows = operations.import_rows(table)
    except SpreadsheetError as exc:
        return _upload_error(workshop, str(exc))
    except Invalid as exc:
        return _upload_error(workshop, exc.errors.get("file", str(exc)))
    check = operations.check_import(workshop, rows)
    confirm = None
    if check.ok:
        confirm = ImportConfirmForm(formdata=None, data={
            "payload": sign_import(workshop.id, current_user.id, source, rows)})
    return _import_page(workshop, check=check, confirm=confirm, source=source,
                        status=200 if check.ok else INVALID)


def _confirm_import(workshop: Workshop):
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        return _upload_error(workshop, "The form expired. Upload the file again.", 400)
    signed = read_signed_import(confirm.payload.data, workshop.id, current_user.id)
    if signed is None:
        return _upload_error(workshop, "This preview has expired or was altered. Upload the file again.", 400)
    source, rows = signed
    try:
        created = operations.import_participants(current_user, workshop, rows, source=source)
    except operations.ImportRefused as exc:
        upload = ImportUploadForm(formdata=None)
        upload.file.errors = [exc.errors["file"]]
        return _import_page(workshop, upload=upload, check=exc.check, source=source, status=INVALID)
    except Invalid as exc:
        return _upload_error(workshop, exc.errors.get("file", str(exc)))
    flash(f"Imported {len(created)} participants from {source or 'the file'}.", "success")
    return redirect(url_for("people.participants", workshop_id=workshop.id))


def _too_large(workshop: Workshop):
    return _upload_error(
        workshop,
        f"The file is larger than the {operations.MAX_IMPORT_BYTES // (1024 * 1024)} MB limit. "
        "Split it into smaller files and import them one after the other.",
        413,
    )


@bp.errorhandler(413)
def _request_too_large(exc):
    """A body over MAX_CONTENT_LENGTH is refused before any view runs; on the
    import page the organiser still gets the page with one clear message."""
    if request.endpoint == "people.participants_import" and current_user.is_authenticated:
        workshop_id = (request.view_args or {}).get("workshop_id", 0)
        workshop = db.session.get(Workshop, workshop_id) if workshop_id else None
        if workshop is not None and can_edit(workshop):
            return _too_large(workshop)
    return render_template("errors/error.html", status=413, title="Too large", detail=exc.description or "",
                           error_id=g.get("request_id", "")), 413


@bp.route("/workshops/<int:workshop_id>/participants/import-template.<any(csv, xlsx):fmt>")
@login_required
def participants_import_template(workshop_id: int, fmt: str):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    return _download(exporters.import_template(fmt), f"participants-template.{fmt}", fmt)


# ------------------------------------------------------------------ export


@bp.route("/workshops/<int:workshop_id>/participants.<any(csv, xlsx):fmt>")
@login_required
def participants_export(workshop_id: int, fmt: str):
    workshop = _load_workshop(workshop_id)
    require_participants(workshop)
    listed = queries.participants_of(workshop, role=_arg_choice("role", ROLES),
                                     status=_arg_choice("status", PARTICIPATION_STATUSES))
    body = exporters.participants_file(workshop, listed, fmt, with_email=sees_contacts())
    return _download(body, exporters.filename_for(workshop, "participants", fmt), fmt)


def _download(body: bytes, filename: str, fmt: str) -> Response:
    return download(body, filename, fmt, headers={"Cache-Control": "private, no-store"})
