"""Reading agendas: the workshop behind a URL, the person behind a personal
link, the items with their people, the participant list, and a fingerprint
of everything an agenda shows (for ETags: a repeat visit costs one small
query). Also the agenda as a reader sees it: days and times in a zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..core.zones import ZoneInfo, offset_label, to_local
from ..extensions import db
from ..people.models import Participation, Person, personal_token_digest
from ..programme.models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Series,
    Workshop,
    WorkshopInstitute,
    workshop_network,
)
from ..vocab import SECTOR_LABELS

# secrets.token_urlsafe(24) gives 32 characters; anything else is not a token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
LISTED_STATUSES = ("confirmed", "attended")


def well_formed_token(token: str | None) -> bool:
    return bool(token) and TOKEN_PATTERN.fullmatch(token) is not None


def find_workshop(slug: str) -> Workshop | None:
    """The workshop with its series, network and institutes."""
    if len(slug) > 120:
        return None
    return db.session.scalar(
        select(Workshop)
        .where(Workshop.slug == slug)
        .options(joinedload(Workshop.series), joinedload(Workshop.network), *_institutes())
    )


def _institutes():
    return (selectinload(Workshop.institute_roles).joinedload(WorkshopInstitute.institute),)


def public_workshops(today: dt.date) -> tuple[list[Workshop], object]:
    """Public workshops that are not drafts: upcoming (soonest first) and a
    select of the past ones (latest first) for pagination."""
    base = (
        select(Workshop)
        .join(Workshop.network)
        .outerjoin(Workshop.series)
        .where(Workshop.visibility == "public", Workshop.status != "draft")
        .options(contains_eager(Workshop.series), contains_eager(Workshop.network))
    )
    upcoming = list(
        db.session.scalars(base.where(Workshop.end_date >= today).order_by(Workshop.start_date, Workshop.id))
    )
    past = base.where(Workshop.end_date < today).order_by(Workshop.start_date.desc(), Workshop.id.desc())
    return upcoming, past


@dataclass(frozen=True)
class Header:
    """What deciding access and the ETag needs, read in one statement: the
    workshop's gatekeeping columns, the participation behind a personal
    link, and a fingerprint of everything the agenda shows."""

    workshop_id: int
    timezone: str
    visibility: str
    status: str
    secret_token: str | None
    network_id: int
    co_networks: int  # how many networks co-organise it (co_networks_of names them)
    me_id: int | None
    fingerprint: tuple
    last_updated: dt.datetime


_ROLE_CODE = case(
    (AgendaItemPerson.role == "chair", 1), (AgendaItemPerson.role == "speaker", 2), else_=3
)


@lru_cache(maxsize=1)
def _header_statement():
    """Built once: constructing this select costs more than running it.
    Versions count every edit; counts, id sums and max ids catch additions
    and deletions, which leave no updated row behind (the people on an item
    carry no version of their own)."""
    here = AgendaItem.workshop_id == Workshop.id
    participations_here = Participation.workshop_id == Workshop.id
    item_of = AgendaItemPerson.__table__.join(AgendaItem.__table__, AgendaItemPerson.agenda_item_id == AgendaItem.id)
    institutes_here = WorkshopInstitute.workshop_id == Workshop.id
    institute_of = WorkshopInstitute.__table__.join(
        MemberInstitute.__table__, WorkshopInstitute.institute_id == MemberInstitute.id)

    def scalar(column, where, join=None):
        q = select(column)
        if join is not None:
            q = q.select_from(join)
        return q.where(where).correlate(Workshop).scalar_subquery()

    person_of = Participation.__table__.join(Person.__table__, Participation.person_id == Person.id)
    role_sum = func.sum(AgendaItemPerson.id * 7 + AgendaItemPerson.position * 3
                        + AgendaItemPerson.participation_id * 11 + _ROLE_CODE * AgendaItemPerson.agenda_item_id)
    me = scalar(Participation.id, (Participation.workshop_id == Workshop.id)
                & (Participation.personal_token_hash == bindparam("token_hash")))
    return (
        select(
            Workshop.id, Workshop.timezone, Workshop.visibility, Workshop.status, Workshop.secret_token,
            Workshop.network_id, scalar(func.count(), workshop_network.c.workshop_id == Workshop.id), me,
            Workshop.updated_at, scalar(func.max(AgendaItem.updated_at), here),
            Workshop.version, Series.version, Network.version,
            scalar(func.count(WorkshopInstitute.id), institutes_here),
            scalar(func.sum(WorkshopInstitute.id * 7 + MemberInstitute.version), institutes_here, join=institute_of),
            scalar(func.count(AgendaItem.id), here),
            scalar(func.sum(AgendaItem.version), here),
            scalar(func.max(AgendaItem.id), here),
            scalar(func.count(AgendaItemPerson.id), here, join=item_of),
            scalar(role_sum, here, join=item_of),
            scalar(func.count(Participation.id), participations_here),
            scalar(func.max(Participation.id), participations_here),
            scalar(func.sum(Participation.version), participations_here),
            scalar(func.sum(Person.version), participations_here, join=person_of),
        )
        .select_from(Workshop)
        .outerjoin(Series, Workshop.series_id == Series.id)
        .join(Network, Workshop.network_id == Network.id)
        .where(Workshop.slug == bindparam("slug"))
    )


def agenda_header(slug: str, personal_token: str | None = None) -> Header | None:
    """None when there is no such workshop. `me_id` is set only when the
    personal token belongs to a participation of this workshop."""
    if len(slug) > 120:
        return None
    # Personal links are stored hashed (people/models.py): looked up by their SHA-256.
    token_hash = personal_token_digest(personal_token) if well_formed_token(personal_token) else None
    row = db.session.execute(_header_statement(), {"slug": slug, "token_hash": token_hash}).first()
    if row is None:
        return None
    updated = [_aware(t) for t in (row[8], row[9]) if t is not None]
    return Header(
        workshop_id=row[0], timezone=row[1], visibility=row[2], status=row[3], secret_token=row[4],
        network_id=row[5], co_networks=row[6], me_id=row[7], fingerprint=tuple(str(v) for v in row[1:]),
        last_updated=max(updated),
    )


def co_networks_of(workshop_id: int) -> list[int]:
    """The networks that co-organise a workshop besides its lead."""
    return list(db.session.scalars(
        select(workshop_network.c.network_id).where(workshop_network.c.workshop_id == workshop_id)))


def workshop_by_id(workshop_id: int) -> Workshop:
    """The workshop with its series, network and institutes."""
    return db.session.scalars(
        select(Workshop)
        .where(Workshop.id == workshop_id)
        .options(joinedload(Workshop.series), joinedload(Workshop.network), *_institutes())
    ).one()


def participation_with_person(participation_id: int) -> Participation:
    return db.session.scalars(
        select(Participation).where(Participation.id == participation_id).options(joinedload(Participation.person))
    ).one()


def _aware(value) -> dt.datetime:
    """Aggregates over UTCDateTime come back naive (or as text on SQLite)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A chair, speaker or discussant of an item, as the agenda names them.
    Read as plain rows: building ORM objects for every person on a long
    agenda cost more than everything else on the page. An unnamed one
    (`named` false) carries a description instead of a name, and neither
    affiliation nor person id."""

    item_id: int
    role: str
    participation_id: int | None
    person_id: int | None
    name: str
    affiliation: str
    named: bool = True


# "a speaker from <these words>": the sector labels of vocab.py as a phrase.
_SECTOR_ARTICLES = {"military": "the ", "international_org": "an ", "private_sector": "the "}


def described(role: str, sector: str) -> str:
    """'A speaker from government (private capacity)', 'A chair from the military'."""
    label = SECTOR_LABELS.get(sector, sector.replace("_", " "))
    return f"A {role} from {_SECTOR_ARTICLES.get(sector, '')}{label[:1].lower()}{label[1:]}"


def as_shown(speaker: Speaker, *, sector: str, consented: bool, names_everyone: bool) -> Speaker:
    """The naming rule of every agenda (page, PDF, calendar, frab): a public
    agenda names a chair, speaker or discussant only with their consent to be
    named publicly, and otherwise gives their role and sector; the
    participants' links (secret and personal) name everyone
    (docs/domain.md)."""
    if names_everyone or consented:
        return speaker
    return replace(speaker, person_id=None, name=described(speaker.role, sector), affiliation="", named=False)


@dataclass
class Agenda:
    """A workshop's items in order, and the people on each (erased people
    left out), named or described as `as_shown` decides."""

    items: list[AgendaItem]
    people: dict[int, list[Speaker]]

    def on(self, item: AgendaItem, role: str | None = None) -> list[Speaker]:
        people = self.people.get(item.id, [])
        return people if role is None else [p for p in people if p.role == role]


def _speakers(where, names_everyone: bool) -> dict[int, list[Speaker]]:
    # Guests (not participants: no participation) are named as the organiser
    # entered them for the agenda; "to be confirmed" follows the name.
    rows = db.session.execute(
        select(AgendaItemPerson.agenda_item_id, AgendaItemPerson.role, AgendaItemPerson.participation_id,
               Person.id, Person.honorific, Person.full_name, Participation.affiliation, Person.affiliation,
               Participation.sector, Participation.consent_to_be_named, AgendaItemPerson.guest_honorific,
               AgendaItemPerson.guest_name, AgendaItemPerson.guest_affiliation, AgendaItemPerson.to_be_confirmed)
        .join(AgendaItem, AgendaItemPerson.agenda_item_id == AgendaItem.id)
        .outerjoin(Participation, AgendaItemPerson.participation_id == Participation.id)
        .outerjoin(Person, Participation.person_id == Person.id)
        .where(where, Person.erased_at.is_(None))
        .order_by(AgendaItemPerson.agenda_item_id, AgendaItemPerson.position, AgendaItemPerson.id)
    )
    people: dict[int, list[Speaker]] = {}
    for (item_id, role, participation_id, person_id, honorific, full_name, affiliation, own, sector, consented,
         guest_honorific, guest_name, guest_affiliation, tbc) in rows:
        if participation_id is None:
            honorific, full_name, affiliation, sector, consented = (guest_honorific, guest_name, guest_affiliation,
                                                                    "", True)
        name = f"{honorific} {full_name}".strip() + (" (to be confirmed)" if tbc else "")  # as Person.display_name
        speaker = Speaker(item_id, role, participation_id, person_id, name, affiliation or own or "")
        people.setdefault(item_id, []).append(
            as_shown(speaker, sector=sector, consented=consented, names_everyone=names_everyone)
        )
    return people


def agenda(workshop_id: int, *, names_everyone: bool) -> Agenda:
    """Items in order and their people: two statements, however many.
    `names_everyone` for the participants' links (see as_shown)."""
    items = list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.workshop_id == workshop_id)
            .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
        )
    )
    return Agenda(items=items, people=_speakers(AgendaItem.workshop_id == workshop_id, names_everyone))


def has_agenda_item(workshop_id: int, uid: str) -> bool:
    if len(uid) > 36:
        return False
    return db.session.scalar(
        select(AgendaItem.id).where(AgendaItem.workshop_id == workshop_id, AgendaItem.uid == uid)
    ) is not None


def agenda_of_item(workshop_id: int, uid: str, *, names_everyone: bool) -> Agenda:
    """One item by its stable uid, and its people."""
    items = list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.workshop_id == workshop_id, AgendaItem.uid == uid)
    ))
    return Agenda(items=items, people=_speakers(AgendaItem.id.in_([i.id for i in items]), names_everyone))


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


# --- The agenda as a reader sees it ------------------------------------------


@dataclass
class Slot:
    item: AgendaItem
    start: dt.datetime  # in the viewer's zone
    end: dt.datetime
    home_start: dt.datetime  # in the workshop's zone
    home_end: dt.datetime
    chairs: list[Speaker]
    speakers: list[Speaker]
    discussants: list[Speaker]
    my_roles: list[str] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.item.status == "cancelled"

    @property
    def crosses_midnight(self) -> bool:
        return self.end.date() != self.start.date()

    @property
    def people_lines(self) -> list[tuple[str, list[Speaker]]]:
        """("Chair", […]), ("Speakers", […]), ("Discussant", […]): the non-empty ones."""
        lines = []
        for one, many, people in (("Chair", "Chairs", self.chairs), ("Speaker", "Speakers", self.speakers),
                                  ("Discussant", "Discussants", self.discussants)):
            if people:
                lines.append((one if len(people) == 1 else many, people))
        return lines


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


def agenda_days(agenda: Agenda, zone: ZoneInfo, home: ZoneInfo, me_id: int | None = None) -> list[Day]:
    """Items grouped by their day in the viewer's zone, with the offsets of
    that zone during each day (they differ across a daylight-saving change)."""
    days: dict[dt.date, Day] = {}
    for item in agenda.items:
        start, end = to_local(item.starts_at, zone), to_local(item.ends_at, zone)
        people = agenda.on(item)
        slot = Slot(
            item=item, start=start, end=end,
            home_start=to_local(item.starts_at, home), home_end=to_local(item.ends_at, home),
            chairs=[p for p in people if p.role == "chair"],
            speakers=[p for p in people if p.role == "speaker"],
            discussants=[p for p in people if p.role == "discussant"],
            my_roles=[p.role for p in people if me_id is not None and p.participation_id == me_id],
        )
        day = days.setdefault(start.date(), Day(date=start.date(), slots=[], offsets=[]))
        day.slots.append(slot)
        for moment in (start, end):
            text = offset_label(moment)
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
        seen.append(offset_label(dt.datetime.combine(fallback, dt.time(12), zone)))
    return seen


# Items everyone attends: the model has no "plenary" flag, so these kinds stand for it (docs/domain.md).
EVERYONE_KINDS = ("opening", "keynote", "closing")


def my_sessions(agenda: Agenda, me_id: int) -> Agenda:
    """A participant's own sessions: the items they chair, speak or are a
    discussant in, and the opening, keynotes and closing that everyone
    attends (docs/domain.md, "A participant's own sessions")."""
    mine = {p.item_id for people in agenda.people.values() for p in people if p.participation_id == me_id}
    items = [i for i in agenda.items if i.id in mine or i.kind in EVERYONE_KINDS]
    return Agenda(items=items, people={i.id: agenda.people[i.id] for i in items if i.id in agenda.people})
