"""The archive import's pages: upload, the preview (every row's problems at
their column, what would be created and what is already recorded), the
signed confirmation, and the template and example downloads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.downloads import download
from ..core.spreadsheets import SpreadsheetError, read_table
from ..errors import Invalid
from . import columns, importing
from .forms import ImportConfirmForm, ImportUploadForm, read_signed_rows, sign_rows

bp = Blueprint("archive", __name__)
INVALID = 422


def _page(*, upload=None, result=None, confirm=None, source="", status=200):
    return render_template(
        "archive/import.html", upload=upload or ImportUploadForm(formdata=None), result=result, confirm=confirm,
        source=source, columns=columns.COLUMNS, separator=columns.LIST_SEPARATOR,
        max_rows=importing.MAX_ARCHIVE_ROWS, max_mb=importing.MAX_ARCHIVE_BYTES // (1024 * 1024),
    ), status


def _upload_error(message: str, status: int = INVALID):
    upload = ImportUploadForm(formdata=None)
    upload.file.errors = [message]
    return _page(upload=upload, status=status)


def _require_importer() -> None:
    if not importing.may_import(current_user):
        abort(403)


@bp.route("/archive/import", methods=["GET", "POST"])
@login_required
def archive_import():
    _require_importer()
    if request.method == "GET":
        return _page()
    try:
        request.files  # noqa: B018  (reading the body now: a too large one is refused here)
    except RequestEntityTooLarge:
        return _too_large()
    if "payload" in request.form:
        return _confirm()
    upload = ImportUploadForm()
    if not upload.validate_on_submit():
        return _page(upload=upload, status=INVALID)
    storage = upload.file.data
    data = storage.stream.read(importing.MAX_ARCHIVE_BYTES + 1)
    source = columns.clean_line(storage.filename)[:200]
    try:
        table = read_table(source, data, max_bytes=importing.MAX_ARCHIVE_BYTES, max_rows=importing.MAX_ARCHIVE_ROWS)
        rows = columns.read_rows(table)
        result = importing.import_archive(current_user, rows, source=source, dry_run=True)
    except SpreadsheetError as exc:
        return _upload_error(str(exc))
    except Invalid as exc:
        return _upload_error(exc.errors.get("file", str(exc)))
    confirm = None
    if result.ok:
        confirm = ImportConfirmForm(formdata=None, data={"payload": sign_rows(current_user.id, source, rows)})
    return _page(result=result, confirm=confirm, source=source, status=200 if result.ok else INVALID)


def _confirm():
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        return _upload_error("The form expired. Upload the file again.", 400)
    signed = read_signed_rows(confirm.payload.data, current_user.id)
    if signed is None:
        return _upload_error("This preview has expired or was altered. Upload the file again.", 400)
    source, rows = signed
    try:
        result = importing.import_archive(current_user, rows, source=source)
    except importing.ArchiveRefused as exc:
        upload = ImportUploadForm(formdata=None)
        upload.file.errors = [exc.errors["file"]]
        return _page(upload=upload, result=exc.result, source=source, status=INVALID)
    except Invalid as exc:
        return _upload_error(exc.errors.get("file", str(exc)))
    flash(f"Imported {source or 'the file'}: {result.summary()}.", "success")
    return redirect(url_for("archive.archive_import"))


def _too_large():
    return _upload_error(
        f"The file is larger than the {importing.MAX_ARCHIVE_BYTES // (1024 * 1024)} MB limit. "
        "Split it into smaller files and import them one after the other.", 413)


def _file(which: str, fmt: str):
    _require_importer()
    body = columns.template_file(fmt, example=which == "example")
    return download(body, f"archive-{which}.{fmt}", fmt, headers={"Cache-Control": "private, no-store"})


@bp.route("/archive/template.<any(csv, xlsx):fmt>")
@login_required
def archive_template(fmt: str):
    return _file("template", fmt)


@bp.route("/archive/example.<any(csv, xlsx):fmt>")
@login_required
def archive_example(fmt: str):
    return _file("example", fmt)


@bp.errorhandler(413)
def _request_too_large(exc):
    """A body over MAX_CONTENT_LENGTH is refused before the view runs; on the
    import page the organiser still gets the page with one clear message."""
    if request.endpoint == "archive.archive_import" and importing.may_import(current_user):
        return _too_large()
    return render_template("errors/error.html", status=413, title="Too large", detail=exc.description or "",
                           error_id=g.get("request_id", "")), 413
