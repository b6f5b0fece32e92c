"""The download of an uploaded document. Always a download, never shown in
the browser: `Content-Disposition: attachment`, the type stored when it was
accepted (documents/operations.py), `nosniff`, and a sandboxing content
security policy in case a browser opens it anyway. Any logged-in user may
download (README, "Uploaded documents"); the pages that link to a document
are those of the record it belongs to."""

from __future__ import annotations

import io

from flask import Blueprint, abort, send_file

from ..core.pages import guarded
from ..extensions import db
from .models import Document

bp = Blueprint("documents", __name__)


def _load(document_id: int, filename: str) -> Document:
    document = db.get_or_404(Document, document_id)
    if filename != document.filename:
        abort(404)  # one address per document: its id and its own name
    return document


@bp.route("/documents/<int:document_id>/<filename>")
@guarded(_load, may=lambda document: True)  # any logged-in user (README)
def download(document: Document):
    response = send_file(io.BytesIO(document.content), mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename, conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response
