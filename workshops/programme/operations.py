"""Changing networks, member institutes, series, workshops and agendas.

Every public function here is one unit of work: it checks the actor's right
(403 through auth.access), the domain rules (`Invalid`, one message per
field), the version the change was based on (`Conflict`), then saves with
its audit entries. The HTML views and the JSON API call these same
functions with plain data:

* `data` is a dict keyed by the form's field names; strings are stripped
  here, dates may be `datetime.date` or ISO text ("2025-06-03"), times
  `datetime.time` or "HH:MM"; related objects are given by id.
* `version` is the record's version the user saw (None skips the check).


The networks and member institutes are here; series, themes, workshops and
agenda items in operations_series, operations_themes, operations_workshops
and operations_agenda,
their shared checks in operations_common. Every name is importable from
this module, where the views, the API and the tests import it.
"""

from __future__ import annotations

import datetime as dt

from flask import abort
from sqlalchemy import func, select

from ..audit.operations import Invalid, Problems, expect_version, unit_of_work  # noqa: F401  (re-exported)
from ..auth.access import can_edit, may_edit_institute, require_admin, require_edit  # noqa: F401  (re-exported)
from ..core.cleaning import column_limit
from ..extensions import db
from .models import MemberInstitute, Network

# The shared checks and the other seams, importable from here as before.
from .operations_agenda import (  # noqa: F401
    PEOPLE_FIELDS,
    add_agenda_item,
    delete_agenda_item,
    duplicate_agenda_item,
    move_agenda_item,
    next_item_defaults,
    person_rows_of,
    set_agenda_item_status,
    update_agenda_item,
    warnings_for,
)
from .operations_common import (  # noqa: F401
    EARLIEST_YEAR,
    LATEST_YEAR,
    SLUG_PATTERN,
    _as_id,
    _as_ids,
    _checked_slug,
    _choice,
    _country,
    _flush_or_invalid,
    _optional,
    _required,
    _website,
    _work,
    as_date,
    as_time,
    clean_text,
    slugify,
    unique_slug,
)
from .operations_series import add_series_status, create_series, update_series  # noqa: F401
from .operations_themes import create_theme, merge_theme, update_theme  # noqa: F401
from .operations_workshops import (  # noqa: F401
    MAX_WORKSHOP_DAYS,
    a_year_later,
    create_workshop,
    delete_workshop,
    next_title,
    plan_next_meeting,
    set_workshop_status,
    update_workshop,
    workshop_problems,
)

# --------------------------------------------------------------- networks


def create_network(actor, data: dict) -> Network:
    """A new Track-2 network (admins only). data: acronym, name, slug,
    description, website, founded_year."""
    require_admin(actor)
    with _work(actor):
        network = Network()
        _apply_network(network, data)
        db.session.add(network)
        _flush_or_invalid("acronym", "A network with this acronym or web address already exists.")
    return network


def update_network(actor, network: Network, data: dict, version: int | None) -> Network:
    """Change a network's details (admins only)."""
    require_admin(actor)
    with _work(actor):
        expect_version(network, version)
        _apply_network(network, data)
        _flush_or_invalid("acronym", "A network with this acronym or web address already exists.")
    return network


def _apply_network(network: Network, data: dict) -> None:
    acronym = _required(data, "acronym", "Enter the network's acronym, e.g. CSCAP.",
                        max_length=column_limit(Network.acronym))
    name = _required(data, "name", "Enter the network's full name.", max_length=column_limit(Network.name))
    query = select(Network.id).where(func.lower(Network.acronym) == acronym.lower())
    if network.id:
        query = query.where(Network.id != network.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"acronym": "Another network already has this acronym."})
    founded = data.get("founded_year")
    if founded in ("", None):
        founded = None
    else:
        try:
            founded = int(founded)
        except (TypeError, ValueError):
            raise Invalid({"founded_year": "Enter a year like 1993."}) from None
        if not EARLIEST_YEAR <= founded <= dt.date.today().year + 1:
            raise Invalid({"founded_year": "Enter a year like 1993."})
    network.slug = _checked_slug(Network, data.get("slug"), generate_from=acronym, fallback="network",
                                 max_length=column_limit(Network.slug), exclude_id=network.id)
    network.acronym = acronym
    network.name = name
    network.description = _optional(data, "description", max_length=10000, multiline=True)
    network.website = _website(data)
    network.founded_year = founded


# ----------------------------------------------------- member institutes


def _networks_by_id(ids: list[int], field: str = "networks") -> list[Network]:
    networks = list(db.session.scalars(select(Network).where(Network.id.in_(ids)))) if ids else []
    if len(networks) != len(ids):
        raise Invalid({field: "Pick networks from the list."})
    return sorted(networks, key=lambda n: n.acronym)


def create_institute(actor, data: dict) -> MemberInstitute:
    """A member institute. data: name, acronym, country, city, website,
    networks (ids; the actor must organise each of them)."""
    network_ids = _as_ids(data.get("networks"), "networks")
    if not network_ids:
        raise Invalid({"networks": "Pick at least one network the institute belongs to."})
    for network_id in network_ids:
        require_edit(network_id, actor)
    with _work(actor):
        institute = MemberInstitute()
        _apply_institute(institute, data)
        institute.networks = _networks_by_id(network_ids)
        db.session.add(institute)
        _flush_or_invalid("name", "An institute with this name already exists.")
    return institute


def update_institute(actor, institute: MemberInstitute, data: dict, version: int | None) -> MemberInstitute:
    """Change an institute. Organisers may add or remove only the networks
    they organise; its other network memberships stay as they are."""
    if not may_edit_institute(institute, actor):
        abort(403)
    with _work(actor):
        expect_version(institute, version)
        wanted = set(_as_ids(data.get("networks"), "networks"))
        current = {n.id for n in institute.networks}
        changed = wanted ^ current
        if any(not can_edit(network_id, actor) for network_id in changed):
            raise Invalid({"networks": "You can only add or remove networks you organise."})
        if not wanted:
            raise Invalid({"networks": "Pick at least one network the institute belongs to."})
        _apply_institute(institute, data)
        if changed:
            institute.networks = _networks_by_id(sorted(wanted))
        _flush_or_invalid("name", "An institute with this name already exists.")
    return institute


def _apply_institute(institute: MemberInstitute, data: dict) -> None:
    name = _required(data, "name", "Enter the institute's name.", max_length=column_limit(MemberInstitute.name))
    query = select(MemberInstitute.id).where(func.lower(MemberInstitute.name) == name.lower())
    if institute.id:
        query = query.where(MemberInstitute.id != institute.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"name": "An institute with this name already exists."})
    institute.name = name
    institute.acronym = _optional(data, "acronym", max_length=column_limit(MemberInstitute.acronym))
    institute.country = _country(data, "country", required=True)
    institute.city = _optional(data, "city", max_length=column_limit(MemberInstitute.city))
    institute.website = _website(data)
