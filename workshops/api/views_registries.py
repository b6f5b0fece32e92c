"""The registries' API routes: create and change themes, networks, member
institutes, series and Track-1 bodies, and read a theme and an institute
one by one (their lists and the other reads are in views_programme and
views_outcomes).

Each view loads (404) and calls the same operation as the web form
(programme/operations*.py, outcomes/operations_track1.py): the rules, who
may write (403) and the version check (409) are theirs. A PATCH sends only
the fields that change; the view fills in the others from the record, as
the form would show them. Where the API names a field differently from the
form (`network_ids` for the form's `networks`), the refusals are renamed so
that `errors` names the field that was sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import Invalid
from ..extensions import db
from ..outcomes import operations as outcomes_ops
from ..outcomes.models import Track1Body
from ..programme import operations as programme_ops
from ..programme.models import MemberInstitute, Network, Series, Theme
from ..programme.queries import networks_with_counts
from . import exporters as ex
from . import queries
from . import schemas as s
from .pipeline import ApiError, operation
from .responses import api_url, json_response


def _named(call: Callable[[], Any], names: dict[str, str]) -> Any:
    """Run an operation; its refusals name the API's fields (`names`: the
    form's field -> the API's)."""
    try:
        return call()
    except Invalid as exc:
        raise Invalid({names.get(field, field): message for field, message in exc.errors.items()}) from None


def _created(answer, endpoint: str, **values):
    return json_response(answer, 201, {"Location": api_url(endpoint, **values)})


# ------------------------------------------------------------------ themes


def _theme_out(theme: Theme) -> s.ThemeDetail:
    return s.ThemeDetail(id=theme.id, slug=theme.slug, name=theme.name, non_traditional=theme.non_traditional,
                         version=theme.version)


def _theme(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise ApiError(404, f"There is no theme {theme_id}.")
    return theme


@operation("GET", "/themes/<int:theme_id>", summary="Read a theme", tag="Reference", auth="optional",
           response=s.ThemeDetail)
def get_theme(theme_id: int):
    return _theme_out(_theme(theme_id))


@operation("POST", "/themes", summary="Create a theme", tag="Reference", body=s.ThemeCreate,
           response=s.ThemeDetail, status=201, errors=(403,))
def create_theme(body: s.ThemeCreate):
    """Admins only, as on the themes page. Its `slug` is made from the name
    and stays when the theme is renamed. A name another theme has (whatever
    the case) is refused (422, naming `name`)."""
    theme = programme_ops.create_theme(current_user, body.model_dump())
    return _created(_theme_out(theme), "get_theme", theme_id=theme.id)


@operation("PATCH", "/themes/<int:theme_id>", summary="Rename a theme", tag="Reference", body=s.ThemeUpdate,
           response=s.ThemeDetail, errors=(403, 409))
def update_theme(theme_id: int, body: s.ThemeUpdate):
    """Admins only. Only the fields sent change; the slug stays, so links
    naming the theme keep working. Merging two themes is done on the themes
    page."""
    theme = _theme(theme_id)
    data = {"name": theme.name, "non_traditional": theme.non_traditional,
            **body.model_dump(exclude_unset=True, exclude={"version"})}
    programme_ops.update_theme(current_user, theme, data, body.version)
    return _theme_out(_theme(theme_id))


# ---------------------------------------------------------------- networks


def _network_answer(network_id: int) -> s.NetworkOut:
    db.session.expire_all()
    row = next((r for r in networks_with_counts() if r[0].id == network_id), None)
    if row is None:
        raise ApiError(404, f"There is no network {network_id}.")
    return ex.network(*row)


@operation("POST", "/networks", summary="Create a network", tag="Networks", body=s.NetworkCreate,
           response=s.NetworkOut, status=201, errors=(403,))
def create_network(body: s.NetworkCreate):
    """Admins only, as on the networks page. The acronym is unique among
    networks (whatever the case)."""
    network = programme_ops.create_network(current_user, body.model_dump())
    return _created(_network_answer(network.id), "get_network", network_id=network.id)


@operation("PATCH", "/networks/<int:network_id>", summary="Change a network", tag="Networks",
           body=s.NetworkUpdate, response=s.NetworkOut, errors=(403, 409))
def update_network(network_id: int, body: s.NetworkUpdate):
    """Admins only. Only the fields sent change."""
    network = db.session.get(Network, network_id)
    if network is None:
        raise ApiError(404, f"There is no network {network_id}.")
    data = {"acronym": network.acronym, "name": network.name, "slug": network.slug,
            "description": network.description, "website": network.website,
            "founded_year": network.founded_year, **body.model_dump(exclude_unset=True, exclude={"version"})}
    programme_ops.update_network(current_user, network, data, body.version)
    return _network_answer(network_id)


# ------------------------------------------------------- member institutes

INSTITUTE_FIELDS = {"networks": "network_ids"}


def _institute_out(i: MemberInstitute) -> s.InstituteOut:
    return s.InstituteOut(id=i.id, name=i.name, acronym=i.acronym, country=i.country, city=i.city,
                          website=i.website, networks=[ex.network_ref(n) for n in sorted(i.networks,
                                                                                         key=lambda n: n.acronym)],
                          version=i.version)


def _institute(institute_id: int) -> MemberInstitute:
    institute = db.session.scalar(select(MemberInstitute).where(MemberInstitute.id == institute_id)
                                  .options(selectinload(MemberInstitute.networks)))
    if institute is None:
        raise ApiError(404, f"There is no member institute {institute_id}.")
    return institute


@operation("GET", "/institutes/<int:institute_id>", summary="Read a member institute", tag="Reference",
           response=s.InstituteOut)
def get_institute(institute_id: int):
    return _institute_out(_institute(institute_id))


def _institute_data(body_fields: dict) -> dict:
    data = dict(body_fields)
    if "network_ids" in data:
        data["networks"] = data.pop("network_ids")
    return data


@operation("POST", "/institutes", summary="Add a member institute", tag="Reference", body=s.InstituteCreate,
           response=s.InstituteOut, status=201, errors=(403,))
def create_institute(body: s.InstituteCreate):
    """In networks you organise (admins: any), as on a network's page. The
    country may be named as the forms list it or by its ISO code; the
    answer gives the code."""
    data = _institute_data(body.model_dump())
    institute = _named(lambda: programme_ops.create_institute(current_user, data), INSTITUTE_FIELDS)
    db.session.expire_all()
    return _created(_institute_out(_institute(institute.id)), "get_institute", institute_id=institute.id)


@operation("PATCH", "/institutes/<int:institute_id>", summary="Change a member institute", tag="Reference",
           body=s.InstituteUpdate, response=s.InstituteOut, errors=(403, 409))
def update_institute(institute_id: int, body: s.InstituteUpdate):
    """Admins, and organisers of a network it belongs to. Only the fields
    sent change; organisers add or remove only the networks they organise
    in `network_ids`, its other memberships stay."""
    institute = _institute(institute_id)
    data = {"name": institute.name, "acronym": institute.acronym, "country": institute.country,
            "city": institute.city, "website": institute.website,
            "networks": [n.id for n in institute.networks],
            **_institute_data(body.model_dump(exclude_unset=True, exclude={"version"}))}
    _named(lambda: programme_ops.update_institute(current_user, institute, data, body.version), INSTITUTE_FIELDS)
    db.session.expire_all()
    return _institute_out(_institute(institute_id))


# ------------------------------------------------------------------ series

SERIES_FIELDS = {"network": "network_id"}


def _series_answer(series_id: int) -> s.SeriesOut:
    db.session.expire_all()
    series = queries.series_detail(series_id)
    if series is None:
        raise ApiError(404, f"There is no series {series_id}.")
    return ex.series(series)


def _series_data(body_fields: dict) -> dict:
    data = dict(body_fields)
    if "network_id" in data:
        data["network"] = data.pop("network_id")
    return data


@operation("POST", "/series", summary="Create a series", tag="Networks", body=s.SeriesCreate,
           response=s.SeriesOut, status=201, errors=(403,))
def create_series(body: s.SeriesCreate):
    """In a network you organise (admins: any), as on the series page."""
    data = _series_data(body.model_dump())
    series = _named(lambda: programme_ops.create_series(current_user, data), SERIES_FIELDS)
    return _created(_series_answer(series.id), "get_series", series_id=series.id)


@operation("PATCH", "/series/<int:series_id>", summary="Change a series", tag="Networks", body=s.SeriesUpdate,
           response=s.SeriesOut, errors=(403, 409))
def update_series(series_id: int, body: s.SeriesUpdate):
    """Only the fields sent change. Moving it to another network
    (`network_id`) needs the right in both."""
    series = db.session.get(Series, series_id)
    if series is None:
        raise ApiError(404, f"There is no series {series_id}.")
    data = {"network": series.network_id, "name": series.name, "slug": series.slug, "kind": series.kind,
            "description": series.description,
            **_series_data(body.model_dump(exclude_unset=True, exclude={"version"}))}
    _named(lambda: programme_ops.update_series(current_user, series, data, body.version), SERIES_FIELDS)
    return _series_answer(series_id)


# ----------------------------------------------------------- Track-1 bodies


def _body_answer(body_id: int) -> s.Track1BodyOut:
    db.session.expire_all()
    body = queries.load_track1_body(body_id)
    if body is None:
        raise ApiError(404, f"There is no Track-1 body {body_id}.")
    return ex.track1_body(body)


@operation("POST", "/track1-bodies", summary="Add a Track-1 body", tag="Recommendations",
           body=s.Track1BodyCreate, response=s.Track1BodyOut, status=201, errors=(403,))
def create_track1_body(body: s.Track1BodyCreate):
    """Admins and organisers (Track-1 bodies belong to no network), as on
    the Track-1 bodies page. Member countries are ISO codes."""
    created = outcomes_ops.create_track1_body(current_user, body.model_dump())
    return _created(_body_answer(created.id), "get_track1_body", body_id=created.id)


@operation("PATCH", "/track1-bodies/<int:body_id>", summary="Change a Track-1 body", tag="Recommendations",
           body=s.Track1BodyUpdate, response=s.Track1BodyOut, errors=(403, 409))
def update_track1_body(body_id: int, body: s.Track1BodyUpdate):
    """Only the fields sent change; `parent_id: null` makes it a body of its
    own. A body cannot sit under itself or under one of its own children."""
    record = db.session.get(Track1Body, body_id)
    if record is None:
        raise ApiError(404, f"There is no Track-1 body {body_id}.")
    data = {"name": record.name, "acronym": record.acronym, "kind": record.kind, "level": record.level,
            "parent_id": record.parent_id, "established": record.established, "description": record.description,
            "member_countries": record.member_countries,
            **body.model_dump(exclude_unset=True, exclude={"version"})}
    outcomes_ops.update_track1_body(current_user, record, data, body.version)
    return _body_answer(body_id)
