"""Finding workshops, people, recommendations and uptake events by words.

Text and words are compared folded (without accents, lower-case: see
folding.py), so "Nguyen" finds "Nguyễn" and "Đà Nẵng" finds "Da Nang", on
both databases. On PostgreSQL the folded text is matched with full-text
search (to_tsvector / plainto_tsquery, computed in the query: English
stemming for workshops, recommendations and uptake events, so "disasters"
finds "disaster"; the 'simple' dictionary for names) and ranked with
ts_rank; a row whose text holds every word as a part (a prefix of a name, a
code like NADI-2025) is found too. On SQLite every word must appear in one
of the searched columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import selectinload

from ..documents.models import Document
from ..extensions import db
from ..outcomes.models import Recommendation, UptakeEvent, UptakeEventReference
from ..outcomes.operations import clean_text
from ..outcomes.origin import origin_start, with_origin
from ..outputs.models import Output
from ..people.models import Person
from ..programme.models import Workshop
from .folding import fold, folded

MAX_QUERY = 200
MAX_WORDS = 12
PER_KIND = 20
_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(query: str | None) -> list[str]:
    """The words of a query: letters and digits only, at most MAX_WORDS."""
    text = clean_text(query or "")[:MAX_QUERY]
    return _WORD.findall(text)[:MAX_WORDS]


@dataclass
class Group:
    kind: str
    total: int
    items: list


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _document(*columns):
    parts = []
    for c in columns:
        parts.extend([func.coalesce(c, ""), literal_column("' '")])
    return func.concat(*parts[:-1])


def _fulltext(config: str, words: list[str], *columns):
    """(condition, rank) of a full-text match of the folded text on PostgreSQL."""
    dictionary = literal_column(f"'{config}'::regconfig")  # a constant, never user input
    vector = func.to_tsvector(dictionary, folded(_document(*columns), "postgresql"))
    query = func.plainto_tsquery(dictionary, " ".join(fold(w) for w in words))
    return vector.op("@@")(query), func.ts_rank(vector, query)


def _every_word(words: list[str], *columns):
    """Every word, folded, is part of one of the columns, folded."""
    dialect = db.engine.dialect.name
    texts = [folded(c, dialect) for c in columns]
    return and_(*(or_(*(t.contains(fold(w), autoescape=True) for t in texts)) for w in words))


def _run(query: Select, limit: int) -> tuple[int, list]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return total, list(db.session.scalars(query.limit(limit)).unique())


def _match(query: Select, words: list[str], config: str, columns, *then) -> Select:
    """Narrow to rows where the words match, best first. On PostgreSQL a
    full-text match (stemmed, ranked) or, failing that, the words as parts
    of the text (a prefix of a name, a code); on SQLite the latter only."""
    substring = _every_word(words, *columns)
    if _postgres():
        match, rank = _fulltext(config, words, *columns)
        return query.where(or_(match, substring)).order_by(rank.desc(), *then)
    return query.where(substring).order_by(*then)


def search_workshops(words: list[str], limit: int = PER_KIND) -> Group:
    query = select(Workshop).options(selectinload(Workshop.series), selectinload(Workshop.network))
    query = _match(query, words, "english", (Workshop.title, Workshop.objectives, Workshop.city),
                   Workshop.start_date.desc(), Workshop.id)
    return Group("workshops", *_run(query, limit))


def search_people(words: list[str], seen, limit: int = PER_KIND) -> Group:
    """People by name and affiliation, among those the reader may read:
    `seen` is the condition of people/access.py people_seen, in the query."""
    query = select(Person).where(Person.erased_at.is_(None), seen)
    query = _match(query, words, "simple", (Person.full_name, Person.affiliation), Person.full_name, Person.id)
    return Group("people", *_run(query, limit))


def search_recommendations(words: list[str], limit: int = PER_KIND) -> Group:
    # From a workshop, an output or both (outcomes/origin.py): newest first by the day it was made.
    query = with_origin(select(Recommendation)).options(
        selectinload(Recommendation.events),
        selectinload(Recommendation.workshop).options(selectinload(Workshop.series), selectinload(Workshop.network)),
        selectinload(Recommendation.output).selectinload(Output.network),
    )
    query = _match(query, words, "english", (Recommendation.title, Recommendation.text, Recommendation.reference),
                   origin_start().desc(), Recommendation.id)
    return Group("recommendations", *_run(query, limit))


def _sources_text():
    """SQL: an event's sources as one text (their labels, web addresses and file names)."""
    ref = UptakeEventReference
    text = ref.label + " " + func.coalesce(ref.url, "") + " " + func.coalesce(Document.filename, "")
    return (select(func.aggregate_strings(text, " ")).select_from(ref)
            .outerjoin(Document, Document.id == ref.document_id)
            .where(ref.uptake_event_id == UptakeEvent.id).correlate(UptakeEvent).scalar_subquery())


def search_events(words: list[str], limit: int = PER_KIND) -> Group:
    """Uptake events by title, excerpt and sources; each shown with its
    recommendation, where it is read."""
    query = select(UptakeEvent).join(Recommendation, UptakeEvent.recommendation_id == Recommendation.id).options(
        selectinload(UptakeEvent.track1_body),
        selectinload(UptakeEvent.references).selectinload(UptakeEventReference.document),
        selectinload(UptakeEvent.recommendation).selectinload(Recommendation.workshop)
        .options(selectinload(Workshop.series), selectinload(Workshop.network)),
        selectinload(UptakeEvent.recommendation).selectinload(Recommendation.output).selectinload(Output.network),
    )
    query = _match(query, words, "english", (UptakeEvent.title, UptakeEvent.excerpt, _sources_text()),
                   UptakeEvent.occurred_on.desc(), UptakeEvent.id)
    return Group("events", *_run(query, limit))


def search(query: str | None, *, people=None) -> tuple[list[str], list[Group]]:
    """Every kind found by the words; people only when `people` is given (the
    reader's condition, people/access.py people_seen): a reader who may read no
    one's name gets no people group at all."""
    words = words_of(query)
    if not words:
        return [], []
    groups = [search_workshops(words)]
    if people is not None:
        groups.append(search_people(words, people))
    return words, [*groups, search_recommendations(words), search_events(words)]
