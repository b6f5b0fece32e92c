"""Reading people and participations: lists with filters, a person's
workshops and agenda roles, similar names, counts."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from types import SimpleNamespace

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.clock import today
from ..core.partial_dates import last_possible_day
from ..db import MAX_INTEGER
from ..extensions import db
from ..programme.models import AgendaItem, AgendaItemPerson, Workshop, in_networks
from .models import Participation, Person

MAX_ID = MAX_INTEGER  # ids above this cannot exist (and would overflow an INTEGER)

PEOPLE_SORTS = {
    "name": (func.lower(Person.full_name), Person.id),
    "-name": (func.lower(Person.full_name).desc(), Person.id.desc()),
    "country": (Person.country, func.lower(Person.full_name)),
    "-created": (Person.created_at.desc(), Person.id.desc()),
}


def words_of(text: str | None, limit: int = 8) -> list[str]:
    """The search words of a query string, lower-case, at most `limit`."""
    return [w for w in (text or "").lower().split() if w][:limit]


def people_query(
    *,
    words: Iterable[str] = (),
    country: str | None = None,
    sector: str | None = None,
    network_id: int | None = None,
    sort: str = "name",
    search_email: bool = False,
    seen=None,
) -> Select:
    """People matching every word (in the name, the affiliation and, for
    users who may see it, the email), filtered by country, sector and the
    network of a workshop they took part in; `seen` is the reader's
    condition on Person (people/access.py people_seen)."""
    query = select(Person)
    if seen is not None:
        query = query.where(seen)
    for word in words:
        columns = [func.lower(Person.full_name), func.lower(Person.affiliation)]
        if search_email:
            columns.append(func.coalesce(Person.email, ""))
        query = query.where(or_(*(c.contains(word, autoescape=True) for c in columns)))
    if country:
        query = query.where(Person.country == country)
    if sector:
        query = query.where(Person.sector == sector)
    if network_id:
        in_network = (
            select(Participation.person_id)
            .join(Workshop, Workshop.id == Participation.workshop_id)
            .where(in_networks([network_id]))
        )
        query = query.where(Person.id.in_(in_network))
    return query.order_by(*PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"]))


def _in_seen_workshops(query: Select, seen_in) -> Select:
    """Narrow a query of participations to workshops whose participants the
    reader may see: `seen_in` is auth/access.py participants_seen_in (None: all)."""
    if seen_in is None:
        return query
    return query.where(seen_in(in_networks))


def workshop_counts(person_ids: Iterable[int], *, seen_in=None) -> dict[int, int]:
    """How many workshops each of these people took part in (one query),
    counting only those whose participants the reader may see (`seen_in`)."""
    ids = list(person_ids)
    if not ids:
        return {}
    query = (
        select(Participation.person_id, func.count(Participation.id))
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .where(Participation.person_id.in_(ids))
        .group_by(Participation.person_id)
    )
    return dict(db.session.execute(_in_seen_workshops(query, seen_in)).all())


def people_composition(query: Select) -> SimpleNamespace:
    """The people a query finds, without naming anyone: their number and
    their counts by sector and by country, most first (what viewers read on
    the people directory: auth/access.py sees_people). Three queries."""
    found = query.order_by(None).subquery()

    def counted(column):
        rows = db.session.execute(select(column, func.count()).group_by(column)).all()
        return sorted(rows, key=lambda row: (-row[1], row[0] is None, row[0] or ""))

    total = db.session.scalar(select(func.count()).select_from(found)) or 0
    countries = counted(found.c.country)
    return SimpleNamespace(total=total, sectors=counted(found.c.sector), countries=countries,
                           country_count=sum(1 for code, _ in countries if code))


def participations_of(person: Person, *, seen_in=None) -> list[Participation]:
    """A person's workshops, newest first, with series and network loaded;
    only those whose participants the reader may see (`seen_in`)."""
    query = (
        select(Participation)
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .where(Participation.person_id == person.id)
    )
    return list(
        db.session.scalars(
            _in_seen_workshops(query, seen_in)
            .options(
                selectinload(Participation.workshop).options(selectinload(Workshop.series),
                                                             selectinload(Workshop.network))
            )
            .order_by(Workshop.start_date.desc(), Workshop.id.desc())
        )
    )


def agenda_roles_of(person: Person, *, seen_in=None) -> list[AgendaItemPerson]:
    """The agenda items a person chairs or speaks at, in time order; only in
    workshops whose participants the reader may see (`seen_in`)."""
    query = (
        select(AgendaItemPerson)
        .join(Participation, Participation.id == AgendaItemPerson.participation_id)
        .join(AgendaItem, AgendaItem.id == AgendaItemPerson.agenda_item_id)
        .join(Workshop, Workshop.id == AgendaItem.workshop_id)
        .where(Participation.person_id == person.id)
    )
    return list(
        db.session.scalars(
            _in_seen_workshops(query, seen_in)
            .options(selectinload(AgendaItemPerson.agenda_item).selectinload(AgendaItem.workshop))
            .order_by(AgendaItem.starts_at.desc(), AgendaItemPerson.role)
        )
    )


def agenda_roles_of_participation(participation: Participation) -> list[AgendaItemPerson]:
    return list(
        db.session.scalars(
            select(AgendaItemPerson)
            .join(AgendaItem, AgendaItem.id == AgendaItemPerson.agenda_item_id)
            .where(AgendaItemPerson.participation_id == participation.id)
            .options(selectinload(AgendaItemPerson.agenda_item))
            .order_by(AgendaItem.starts_at)
        )
    )


def participants_of(workshop: Workshop, *, role: str | None = None, status: str | None = None,
                    sort: str = "name") -> list[Participation]:
    """A workshop's participations with their people, filtered and sorted."""
    query = (
        select(Participation)
        .join(Person, Person.id == Participation.person_id)
        .where(Participation.workshop_id == workshop.id)
        .options(selectinload(Participation.person))
    )
    if role:
        query = query.where(Participation.role == role)
    if status:
        query = query.where(Participation.status == status)
    order = {
        "name": (func.lower(Person.full_name),),
        "role": (Participation.role, func.lower(Person.full_name)),
        "status": (Participation.status, func.lower(Person.full_name)),
        "country": (Participation.country, func.lower(Person.full_name)),
        "-added": (Participation.created_at.desc(), Participation.id.desc()),
    }.get(sort, (func.lower(Person.full_name),))
    return list(db.session.scalars(query.order_by(*order, Participation.id)))


def status_counts(workshop: Workshop) -> dict[str, int]:
    rows = db.session.execute(
        select(Participation.status, func.count(Participation.id))
        .where(Participation.workshop_id == workshop.id)
        .group_by(Participation.status)
    )
    return dict(rows.all())


def reply_counts(workshop: Workshop) -> dict[str, int]:
    """The participants' own answers (their personal page): how many
    answered, confirmed or declined there, were invited by mail, gave
    dietary or access needs, and how many invited have not answered yet.
    Counts only: the needs themselves are read with the participant list."""
    def answered_as(status):
        return func.sum(case(((Participation.responded_at.is_not(None)) & (Participation.status == status), 1),
                             else_=0))

    row = db.session.execute(
        select(
            func.count(Participation.responded_at),
            answered_as("confirmed"),
            answered_as("declined"),
            func.sum(case((Participation.status == "invited", 1), else_=0)),
            func.count(Participation.invited_at),
            func.sum(case((Participation.dietary_needs != "", 1), else_=0)),
            func.sum(case((Participation.access_needs != "", 1), else_=0)),
        ).where(Participation.workshop_id == workshop.id)
    ).one()
    keys = ("answered", "confirmed", "declined", "no_answer", "invited_by_mail", "dietary", "access")
    return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}


def composition(workshop: Workshop) -> SimpleNamespace:
    """Who takes part, without naming anyone: participations counted by
    sector and by the country they represent, most first (what users who may
    not see the list read instead: auth/access.py may_see_participants)."""
    def counted(column):
        rows = db.session.execute(
            select(column, func.count(Participation.id))
            .where(Participation.workshop_id == workshop.id)
            .group_by(column)
        ).all()
        return sorted(rows, key=lambda row: (-row[1], row[0] is None, row[0] or ""))

    return SimpleNamespace(sectors=counted(Participation.sector), countries=counted(Participation.country))


def person_by_email(email: str | None) -> Person | None:
    """The person with this email, whatever its case."""
    if not email:
        return None
    return db.session.scalar(select(Person).where(Person.email == email.strip().lower()))


def participant_person_ids(workshop: Workshop) -> set[int]:
    return set(db.session.scalars(select(Participation.person_id).where(Participation.workshop_id == workshop.id)))


# ---- similar names --------------------------------------------------------

SIMILARITY = 0.75  # "Jon Smith" and "John Smith" score 0.95, "Ann Lee" and "Tom Lee" 0.57


def name_key(name: str) -> str:
    """A name without accents, punctuation, case or extra spaces:
    "Nguyễn  Văn-An" → "nguyen van an"."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, from 0 to 1, whatever the order of their parts."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    ta, tb = ka.split(), kb.split()
    shorter, longer = sorted((set(ta), set(tb)), key=len)
    if len(shorter) >= 2 and shorter <= longer:  # "John Smith" in "John A Smith"
        return 0.9
    direct = difflib.SequenceMatcher(None, ka, kb).ratio()
    reordered = difflib.SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio()
    return max(direct, reordered)


def _trigrams(key: str, limit: int = 16) -> list[str]:
    grams: list[str] = []
    for token in key.split():
        if len(token) == 2 and token not in grams:  # "Li", "Wu": the whole short name part
            grams.append(token)
        for i in range(len(token) - 2):
            gram = token[i:i + 3]
            if gram not in grams:
                grams.append(gram)
    return grams[:limit]


def similar_people(name: str, *, exclude_ids: Iterable[int] = (), limit: int = 5) -> list[Person]:
    """People whose names look like `name` (typos, order, accents), most
    alike first. The database narrows the candidates by shared three-letter
    pieces; difflib ranks them."""
    key = name_key(name)
    grams = _trigrams(key)
    if not grams:
        return []
    lowered = func.lower(Person.full_name)
    candidates = db.session.scalars(
        select(Person)
        .where(Person.erased_at.is_(None))
        .where(or_(*(lowered.contains(g, autoescape=True) for g in grams)))
        .limit(500)
    ).all()
    excluded = set(exclude_ids)
    scored = [
        (name_similarity(name, p.full_name), p) for p in candidates if p.id not in excluded
    ]
    scored = [(score, p) for score, p in scored if score >= SIMILARITY]
    scored.sort(key=lambda sp: (-sp[0], sp[1].full_name.lower(), sp[1].id))
    return [p for _, p in scored[:limit]]


# ---- what viewers may see --------------------------------------------------

# Contact details and the organisers' notes: for users who may edit people.
PRIVATE_FIELDS = frozenset({"email", "phone", "notes"})


def redacted(entries, hidden: frozenset[str] = PRIVATE_FIELDS) -> list:
    """Audit entries for a reader who may not see contact details or notes: the
    values of those fields are replaced (copies, never the rows themselves)."""
    shown = []
    for e in entries:
        changes = {
            key: ([None if v is None else "(hidden)" for v in value] if key in hidden else value)
            for key, value in e.changes.items()
        }
        shown.append(SimpleNamespace(id=e.id, object_type=e.object_type, at=e.at, actor=e.actor,
                                     action=e.action, changes=changes, note=e.note))
    return shown


# --- invitations: whether a workshop's participants can be invited now (the participants page says
# why not in place of the buttons; agenda_views/operations_invitations.py refuses the same way).

def has_ended(workshop: Workshop) -> bool:
    """Its last possible day is past (one known only to the month or the
    year ends with that month or year: core/partial_dates.py)."""
    last = last_possible_day(workshop.end_date or workshop.start_date, workshop.date_precision)
    return last < today()


def invitation_problem(workshop: Workshop) -> str | None:
    """Why this workshop's participants cannot be invited now, or None (the
    participants page says it in place of the buttons)."""
    if workshop.status == "cancelled":
        return "This workshop is cancelled: there is nothing to invite to."
    if has_ended(workshop):
        return "This workshop has ended, so invitations are no longer sent."
    if workshop.status == "draft":
        return "Publish the workshop first: until then a personal link opens the agenda only for logged-in users."
    return None
