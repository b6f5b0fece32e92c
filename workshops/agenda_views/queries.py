"""Reading agendas: the workshop behind a URL, the person behind a personal
link, the items with their people, the participant list, and a fingerprint
of everything an agenda shows (for ETags: a repeat visit costs one small
query). Also the agenda as a reader sees it: days and times in a zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..extensions import db
from ..people.models import Participation, Person
from ..programme.models import AgendaItem, AgendaItemPerson, MemberInstitute, Network, Series, Workshop

# secrets.token_urlsafe(24) gives 32 characters; anything else is not a token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
LISTED_STATUSES = ("confirmed", "attended")


def well_formed_token(token: str | None) -> bool:
    return bool(token) and TOKEN_PATTERN.fullmatch(token) is not None


def find_workshop(slug: str) -> Workshop | None:
    """The workshop with its series, network and host, in one statement."""
    if len(slug) > 120:
        return None
    return db.session.scalar(
        select(Workshop)
        .where(Workshop.slug == slug)
        .options(joinedload(Workshop.series).joinedload(Series.network), joinedload(Workshop.host))
    )


def participation_by_token(workshop_id: int, token: str) -> Participation | None:
    """The participation a personal link belongs to (None if revoked or wrong)."""
    if not well_formed_token(token):
        return None
    return db.session.scalar(
        select(Participation)
        .where(Participation.workshop_id == workshop_id, Participation.personal_token == token)
        .options(joinedload(Participation.person))
    )


def public_workshops(today: dt.date) -> tuple[list[Workshop], object]:
    """Public workshops that are not drafts: upcoming (soonest first) and a
    select of the past ones (latest first) for pagination."""
    base = (
        select(Workshop)
        .join(Workshop.series)
        .join(Series.network)
        .where(Workshop.visibility == "public", Workshop.status != "draft")
        .options(contains_eager(Workshop.series).contains_eager(Series.network))
    )
    upcoming = list(
        db.session.scalars(base.where(Workshop.end_date >= today).order_by(Workshop.start_date, Workshop.id))
    )
    past = base.where(Workshop.end_date < today).order_by(Workshop.start_date.desc(), Workshop.id.desc())
    return upcoming, past


@dataclass(frozen=True)
class Fingerprint:
    """Everything that changes when anything an agenda shows changes."""

    values: tuple
    last_updated: dt.datetime


_ROLE_CODE = case(
    (AgendaItemPerson.role == "chair", 1), (AgendaItemPerson.role == "speaker", 2), else_=3
)


def agenda_fingerprint(workshop_id: int) -> Fingerprint:
    """One statement of aggregates over the workshop, its items, the people
    on them, its participations and their persons. Versions count every
    edit; counts, id sums and max ids catch additions and deletions, which
    leave no updated row behind (people on an item carry no version)."""
    item = select(AgendaItem.id).where(AgendaItem.workshop_id == workshop_id)

    def scalar(*columns, where, join=None):
        q = select(*columns)
        if join is not None:
            q = q.select_from(join)
        return q.where(where).scalar_subquery()

    of_workshop = AgendaItem.workshop_id == workshop_id
    person_of = Participation.__table__.join(Person.__table__, Participation.person_id == Person.id)
    stmt = (
        select(
            Workshop.updated_at,
            Workshop.version,
            Series.version,
            Network.version,
            MemberInstitute.version,
            scalar(func.count(AgendaItem.id), where=of_workshop),
            scalar(func.max(AgendaItem.updated_at), where=of_workshop),
            scalar(func.sum(AgendaItem.version), where=of_workshop),
            scalar(func.max(AgendaItem.id), where=of_workshop),
            scalar(func.count(AgendaItemPerson.id), where=AgendaItemPerson.agenda_item_id.in_(item)),
            scalar(
                func.sum(AgendaItemPerson.id * 7 + AgendaItemPerson.position * 3
                         + AgendaItemPerson.participation_id * 11 + _ROLE_CODE * AgendaItemPerson.agenda_item_id),
                where=AgendaItemPerson.agenda_item_id.in_(item),
            ),
            scalar(func.count(Participation.id), where=Participation.workshop_id == workshop_id),
            scalar(func.max(Participation.id), where=Participation.workshop_id == workshop_id),
            scalar(func.sum(Participation.version), where=Participation.workshop_id == workshop_id),
            scalar(func.sum(Person.version), where=Participation.workshop_id == workshop_id, join=person_of),
        )
        .select_from(Workshop)
        .join(Series, Workshop.series_id == Series.id)
        .join(Network, Series.network_id == Network.id)
        .outerjoin(MemberInstitute, Workshop.host_institute_id == MemberInstitute.id)
        .where(Workshop.id == workshop_id)
    )
    row = db.session.execute(stmt).one()
    updated = [t for t in (row[0], row[6]) if t is not None]
    last = max(_aware(t) for t in updated)
    return Fingerprint(values=tuple(str(v) for v in row), last_updated=last)


def _aware(value) -> dt.datetime:
    """Aggregates over UTCDateTime come back naive (or as text on SQLite)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def agenda_items(workshop_id: int) -> list[AgendaItem]:
    """Items in order with their chairs and speakers: two statements,
    however many items and people."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.workshop_id == workshop_id)
            .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
            .options(
                selectinload(AgendaItem.people)
                .joinedload(AgendaItemPerson.participation)
                .joinedload(Participation.person)
            )
        )
    )


def has_agenda_item(workshop_id: int, uid: str) -> bool:
    if len(uid) > 36:
        return False
    return db.session.scalar(
        select(AgendaItem.id).where(AgendaItem.workshop_id == workshop_id, AgendaItem.uid == uid)
    ) is not None


def agenda_item(workshop_id: int, uid: str) -> AgendaItem | None:
    """One item by its stable uid, with its people."""
    if len(uid) > 36:
        return None
    return db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.workshop_id == workshop_id, AgendaItem.uid == uid)
        .options(
            selectinload(AgendaItem.people)
            .joinedload(AgendaItemPerson.participation)
            .joinedload(Participation.person)
        )
    )


def listed_participants(workshop_id: int) -> list[Participation]:
    """Those who take part and consented to be listed (never the erased)."""
    return list(
        db.session.scalars(
            select(Participation)
            .join(Participation.person)
            .where(
                Participation.workshop_id == workshop_id,
                Participation.consent_to_list.is_(True),
                Participation.status.in_(LISTED_STATUSES),
                Person.erased_at.is_(None),
            )
            .options(contains_eager(Participation.person))
            .order_by(func.lower(Person.full_name), Participation.id)
        )
    )


def participations_for_links(workshop_id: int) -> list[Participation]:
    """Everyone at the workshop, for the share page (organisers only)."""
    return list(
        db.session.scalars(
            select(Participation)
            .join(Participation.person)
            .where(Participation.workshop_id == workshop_id)
            .options(contains_eager(Participation.person))
            .order_by(func.lower(Person.full_name), Participation.id)
        )
    )


def participation_of_workshop(workshop_id: int, participation_id: int) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(
            Participation.id == participation_id, Participation.workshop_id == workshop_id
        )
    )


# --- Time zones ------------------------------------------------------------

ZONE_AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def zone_choices() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The zones offered in the chooser, grouped by area: the canonical
    Area/Place names and UTC (legacy aliases such as US/Pacific still work
    when typed into the address)."""
    groups: dict[str, list[str]] = {}
    for name in known_zones():
        area = name.split("/", 1)[0]
        if area in ZONE_AREAS and "/" in name:
            groups.setdefault(area, []).append(name)
    ordered = [(area, tuple(sorted(groups[area]))) for area in ZONE_AREAS if area in groups]
    return (("Universal", ("UTC",)), *ordered)


def zone_or_none(name: str | None) -> ZoneInfo | None:
    if not name or len(name) > 64 or name not in known_zones():
        return None
    return ZoneInfo(name)


def utc_offset(moment: dt.datetime) -> str:
    """'UTC+07:00', 'UTC-03:30', 'UTC+00:00'."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


# --- The agenda as a reader sees it ------------------------------------------


@dataclass
class Slot:
    item: AgendaItem
    start: dt.datetime  # in the viewer's zone
    end: dt.datetime
    home_start: dt.datetime  # in the workshop's zone
    home_end: dt.datetime
    chairs: list[AgendaItemPerson]
    speakers: list[AgendaItemPerson]
    my_roles: list[str] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.item.status == "cancelled"

    @property
    def crosses_midnight(self) -> bool:
        return self.end.date() != self.start.date()


@dataclass
class Day:
    date: dt.date
    slots: list[Slot]
    offsets: list[str]  # the zone's offsets during this day's items, in order

    @property
    def offset_text(self) -> str:
        if len(self.offsets) == 1:
            return self.offsets[0]
        return ", then ".join(self.offsets) + " (the clocks change this day)"


def _shown(people: list[AgendaItemPerson]) -> list[AgendaItemPerson]:
    return [p for p in people if p.participation.person.erased_at is None]


def agenda_days(items: list[AgendaItem], zone: ZoneInfo, home: ZoneInfo,
                me: Participation | None = None) -> list[Day]:
    """Items grouped by their day in the viewer's zone, with the offsets of
    that zone during each day (they differ across a daylight-saving change)."""
    days: dict[dt.date, Day] = {}
    for item in items:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        people = _shown(list(item.people))
        slot = Slot(
            item=item, start=start, end=end,
            home_start=item.starts_at.astimezone(home), home_end=item.ends_at.astimezone(home),
            chairs=[p for p in people if p.role == "chair"],
            speakers=[p for p in people if p.role != "chair"],
            my_roles=[p.role for p in item.people if me is not None and p.participation_id == me.id],
        )
        day = days.setdefault(start.date(), Day(date=start.date(), slots=[], offsets=[]))
        day.slots.append(slot)
        for moment in (start, end):
            text = utc_offset(moment)
            if text not in day.offsets and moment.date() == day.date:
                day.offsets.append(text)
    return [days[d] for d in sorted(days)]


def zone_offsets(days: list[Day], zone: ZoneInfo, fallback: dt.date) -> list[str]:
    """Every distinct offset the agenda's days use, in order; a workshop with
    no items yet gets the offset at noon on its first day."""
    seen: list[str] = []
    for day in days:
        for text in day.offsets:
            if text not in seen:
                seen.append(text)
    if not seen:
        seen.append(utc_offset(dt.datetime.combine(fallback, dt.time(12), zone)))
    return seen
