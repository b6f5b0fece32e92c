"""A workshop's participants in and out of files: the import from CSV or
XLSX (upload, checked preview, signed confirmation), its template, and the
export (routes of the people blueprint)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..audit.operations import Invalid
from ..auth.access import can_edit, require_edit, require_participants
from ..core.spreadsheets import SpreadsheetError, read_table
from ..core.text import plural
from ..extensions import db
from ..programme.models import Workshop
from ..vocab import PARTICIPATION_STATUSES, ROLES
from . import exporters, operations, queries
from .forms import ImportConfirmForm, ImportUploadForm, read_signed_import, sign_import
from .views import INVALID, _arg_choice, _download, _load_workshop, _readable, bp, sees_contacts


def _import_page(workshop: Workshop, *, upload=None, check=None, confirm=None, source="", status=200):
    return render_template(
        "people/import.html", workshop=workshop, upload=upload or ImportUploadForm(formdata=None),
        check=check, confirm=confirm, source=source, columns=operations.IMPORT_COLUMNS,
        required=operations.REQUIRED_COLUMNS, defaults=operations.IMPORT_DEFAULTS,
        max_rows=operations.MAX_IMPORT_ROWS, max_mb=operations.MAX_IMPORT_BYTES // (1024 * 1024),
        spellings={c: operations.import_spellings(c) for c in ("role", "status")},
        readable=_readable([p for r in check.rows for p in (r.person, r.namesake) if p is not None]
                           if check else None),
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
    return _import_page(workshop, check=check, confirm=_confirm_form(workshop, source, rows), source=source,
                        status=200 if check.ok else INVALID)


def _confirm_form(workshop: Workshop, source: str, rows) -> ImportConfirmForm:
    """The preview's signed rows: to import them all, only the good ones,
    or to download the rows with problems (a file to fix)."""
    return ImportConfirmForm(formdata=None, data={"payload": sign_import(workshop.id, current_user.id, source,
                                                                         rows)})


def _choices() -> dict[int, int]:
    """The preview's "use existing person X" choices: {row number: person id}
    (fields person_<row>; "new" or anything else: create a new person)."""
    chosen = {}
    for key, value in request.form.items():
        number = key.removeprefix("person_")
        if key.startswith("person_") and number.isdecimal() and value.isdecimal() and len(number) < 8 \
                and 0 < int(value) <= queries.MAX_ID:
            chosen[int(number)] = int(value)
    return chosen


def _confirm_import(workshop: Workshop):
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        return _upload_error(workshop, "The form expired. Upload the file again.", 400)
    signed = read_signed_import(confirm.payload.data, workshop.id, current_user.id)
    if signed is None:
        return _upload_error(workshop, "This preview has expired or was altered. Upload the file again.", 400)
    source, rows = signed
    good_only = request.form.get("mode") == "good"
    try:
        created = operations.import_participants(current_user, workshop, rows, source=source,
                                                 choices=_choices(), good_rows_only=good_only)
    except operations.ImportRefused as exc:
        upload = ImportUploadForm(formdata=None)
        upload.file.errors = [exc.errors["file"]]
        return _import_page(workshop, upload=upload, check=exc.check, source=source, status=INVALID,
                            confirm=_confirm_form(workshop, source, rows))
    except Invalid as exc:
        return _upload_error(workshop, exc.errors.get("file", str(exc)))
    left_out = len(rows) - len(created) if good_only else 0
    flash(f"Imported {plural(len(created), 'participant')} from {source or 'the file'}"
          + (f"; {plural(left_out, 'row')} with problems {'was' if left_out == 1 else 'were'} left out."
             if left_out else "."), "success")
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


@bp.route("/workshops/<int:workshop_id>/participants/import-problems.csv", methods=["POST"])
@login_required
def participants_import_problems(workshop_id: int):
    """The preview's rows with problems as a CSV file to fix (the same
    columns and a problem column); from the signed preview, nothing saved."""
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    confirm = ImportConfirmForm()
    signed = read_signed_import(confirm.payload.data, workshop.id, current_user.id) \
        if confirm.validate_on_submit() else None
    if signed is None:
        return _upload_error(workshop, "This preview has expired or was altered. Upload the file again.", 400)
    source, rows = signed
    check = operations.check_import(workshop, rows)
    stem = (source.rsplit(".", 1)[0] if source else "participants")
    name = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "-" for c in stem)[:80].strip("-") or "participants"
    return _download(exporters.import_problems_file(check), f"{name}-to-fix.csv", "csv")


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
