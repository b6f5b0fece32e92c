"""Who organises a workshop: its lead network, the networks that
co-organise it, its series (optional: a one-off meeting has none) and its
institutes in roles (host, co-organiser, sponsor/funder). Checked from
plain data for the web form and the API alike, every refusal naming its
field; applied by operations_workshops.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import select

from ..audit.operations import Invalid, Problems
from ..auth.access import can_edit
from ..db import utcnow
from ..extensions import db
from ..vocab import INSTITUTE_ROLE_LABELS, INSTITUTE_ROLES
from .models import MemberInstitute, Network, Series, Workshop, WorkshopInstitute
from .operations_common import _as_id, _as_ids

MAX_INSTITUTE_ROWS = 40
PICK_INSTITUTE = "Pick institutes from the list, each with a role (host, co-organiser or sponsor/funder)."


@dataclass
class Organisers:
    network: Network
    series: Series | None
    co_networks: list[Network] = field(default_factory=list)
    roles: list[tuple[MemberInstitute, str]] = field(default_factory=list)

    @property
    def network_ids(self) -> list[int]:
        return [self.network.id, *(n.id for n in self.co_networks)]


def _series(data: dict, workshop: Workshop | None) -> Series | None:
    if "series" not in data and workshop is not None:
        return workshop.series
    series_id = _as_id(data.get("series"), "series", "Pick a series from the list, or none for a one-off meeting.")
    if series_id is None:
        return None
    series = db.session.get(Series, series_id)
    if series is None:
        raise Invalid({"series": "Pick a series from the list, or none for a one-off meeting."})
    return series


def _roles(data: dict, workshop: Workshop | None) -> list[tuple[MemberInstitute, str]]:
    """The institutes in roles: data["institutes"], a list of
    {"institute_id", "role"}; an older caller's data["host"] (one id) is a
    list of one host. Kept as they are when neither is given (an update)."""
    if "institutes" not in data:
        if "host" in data:
            host_id = _as_id(data.get("host"), "host", "Pick a host institute from the list.")
            rows = [{"institute_id": host_id, "role": "host"}] if host_id else []
        elif workshop is not None:
            return [(r.institute, r.role) for r in workshop.institute_roles]
        else:
            rows = []
    else:
        rows = data.get("institutes") or []
    if not isinstance(rows, (list, tuple)) or len(rows) > MAX_INSTITUTE_ROWS:
        raise Invalid({"institutes": f"Give at most {MAX_INSTITUTE_ROWS} institutes, each with a role."})
    wanted: list[tuple[int, str]] = []
    for row in rows:
        if not isinstance(row, dict):
            raise Invalid({"institutes": PICK_INSTITUTE})
        institute_id = _as_id(row.get("institute_id"), "institutes", PICK_INSTITUTE)
        role = row.get("role")
        if institute_id is None or role not in INSTITUTE_ROLES:
            raise Invalid({"institutes": PICK_INSTITUTE})
        wanted.append((institute_id, role))
    found = {i.id: i for i in db.session.scalars(
        select(MemberInstitute).where(MemberInstitute.id.in_({i for i, _ in wanted})))} if wanted else {}
    if any(i not in found for i, _ in wanted):
        raise Invalid({"institutes": PICK_INSTITUTE})
    seen: set[tuple[int, str]] = set()
    roles = []
    for institute_id, role in wanted:
        if (institute_id, role) in seen:
            raise Invalid({"institutes": f"{found[institute_id].label} is listed twice as "
                                         f"{INSTITUTE_ROLE_LABELS[role].lower()}; keep one row."})
        seen.add((institute_id, role))
        roles.append((found[institute_id], role))
    return roles


def organisers_from(data: dict, workshop: Workshop | None, actor) -> Organisers:
    """The lead network (data["network"], or the series' network when only
    a series is given), the co-organising networks (data["networks"]), the
    series (data["series"]; none for a one-off meeting) and the institutes
    in roles, checked: the series must belong to one of the workshop's
    networks. Raises Invalid naming every field refused, or 403 when
    `actor` organises none of its networks."""
    found = Problems()
    series = found.check(_series, data, workshop)
    network_id = found.check(_as_id, data.get("network"), "network", "Pick the lead network from the list.") \
        if "network" in data or workshop is None else workshop.network_id
    network = db.session.get(Network, network_id) if network_id else None
    if network is None:
        if network_id:
            found.add("network", "Pick the lead network from the list.")
        elif series is not None:
            network = series.network
        elif "series" not in found.errors:
            found.add("network", "Pick the lead network, or a series (its network then leads the meeting).")
    if "networks" in data or workshop is None:
        co_ids = found.check(_as_ids, data.get("networks"), "networks") or []
    else:
        co_ids = [n.id for n in workshop.co_networks]
    co_networks = list(db.session.scalars(select(Network).where(Network.id.in_(co_ids)).order_by(Network.acronym))) \
        if co_ids else []
    if len(co_networks) != len(co_ids):
        found.add("networks", "Pick the co-organising networks from the list.")
    roles = found.check(_roles, data, workshop) or []
    if network is None:
        found.raise_any()
    co_networks = [n for n in co_networks if n.id != network.id]
    organisers = Organisers(network=network, series=series, co_networks=co_networks, roles=roles)
    if series is not None and "networks" not in found.errors and series.network_id not in organisers.network_ids:
        found.add("series", f"“{series.name}” is a series of {series.network.acronym}, which does not organise "
                            f"this workshop; pick a series of "
                            f"{' or '.join(n.acronym for n in [network, *co_networks])}, none (a one-off meeting), "
                            f"or add {series.network.acronym} as a network.")
    found.raise_any()
    if not any(can_edit(n, actor) for n in organisers.network_ids):
        abort(403)  # none of its networks is the actor's (require_edit: the rule of every operation)
    return organisers


def apply_organisers(workshop: Workshop, organisers: Organisers) -> None:
    """Write the organisers onto the workshop, changing only what differs
    (each role row added or removed is its own audit entry; the workshop's
    version moves too, so a form opened before sees the change)."""
    changed = False
    if workshop.network is not organisers.network:
        workshop.network = organisers.network
    if workshop.series is not organisers.series:
        workshop.series = organisers.series
    if {n.id for n in workshop.co_networks} != {n.id for n in organisers.co_networks}:
        workshop.co_networks = organisers.co_networks
        changed = True
    current = {(r.institute_id, r.role): r for r in workshop.institute_roles}
    wanted = [(i.id, role) for i, role in organisers.roles]
    if set(current) != set(wanted):
        keep = [current.get((i.id, role)) or WorkshopInstitute(institute=i, role=role) for i, role in organisers.roles]
        workshop.institute_roles = keep
        changed = True
    if changed and workshop.id is not None:
        workshop.updated_at = utcnow()  # an UPDATE of the row: its version moves
