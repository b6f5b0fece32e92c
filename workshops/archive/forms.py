"""The archive import's forms: the upload, and the preview's checked rows
carried to the confirmation, signed with the app's secret key (no file
kept on the server, nothing a user can alter on the way)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from ..people.forms import ImportConfirmForm, ImportUploadForm  # noqa: F401  (the same two forms)

_SALT = "archive.import"
MAX_AGE = 6 * 3600  # a preview left open longer is uploaded again


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def sign_rows(user_id: int, source: str, rows: list[tuple[int, dict]]) -> str:
    """The rows, without their empty cells (a shorter page)."""
    compact = [(n, {k: v for k, v in row.items() if v}) for n, row in rows]
    return _serializer().dumps({"u": user_id, "s": source, "r": compact})


def read_signed_rows(token: str, user_id: int) -> tuple[str, list[tuple[int, dict]]] | None:
    """The source name and rows of a signed preview, or None when the token
    is missing, altered, expired or made for another user."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id:
        return None
    try:
        rows = [(int(number), {str(k): str(v) for k, v in row.items()}) for number, row in data["r"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return str(data.get("s", "")), rows
