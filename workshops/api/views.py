"""The JSON API under /api/v1, its OpenAPI document and documentation page,
and the page where users create and revoke their API tokens.

Every API route is declared with `operation(...)`, which records it in the
registry the OpenAPI document is written from, and wraps the view in one
pipeline: authenticate the bearer token, validate the path, query and body
with the operation's models (400/422 naming the field), call the view, and
turn domain refusals into problem details (422 Invalid, 409 Conflict); a
POST's `Idempotency-Key` is honoured around it (idempotency.py). The
views load (404), check access (403) and then call the same operations
functions as the web forms, so validation, permissions, version checks and
the audit trail are one code path.

The API never trusts the browser's session cookie: a request is who its
bearer token says, or anonymous. Writes therefore need the token, which a
cross-site form cannot send, so CSRF protection is not needed here (and is
switched off for these views only, not for the token page).
"""

from __future__ import annotations

import inspect
import json
from functools import lru_cache, wraps

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from .. import vocab
from ..audit.operations import Conflict, Invalid
from ..auth.access import (
    may_see_person,
    participants_seen_in,
    people_seen,
    require_edit,
    require_participants,
    sees_people,
)
from ..auth.models import ApiToken
from ..core.errors import problem
from ..core.pagination import Page as SqlPage
from ..core.pagination import paginate
from ..extensions import csrf, db, login_manager
from ..outcomes import operations as outcomes_ops
from ..outcomes.models import Recommendation
from ..outcomes.queries import RecommendationFilters, recommendations_query, track1_bodies_query
from ..people import operations as people_ops
from ..people.models import Participation, Person
from ..people.queries import people_query, words_of
from ..people.queries import workshop_counts as person_workshop_counts
from ..programme import operations as programme_ops
from ..programme.models import AgendaItem, MemberInstitute, Theme, Workshop
from ..programme.queries import WorkshopFilters, agenda_items_of, networks_with_counts, series_query
from ..programme.queries import workshops_query as programme_workshops_query
from ..reports import queries as reports
from . import exporters as ex
from . import idempotency, operations, queries
from . import schemas as s
from .forms import CreateTokenForm, RevokeTokenForm

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


def _authenticate() -> None:
    """Make the bearer token's user the current user of this request (or
    nobody). The session cookie is ignored on purpose, see the module doc."""
    user = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            raise ApiError(401, "Send your API token as “Authorization: Bearer <token>”.",
                           headers={"WWW-Authenticate": BEARER_HINT})
        token = queries.token_by_secret(secret) if len(secret) <= 200 else None
        if token is None or not token.user.active:
            raise ApiError(401, "This token is not valid: it may have been revoked, or its account deactivated.",
                           headers={"WWW-Authenticate": f'{BEARER_HINT}, error="invalid_token"'})
        operations.record_use(token)
        user = token.user
    # What Flask-Login does at the end of loading a user: current_user and
    # every auth.access helper now answer for the token's user.
    login_manager._update_request_context_with_user(user)


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
        return f"At most {ctx.get('max_length')} characters, please."
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
        loc = [str(part) for part in error["loc"] if not str(part).startswith(("literal[", "function-"))]
        key = ".".join(loc) or "body"
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


# ---------------------------------------------------------------- responses


def _json(model: BaseModel, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def _page_url(number: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(number)
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def _paged(page_model: type[s.Page], page: SqlPage, items: list) -> s.Page:
    return page_model(
        items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages,
        next=_page_url(page.page + 1) if page.has_next else None,
        prev=_page_url(min(page.page - 1, page.pages)) if page.page > 1 else None,
    )


def _paged_list(page_model: type[s.Page], rows: list, query: s.Query, build) -> s.Page:
    """A page of an already loaded (short) list."""
    start = (query.page - 1) * query.per_page
    page = SqlPage(items=rows[start:start + query.per_page], page=query.page, per_page=query.per_page,
                   total=len(rows))
    return _paged(page_model, page, [build(r) for r in page.items])


def _paged_query(page_model: type[s.Page], select_, query: s.Query, build) -> s.Page:
    page = paginate(select_, per_page=query.per_page, page=query.page)
    return _paged(page_model, page, [build(r) for r in page.items])


def _url(endpoint: str, **values) -> str:
    return url_for(f"api.{endpoint}", **values, _external=True)


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
            return _json(result, op.status)

        csrf.exempt(handle)
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
    return response


# --------------------------------------------------------------------- meta


@operation("GET", "/openapi.json", summary="This API's OpenAPI 3.1 document", tag="About", auth="none",
           response_schema={"type": "object"})
def openapi_json():
    """The document the documentation page is made from; generated from the
    same models that validate the requests."""
    return Response(_document_json(), mimetype="application/json")


@lru_cache(maxsize=1)
def _document() -> dict:
    """Built once per process: the operations are all registered at import."""
    return s.openapi_document()


@lru_cache(maxsize=1)
def _document_json() -> str:
    return json.dumps(_document(), ensure_ascii=False)


@bp.route(s.API_PREFIX + "/docs")
def docs():
    """The documentation page, rendered on the server from the OpenAPI document."""
    document = _document()
    groups: dict[str, list] = {t["name"]: [] for t in document["tags"]}
    for path, item in document["paths"].items():
        for method, op in item.items():
            groups[op["tags"][0]].append((method, path, op))
    return render_template("api/docs.html", doc=document, groups=list(groups.items()),
                           schemas=document["components"]["schemas"], describe=describe_schema,
                           code_spans=code_spans,
                           base_url=request.host_url.rstrip("/"))


FORMATS = {"date": "date (YYYY-MM-DD)", "date-time": "date and time (ISO 8601)"}


def code_spans(text: str) -> Markup:
    """The document's descriptions mark names `like this` (Markdown, as
    OpenAPI tools read them): shown here as <code>, everything escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: leave the text as it is
        return escape(text)
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<code>{}</code>").format(p)
                           for i, p in enumerate(parts))


def describe_schema(schema: dict) -> Markup:
    """A JSON Schema fragment in words, linking to the schemas it names."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    options = schema.get("anyOf")
    if options:
        return Markup(" or ").join(describe_schema(o) for o in options)
    kind = schema.get("type")
    if isinstance(kind, list):
        return Markup(" or ").join(describe_schema({**schema, "type": k}) for k in kind)
    if "enum" in schema:
        return Markup("one of ") + Markup(", ").join(Markup("<code>{}</code>").format(v) for v in schema["enum"])
    if kind == "array":
        text = Markup("list of ") + describe_schema(schema.get("items", {}))
        if "maxItems" in schema:
            text += Markup(", at most {}").format(schema["maxItems"])
        return text
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return Markup("object of ") + describe_schema(schema["additionalProperties"])
    if kind == "string":
        text = escape(FORMATS.get(schema.get("format"), "text"))
        if schema.get("pattern") and schema["pattern"] != s.NO_NUL:
            text += Markup(" matching <code>{}</code>").format(schema["pattern"])
        if "maxLength" in schema:
            text += Markup(", up to {} characters").format(schema["maxLength"])
        return text
    if kind == "integer":
        text = Markup("whole number")
        if "minimum" in schema and "maximum" in schema:
            text += Markup(" from {} to {}").format(schema["minimum"], schema["maximum"])
        return text
    return escape(kind or "any JSON value")


@operation("GET", "/me", summary="Who the token acts for", tag="About", response=s.Me)
def me():
    """The token's user, role and networks: a quick check that a token works."""
    return s.Me(id=current_user.id, name=current_user.name, email=current_user.email, role=current_user.role,
                networks=[ex.network_ref(n) for n in sorted(current_user.networks, key=lambda n: n.acronym)])


# --------------------------------------------------------------- reference


@operation("GET", "/themes", summary="List themes", tag="Reference", auth="optional",
           query=s.Query, response=s.ThemePage)
def list_themes(query: s.Query):
    """Every theme, by name: their ids are what the `theme` filters and the
    `themes` fields take."""
    select_ = select(Theme).order_by(Theme.name)
    return _paged_query(s.ThemePage, select_, query, ex.theme)


@operation("GET", "/institutes", summary="List member institutes", tag="Reference",
           query=s.InstituteQuery, response=s.InstitutePage)
def list_institutes(query: s.InstituteQuery):
    """Member institutes, by name: their ids are what a workshop's `host` takes."""
    select_ = select(MemberInstitute).order_by(MemberInstitute.name)
    if query.network is not None:
        select_ = select_.where(MemberInstitute.networks.any(id=query.network))
    return _paged_query(s.InstitutePage, select_, query, ex.institute_ref)


# ------------------------------------------------------- networks, series


@operation("GET", "/networks", summary="List networks", tag="Networks", query=s.Query, response=s.NetworkPage)
def list_networks(query: s.Query):
    """Every Track-2 network with its numbers of institutes, series and workshops."""
    rows = networks_with_counts()
    return _paged_list(s.NetworkPage, rows, query, lambda row: ex.network(*row))


@operation("GET", "/networks/<int:network_id>", summary="Read a network", tag="Networks",
           response=s.NetworkOut)
def get_network(network_id: int):
    row = next((r for r in networks_with_counts() if r[0].id == network_id), None)
    if row is None:
        raise ApiError(404, f"There is no network {network_id}.")
    return ex.network(*row)


@operation("GET", "/series", summary="List series", tag="Networks", query=s.SeriesQuery, response=s.SeriesPage)
def list_series(query: s.SeriesQuery):
    """Series with their lifecycle (active, dormant, revived), filtered as on the series page."""
    return _paged_query(s.SeriesPage, series_query(query.network, query.status), query, ex.series)


@operation("GET", "/series/<int:series_id>", summary="Read a series", tag="Networks", response=s.SeriesOut)
def get_series(series_id: int):
    series = queries.series_detail(series_id)
    if series is None:
        raise ApiError(404, f"There is no series {series_id}.")
    return ex.series(series)


# ---------------------------------------------------------------- workshops

WORKSHOP_DENIED = "There is no workshop {id} that you may read (without a token, only public ones)."


def _readable_workshop(workshop_id: int) -> Workshop:
    workshop = queries.workshop_for_reading(workshop_id)
    if workshop is None:
        raise ApiError(404, WORKSHOP_DENIED.format(id=workshop_id))
    return workshop


def _editable_workshop(workshop_id: int) -> Workshop:
    workshop = queries.workshop_for_reading(workshop_id)
    if workshop is None:
        raise ApiError(404, WORKSHOP_DENIED.format(id=workshop_id))
    require_edit(workshop)
    return workshop


def _workshop_answer(workshop_id: int) -> s.WorkshopDetail:
    db.session.expire_all()  # after a save: read back what the database holds
    workshop = _readable_workshop(workshop_id)
    return ex.workshop_detail(workshop, agenda_items_of(workshop))


@operation("GET", "/workshops", summary="List workshops", tag="Workshops", auth="optional",
           query=s.WorkshopQuery, response=s.WorkshopPage)
def list_workshops(query: s.WorkshopQuery):
    """Workshops, filtered as on the workshops page. Without a token, only
    public workshops that are published (or cancelled) are listed."""
    filters = WorkshopFilters(network=query.network, series=query.series, year=query.year, theme=query.theme,
                              country=query.country.upper() if query.country else None, status=query.status,
                              format=query.format, sort=query.sort)
    select_ = queries.visible_workshops(programme_workshops_query(filters))
    if query.slug is not None:
        select_ = select_.where(Workshop.slug == query.slug)
    return _paged_query(s.WorkshopPage, select_, query, ex.workshop)


@operation("GET", "/workshops/<int:workshop_id>", summary="Read a workshop with its agenda", tag="Workshops",
           auth="optional", response=s.WorkshopDetail)
def get_workshop(workshop_id: int):
    """A workshop's details and agenda. Without a token, only public workshops."""
    workshop = _readable_workshop(workshop_id)
    return ex.workshop_detail(workshop, agenda_items_of(workshop))


@operation("GET", "/workshops/<int:workshop_id>/agenda", summary="Read a workshop's agenda", tag="Workshops",
           auth="optional", response=s.Agenda)
def get_agenda(workshop_id: int):
    """The agenda in time order: UTC times, and the day and HH:MM times in the
    workshop's own time zone. Chairs and speakers are named (as on the printed
    agenda); the participant list is not part of it."""
    workshop = _readable_workshop(workshop_id)
    items = agenda_items_of(workshop)
    return s.Agenda(workshop=ex.workshop(workshop), timezone=workshop.timezone,
                    items=[ex.agenda_item(i, workshop) for i in items])


def _workshop_data(w: Workshop) -> dict:
    """The workshop as the programme operations take it (the form's fields)."""
    return {
        "title": w.title, "slug": w.slug, "series": w.series_id, "host": w.host_institute_id,
        "venue": w.venue, "city": w.city, "country": w.country, "timezone": w.timezone,
        "start_date": w.start_date, "end_date": w.end_date, "format": w.format,
        "visibility": w.visibility, "chatham_house": w.chatham_house, "objectives": w.objectives,
        "rules": w.rules, "themes": [t.id for t in w.themes],
    }


@operation("POST", "/workshops", summary="Create a workshop (as a draft)", tag="Workshops",
           body=s.WorkshopCreate, response=s.WorkshopDetail, status=201, errors=(403,))
def create_workshop(body: s.WorkshopCreate):
    """A new workshop in a series of a network you organise; it starts as a
    draft (publish it with the status operation)."""
    workshop = programme_ops.create_workshop(current_user, body.model_dump())
    answer = _workshop_answer(workshop.id)
    return _json(answer, 201, {"Location": _url("get_workshop", workshop_id=workshop.id)})


@operation("PATCH", "/workshops/<int:workshop_id>", summary="Change a workshop", tag="Workshops",
           body=s.WorkshopUpdate, response=s.WorkshopDetail, errors=(403, 409))
def update_workshop(workshop_id: int, body: s.WorkshopUpdate):
    """Only the fields sent change. When the start date moves, the agenda
    moves with it unless `shift_agenda` is false."""
    workshop = _editable_workshop(workshop_id)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    programme_ops.update_workshop(current_user, workshop, {**_workshop_data(workshop), **changes}, body.version)
    return _workshop_answer(workshop_id)


@operation("POST", "/workshops/<int:workshop_id>/status", summary="Publish, unpublish or cancel a workshop",
           tag="Workshops", body=s.WorkshopStatusChange, response=s.WorkshopDetail, errors=(403, 409))
def change_workshop_status(workshop_id: int, body: s.WorkshopStatusChange):
    workshop = _editable_workshop(workshop_id)
    programme_ops.set_workshop_status(current_user, workshop, body.status, body.version)
    return _workshop_answer(workshop_id)


# -------------------------------------------------------------- agenda items


def _agenda_data(item: AgendaItem) -> dict:
    """An agenda item as the programme operations take it (the form's fields)."""
    zone = item.workshop.zone
    start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
    people = {role: [p.participation_id for p in item.people if p.role == role]
              for role in vocab.AGENDA_PERSON_ROLES}
    return {
        "day": start.date(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "title": item.title,
        "kind": item.kind, "room": item.room, "description": item.description, "status": item.status,
        "chairs": people["chair"], "speakers": people["speaker"], "discussants": people["discussant"],
    }


def _saved_item(item_id: int, warnings) -> s.AgendaItemSaved:
    db.session.expire_all()
    item = db.session.get(AgendaItem, item_id)
    return ex.agenda_item_saved(item, warnings)


@operation("POST", "/workshops/<int:workshop_id>/agenda", summary="Add an agenda item", tag="Workshops",
           body=s.AgendaItemCreate, response=s.AgendaItemSaved, status=201, errors=(403,))
def create_agenda_item(workshop_id: int, body: s.AgendaItemCreate):
    """Times are local to the workshop's time zone; the item must fall on one
    of the workshop's days and end after it starts. Chairs, speakers and
    discussants are participation ids of this workshop."""
    workshop = _editable_workshop(workshop_id)
    item, warnings = programme_ops.add_agenda_item(current_user, workshop, body.model_dump())
    answer = _saved_item(item.id, warnings)
    return _json(answer, 201, {"Location": _url("get_workshop", workshop_id=workshop_id)})


@operation("PATCH", "/agenda-items/<int:item_id>", summary="Change an agenda item", tag="Workshops",
           body=s.AgendaItemUpdate, response=s.AgendaItemSaved, errors=(403, 409))
def update_agenda_item(item_id: int, body: s.AgendaItemUpdate):
    """Only the fields sent change; set `status` to cancelled to keep the item
    on the agenda, marked cancelled."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or not queries.may_read_workshop(item.workshop):
        raise ApiError(404, f"There is no agenda item {item_id}.")
    require_edit(item)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    item, warnings = programme_ops.update_agenda_item(current_user, item, {**_agenda_data(item), **changes},
                                                      body.version)
    return _saved_item(item_id, warnings)


# ------------------------------------------------------------- participants


@operation("GET", "/workshops/<int:workshop_id>/participants", summary="List a workshop's participants",
           tag="Participants", query=s.ParticipantsQuery, response=s.ParticipationPage, errors=(403,))
def list_participants(workshop_id: int, query: s.ParticipantsQuery):
    """Only for the workshop's organisers and admins: participant lists stay
    among the participants (Chatham House), so the API gives them only to
    those who manage them, with contact details (the rule of the web pages:
    auth/access.py may_see_participants)."""
    workshop = queries.workshop_for_reading(workshop_id)
    if workshop is None:
        raise ApiError(404, WORKSHOP_DENIED.format(id=workshop_id))
    require_participants(workshop)
    select_ = queries.participations_query(workshop, query.role, query.status)
    return _paged_query(s.ParticipationPage, select_, query, lambda p: ex.participation(p, contact=True))


def _participation_answer(participation_id: int) -> s.ParticipationOut:
    db.session.expire_all()
    return ex.participation(queries.load_participation(participation_id), contact=True)


@operation("POST", "/workshops/<int:workshop_id>/participants", summary="Add a participant", tag="Participants",
           body=s.ParticipationCreate, response=s.ParticipationOut, status=201, errors=(403,))
def create_participation(workshop_id: int, body: s.ParticipationCreate):
    """Add a person already recorded (`person_id`) or a new one (`new_person`);
    sector, country and affiliation default to the person's. A new person
    whose name resembles someone recorded is refused (see errors) unless
    `different_person` is true."""
    workshop = _editable_workshop(workshop_id)
    if (body.person_id is None) == (body.new_person is None):
        raise Invalid({"person_id": "Give either person_id (someone recorded) or new_person, not both."})
    person = None
    if body.person_id is not None:
        person = db.session.get(Person, body.person_id)
        if person is None:
            raise Invalid({"person_id": f"There is no person {body.person_id}."})
    data = body.model_dump(exclude_unset=True, exclude={"person_id", "new_person", "different_person"})
    participation = people_ops.add_participant(
        current_user, workshop, data, person=person,
        new_person=body.new_person.model_dump(exclude_unset=True) if body.new_person else None,
        different_person=body.different_person)
    answer = _participation_answer(participation.id)
    return _json(answer, 201, {"Location": _url("list_participants", workshop_id=workshop_id)})


@operation("PATCH", "/participations/<int:participation_id>", summary="Change a participation",
           tag="Participants", body=s.ParticipationUpdate, response=s.ParticipationOut, errors=(403, 409))
def update_participation(participation_id: int, body: s.ParticipationUpdate):
    """Role, status and what was recorded at that workshop; only the fields sent change."""
    participation = db.session.get(Participation, participation_id)
    if participation is None:
        raise ApiError(404, f"There is no participation {participation_id}.")
    require_edit(participation.workshop)
    people_ops.update_participation(current_user, participation,
                                    body.model_dump(exclude_unset=True, exclude={"version"}), body.version)
    return _participation_answer(participation_id)


# ------------------------------------------------------------------- people


def _sees_contact() -> bool:
    return current_user.can_edit_anything


PEOPLE_DENIED = ("People's names and contact details are given only to admins, and to organisers for the people "
                 "of their networks' workshops (and people in no workshop yet).")


@operation("GET", "/people", summary="List people", tag="Participants", query=s.PeopleQuery,
           response=s.PersonPage, errors=(403,))
def list_people(query: s.PeopleQuery):
    """People, filtered as on the people page, and only those the caller may
    read (auth/access.py people_seen): admins everyone, organisers the people
    of their networks' workshops and people in no workshop yet. Viewers read
    no one's name: 403. `workshops` counts the workshops whose participants
    the caller may see."""
    if not sees_people():
        raise ApiError(403, PEOPLE_DENIED)
    contact = _sees_contact()
    select_ = people_query(words=words_of(query.q), country=query.country.upper() if query.country else None,
                           sector=query.sector, network_id=query.network, sort=query.sort,
                           search_email=contact, seen=people_seen())
    page = paginate(select_, per_page=query.per_page, page=query.page)
    counts = person_workshop_counts((p.id for p in page.items), seen_in=participants_seen_in)
    return _paged(s.PersonPage, page, [ex.person(p, counts.get(p.id, 0), contact=contact) for p in page.items])


@operation("GET", "/people/<int:person_id>", summary="Read a person", tag="Participants", response=s.PersonOut,
           errors=(403,))
def get_person(person_id: int):
    """A person, for a caller who may read them (auth/access.py people_seen), else 403."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise ApiError(404, f"There is no person {person_id}.")
    if not may_see_person(person):
        raise ApiError(403, PEOPLE_DENIED)
    counts = person_workshop_counts([person.id], seen_in=participants_seen_in)
    return ex.person(person, counts.get(person.id, 0), contact=_sees_contact())


# ---------------------------------------------------------- recommendations


def _recommendation_answer(recommendation_id: int) -> s.RecommendationOut:
    db.session.expire_all()
    rec = queries.load_recommendation(recommendation_id)
    return ex.recommendation(rec)


@operation("GET", "/recommendations", summary="List recommendations", tag="Recommendations",
           query=s.RecommendationQuery, response=s.RecommendationPage)
def list_recommendations(query: s.RecommendationQuery):
    """Recommendations with their uptake events and derived stage, filtered as
    on the recommendations page (`status=stale`: the follow-up list)."""
    filters = RecommendationFilters(
        words=words_of(query.q), network_id=query.network, series_id=query.series, year=query.year,
        theme_id=query.theme, stage=query.stage, target_id=query.target, status=query.status,
        priority=query.priority, sort=query.sort)
    select_ = recommendations_query(filters, queries.today()).options(*queries.event_options())
    if query.workshop is not None:
        select_ = select_.where(Recommendation.workshop_id == query.workshop)
    return _paged_query(s.RecommendationPage, select_, query, ex.recommendation)


@operation("GET", "/recommendations/<int:recommendation_id>", summary="Read a recommendation",
           tag="Recommendations", response=s.RecommendationOut)
def get_recommendation(recommendation_id: int):
    rec = queries.load_recommendation(recommendation_id)
    if rec is None:
        raise ApiError(404, f"There is no recommendation {recommendation_id}.")
    return ex.recommendation(rec)


@operation("POST", "/workshops/<int:workshop_id>/recommendations", summary="Record a recommendation",
           tag="Recommendations", body=s.RecommendationCreate, response=s.RecommendationOut, status=201,
           errors=(403,))
def create_recommendation(workshop_id: int, body: s.RecommendationCreate):
    """A recommendation the workshop agreed; its stage is `proposed` until an
    uptake event says more."""
    workshop = _editable_workshop(workshop_id)
    rec = outcomes_ops.create_recommendation(current_user, workshop, body.model_dump())
    answer = _recommendation_answer(rec.id)
    return _json(answer, 201, {"Location": _url("get_recommendation", recommendation_id=rec.id)})


def _editable_recommendation(recommendation_id: int) -> Recommendation:
    rec = queries.load_recommendation(recommendation_id)
    if rec is None:
        raise ApiError(404, f"There is no recommendation {recommendation_id}.")
    require_edit(rec)
    return rec


def _recommendation_data(rec: Recommendation) -> dict:
    """A recommendation as the outcomes operations take it (the form's fields)."""
    return {"title": rec.title, "text": rec.text, "reference": rec.reference, "priority": rec.priority,
            "agenda_item_id": rec.agenda_item_id, "theme_ids": [t.id for t in rec.themes],
            "target_ids": [t.id for t in rec.targets]}


@operation("PATCH", "/recommendations/<int:recommendation_id>", summary="Change a recommendation",
           tag="Recommendations", body=s.RecommendationUpdate, response=s.RecommendationOut, errors=(403, 409))
def update_recommendation(recommendation_id: int, body: s.RecommendationUpdate):
    """Only the fields sent change (`agenda_item_id: null` detaches it from
    the agenda). Its `version` also rises when an uptake event is added or
    removed."""
    rec = _editable_recommendation(recommendation_id)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    outcomes_ops.update_recommendation(current_user, rec, {**_recommendation_data(rec), **changes}, body.version)
    return _recommendation_answer(recommendation_id)


@operation("POST", "/recommendations/<int:recommendation_id>/close", summary="Close a recommendation",
           tag="Recommendations", body=s.RecommendationClose, response=s.RecommendationOut, errors=(403, 409))
def close_recommendation(recommendation_id: int, body: s.RecommendationClose):
    """Close it as declined, superseded or withdrawn, with the reason: it then
    leaves the follow-up list. An already closed one is refused (422)."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.close_recommendation(current_user, rec, body.model_dump(exclude={"version"}), body.version)
    return _recommendation_answer(recommendation_id)


@operation("POST", "/recommendations/<int:recommendation_id>/reopen", summary="Reopen a closed recommendation",
           tag="Recommendations", body=s.RecommendationReopen, response=s.RecommendationOut, errors=(403, 409))
def reopen_recommendation(recommendation_id: int, body: s.RecommendationReopen):
    """Undo a closure; its history keeps the old closure and your note. An
    open one is refused (422, naming `closed_as`)."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.reopen_recommendation(current_user, rec, body.note, body.version)
    return _recommendation_answer(recommendation_id)


@operation("POST", "/recommendations/<int:recommendation_id>/events", summary="Add an uptake event",
           tag="Recommendations", body=s.UptakeEventCreate, response=s.RecommendationOut, status=201,
           errors=(403,))
def create_uptake_event(recommendation_id: int, body: s.UptakeEventCreate):
    """A dated sign that Track-1 took the recommendation up: not before its
    workshop began, not in the future. Answers with the recommendation and
    its (possibly advanced) stage, and its `version` raised."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.add_uptake_event(current_user, rec, body.model_dump())
    answer = _recommendation_answer(recommendation_id)
    return _json(answer, 201, {"Location": _url("get_recommendation", recommendation_id=recommendation_id)})


# ----------------------------------------------------------- Track-1 bodies


@operation("GET", "/track1-bodies", summary="List Track-1 bodies", tag="Recommendations",
           query=s.Track1Query, response=s.Track1BodyPage)
def list_track1_bodies(query: s.Track1Query):
    return _paged_query(s.Track1BodyPage, track1_bodies_query(query.kind, query.level), query, ex.track1_body)


@operation("GET", "/track1-bodies/<int:body_id>", summary="Read a Track-1 body", tag="Recommendations",
           response=s.Track1BodyOut)
def get_track1_body(body_id: int):
    body = queries.load_track1_body(body_id)
    if body is None:
        raise ApiError(404, f"There is no Track-1 body {body_id}.")
    return ex.track1_body(body)


# ------------------------------------------------------------------ reports


@operation("GET", "/reports/<int:year>", summary="The annual outcome report's figures", tag="Reports",
           query=s.ReportQuery, response_schema=s.REPORT_SCHEMA,
           path_params={"year": {"type": "integer", "minimum": reports.FIRST_YEAR,
                                 "maximum": reports.LAST_YEAR}})
def get_report(year: int, query: s.ReportQuery):
    """Every figure of the annual report page for a calendar year, the same
    JSON as the report's own download, with each figure's definition."""
    args = {k: str(v) for k, v in query.model_dump(exclude_none=True).items()}
    try:
        filters = reports.resolve_filters(year, args, queries.today())
    except reports.BadFilter as exc:
        raise ApiError(400, "A filter is not valid; see errors.", exc.errors) from None
    return Response(_dumps(reports.build_report(filters).as_dict()), mimetype="application/json")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


# ------------------------------------------------------- the tokens page


@bp.route("/profile/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """Create and revoke personal API tokens. A new token is shown once, on
    the answer to the form (never kept in the session or a redirect)."""
    create_form = CreateTokenForm(prefix="create")
    revoke_form = RevokeTokenForm(prefix="revoke")
    new_secret = None
    status = 200
    if request.method == "POST":
        if "create-submit" in request.form:
            if create_form.validate_on_submit():
                try:
                    _, new_secret = operations.create_token(current_user, current_user, create_form.name.data)
                    create_form.name.data = ""
                except Invalid as exc:
                    create_form.name.errors = [*create_form.name.errors, *exc.errors.values()]
                    status = 422
            else:
                status = 422
        elif revoke_form.validate_on_submit():
            token = db.session.get(ApiToken, revoke_form.token_id.data)
            if token is None or token.user_id != current_user.id:
                flash("There is no such token of yours.", "error")
            else:
                try:
                    operations.revoke_token(current_user, token)
                    flash(f"The token “{token.name}” is revoked; it no longer works.", "success")
                except Invalid as exc:
                    flash(" ".join(exc.errors.values()), "error")
            return redirect(url_for("api.tokens"))
        else:
            flash("The request was not understood; please try again.", "error")
            return redirect(url_for("api.tokens"))
    response = current_app.make_response((render_template(
        "api/tokens.html", tokens=queries.tokens_of(current_user.id), create_form=create_form,
        revoke_form=revoke_form, new_secret=new_secret, max_tokens=operations.MAX_LIVE_TOKENS,
    ), status))
    response.headers["Cache-Control"] = "no-store"
    return response


