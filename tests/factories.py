"""Factories: build one object with sensible defaults, overridable by
keyword, saved through the same audited unit of work as the app."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from zoneinfo import ZoneInfo

from workshops.audit.operations import unit_of_work
from workshops.auth.operations import hash_password
from workshops.extensions import db
from workshops.models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Participation,
    Person,
    Recommendation,
    Series,
    SeriesStatusChange,
    Theme,
    Track1Body,
    UptakeEvent,
    User,
    Workshop,
)

_seq = itertools.count(1)
DEFAULT_PASSWORD = "correct-horse-battery-9"


@functools.cache
def _hashed(password: str) -> str:
    """scrypt is slow on purpose; hash each test password once per run."""
    return hash_password(password)


def _save(obj):
    with unit_of_work(system="test"):
        db.session.add(obj)
    return obj


class Factories:
    def user(self, role="admin", networks=(), password=DEFAULT_PASSWORD, **kw) -> User:
        n = next(_seq)
        kw.setdefault("email", f"user{n}@example.org")
        kw.setdefault("name", f"User {n}")
        user = User(role=role, password_hash=_hashed(password), **kw)
        user.networks = list(networks)
        return _save(user)

    def network(self, **kw) -> Network:
        n = next(_seq)
        kw.setdefault("acronym", f"NET{n}")
        kw.setdefault("slug", f"net{n}")
        kw.setdefault("name", f"Network {n}")
        return _save(Network(**kw))

    def institute(self, networks=(), **kw) -> MemberInstitute:
        n = next(_seq)
        kw.setdefault("name", f"Institute {n}")
        kw.setdefault("acronym", f"INS{n}")
        kw.setdefault("country", "SG")
        inst = MemberInstitute(**kw)
        inst.networks = list(networks)
        return _save(inst)

    def theme(self, **kw) -> Theme:
        n = next(_seq)
        kw.setdefault("name", f"Theme {n}")
        kw.setdefault("slug", f"theme-{n}")
        return _save(Theme(**kw))

    def series(self, network=None, status_history=(), **kw) -> Series:
        n = next(_seq)
        network = network or self.network()
        kw.setdefault("name", f"Series {n}")
        kw.setdefault("slug", f"series-{n}")
        series = Series(network=network, **kw)
        series.status_changes = [
            SeriesStatusChange(status=s, effective_on=d, note=note) for s, d, note in status_history
        ]
        return _save(series)

    def workshop(self, series=None, themes=(), **kw) -> Workshop:
        n = next(_seq)
        series = series or self.series(network=kw.pop("network", None))
        kw.setdefault("title", f"Workshop {n}")
        kw.setdefault("slug", f"workshop-{n}")
        kw.setdefault("timezone", "Asia/Jakarta")
        kw.setdefault("start_date", dt.date(2025, 6, 3))
        kw.setdefault("end_date", kw["start_date"] + dt.timedelta(days=1))
        kw.setdefault("city", "Jakarta")
        kw.setdefault("country", "ID")
        kw.setdefault("status", "published")
        kw.setdefault("visibility", "public")
        workshop = Workshop(series=series, **kw)
        workshop.themes = list(themes)
        return _save(workshop)

    def agenda_item(self, workshop=None, day=0, start="09:00", end="10:30", people=(), **kw) -> AgendaItem:
        """Times are local to the workshop; people are (participation, role) pairs."""
        workshop = workshop or self.workshop()
        zone = ZoneInfo(workshop.timezone)
        date = workshop.start_date + dt.timedelta(days=day)
        starts = dt.datetime.combine(date, dt.time.fromisoformat(start), zone)
        ends = dt.datetime.combine(date, dt.time.fromisoformat(end), zone)
        kw.setdefault("title", f"Session {next(_seq)}")
        item = AgendaItem(workshop=workshop, starts_at=starts, ends_at=ends, **kw)
        item.people = [AgendaItemPerson(participation=p, role=r, position=i) for i, (p, r) in enumerate(people)]
        return _save(item)

    def person(self, **kw) -> Person:
        n = next(_seq)
        kw.setdefault("full_name", f"Person {n}")
        kw.setdefault("email", f"person{n}@example.org")
        kw.setdefault("country", "SG")
        kw.setdefault("sector", "academia")
        return _save(Person(**kw))

    def participation(self, workshop=None, person=None, **kw) -> Participation:
        workshop = workshop or self.workshop()
        person = person or self.person()
        kw.setdefault("sector", person.sector)
        kw.setdefault("country", person.country)
        kw.setdefault("affiliation", person.affiliation)
        kw.setdefault("status", "attended")
        return _save(Participation(workshop=workshop, person=person, **kw))

    def track1_body(self, **kw) -> Track1Body:
        n = next(_seq)
        kw.setdefault("name", f"Track-1 body {n}")
        kw.setdefault("kind", "regional_forum")
        return _save(Track1Body(**kw))

    def recommendation(self, workshop=None, themes=(), targets=(), **kw) -> Recommendation:
        n = next(_seq)
        workshop = workshop or self.workshop()
        kw.setdefault("title", f"Recommendation {n}")
        kw.setdefault("text", f"The meeting recommends action number {n}.")
        rec = Recommendation(workshop=workshop, **kw)
        rec.themes = list(themes)
        rec.targets = list(targets)
        return _save(rec)

    def uptake_event(self, recommendation=None, stage="transmitted", **kw) -> UptakeEvent:
        recommendation = recommendation or self.recommendation()
        kw.setdefault("occurred_on", recommendation.workshop.end_date + dt.timedelta(days=30))
        kw.setdefault("evidence_kind", "document")
        kw.setdefault("title", f"{stage.capitalize()} evidence")
        return _save(UptakeEvent(recommendation=recommendation, stage=stage, **kw))
