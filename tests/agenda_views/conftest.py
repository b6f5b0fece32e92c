"""Helpers for the agenda tests: a whole workshop programme built in one
audited unit of work, links to its agenda, and a statement counter."""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import AgendaItem, AgendaItemPerson, Participation, Person
from workshops.programme.models import new_token

_seq = itertools.count(1)


@dataclass
class Programme:
    workshop: object
    items: list
    participations: list

    @property
    def slug(self) -> str:
        return self.workshop.slug

    def url(self, suffix: str = "", kind: str | None = None, token: str | None = None) -> str:
        base = f"/agenda/{self.slug}"
        if kind:
            base += f"/{kind}/{token}"
        return base + suffix

    def secret_url(self, suffix: str = "") -> str:
        return self.url(suffix, "s", self.workshop.secret_token)

    def personal_url(self, participation, suffix: str = "") -> str:
        return self.url(suffix, "p", participation.personal_token)


class ProgrammeBuilder:
    """Builds a workshop with `days` × `per_day` items and `people`
    participants in one transaction (fast, even for 45 items and 80 people)."""

    def __init__(self, make):
        self.make = make

    def __call__(self, *, days: int = 1, per_day: int = 3, people: int = 4, workshop=None,
                 **workshop_kw) -> Programme:
        workshop_kw.setdefault("start_date", dt.date(2025, 6, 3))
        workshop_kw.setdefault("end_date", workshop_kw["start_date"] + dt.timedelta(days=max(days, 1) - 1))
        workshop = workshop or self.make.workshop(**workshop_kw)
        zone = ZoneInfo(workshop.timezone)
        with unit_of_work(system="test"):
            participations = []
            for _ in range(people):
                n = next(_seq)
                person = Person(full_name=f"Participant {n:04d}", email=f"participant{n}@example.org",
                                phone=f"+65 6000 {n:04d}", country="SG", sector="academia",
                                affiliation=f"Institute {n}")
                participations.append(Participation(
                    workshop=workshop, person=person, role="participant", status="confirmed",
                    sector="academia", country="SG", affiliation=f"Institute {n}", consent_to_list=True,
                    personal_token=new_token(),
                ))
            db.session.add_all(participations)
            items = []
            for day in range(days):
                date = workshop.start_date + dt.timedelta(days=day)
                for slot in range(per_day):
                    start = dt.datetime.combine(date, dt.time(8), zone) + dt.timedelta(minutes=45 * slot)
                    item = AgendaItem(workshop=workshop, title=f"Session {day + 1}.{slot + 1}",
                                      kind="panel", room=f"Room {slot % 3 + 1}",
                                      description=f"What session {day + 1}.{slot + 1} is about.",
                                      starts_at=start, ends_at=start + dt.timedelta(minutes=40))
                    if participations:
                        chair = participations[(day * per_day + slot) % len(participations)]
                        speaker = participations[(day * per_day + slot + 1) % len(participations)]
                        item.people = [AgendaItemPerson(participation=chair, role="chair", position=0)]
                        if speaker is not chair:
                            item.people.append(AgendaItemPerson(participation=speaker, role="speaker", position=1))
                    items.append(item)
            db.session.add_all(items)
        return Programme(workshop=workshop, items=items, participations=participations)


@pytest.fixture
def programme(make) -> ProgrammeBuilder:
    return ProgrammeBuilder(make)


class StatementCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements():
    """Every SQL statement the app sends while the block runs."""
    counter = StatementCounter()

    def record(conn, cursor, statement, parameters, context, executemany):
        counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", record)


def change(obj, **values) -> None:
    """Edit a record the way the app does: in an audited unit of work."""
    with unit_of_work(system="test"):
        for key, value in values.items():
            setattr(obj, key, value)
