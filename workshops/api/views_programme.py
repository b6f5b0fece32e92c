"""The programme's API routes: reference lists (themes, institutes),
networks, series, workshops and their agenda items. Each view loads (404),
checks access (403) and calls the same programme operations as the web
forms."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from .. import vocab
from ..auth.access import require_edit
from ..extensions import db
from ..programme import operations as programme_ops
from ..programme.models import AgendaItem, MemberInstitute, Theme, Workshop
from ..programme.queries import WorkshopFilters, agenda_items_of, networks_with_counts, series_query
from ..programme.queries import workshops_query as programme_workshops_query
from . import exporters as ex
from . import queries
from . import schemas as s
from .pipeline import ApiError, operation
from .responses import api_url, json_response, paged_list, paged_query

# --------------------------------------------------------------- reference


@operation("GET", "/themes", summary="List themes", tag="Reference", auth="optional",
           query=s.Query, response=s.ThemePage)
def list_themes(query: s.Query):
    """Every theme, by name: their ids are what the `theme` filters and the
    `themes` fields take."""
    select_ = select(Theme).order_by(Theme.name)
    return paged_query(s.ThemePage, select_, query, ex.theme)


@operation("GET", "/institutes", summary="List member institutes", tag="Reference",
           query=s.InstituteQuery, response=s.InstitutePage)
def list_institutes(query: s.InstituteQuery):
    """Member institutes, by name: their ids are what a workshop's `host` takes."""
    select_ = select(MemberInstitute).order_by(MemberInstitute.name)
    if query.network is not None:
        select_ = select_.where(MemberInstitute.networks.any(id=query.network))
    return paged_query(s.InstitutePage, select_, query, ex.institute_ref)


# ------------------------------------------------------- networks, series


@operation("GET", "/networks", summary="List networks", tag="Networks", query=s.Query, response=s.NetworkPage)
def list_networks(query: s.Query):
    """Every Track-2 network with its numbers of institutes, series and workshops."""
    rows = networks_with_counts()
    return paged_list(s.NetworkPage, rows, query, lambda row: ex.network(*row))


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
    return paged_query(s.SeriesPage, series_query(query.network, query.status), query, ex.series)


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


def editable_workshop(workshop_id: int) -> Workshop:
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
    return paged_query(s.WorkshopPage, select_, query, ex.workshop)


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
        "title": w.title, "slug": w.slug, "series": w.series_id, "network": w.network_id,
        "networks": [n.id for n in w.co_networks],
        "institutes": [{"institute_id": r.institute_id, "role": r.role} for r in w.institute_roles],
        "venue": w.venue, "city": w.city, "country": w.country, "timezone": w.timezone,
        "start_date": w.start_date, "end_date": w.end_date, "format": w.format,
        "date_precision": w.date_precision, "approximate": w.approximate,
        "visibility": w.visibility, "chatham_house": w.chatham_house, "objectives": w.objectives,
        "rules": w.rules, "themes": [t.id for t in w.themes],
    }


@operation("POST", "/workshops", summary="Create a workshop (as a draft)", tag="Workshops",
           body=s.WorkshopCreate, response=s.WorkshopDetail, status=201, errors=(403,))
def create_workshop(body: s.WorkshopCreate):
    """A new workshop led or co-organised by a network you organise (403
    otherwise), in a series of one of its networks or none (a one-off
    meeting), with its institutes in roles; it starts as a draft (publish it
    with the status operation)."""
    workshop = programme_ops.create_workshop(current_user, body.model_dump())
    answer = _workshop_answer(workshop.id)
    return json_response(answer, 201, {"Location": api_url("get_workshop", workshop_id=workshop.id)})


@operation("PATCH", "/workshops/<int:workshop_id>", summary="Change a workshop", tag="Workshops",
           body=s.WorkshopUpdate, response=s.WorkshopDetail, errors=(403, 409))
def update_workshop(workshop_id: int, body: s.WorkshopUpdate):
    """Only the fields sent change. When the start date moves, the agenda
    moves with it unless `shift_agenda` is false."""
    workshop = editable_workshop(workshop_id)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("date_precision", "day") != "day":
        changes.setdefault("end_date", None)  # a month or a year has no last day of its own
    programme_ops.update_workshop(current_user, workshop, {**_workshop_data(workshop), **changes}, body.version)
    return _workshop_answer(workshop_id)


@operation("POST", "/workshops/<int:workshop_id>/status", summary="Publish, unpublish or cancel a workshop",
           tag="Workshops", body=s.WorkshopStatusChange, response=s.WorkshopDetail, errors=(403, 409))
def change_workshop_status(workshop_id: int, body: s.WorkshopStatusChange):
    workshop = editable_workshop(workshop_id)
    programme_ops.set_workshop_status(current_user, workshop, body.status, body.version)
    return _workshop_answer(workshop_id)


# -------------------------------------------------------------- agenda items


def _agenda_data(item: AgendaItem) -> dict:
    """An agenda item as the programme operations take it (the form's fields)."""
    zone = item.workshop.zone
    start, end = item.local_start(zone), item.local_end(zone)
    people = {role: [p.participation_id for p in item.people if p.role == role and p.participation_id]
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
    workshop = editable_workshop(workshop_id)
    item, warnings = programme_ops.add_agenda_item(current_user, workshop, body.model_dump())
    answer = _saved_item(item.id, warnings)
    return json_response(answer, 201, {"Location": api_url("get_workshop", workshop_id=workshop_id)})


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

