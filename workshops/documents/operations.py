"""Storing an uploaded document: the one place that decides whether a file
is accepted.

A file is accepted only when its content is what its name says, read from
the bytes and never from the name or the browser's declared type:

- ``.pdf``: starts with ``%PDF-``;
- ``.docx``: a zip archive (starting with a zip header, so nothing hides in
  front of it) holding ``[Content_Types].xml`` and ``word/document.xml``;
- ``.xlsx``: the same with ``xl/workbook.xml``.

Nothing else, and nothing above the size cap (``DOCUMENT_MAX_BYTES``, from
``DOCUMENT_MAX_MB``). The zip archive is only listed, never unpacked; it is
still refused when it holds more parts than an office file has, unpacks to
far more than its size or is packed tighter than an office file can be (a
"zip bomb" for whoever opens it), or carries macros. The type stored is the
one the extension names. The file is only ever sent back as a download
(documents/views.py)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from flask import current_app

from ..core.cleaning import ANY_CONTROL_CHARACTER, BIDI_CONTROLS
from ..core.spreadsheets import MAX_COMPRESSION_RATIO, MAX_XLSX_MEMBERS, RATIO_CHECKED_FROM, XLSX_MIME
from ..db import utcnow
from ..errors import Invalid
from .models import Document

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"

# extension: (content type, what a person calls it)
ACCEPTED = {
    "pdf": (PDF_MIME, "a PDF"),
    "docx": (DOCX_MIME, "a Word document"),
    "xlsx": (XLSX_MIME, "an Excel workbook"),
}
# The parts an office file of each kind always holds.
_REQUIRED_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAX_UNPACKED_RATIO = 20  # all parts together, against the file's own size (pictures barely compress)
MAX_UNPACKED_FLOOR = 20 * 1024 * 1024
FILENAME_MAX = 200
ACCEPTED_WORDS = "a PDF, a Word document (.docx) or an Excel workbook (.xlsx)"


def max_bytes() -> int:
    return current_app.config["DOCUMENT_MAX_BYTES"]


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def clean_filename(filename: str | None) -> str:
    """The name a file is stored and downloaded under: the last part of a
    path (some browsers send C:\\fakepath\\…), without control or
    direction-changing characters, at most FILENAME_MAX characters with its
    extension kept."""
    name = re.split(r"[\\/]", str(filename or ""))[-1]
    name = BIDI_CONTROLS.sub("", ANY_CONTROL_CHARACTER.sub("", name)).strip().strip(".").strip()
    name = name.replace('"', "'")
    if len(name) > FILENAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: FILENAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:FILENAME_MAX]
    return name


def document_problem(filename: str, data: bytes) -> str | None:
    """Why this file is refused, or None: the one rule (module docstring)."""
    name = clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        shown = f"“{name[:80]}”" if name else "This file"
        return f"{shown} cannot be attached: only {ACCEPTED_WORDS} can."
    limit = max_bytes()
    if len(data) > limit:
        return (f"The file is {megabytes(len(data))}, more than the limit of {megabytes(limit)}. "
                "Attach a smaller copy (a PDF saved for the web), or link to the document instead.")
    if not data:
        return "The file is empty."
    kind = ACCEPTED[extension][1]
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            return (f"“{name[:80]}” is not a PDF, whatever its name says. "
                    "Save or print the document as PDF, then attach it again.")
        return None
    return _office_problem(name, extension, kind, data)


def _office_problem(name: str, extension: str, kind: str, data: bytes) -> str | None:
    not_it = (f"“{name[:80]}” is not {kind}, whatever its name says. "
              f"Open it in its program and save it as .{extension}, then attach it again.")
    if not data.startswith(b"PK\x03\x04"):
        return not_it
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return not_it
    if len(members) > MAX_XLSX_MEMBERS:
        return f"“{name[:80]}” holds {len(members):,} parts, far more than {kind} has, so it was refused."
    unpacked = sum(m.file_size for m in members)
    if unpacked > max(MAX_UNPACKED_FLOOR, MAX_UNPACKED_RATIO * len(data)) or any(
        m.file_size > RATIO_CHECKED_FROM and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
        for m in members
    ):
        return (f"“{name[:80]}” unpacks to {megabytes(unpacked)}, far more than {kind} of "
                f"{megabytes(len(data))} can, so it was refused. Save it again from its program.")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or _REQUIRED_PARTS[extension] not in names:
        return not_it
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return (f"“{name[:80]}” contains macros, which are not accepted. "
                f"Save it as a plain .{extension} (or as PDF), then attach it again.")
    return None


def check_document(filename: str, data: bytes, *, field: str = "file") -> None:
    """Raise Invalid({field: why}) when the file would be refused."""
    problem = document_problem(filename, data)
    if problem:
        raise Invalid({field: problem})


def store_document(session, actor, filename: str, data: bytes, *, field: str = "file") -> Document:
    """Check the file (Invalid naming `field` when refused) and add it to
    `session`, inside the caller's unit of work (audit/operations.py), which
    records it; flushed, so the document has its id. Who may upload is the
    caller's rule (the record the file belongs to)."""
    check_document(filename, data, field=field)
    name = clean_filename(filename)
    document = Document(
        filename=name,
        content_type=ACCEPTED[name.rsplit(".", 1)[-1].lower()][0],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=bytes(data),
        uploaded_at=utcnow(),
        uploaded_by_id=getattr(getattr(actor, "user", actor), "id", None),
    )
    session.add(document)
    session.flush()
    return document
