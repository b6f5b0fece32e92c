"""The demo data (flask --app wsgi load-demo): the real networks and
Track-1 bodies of facts.py, the story of story.py, invented people, four
accounts, written in one unit of work."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from ..audit.operations import unit_of_work
from ..auth.models import User
from ..auth.operations import hash_password
from ..core.zones import to_utc
from ..db import utcnow
from ..extensions import db
from ..outcomes.models import Recommendation, Track1Body, Track1BodyMember, UptakeEvent, UptakeEventReference
from ..outputs.models import Output
from ..people.models import Participation, Person, issue_personal_token
from ..programme.models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Series,
    SeriesStatusChange,
    Theme,
    Workshop,
    WorkshopInstitute,
)
from .facts import INSTITUTES, NAMES, NETWORKS, THEMES, TRACK1
from .sources import add_sources
from .story import (
    AFFILIATIONS,
    CO_ORGANISED,
    DAY_PLAN,
    FUNDERS,
    ONE_OFF,
    OUTPUT_RECOMMENDATIONS,
    OUTPUTS,
    RECOMMENDATIONS,
    SECTOR_CYCLE,
    SERIES,
    WORKSHOPS,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (demo data only; never in production)


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(Network.id))) and not db.session.scalar(
        select(func.count(User.id))
    )


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# The day the story is told from: its workshops before it were held, those from it on are coming
# (participants invited and answering, nothing recommended yet).
STORY_TODAY = dt.date(2026, 11, 1)


def _today() -> dt.date:
    return dt.date.today()


def _coming_shift() -> dt.timedelta:
    """Whole weeks that move the story's coming workshops forward when the
    demo is loaded after the first of them began, so that a demo loaded
    later still has workshops to invite people to (an ended workshop is not
    invited to). Nothing moves while the first is still to come."""
    first = min(_d(row[7]) for row in (*WORKSHOPS, *ONE_OFF) if _d(row[7]) >= STORY_TODAY)
    today = _today()
    return dt.timedelta(0) if first > today else dt.timedelta(weeks=(today - first).days // 7 + 1)


def _start(text: str, shift: dt.timedelta) -> dt.date:
    """A workshop's first day in the story, moved by `shift` when it is a coming one."""
    day = _d(text)
    return day + shift if day >= STORY_TODAY else day


def load() -> dict[str, int]:
    """Load everything in one unit of work: all of it, or nothing."""
    rng = random.Random(2025)  # noqa: S311 (demo data, not security)
    with unit_of_work(system="demo data", note="flask load-demo"):
        session = db.session
        themes = {slug: Theme(slug=slug, name=name, non_traditional=nt) for slug, name, nt in THEMES}
        session.add_all(themes.values())
        networks = {}
        for slug, acronym, name, founded, description in NETWORKS:
            networks[acronym] = Network(slug=slug, acronym=acronym, name=name, founded_year=founded,
                                        description=description)
        session.add_all(networks.values())
        institutes = {}
        for name, acronym, country, city, nets in INSTITUTES:
            inst = MemberInstitute(name=name, acronym=acronym, country=country, city=city)
            inst.networks = [networks[n] for n in nets]
            institutes[acronym] = inst
        session.add_all(institutes.values())
        series = {}
        for slug, net, name, kind, description, life in SERIES:
            s = Series(slug=slug, network=networks[net], name=name, kind=kind, description=description)
            s.status_changes = [SeriesStatusChange(status=st, effective_on=_d(d), note=n) for st, d, n in life]
            series[slug] = s
        session.add_all(series.values())

        bodies = {}
        for name, acronym, kind, level, parent, established, members in TRACK1:
            body = Track1Body(name=name, acronym=acronym, kind=kind, level=level, established=established,
                              parent=bodies.get(parent))
            body.members = [Track1BodyMember(country=c) for c in sorted(set(members))]
            bodies[acronym or name] = body
        session.add_all(bodies.values())

        people = _people(rng)
        session.add_all(people)

        users = {
            "admin": User(email="admin@example.org", name="Ayesha Admin", role="admin"),
            "organiser": User(email="organiser@example.org", name="Omar Organiser", role="organiser"),
            "organiser-cscap": User(email="cscap-organiser@example.org", name="Clara CSCAP", role="organiser"),
            "viewer": User(email="viewer@example.org", name="Vera Viewer", role="viewer"),
        }
        password_hash = hash_password(DEMO_PASSWORD)
        for user in users.values():
            user.password_hash = password_hash
        users["organiser"].networks = [networks["NADI"], networks["ASEAN-ISIS"]]
        users["organiser-cscap"].networks = [networks["CSCAP"]]
        session.add_all(users.values())

        workshops = {}
        shift = _coming_shift()
        for number, row in enumerate(WORKSHOPS):
            (slug, series_slug, title, host, city, country, tz, start, days, fmt, visibility, status,
             theme_slugs) = row
            start_date = _start(start, shift)
            w = Workshop(
                slug=slug, title=title, series=series[series_slug], host=institutes[host], city=city,
                country=country, timezone=tz, start_date=start_date,
                end_date=start_date + dt.timedelta(days=days - 1), format=fmt, visibility=visibility,
                status=status, chatham_house=number % 3 != 2,
                venue="" if fmt == "online" else f"{institutes[host].acronym} conference centre",
                objectives=f"Bring scholars and officials in their private capacity together on "
                           f"{', '.join(themes[t].name for t in theme_slugs)}, and agree recommendations "
                           f"for Track-1.",
                rules=("Chatham House rule. No media. Business attire." if number % 3 != 2
                       else "On the record: remarks may be quoted with the speaker's name. Business attire."),
            )
            w.themes = [themes[t] for t in theme_slugs]
            workshops[slug] = w
            participations = _participants(rng, w, people, number)
            session.add(w)
            session.add_all(participations)
            _agenda(w, participations, [themes[t].name for t in theme_slugs])

        events_count = 0
        users_for_events = [users["admin"], users["organiser"], users["organiser-cscap"]]
        for index, (ws, title, text, theme_slugs, targets, priority, events, closure) in enumerate(RECOMMENDATIONS):
            w = workshops[ws]
            rec = Recommendation(
                workshop=w, title=title, text=text, priority=priority,
                reference=f"{w.network.acronym}-{w.start_date.year}-{index + 1:02d}",
            )
            rec.themes = [themes[t] for t in theme_slugs]
            rec.targets = [bodies[t] for t in targets]
            # On its network's public outcomes page (public_outcomes): those of public workshops with uptake,
            # and one of a closed meeting, marked but never shown.
            rec.is_public = bool(events) and w.visibility in ("public", "private")
            if closure:
                rec.closed_as, on, rec.closed_reason = closure
                rec.closed_on = _d(on)
            elif index % 3 == 0:
                # Follow-up that someone owns (issue 14): an owner of its network, some checks due already.
                rec.owner = users["organiser-cscap" if w.network.acronym == "CSCAP" else "organiser"]
                rec.next_check_on = dt.date.today() + dt.timedelta(days=index * 5 - 40)
            for stage, on, body, kind, event_title in events:
                rec.events.append(UptakeEvent(
                    stage=stage, occurred_on=_d(on), track1_body=bodies[body], evidence_kind=kind,
                    title=event_title,
                    references=[UptakeEventReference(url=f"https://asean.org/documents/{_d(on).year}/{index + 1}")],
                    excerpt="", recorded_by=users_for_events[index % 3],
                ))
                events_count += 1
            session.add(rec)
        _beyond_series(session, networks, institutes, themes, workshops, people)
        events_count += _outputs(session, networks, series, workshops, themes, bodies, users_for_events)
        add_sources(session, users["organiser-cscap"])
    return {
        "networks": len(NETWORKS), "institutes": len(INSTITUTES) + len(FUNDERS), "series": len(SERIES),
        "workshops": len(WORKSHOPS) + len(ONE_OFF), "people": len(people), "recommendations": len(RECOMMENDATIONS) + len(OUTPUT_RECOMMENDATIONS), "outputs": len(OUTPUTS),
        "uptake events": events_count, "Track-1 bodies": len(TRACK1), "users": 4,
    }


def _beyond_series(session, networks, institutes, themes, workshops, people) -> None:
    """A funder, a meeting co-organised by two networks and a one-off seminar
    (story.py), with their own random numbers: the rest of the demo stays as it was."""
    rng = random.Random(13)  # noqa: S311 (demo data, not security)
    for name, acronym, country, city in FUNDERS:
        institutes[acronym] = MemberInstitute(name=name, acronym=acronym, country=country, city=city)
        session.add(institutes[acronym])
    for slug, (co_networks, roles) in CO_ORGANISED.items():
        w = workshops[slug]
        w.co_networks = [networks[n] for n in co_networks]
        w.institute_roles += [WorkshopInstitute(institute=institutes[i], role=role) for i, role in roles]
    shift = _coming_shift()
    for number, row in enumerate(ONE_OFF, start=len(WORKSHOPS)):
        (slug, network, title, host, city, country, tz, start, days, fmt, visibility, status, theme_slugs,
         roles) = row
        start_date = _start(start, shift)
        w = Workshop(
            slug=slug, title=title, network=networks[network], host=institutes[host], city=city, country=country,
            timezone=tz, start_date=start_date, end_date=start_date + dt.timedelta(days=days - 1), format=fmt,
            visibility=visibility, status=status, venue=f"{institutes[host].acronym} conference centre",
            objectives="Officials and scholars together, once, on one question the ARF asked.",
            rules="Chatham House rule. No media.",
        )
        w.institute_roles += [WorkshopInstitute(institute=institutes[i], role=role) for i, role in roles]
        w.themes = [themes[t] for t in theme_slugs]
        participations = _participants(rng, w, people, number)
        session.add(w)
        session.add_all(participations)
        _agenda(w, participations, [themes[t].name for t in theme_slugs])


def _outputs(session, networks, series, workshops, themes, bodies, users) -> int:
    """The written outputs of story.py and the recommendations of an output
    alone; returns how many uptake events they add."""
    outputs = {}
    for (key, kind, network, series_slug, title, date, precision, approximate, body, url, summary,
         produced_by) in OUTPUTS:
        outputs[key] = Output(kind=kind, network=networks[network], series=series.get(series_slug), title=title,
                              date=_d(date), date_precision=precision, approximate=approximate,
                              issuing_body=body, url=url, summary=summary)
        outputs[key].workshops = [workshops[w] for w in produced_by]
        session.add(outputs[key])
    count = 0
    for index, (key, title, text, theme_slugs, targets, priority, events) in enumerate(OUTPUT_RECOMMENDATIONS):
        output = outputs[key]
        rec = Recommendation(output=output, title=title, text=text, priority=priority,
                             reference=f"{output.network.acronym}-{output.date.year}-M{index + 1}",
                             is_public=index == 0)  # an output is a public document (public_outcomes/queries.py)
        rec.themes = [themes[t] for t in theme_slugs]
        rec.targets = [bodies[t] for t in targets]
        for stage, on, body, kind, event_title in events:
            rec.events.append(UptakeEvent(stage=stage, occurred_on=_d(on), track1_body=bodies[body],
                                          evidence_kind=kind, title=event_title, excerpt="",
                                          recorded_by=users[index % 3]))
            count += 1
        session.add(rec)
    return count


def _people(rng: random.Random) -> list[Person]:
    people = []
    seen = set()
    n = 0
    for country, (given, family) in NAMES.items():
        for g in given:
            for f in family[: 2 if len(family) > 2 else 1]:
                name = f"{g} {f}" if country not in ("CN", "KR", "VN", "KH") else f"{f} {g}"
                if name in seen:
                    continue
                seen.add(name)
                sector = SECTOR_CYCLE[n % len(SECTOR_CYCLE)]
                honorific = {"military": "Col.", "government": "Amb." if n % 4 == 0 else ""}.get(
                    sector, "Dr" if n % 3 == 0 else "")
                inst = next((i[1] for i in INSTITUTES if i[2] == country), "Independent scholar")
                affiliation = AFFILIATIONS[sector].format(inst=inst, country=country)
                email = f"{name.lower().replace(' ', '.').replace('-', '')}@example.org"
                people.append(Person(full_name=name, honorific=honorific, email=email, country=country,
                                     sector=sector, affiliation=affiliation,
                                     phone=f"+65 6{rng.randint(100, 999)} {rng.randint(1000, 9999)}"))
                n += 1
    return people


def _participants(rng: random.Random, w: Workshop, people: list[Person], number: int) -> list[Participation]:
    """About 20 people a workshop; some return from earlier workshops."""
    chosen = rng.sample(people, k=min(len(people), 18 + number % 5))
    past = w.start_date < STORY_TODAY
    out = []
    for i, person in enumerate(chosen):
        role = ["chair", "speaker", "speaker", "discussant", "rapporteur"][i] if i < 5 else \
            ("speaker" if i < 9 else ("observer" if i % 7 == 0 else "participant"))
        if past:
            status = "attended" if i % 11 != 10 else "no_show"
        else:
            status = ["confirmed", "confirmed", "invited", "declined"][i % 4] if i >= 9 else "confirmed"
        participation = Participation(
            workshop=w, person=person, role=role, status=status, sector=person.sector, country=person.country,
            affiliation=person.affiliation, serving_official=person.sector in ("government", "military") and i % 2 == 0,
            consent_to_list=i % 6 != 5,
            # Scholars mostly agree to be named on the public agenda; officials in
            # their private capacity mostly do not.
            consent_to_be_named=person.sector not in ("government", "military") and i % 4 != 3,
        )
        if not past:
            _invited_and_answered(participation, i)
        issue_personal_token(participation)
        out.append(participation)
    return out


DEMO_NEEDS = (("Vegetarian", ""), ("", "Step-free access to the meeting room"), ("Halal; no shellfish", ""))


def _invited_and_answered(participation: Participation, i: int) -> None:
    """A coming workshop's participants were invited by mail a fortnight ago;
    those past the first nine who confirmed or declined did so on their
    personal page, some with dietary or access needs (issue 14). No random
    draw: the rest of the demo stays as it was."""
    participation.invited_at = utcnow() - dt.timedelta(days=14)
    if i >= 9 and participation.status in ("confirmed", "declined"):
        participation.responded_at = utcnow() - dt.timedelta(days=14 - i % 7)
        if participation.status == "confirmed" and i % 3 == 0:
            participation.dietary_needs, participation.access_needs = DEMO_NEEDS[i % len(DEMO_NEEDS)]


def _agenda(w: Workshop, participations: list[Participation], theme_names: list[str]) -> None:
    zone = w.zone
    speakers = [p for p in participations if p.role in ("speaker", "discussant")]
    chairs = [p for p in participations if p.role in ("chair", "rapporteur")] or participations[:1]
    n = 0
    for day_index, day in enumerate(w.days()):
        plan = DAY_PLAN if day_index == 0 else [row for row in DAY_PLAN if row[2] not in ("opening", "other")]
        if day_index < len(w.days()) - 1:
            plan = [row for row in plan if row[2] != "closing"]
        for start, end, kind, title, room in plan:
            n += 1
            theme = theme_names[n % len(theme_names)]
            item = AgendaItem(
                workshop=w, kind=kind, title=title.format(n=n, theme=theme),
                room="Online" if w.format == "online" else room,
                starts_at=to_utc(day, dt.time.fromisoformat(start), zone),
                ends_at=to_utc(day, dt.time.fromisoformat(end), zone),
                description=f"Discussion of {theme.lower()}." if kind in ("panel", "roundtable", "session") else "",
            )
            if kind in ("panel", "roundtable", "session", "opening", "closing"):
                item.people.append(AgendaItemPerson(participation=chairs[n % len(chairs)], role="chair", position=0))
            if kind in ("panel", "roundtable") and speakers:
                for k in range(3):
                    item.people.append(AgendaItemPerson(
                        participation=speakers[(n + k) % len(speakers)], role="speaker", position=k + 1))
                item.people = _unique(item.people)
            w.agenda_items.append(item)


def _unique(people: list[AgendaItemPerson]) -> list[AgendaItemPerson]:
    seen, out = set(), []
    for p in people:
        key = (id(p.participation), p.role)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
