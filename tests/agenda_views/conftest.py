"""Helpers for the agenda tests: a whole workshop programme built from the
factories in one audited unit of work, links to its agenda."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest

from workshops.audit.operations import unit_of_work
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
    participants from the factories, in one transaction (make.batch: fast,
    even for 45 items and 80 people)."""

    def __init__(self, make):
        self.make = make

    def __call__(self, *, days: int = 1, per_day: int = 3, people: int = 4, workshop=None,
                 **workshop_kw) -> Programme:
        make = self.make
        workshop_kw.setdefault("start_date", dt.date(2025, 6, 3))
        workshop_kw.setdefault("end_date", workshop_kw["start_date"] + dt.timedelta(days=max(days, 1) - 1))
        workshop = workshop or make.workshop(**workshop_kw)
        with make.batch():
            participations = []
            for _ in range(people):
                n = next(_seq)
                person = make.person(full_name=f"Participant {n:04d}", email=f"participant{n}@example.org",
                                     phone=f"+65 6000 {n:04d}", country="SG", sector="academia",
                                     affiliation=f"Institute {n}")
                participations.append(make.participation(
                    workshop=workshop, person=person, role="participant", status="confirmed",
                    consent_to_list=True, personal_token=new_token()))
            items = []
            for day in range(days):
                for slot in range(per_day):
                    people_of_item = ()
                    if participations:
                        chair = participations[(day * per_day + slot) % len(participations)]
                        speaker = participations[(day * per_day + slot + 1) % len(participations)]
                        people_of_item = [(chair, "chair")] + ([(speaker, "speaker")] if speaker is not chair else [])
                    starts = 8 * 60 + 45 * slot  # minutes after midnight, the workshop's time
                    items.append(make.agenda_item(
                        workshop=workshop, day=day, start=_clock(starts), end=_clock(starts + 40),
                        people=people_of_item, title=f"Session {day + 1}.{slot + 1}", kind="panel",
                        room=f"Room {slot % 3 + 1}", description=f"What session {day + 1}.{slot + 1} is about."))
        return Programme(workshop=workshop, items=items, participations=participations)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@pytest.fixture
def programme(make) -> ProgrammeBuilder:
    return ProgrammeBuilder(make)


def change(obj, **values) -> None:
    """Edit a record the way the app does: in an audited unit of work."""
    with unit_of_work(system="test"):
        for key, value in values.items():
            setattr(obj, key, value)
