"""A small world for the tests that walk every route: two networks, a
workshop of each visibility (each with an agenda item, a participant with a
personal link, a recommendation with an uptake event), a Track-1 body, a
series, a member institute, a person; a user of every role with an API
token; and a snapshot of the database to tell whether a request changed it.

Built through the factories (the audited unit of work), like the app does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from workshops.api.operations import create_token
from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import AgendaItem, Participation, Recommendation, Workshop
from workshops.programme.models import new_token

from ..conftest import PASSWORD
from ..factories import Factories

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
class World:
    network_id: int
    other_network_id: int
    series_id: int
    institute_id: int
    theme_id: int
    body_id: int
    person_id: int
    year: int
    user_id: int = 0  # an account the admins' account pages act on
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
        }
        return {name: known[name] for name in arguments if name in known}


def build_world(make: Factories) -> World:
    """Every record a route may name, in a network the organiser works in."""
    network = make.network(acronym="HOME", name="Home network")
    other = make.network(acronym="AWAY", name="Another network")
    theme = make.theme(name="Maritime security")
    institute = make.institute(networks=[network], name="Home institute")
    series = make.series(network=network, name="Home series",
                         status_history=[("active", dt.date(2020, 1, 1), "founded")])
    body = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    bystander = make.person(full_name="Bystander Person")
    world = World(network_id=network.id, other_network_id=other.id, series_id=series.id,
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
}


class Pristine:
    """The world's rows as built (users logged in included), put back in a
    few statements after a request changed them: far quicker than building
    the world again through the factories, and the ids, link tokens and the
    browsers' login sessions stay the same."""

    def __init__(self):
        db.session.commit()
        with db.engine.connect() as conn:
            self.rows = {t: [dict(r._mapping) for r in conn.execute(select(t))] for t in db.metadata.sorted_tables}

    def restore(self) -> None:
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            # Children first; a few small tables: DELETE is quicker than TRUNCATE.
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for table, rows in self.rows.items():
                if rows:
                    conn.execute(table.insert(), rows)
            if conn.dialect.name == "postgresql":
                for table, rows in self.rows.items():
                    if rows and "id" in table.c and table.c.id.autoincrement:
                        # The names come from the metadata, never from input.
                        conn.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                            f"{max(r['id'] for r in rows)})")


def log_in(client, user) -> None:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def snapshot() -> dict[str, int]:
    """Rows per table, in one statement (audit entries included: an update
    writes one, so a changed row shows too)."""
    tables = db.metadata.sorted_tables
    # Table names come from the metadata, never from input.
    counts = ", ".join(f'(SELECT count(*) FROM "{t.name}")' for t in tables)  # noqa: S608
    row = db.session.execute(text(f"SELECT {counts}")).one()
    db.session.commit()
    return dict(zip((t.name for t in tables), row, strict=True))


def checksum() -> dict[str, int]:
    """Rows per table and a digest of every row's content: a refused request
    must leave all of it as it was (not only the counts)."""
    result = {}
    db.session.commit()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in ("login_session", "api_token"):
                # Bookkeeping a read also touches (last seen, last used).
                result[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[table.name] = hash(tuple(tuple(str(v) for v in row) for row in rows))
    return result


