"""Files the app sends for download (CSV, XLSX, PDF), with one way of
setting their type and name.

The type is set with `content_type=` and the full value. Flask's
`mimetype=` appends "; charset=utf-8" to every text/* type by itself, so
`mimetype="text/csv; charset=utf-8"` went out as
"text/csv; charset=utf-8; charset=utf-8".
"""

from __future__ import annotations

from flask import Response

from .spreadsheets import XLSX_MIME

CSV_MIME = "text/csv; charset=utf-8"
PDF_MIME = "application/pdf"
CONTENT_TYPES = {"csv": CSV_MIME, "xlsx": XLSX_MIME, "pdf": PDF_MIME}


def download(body, filename: str, fmt: str, *, headers: dict[str, str] | None = None) -> Response:
    """A file to save: `body` is bytes, text or an iterable of chunks (a
    streamed CSV); `fmt` one of CONTENT_TYPES; `filename` already safe."""
    response = Response(body, content_type=CONTENT_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers.update(headers or {})
    return response
