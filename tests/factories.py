"""Factories: build one object with sensible defaults, overridable by
keyword, saved through the same audited unit of work as the app."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import workshops.auth.operations
from workshops.api.operations import create_token
from workshops.audit.operations import unit_of_work
from workshops.documents.operations import store_document
from workshops.extensions import db
from workshops.mail.operations import queue_mail
from workshops.models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Output,
    Participation,
    Person,
    Recommendation,
    Series,
    SeriesStatusChange,
    Theme,
    Track1Body,
    UptakeEvent,
    UptakeEventReference,
    User,
    Workshop,
)
from workshops.programme.models import WorkshopInstitute, new_token

_seq = itertools.count(1)
DEFAULT_PASSWORD = "correct-horse-battery-9"


def _hashed(password: str) -> str:
    """The password hashed as the app hashes it now (quickly, unless a test
    is marked real_password_hashing: tests/conftest.py), once per run."""
    return _hash_once(workshops.auth.operations.hash_password, password)


@functools.cache
def _hash_once(hash_password, password: str) -> str:
    return hash_password(password)


class Factories:
    together = False

    @contextmanager
    def batch(self):
        """Build a large world in one audited unit of work (one transaction)
        instead of one per record: quick on both databases."""
        with unit_of_work(system="test"):
            self.together = True
            try:
                yield self
            finally:
                self.together = False

    def _save(self, obj):
        if self.together:
            db.session.add(obj)
            return obj
        with unit_of_work(system="test"):
            db.session.add(obj)
        return obj

    def user(self, role="admin", networks=(), password=DEFAULT_PASSWORD, **kw) -> User:
        n = next(_seq)
        kw.setdefault("email", f"user{n}@example.org")
        kw.setdefault("name", f"User {n}")
        user = User(role=role, password_hash=_hashed(password), **kw)
        user.networks = list(networks)
        return self._save(user)

    def network(self, **kw) -> Network:
        n = next(_seq)
        kw.setdefault("acronym", f"NET{n}")
        kw.setdefault("slug", f"net{n}")
        kw.setdefault("name", f"Network {n}")
        return self._save(Network(**kw))

    def institute(self, networks=(), **kw) -> MemberInstitute:
        n = next(_seq)
        kw.setdefault("name", f"Institute {n}")
        kw.setdefault("acronym", f"INS{n}")
        kw.setdefault("country", "SG")
        inst = MemberInstitute(**kw)
        inst.networks = list(networks)
        return self._save(inst)

    def theme(self, **kw) -> Theme:
        n = next(_seq)
        kw.setdefault("name", f"Theme {n}")
        kw.setdefault("slug", f"theme-{n}")
        return self._save(Theme(**kw))

    def series(self, network=None, status_history=(), **kw) -> Series:
        n = next(_seq)
        network = network or self.network()
        kw.setdefault("name", f"Series {n}")
        kw.setdefault("slug", f"series-{n}")
        series = Series(network=network, **kw)
        series.status_changes = [
            SeriesStatusChange(status=s, effective_on=d, note=note) for s, d, note in status_history
        ]
        return self._save(series)

    def workshop(self, series=None, themes=(), *, one_off=False, co_networks=(), institutes=(), **kw) -> Workshop:
        """`one_off`: no series, led by kw["network"]; `institutes`: (institute, role) pairs."""
        n = next(_seq)
        network = kw.pop("network", None)
        if one_off or (network is not None and series is not None):
            kw["network"] = network or self.network()
        if not one_off:
            series = series or self.series(network=network)
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
        workshop.co_networks = list(co_networks)
        workshop.institute_roles += [WorkshopInstitute(institute=i, role=r) for i, r in institutes]
        return self._save(workshop)

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
        return self._save(item)

    def person(self, **kw) -> Person:
        n = next(_seq)
        kw.setdefault("full_name", f"Person {n}")
        kw.setdefault("email", f"person{n}@example.org")
        kw.setdefault("country", "SG")
        kw.setdefault("sector", "academia")
        return self._save(Person(**kw))

    def participation(self, workshop=None, person=None, **kw) -> Participation:
        workshop = workshop or self.workshop()
        person = person or self.person()
        kw.setdefault("sector", person.sector)
        kw.setdefault("country", person.country)
        kw.setdefault("affiliation", person.affiliation)
        kw.setdefault("status", "attended")
        return self._save(Participation(workshop=workshop, person=person, **kw))

    def track1_body(self, **kw) -> Track1Body:
        n = next(_seq)
        kw.setdefault("name", f"Track-1 body {n}")
        kw.setdefault("kind", "regional_forum")
        return self._save(Track1Body(**kw))

    def recommendation(self, workshop=None, themes=(), targets=(), **kw) -> Recommendation:
        n = next(_seq)
        if workshop is None and kw.get("output") is None:  # from an output alone when given only one
            workshop = self.workshop()
        kw.setdefault("title", f"Recommendation {n}")
        kw.setdefault("text", f"The meeting recommends action number {n}.")
        rec = Recommendation(workshop=workshop, **kw)
        rec.themes = list(themes)
        rec.targets = list(targets)
        return self._save(rec)

    def uptake_event(self, recommendation=None, stage="transmitted", **kw) -> UptakeEvent:
        recommendation = recommendation or self.recommendation()
        kw.setdefault("occurred_on", recommendation.origin_end + dt.timedelta(days=30))
        kw.setdefault("evidence_kind", "document")
        kw.setdefault("title", f"{stage.capitalize()} evidence")
        # references: [{"url": …, "label": …}, …], its sources in order
        kw["references"] = [UptakeEventReference(position=i, **r) for i, r in enumerate(kw.pop("references", ()))]
        return self._save(UptakeEvent(recommendation=recommendation, stage=stage, **kw))


# --- Every route's world -------------------------------------------------------------
# A small world for the tests that walk every route (tests/security's access
# matrix and injection tests, tests/reliability's fuzzing): two networks, a
# workshop of each visibility (each with an agenda item, a participant with a
# personal link, a recommendation with an uptake event), a Track-1 body, a
# series, a member institute, a person; a user of every role with an API token.

ROLES = ("anonymous", "viewer", "other_organiser", "organiser", "admin")
VISIBILITIES = ("public", "participants", "private")
# URL arguments that name a workshop or something inside one: a route using
# any of them is walked once per visibility.
WORKSHOP_ARGS = {"slug", "workshop_id", "item_id", "participation_id", "recommendation_id", "event_id", "uid"}


@dataclass
class Place:
    """One workshop and what hangs from it."""

    workshop_id: int
    slug: str
    secret_token: str
    item_id: int
    uid: str
    participation_id: int
    personal_token: str
    person_id: int
    recommendation_id: int
    event_id: int


@dataclass
class RouteWorld:
    network_id: int
    other_network_id: int
    series_id: int
    institute_id: int
    theme_id: int
    body_id: int
    person_id: int
    year: int
    user_id: int = 0  # an account the admins' account pages act on
    message_id: int = 0  # a mail of the home network in the outbox
    document_id: int = 0  # an uploaded file (documents/views.py download)
    document_filename: str = ""
    output_id: int = 0  # a written output of the home network (outputs/)
    places: dict[str, Place] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def url_values(self, arguments, visibility: str = "public") -> dict:
        """Values for a rule's arguments, naming this world's records."""
        place = self.places[visibility]
        known = {
            "slug": place.slug, "workshop_id": place.workshop_id, "item_id": place.item_id, "uid": place.uid,
            "participation_id": place.participation_id, "recommendation_id": place.recommendation_id,
            "event_id": place.event_id, "person_id": self.person_id, "network_id": self.network_id,
            "series_id": self.series_id, "institute_id": self.institute_id, "body_id": self.body_id,
            "year": self.year, "user_id": self.user_id, "action": "deactivate",
            "message_id": self.message_id, "link_token": "not-a-password-link",
            "token": place.personal_token,  # the participant's own pages (agenda_views/views_reply.py)
            "document_id": self.document_id, "filename": self.document_filename,
            "theme_id": self.theme_id, "output_id": self.output_id,
            "network": "home",  # a network's public outcomes page names it by acronym, in any case
            "period": f"{self.year - 1}-{self.year}",  # a report over several years (reports/views.py)
        }
        return {name: known[name] for name in arguments if name in known}


def build_world(make: Factories) -> RouteWorld:
    """Every record a route may name, in a network the organiser works in."""
    network = make.network(acronym="HOME", name="Home network")
    other = make.network(acronym="AWAY", name="Another network")
    theme = make.theme(name="Maritime security")
    institute = make.institute(networks=[network], name="Home institute")
    series = make.series(network=network, name="Home series",
                         status_history=[("active", dt.date(2020, 1, 1), "founded")])
    body = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    bystander = make.person(full_name="Bystander Person")
    world = RouteWorld(network_id=network.id, other_network_id=other.id, series_id=series.id,
                       institute_id=institute.id, theme_id=theme.id, body_id=body.id, person_id=bystander.id,
                       year=2025)
    for visibility in VISIBILITIES:
        workshop = make.workshop(series=series, themes=[theme], visibility=visibility, status="published",
                                 title=f"The {visibility} workshop", slug=f"{visibility}-workshop",
                                 start_date=dt.date(2025, 6, 3))
        participation = make.participation(workshop=workshop, consent_to_list=True)
        with unit_of_work(system="test"):
            participation.personal_token = new_token()
        item = make.agenda_item(workshop=workshop, people=[(participation, "speaker")])
        rec = make.recommendation(workshop=workshop, themes=[theme], targets=[body])
        event = make.uptake_event(recommendation=rec, stage="transmitted", track1_body_id=body.id)
        world.places[visibility] = Place(
            workshop_id=workshop.id, slug=workshop.slug, secret_token=workshop.secret_token, item_id=item.id,
            uid=item.uid, participation_id=participation.id, personal_token=participation.personal_token,
            person_id=participation.person_id, recommendation_id=rec.id, event_id=event.id,
        )
    networks = {"viewer": [], "other_organiser": [other], "organiser": [network], "admin": []}
    for role, nets in networks.items():
        user = make.user(role=role.replace("other_", ""), networks=nets, name=f"The {role}",
                         email=f"{role.replace('_', '-')}@example.org")
        world.users[role] = user
        world.tokens[role] = create_token(user, user, "route walk")[1]
    world.user_id = make.user(role="viewer", name="Bystander User", email="bystander-user@example.org").id
    with unit_of_work(system="test") as session:
        mail = queue_mail(session, kind="agenda_changed", to="bystander-user@example.org",
                          subject="The agenda changed", text="…", network_id=network.id)
    world.message_id = mail.id
    with unit_of_work(system="test") as session:
        document = store_document(session, None, "statement.pdf", b"%PDF-1.7\n%%EOF\n")
    world.document_id, world.document_filename = document.id, document.filename
    with unit_of_work(system="test") as session:
        output = Output(kind="memorandum", title="Home memorandum", date=dt.date(2025, 3, 1), network_id=network.id)
        session.add(output)
        session.flush()
    world.output_id = output.id
    db.session.commit()
    return world


def _version(model, object_id: int) -> int:
    return db.session.get(model, object_id).version


# A minimal valid body for each API write, so that the answer shows who may
# write (a body the API cannot read is refused before anyone's rights are
# looked at, with 400/422 for every caller).
API_BODIES = {
    "api.create_workshop": lambda w, p: {"title": "Minimal meeting", "series": w.series_id,
                                         "start_date": "2026-03-02", "timezone": "Asia/Jakarta", "country": "ID"},
    "api.update_workshop": lambda w, p: {"version": _version(Workshop, p.workshop_id)},
    "api.change_workshop_status": lambda w, p: {"status": "draft", "version": _version(Workshop, p.workshop_id)},
    "api.create_agenda_item": lambda w, p: {"day": "2025-06-03", "start": "14:00", "end": "15:00",
                                            "title": "Minimal session"},
    "api.update_agenda_item": lambda w, p: {"version": _version(AgendaItem, p.item_id)},
    "api.create_participation": lambda w, p: {"new_person": {"full_name": "Minimal Newcomer"}},
    "api.update_participation": lambda w, p: {"version": _version(Participation, p.participation_id)},
    "api.create_recommendation": lambda w, p: {"title": "Minimal", "text": "The meeting recommends little."},
    "api.create_uptake_event": lambda w, p: {"stage": "acknowledged", "occurred_on": "2025-07-01",
                                             "evidence_kind": "statement", "title": "Chairman's statement"},
    "api.update_recommendation": lambda w, p: {"version": _version(Recommendation, p.recommendation_id)},
    "api.close_recommendation": lambda w, p: {"version": _version(Recommendation, p.recommendation_id),
                                              "closed_as": "withdrawn", "closed_reason": "No longer pursued."},
    "api.reopen_recommendation": lambda w, p: {"version": _version(Recommendation, p.recommendation_id)},
    "api.create_recommendation_from_origin": lambda w, p: {"output_id": w.output_id, "title": "Minimal",
                                                           "text": "The memorandum recommends little."},
    "api.create_output": lambda w, p: {"kind": "memorandum", "title": "Minimal memorandum", "date": "2025-04-01",
                                       "network": w.network_id},
    "api.update_output": lambda w, p: {"version": _version(Output, w.output_id)},
    "api.create_theme": lambda w, p: {"name": "Minimal theme"},
    "api.update_theme": lambda w, p: {"version": _version(Theme, w.theme_id), "name": "Minimal theme renamed"},
    "api.create_follow_up_check": lambda w, p: {"note": "Nothing found in the chair's statement."},
    "api.create_network": lambda w, p: {"acronym": "MIN", "name": "Minimal network"},
    "api.update_network": lambda w, p: {"version": _version(Network, w.network_id)},
    "api.create_institute": lambda w, p: {"name": "Minimal institute", "country": "SG",
                                          "network_ids": [w.network_id]},
    "api.update_institute": lambda w, p: {"version": _version(MemberInstitute, w.institute_id)},
    "api.create_series": lambda w, p: {"network_id": w.network_id, "name": "Minimal series"},
    "api.update_series": lambda w, p: {"version": _version(Series, w.series_id)},
    "api.create_track1_body": lambda w, p: {"name": "Minimal body", "kind": "regional_forum"},
    "api.update_track1_body": lambda w, p: {"version": _version(Track1Body, w.body_id)},
}
