"""The pipeline every API operation runs through, and the registry that
declares them.

`operation(...)` records a route in the registry the OpenAPI document is
written from (api/openapi.py) and wraps the view: authenticate the bearer
token (through Flask-Login's request loader), validate the path, query and
body with the operation's models (400/422 naming the field), call the view,
and turn domain refusals into problem details (422 Invalid, 409 Conflict,
403 Forbidden); a POST's `Idempotency-Key` is honoured around it
(idempotency.py). The API never trusts the browser's session cookie: a
request is who its bearer token says, or anonymous.
"""

from __future__ import annotations

import inspect
from functools import wraps

from flask import Blueprint, Response, current_app, request, session
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from ..audit.operations import Conflict, Invalid
from ..auth.models import User
from ..core.cleaning import length_message
from ..core.errors import problem
from ..extensions import csrf, db, login_manager
from . import idempotency, operations, queries
from . import schemas as s
from .responses import json_response

bp = Blueprint("api", __name__)


class ApiError(Exception):
    """A refusal the pipeline turns into problem details."""

    def __init__(self, status: int, detail: str, errors: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None):
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers or {}
        super().__init__(detail)

    def response(self) -> Response:
        response = problem(self.status, self.detail, errors=self.errors)
        response.headers.update(self.headers)
        return response


# ------------------------------------------------------------ authentication

BEARER_HINT = 'Bearer realm="api"'


def _bearer_secret() -> str | None:
    """The secret of “Authorization: Bearer <secret>”: None without the
    header, "" when the header is not of that form."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


@login_manager.request_loader
def _token_user(_request) -> User | None:
    """Flask-Login's request loader, its documented place for API tokens:
    on an API operation (whose view is marked `token_only`, so the session
    cookie is not read: auth/views.py load_user) the current user is the
    bearer token's, or nobody. Operations are given that user as their actor."""
    view = current_app.view_functions.get(request.endpoint or "")
    secret = _bearer_secret() if getattr(view, "token_only", False) else None
    if not secret:
        return None
    token = queries.token_by_secret(secret) if len(secret) <= 200 else None
    if token is None or not token.user.active:
        return None
    operations.record_use(token)
    return token.user


def _authenticate() -> None:
    """Refuse a bearer header that is malformed or names no valid token.
    Asking for current_user here, first in the pipeline, runs the request
    loader above before any operation's unit of work."""
    user = current_user._get_current_object()
    secret = _bearer_secret()
    if secret == "":
        raise ApiError(401, "Send your API token as “Authorization: Bearer <token>”.",
                       headers={"WWW-Authenticate": BEARER_HINT})
    if secret is not None and not user.is_authenticated:
        raise ApiError(401, "This token is not valid: it may have been revoked, or its account deactivated.",
                       headers={"WWW-Authenticate": f'{BEARER_HINT}, error="invalid_token"'})


def _require_token() -> None:
    if not current_user.is_authenticated:
        raise ApiError(401, "This needs an API token: create one on your profile page and send it as "
                            "“Authorization: Bearer <token>”.", headers={"WWW-Authenticate": BEARER_HINT})


# ---------------------------------------------------------------- validation

MESSAGES = {
    "missing": "This field is required.",
    "extra_forbidden": "Unknown field: see the API documentation for the fields this takes.",
    "int_type": "Give a whole number.",
    "int_parsing": "Give a whole number.",
    "int_from_float": "Give a whole number.",
    "bool_type": "Give true or false.",
    "bool_parsing": "Give true or false.",
    "string_type": "Give a text string.",
    "list_type": "Give a list.",
    "date_type": "Give a date like 2025-06-03.",
    "date_parsing": "Give a date like 2025-06-03.",
    "date_from_datetime_parsing": "Give a date like 2025-06-03.",
    "date_from_datetime_inexact": "Give a date like 2025-06-03.",
    "model_type": "Send a JSON object.",
    "model_attributes_type": "Send a JSON object.",
    "dict_type": "Send a JSON object.",
}
PATTERN_MESSAGES = {
    s.NO_NUL: "Text may not contain NUL characters.",
    s.BASE64: "Give the file's bytes in base64.",
    "^[A-Za-z]{2}$": "Give a two-letter ISO country code, e.g. SG.",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "Give a time like 09:30 (24-hour clock, HH:MM).",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "Give a date like 2025-06-03.",
}


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return PATTERN_MESSAGES.get(ctx.get("pattern"), "This text is not in the expected form.")
    if kind == "string_too_long":
        return length_message(ctx.get("max_length"))
    if kind == "too_long":
        return f"At most {ctx.get('max_length')} items, please."
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = str(ctx.get("ge", ctx.get("le", "")))
        if len(bound) == 10 and bound[4] == "-":  # a date's bounds
            return f"Give a date between {s.EARLIEST_DAY} and {s.LATEST_DAY}."
        return error["msg"].replace("Input should be", "Give a number").rstrip(".") + "."
    return MESSAGES.get(kind, error["msg"])


def _field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        # A Literal or nullable field names its branch last: 'format.literal[...]'.
        key = ""
        for part in error["loc"]:
            if isinstance(part, int):
                key += f"[{part}]"  # a list item: references[1].url
            elif not str(part).startswith(("literal[", "function-")):
                key += ("." if key else "") + str(part)
        key = key or "body"
        errors.setdefault(key, _message(error))
    return errors


def _parse_query(model: type[BaseModel]) -> BaseModel:
    raw: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            errors[key] = "Give this parameter once."
        elif values[0] == "":
            errors[key] = "Give a value, or leave the parameter out."
        else:
            raw[key] = values[0]
    if errors:
        raise ApiError(400, "A query parameter is not valid; see errors.", errors)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = {key: ("Unknown query parameter." if msg.startswith("Unknown field") else msg)
                  for key, msg in _field_errors(exc).items()}
        raise ApiError(400, "A query parameter is not valid; see errors.", errors) from None


def _parse_body(model: type[BaseModel]) -> BaseModel:
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ApiError(400, "Send the fields as a JSON object in the body.", {"body": "The body is empty."})
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
        if any(e["type"] == "json_invalid" for e in problems):
            where = next(e for e in problems if e["type"] == "json_invalid")["ctx"].get("error", "")
            raise ApiError(400, "The body is not valid JSON.", {"body": f"Not valid JSON: {where}"[:300]}) from None
        raise ApiError(422, "Some fields are not valid; see errors.", _field_errors(exc)) from None



# ----------------------------------------------------------------- registry


def operation(method: str, rule: str, *, summary: str, tag: str, auth: str = "token",
              query: type[BaseModel] | None = None, body: type[BaseModel] | None = None,
              response: type[BaseModel] | None = None, response_schema: dict | None = None,
              status: int = 200, errors: tuple[int, ...] = (), path_params: dict | None = None):
    """Declare an API operation: registered for the OpenAPI document and run
    through the pipeline described in the module docstring. The view gets
    the path values, plus `query` and `body` as validated models."""

    def decorator(view):
        op = s.Operation(
            method=method, rule=rule, name=view.__name__, summary=summary,
            description=inspect.cleandoc(view.__doc__ or ""), tag=tag, auth=auth, query=query, body=body,
            response=response, response_schema=response_schema, status=status, errors=errors,
            path_params=path_params or {},
        )

        @wraps(view)
        def handle(**path_values):
            try:
                response = run(**path_values)
                try:
                    return idempotency.finish(response)
                except idempotency.Refused as exc:
                    return problem(exc.status, exc.detail, errors=exc.errors)
            finally:
                idempotency.forget()

        def run(**path_values):
            try:
                _authenticate()
                if op.auth == "token":
                    _require_token()
                for name, value in path_values.items():
                    bounds = op.path_params.get(name, s.PATH_PARAM)
                    if not bounds["minimum"] <= value <= bounds["maximum"]:
                        raise ApiError(404, f"There is no record with {name} {value}.")
                kwargs = dict(path_values)
                if query is not None:
                    kwargs["query"] = _parse_query(query)
                if body is not None:
                    kwargs["body"] = _parse_body(body)
                if op.method == "POST" and current_user.is_authenticated:
                    replay = idempotency.start(current_user.id)
                    if replay is not None:
                        return replay
                result = view(**kwargs)
            except ApiError as exc:
                db.session.rollback()
                return exc.response()
            except idempotency.Refused as exc:
                db.session.rollback()
                return problem(exc.status, exc.detail, errors=exc.errors)
            except IntegrityError:
                db.session.rollback()
                if not idempotency.lost():
                    raise
                # Another request with this key saved first: finish() answers as it did.
                return problem(409, "A request with the same Idempotency-Key was saved meanwhile; "
                                    "nothing was saved again.")
            except Conflict as exc:
                db.session.rollback()
                current = getattr(exc.obj, "version", None)
                return problem(409, "The record was changed by someone else since the version you sent; "
                                    "nothing was saved. Read it again, then send your change with its "
                                    "current version.", current_version=current)
            except Invalid as exc:
                db.session.rollback()
                return problem(422, "The change was refused; see errors.", errors=exc.errors)
            except Forbidden:
                db.session.rollback()
                return problem(403, "Your account may not do this: organisers change the records of their own "
                                    "networks only, and viewers only read.")
            if isinstance(result, Response):
                return result
            return json_response(result, op.status)

        csrf.exempt(handle)
        handle.token_only = True  # who the bearer token says, never the session cookie
        bp.add_url_rule(s.API_PREFIX + rule, op.name, handle, methods=[method],
                        provide_automatic_options=False)
        s.OPERATIONS.append(op)
        return handle

    return decorator


@bp.after_request
def _api_headers(response: Response) -> Response:
    if request.path.startswith(s.API_PREFIX + "/"):
        # No cookie is ever used here, so any site may read what anyone may
        # read (public agendas on an institute's own website).
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.add("Vary", "Authorization")
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
    if getattr(current_app.view_functions.get(request.endpoint or ""), "token_only", False):
        # The API keeps no session: Flask-Login's session protection, run
        # when it loads the token's user, may have marked a browser's one.
        session.modified = False
    return response
