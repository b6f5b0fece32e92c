"""Reading networks, series, workshops and agendas: the list filters, the
counts beside them, the agenda grouped by local day and its warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEntry
from ..core.zones import ZoneInfo, offset_label, to_local
from ..extensions import db
from .models import (
    AgendaItem,
    AgendaItemPerson,
    Network,
    Series,
    SeriesStatusChange,
    Workshop,
    WorkshopInstitute,
    in_networks,
    institute_network,
    workshop_theme,
)


def _participations():
    """The people layer's Participation, reached through the relationship
    the Workshop model declares by name: the programme sits below people and
    outcomes (README, 'How the code is laid out') and imports neither, yet a
    workshop's page counts the rows that point at it."""
    return Workshop.participations.property.mapper.class_


def _recommendations():
    """The outcomes layer's Recommendation, reached the same way."""
    return Workshop.recommendations.property.mapper.class_


# ---------------------------------------------------------------- networks


def networks_with_counts() -> list[tuple[Network, int, int, int]]:
    """Every network with its number of institutes, series and workshops."""
    institutes = (select(func.count()).select_from(institute_network)
                  .where(institute_network.c.network_id == Network.id).scalar_subquery())
    series = select(func.count(Series.id)).where(Series.network_id == Network.id).scalar_subquery()
    workshops = (select(func.count(Workshop.id)).where(in_networks([Network.id]))
                 .correlate(Network).scalar_subquery())
    rows = db.session.execute(select(Network, institutes, series, workshops).order_by(Network.acronym))
    return [tuple(r) for r in rows]


def recent_workshops_of_network(network_id: int, limit: int = 10) -> list[Workshop]:
    return list(db.session.scalars(
        select(Workshop).where(in_networks([network_id]))
        .options(selectinload(Workshop.series),
                 selectinload(Workshop.institute_roles).selectinload(WorkshopInstitute.institute))
        .order_by(Workshop.start_date.desc(), Workshop.id.desc()).limit(limit)
    ))


# ------------------------------------------------------------------ series


def current_status_expr():
    """SQL: the status of a series' latest lifecycle step (NULL if none)."""
    return (
        select(SeriesStatusChange.status)
        .where(SeriesStatusChange.series_id == Series.id)
        .order_by(SeriesStatusChange.effective_on.desc())
        .limit(1)
        .correlate(Series)
        .scalar_subquery()
    )


def series_query(network_id: int | None = None, status: str | None = None) -> Select:
    query = (select(Series).join(Network, Series.network_id == Network.id)
             .options(selectinload(Series.network), selectinload(Series.status_changes))
             .order_by(Network.acronym, Series.name))
    if network_id is not None:
        query = query.where(Series.network_id == network_id)
    if status is not None:
        query = query.where(current_status_expr() == status)
    return query


@dataclass
class MeetingStats:
    count: int = 0
    first: dt.date | None = None
    last: dt.date | None = None


def meeting_stats(series_ids: list[int]) -> dict[int, MeetingStats]:
    """How many meetings each series held (cancelled ones left out), and when."""
    stats = {i: MeetingStats() for i in series_ids}
    if not series_ids:
        return stats
    rows = db.session.execute(
        select(Workshop.series_id, func.count(Workshop.id), func.min(Workshop.start_date),
               func.max(Workshop.start_date))
        .where(Workshop.series_id.in_(series_ids), Workshop.status != "cancelled")
        .group_by(Workshop.series_id)
    )
    for series_id, count, first, last in rows:
        stats[series_id] = MeetingStats(count, first, last)
    return stats


# --------------------------------------------------------------- workshops


@dataclass
class WorkshopFilters:
    network: int | None = None
    series: int | None = None
    year: int | None = None
    theme: int | None = None
    country: str | None = None
    status: str | None = None
    format: str | None = None
    sort: str = "date_desc"

    def active(self) -> bool:
        return any(getattr(self, f) is not None for f in
                   ("network", "series", "year", "theme", "country", "status", "format"))


SORTS = {
    "date_desc": "Newest first",
    "date_asc": "Oldest first",
    "title": "Title A–Z",
}


def workshops_query(filters: WorkshopFilters) -> Select:
    query = select(Workshop).options(
        selectinload(Workshop.series), selectinload(Workshop.network),
        selectinload(Workshop.institute_roles).selectinload(WorkshopInstitute.institute),
        selectinload(Workshop.co_networks),
        selectinload(Workshop.themes),
    )
    if filters.network is not None:
        query = query.where(in_networks([filters.network]))  # lead or co-organiser
    if filters.series is not None:
        query = query.where(Workshop.series_id == filters.series)
    if filters.year is not None:
        query = query.where(Workshop.start_date.between(dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31)))
    if filters.theme is not None:
        query = query.where(Workshop.id.in_(
            select(workshop_theme.c.workshop_id).where(workshop_theme.c.theme_id == filters.theme)))
    if filters.country is not None:
        query = query.where(Workshop.country == filters.country)
    if filters.status is not None:
        query = query.where(Workshop.status == filters.status)
    if filters.format is not None:
        query = query.where(Workshop.format == filters.format)
    order = {
        "date_asc": (Workshop.start_date.asc(), Workshop.id.asc()),
        "title": (func.lower(Workshop.title), Workshop.id),
    }.get(filters.sort, (Workshop.start_date.desc(), Workshop.id.desc()))
    return query.order_by(*order)


def workshop_years() -> list[int]:
    first, last = db.session.execute(select(func.min(Workshop.start_date), func.max(Workshop.start_date))).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))


def workshop_countries() -> list[str]:
    return list(db.session.scalars(
        select(Workshop.country).where(Workshop.country.is_not(None)).distinct()))


def load_workshop(workshop_id: int) -> Workshop | None:
    """A workshop with what its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Workshop).where(Workshop.id == workshop_id).options(
            selectinload(Workshop.series), selectinload(Workshop.network),
            selectinload(Workshop.institute_roles).selectinload(WorkshopInstitute.institute),
            selectinload(Workshop.co_networks),
            selectinload(Workshop.themes),
        )
    )


def participant_counts(workshop: Workshop) -> dict[str, int]:
    """Participations by status, and their total."""
    Participation = _participations()
    rows = db.session.execute(
        select(Participation.status, func.count(Participation.id))
        .where(Participation.workshop_id == workshop.id).group_by(Participation.status)
    )
    counts = {status: n for status, n in rows}
    counts["total"] = sum(counts.values())
    return counts


def recommendation_count(workshop: Workshop) -> int:
    Recommendation = _recommendations()
    return db.session.scalar(
        select(func.count(Recommendation.id)).where(Recommendation.workshop_id == workshop.id)) or 0


def delete_blockers(workshop: Workshop) -> dict[str, int]:
    """What keeps a workshop from being deleted (all zero: it may go)."""
    def count(model):
        return db.session.scalar(select(func.count(model.id)).where(model.workshop_id == workshop.id)) or 0

    return {
        "agenda items": count(AgendaItem),
        "participants": count(_participations()),
        "recommendations": count(_recommendations()),
    }


# ------------------------------------------------------------------ agenda


def agenda_items_of(workshop: Workshop) -> list[AgendaItem]:
    """The agenda in time order with its people, in four queries."""
    Participation = _participations()
    return list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.workshop_id == workshop.id)
        .options(selectinload(AgendaItem.people).selectinload(AgendaItemPerson.participation)
                 .selectinload(Participation.person))
        .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
    ))


@dataclass
class AgendaDay:
    day: dt.date
    items: list[AgendaItem] = field(default_factory=list)
    in_workshop: bool = True

    def offset(self, zone: ZoneInfo) -> str:
        """The zone's abbreviation and UTC offset at noon that day ("BST, UTC+01:00")."""
        return offset_label(dt.datetime.combine(self.day, dt.time(12), zone), named=True)


def agenda_days(workshop: Workshop, items: list[AgendaItem]) -> list[AgendaDay]:
    """Every day of the workshop with its items, by the workshop's local date."""
    zone = workshop.zone
    days = {d: AgendaDay(d) for d in workshop.days()}
    for item in items:
        day = to_local(item.starts_at, zone).date()
        days.setdefault(day, AgendaDay(day, in_workshop=False)).items.append(item)
    return [days[d] for d in sorted(days)]


@dataclass
class AgendaWarning:
    kind: str  # "room" or "person"
    item_ids: tuple[int, int]
    message: str


def agenda_warnings(items: list[AgendaItem]) -> list[AgendaWarning]:
    """Allowed but worth a second look: two scheduled items in the same room
    at overlapping times, and one person in two items at once."""
    scheduled = sorted((i for i in items if i.status != "cancelled"), key=lambda i: (i.starts_at, i.id))
    warnings: list[AgendaWarning] = []
    zone = scheduled[0].workshop.zone if scheduled else None
    for n, a in enumerate(scheduled):
        for b in scheduled[n + 1:]:
            if b.starts_at >= a.ends_at:
                break
            when = f"{to_local(b.starts_at, zone):%a %d %b, %H:%M}"
            if a.room.strip() and a.room.strip().casefold() == b.room.strip().casefold():
                warnings.append(AgendaWarning(
                    "room", (a.id, b.id),
                    f"“{a.title}” and “{b.title}” are both in {a.room.strip()} at {when}."))
            people_a = {p.participation_id: p for p in a.people if p.participation_id is not None}
            shared = [p for p in b.people if p.participation_id in people_a]
            for person in {p.participation_id: p for p in shared}.values():
                warnings.append(AgendaWarning(
                    "person", (a.id, b.id),
                    f"{person.participation.person.display_name} is in “{a.title}” and "
                    f"“{b.title}” at once ({when})."))
    return warnings


def participation_choices(workshop: Workshop) -> list[tuple[int, str]]:
    """The workshop's participants, for picking chairs and speakers."""
    Participation = _participations()
    rows = db.session.scalars(
        select(Participation).where(Participation.workshop_id == workshop.id)
        .options(selectinload(Participation.person))
    )
    choices = []
    for p in rows:
        note = "" if p.status in ("confirmed", "attended") else f" ({p.status.replace('_', '-')})"
        choices.append((p.id, f"{p.person.display_name}{note}"))
    return sorted(choices, key=lambda c: c[1].casefold())


# ----------------------------------------------------------------- history


def series_history(series: Series, limit: int = 100) -> list[AuditEntry]:
    """The series' own changes and its lifecycle steps, newest first."""
    return list(db.session.scalars(
        select(AuditEntry).where(or_(
            (AuditEntry.object_type == "Series") & (AuditEntry.object_id == series.id),
            (AuditEntry.object_type == "SeriesStatusChange") & AuditEntry.object_id.in_(
                select(SeriesStatusChange.id).where(SeriesStatusChange.series_id == series.id)),
        )).order_by(AuditEntry.id.desc()).limit(limit)
    ))


def agenda_history(workshop: Workshop, limit: int = 100) -> list[AuditEntry]:
    """Changes to the workshop's agenda, deleted items included: items are
    found by the workshop recorded when they were created, chairs and
    speakers by the participation or the agenda item they were created for
    (so a speaker removed with their participation stays in the history)."""
    Participation = _participations()
    created_here = (
        select(AuditEntry.object_id).where(
            AuditEntry.object_type == "AgendaItem", AuditEntry.action == "create",
            AuditEntry.changes[("workshop_id", 1)].as_integer() == workshop.id)
    )
    current_items = select(AgendaItem.id).where(AgendaItem.workshop_id == workshop.id)
    participations = select(Participation.id).where(Participation.workshop_id == workshop.id)
    people_created_here = (
        select(AuditEntry.object_id).where(
            AuditEntry.object_type == "AgendaItemPerson", AuditEntry.action == "create",
            AuditEntry.changes[("participation_id", 1)].as_integer().in_(participations)
            | AuditEntry.changes[("agenda_item_id", 1)].as_integer().in_(created_here)
            | AuditEntry.changes[("agenda_item_id", 1)].as_integer().in_(current_items))
    )
    current_people = select(AgendaItemPerson.id).where(AgendaItemPerson.agenda_item_id.in_(current_items))
    return list(db.session.scalars(
        select(AuditEntry).where(or_(
            (AuditEntry.object_type == "AgendaItem")
            & (AuditEntry.object_id.in_(created_here) | AuditEntry.object_id.in_(current_items)),
            (AuditEntry.object_type == "AgendaItemPerson")
            & (AuditEntry.object_id.in_(people_created_here) | AuditEntry.object_id.in_(current_people)),
        )).order_by(AuditEntry.id.desc()).limit(limit)
    ))
