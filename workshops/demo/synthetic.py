"""Synthetic data at scale, for the outcome report's benchmark and for trying
the report on a realistic volume:

    flask --app wsgi generate-data --workshops 10000 --recommendations 100000 --seed 1

Several networks, a few hundred series that go dormant and are revived,
workshops from 2015 (or --first-year) to 2026 (some across New Year), people who come back
year after year, and recommendations on uptake roads of every shape: no
event at all, stopped at any stage, skipping a stage, acknowledged twice,
closed, stale. Rows are written in bulk (bulk.py: Core INSERT in batches,
or COPY) inside one unit of work, with one audit entry for the whole run.

The same seed on the same database gives the same data: every random
choice comes from one random.Random(seed), and nothing depends on the
clock — `--until` (default 2026-10-31) is the synthetic "today": no
attendance, event or closure is dated after it.

Networks, institutes, themes and Track-1 bodies are the real ones the
demo uses too (facts.py); they are reused when present, so synthetic data
can sit beside the demo. Series, workshops, people and recommendations are new; their
slugs and emails start with "syn<seed>-", and a seed can be generated once
per database.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import click
from flask.cli import with_appcontext
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..audit.models import AuditEntry
from ..audit.operations import unit_of_work
from ..extensions import db
from ..outcomes import progress_facts
from ..outcomes.models import (
    Recommendation,
    UptakeEvent,
    recommendation_target,
    recommendation_theme,
)
from ..people import attendance_facts
from ..people.models import Participation, Person
from ..programme.models import (
    Series,
    SeriesStatusChange,
    Workshop,
    WorkshopInstitute,
    new_token,
    workshop_theme,
)
from ..vocab import CLOSURES, SECTORS, SERIES_KIND_LABELS, SERIES_KINDS, STAGES
from .bulk import Writer, aware, first_free_id, reference_data, reset_sequences
from .facts import NAMES

FIRST_YEAR, LAST_YEAR = 2015, 2026
DEFAULT_UNTIL = dt.date(2026, 10, 31)
ZONES = {
    "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "ID": "Asia/Jakarta", "TH": "Asia/Bangkok",
    "PH": "Asia/Manila", "VN": "Asia/Ho_Chi_Minh", "KH": "Asia/Phnom_Penh", "JP": "Asia/Tokyo",
    "AU": "Australia/Sydney", "US": "America/New_York", "CN": "Asia/Shanghai", "KR": "Asia/Seoul",
}
NETWORK_WEIGHTS = {"CSCAP": 4, "NADI": 3.5, "ASEAN-ISIS": 2.5}
# Where each network's recommendations are addressed (Track-1 body acronyms or names).
TARGETS = {
    "CSCAP": ["ARF", "ARF SOM", "ARF ISM-MS", "ARF ISM-DR", "EAS"],
    "NADI": ["ADMM", "ADMM-Plus", "ADMM-Plus EWG HADR", "ADMM-Plus EWG MS"],
    "ASEAN-ISIS": ["ASEAN Summit", "EAS", "ARF", "China–Vietnam 3+3", "US–Indonesia 2+2", "China–Indonesia 2+2"],
}
SECTOR_WEIGHTS = [42, 20, 14, 12, 7, 5]  # in the order of vocab.SECTORS
KIND_RATE = {"study_group": 2.0, "annual_meeting": 1.0, "workshop_series": 1.5, "roundtable_series": 1.0}
VERBS = ["Establish", "Strengthen", "Institutionalise", "Convene", "Develop", "Pilot", "Expand", "Review",
         "Create", "Harmonise"]
OBJECTS = ["a regional coordination mechanism", "joint table-top exercises", "an early-warning network",
           "a standing expert roster", "common operating procedures", "an information-sharing platform",
           "a capacity-building programme", "a dialogue channel for senior officials",
           "guidelines for civil–military cooperation", "a regional training centre"]
EVIDENCE = {"proposed": "document", "transmitted": "document", "acknowledged": "statement",
            "adopted": "document", "implemented": "meeting"}
STAGE_TITLES = {"proposed": "Agreed in the workshop report", "transmitted": "Memorandum transmitted to",
                "acknowledged": "Noted in the chairman's statement of", "adopted": "Entered the work plan of",
                "implemented": "Activity held under"}
# Furthest stage a road reaches (proposed … implemented), before the --until date cuts it.
ROAD_WEIGHTS = [12, 25, 25, 20, 18]
GAP_DAYS = {1: (15, 200), 2: (20, 300), 3: (60, 500), 4: (90, 700)}


class SyntheticDataExists(Exception):
    """Data for this seed was generated in this database already."""


# ---- the generator ------------------------------------------------------------------


def generate(session: Session, *, workshops: int, recommendations: int, seed: int,
             until: dt.date = DEFAULT_UNTIL, progress: Callable[[int], None] | None = None,
             first_year: int = FIRST_YEAR) -> dict[str, int]:
    """Write the synthetic data through `session`; returns rows written per table.
    The workshops fall in first_year…LAST_YEAR: an earlier first year spreads
    them over a longer history (the report bench keeps each year's density
    by starting ten times as many workshops ten times as many years back)."""
    rng = random.Random(seed)
    prefix = f"syn{seed}"
    if session.scalar(select(Series.id).where(Series.slug.like(f"{prefix}-%")).limit(1)) is not None:
        raise SyntheticDataExists(
            f"Synthetic data for seed {seed} is already in this database; use another --seed.")
    step = progress or (lambda n: None)
    out = Writer(session)
    networks, institutes, themes, bodies = reference_data(session, out)
    net_names = [n for n in NETWORK_WEIGHTS if n in networks]
    net_weights = [NETWORK_WEIGHTS[n] for n in net_names]

    # Series: each with a network, a kind, a home theme and a life of active, dormant, revived years.
    series_t, change_t = Series.__table__, SeriesStatusChange.__table__
    series_id = first_free_id(session, series_t)
    change_id = first_free_id(session, change_t)
    series = []  # (id, network, theme index, rate, active years)
    for i in range(max(len(net_names) * 2, round(workshops / 30))):
        net = rng.choices(net_names, weights=net_weights)[0]
        kind = rng.choices(SERIES_KINDS, weights=[3, 1, 4, 2])[0]
        theme = rng.randrange(len(themes))
        first = min(rng.randint(first_year, LAST_YEAR - 2), rng.randint(first_year, LAST_YEAR - 2))
        years = list(range(first, LAST_YEAR + 1))
        life = [("active", dt.date(first, 1, 1) + dt.timedelta(days=rng.randrange(60)), "Mandated.")]
        shape = rng.random()
        if shape < 0.25 and len(years) > 4:  # went dormant, later revived
            gap_start = rng.randint(first + 1, LAST_YEAR - 2)
            gap_end = rng.randint(gap_start + 1, LAST_YEAR)
            years = [y for y in years if not gap_start <= y < gap_end]
            life += [("dormant", dt.date(gap_start, 1, 1), "No host came forward."),
                     ("revived", dt.date(gap_end, 1, 1), "Revived with a new mandate.")]
        elif shape < 0.40 and len(years) > 3:  # went dormant for good
            stop = rng.randint(first + 2, LAST_YEAR)
            years = [y for y in years if y < stop]
            life.append(("dormant", dt.date(stop, 1, 1), "Suspended."))
        name = f"{net} {SERIES_KIND_LABELS[kind].lower()} on {themes[theme][1]} ({i + 1})"
        out.add(series_t, auto=False, row={"id": series_id, "network_id": networks[net], "slug": f"{prefix}-s{i + 1}",
                           "name": name[:200], "kind": kind, "description": "Synthetic series.", "version": 1})
        for status, effective, note in life:
            out.add(change_t, auto=False, row={"id": change_id, "series_id": series_id, "status": status,
                               "effective_on": effective, "note": note})
            change_id += 1
        series.append((series_id, net, theme, KIND_RATE[kind] * rng.uniform(0.5, 1.5), years))
        series_id += 1
    out.flush(series_t)
    out.flush(change_t)

    # Workshops: slots (series, year) drawn by each series' meeting rate.
    slots = [(s, y) for s in range(len(series)) for y in series[s][4]]
    weights = [series[s][3] for s, _ in slots]
    drawn = rng.choices(slots, weights=weights, k=workshops)
    planned = []
    for s, year in drawn:
        if rng.random() < 0.015:  # across New Year: belongs to the year it starts
            start = dt.date(year, 12, rng.randint(29, 31))
            days = rng.randint(3, 4)
        else:
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            days = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
        planned.append((start, s, start + dt.timedelta(days=days - 1)))
    planned.sort()
    workshop_t = Workshop.__table__
    workshop_id = first_free_id(session, workshop_t)
    meta = []  # (id, network, theme ids, start, end, status)
    hosts = []  # workshop_institute rows: each workshop's host
    host_by_net = {n: [inst for inst in institutes if n in inst[3]] or institutes for n in net_names}
    for number, (start, s, end) in enumerate(planned, start=1):
        sid, net, theme, _rate, _years = series[s]
        host_id, country, city, _ = rng.choice(host_by_net[net])
        fmt = rng.choices(["in_person", "hybrid", "online"], weights=[70, 20, 10])[0]
        if rng.random() < 0.03:
            status = "cancelled"
        elif start > until:
            status = rng.choice(["draft", "published"])
        else:
            status = "published"
        theme_ids = [themes[theme][0]]
        if rng.random() < 0.3:
            extra = themes[rng.randrange(len(themes))][0]
            if extra not in theme_ids:
                theme_ids.append(extra)
        out.add(workshop_t, {
            "id": workshop_id, "slug": f"{prefix}-w{number}", "series_id": sid, "network_id": networks[net],
            "title": f"{net} meeting {start.year}/{number}: {themes[theme][1]}"[:300],
            "venue": "" if fmt == "online" else "Conference centre", "city": "" if fmt == "online" else city,
            "country": None if fmt == "online" else country, "timezone": ZONES.get(country, "UTC"),
            "start_date": start, "end_date": end, "format": fmt, "visibility": "participants",
            "status": status, "chatham_house": True, "objectives": "", "rules": "",
            # Random, not from the seed: a secret link must not be guessable from a seed.
            "secret_token": new_token(),
            "created_at": aware(start - dt.timedelta(days=90)), "updated_at": aware(start - dt.timedelta(days=90)),
            "version": 1,
        })
        meta.append((workshop_id, net, theme_ids, start, end, status))
        hosts.append({"workshop_id": workshop_id, "institute_id": host_id, "role": "host"})
        workshop_id += 1
    out.flush(workshop_t)
    for row in hosts:
        out.add(WorkshopInstitute.__table__, row)
    out.flush(WorkshopInstitute.__table__)
    for wid, _net, theme_ids, *_ in meta:
        for theme_id in theme_ids:
            out.add(workshop_theme, {"workshop_id": wid, "theme_id": theme_id})
    out.flush(workshop_theme)

    # People: each belongs to a network's community and has an activity weight, so a few
    # come back year after year and most come once or twice.
    person_t = Person.__table__
    person_id = first_free_id(session, person_t)
    countries = list(NAMES)
    pool: dict[str, list] = {n: [] for n in net_names}
    everyone = []
    people = []  # (id, country, sector)
    for number in range(1, max(40, int(workshops * 2.2)) + 1):
        country = rng.choices(countries, weights=[8, 8, 8, 7, 7, 7, 4, 3, 2, 2, 2, 2][: len(countries)])[0]
        given, family = NAMES[country]
        full_name = f"{rng.choice(given)} {rng.choice(family)}"
        sector = rng.choices(SECTORS, weights=SECTOR_WEIGHTS)[0]
        out.add(person_t, {
            "id": person_id, "full_name": full_name, "honorific": "", "email": f"{prefix}-p{number}@example.org",
            "phone": "", "affiliation": "", "country": country, "sector": sector, "notes": "",
            "created_at": aware(dt.date(first_year, 1, 1)), "version": 1,
        })
        weight = 1.0 / (1 + rng.paretovariate(1.2))
        pool[rng.choices(net_names, weights=net_weights)[0]].append((person_id, weight))
        everyone.append((person_id, weight))
        people.append((person_id, country, sector))
        person_id += 1
    out.flush(person_t)
    person_info = {pid: (country, sector) for pid, country, sector in people}
    cum = {}
    for key, members in [*pool.items(), ("*", everyone)]:
        total, acc = 0.0, []
        for _pid, w in members:
            total += w
            acc.append(total)
        cum[key] = ([pid for pid, _ in members], acc)

    participation_t = Participation.__table__
    participation_id = first_free_id(session, participation_t)
    roles = ["chair", "speaker", "speaker", "speaker", "discussant", "rapporteur"]
    for wid, net, _themes, start, _end, status in meta:
        ids, acc = cum[net] if cum[net][0] else cum["*"]
        size = rng.randint(10, 34)
        chosen = dict.fromkeys(rng.choices(ids, cum_weights=acc, k=size))
        for pid in rng.choices(cum["*"][0], cum_weights=cum["*"][1], k=max(1, size // 6)):
            chosen.setdefault(pid)
        for i, pid in enumerate(chosen):
            country, sector = person_info[pid]
            if rng.random() < 0.05:  # changed jobs since
                sector = rng.choice(SECTORS)
            if status == "cancelled":
                state = rng.choice(["invited", "declined"])
            elif start > until:
                state = rng.choices(["invited", "confirmed", "declined"], weights=[40, 45, 15])[0]
            else:
                state = rng.choices(["attended", "no_show", "declined", "confirmed"], weights=[86, 4, 7, 3])[0]
            out.add(participation_t, {
                "id": participation_id, "workshop_id": wid, "person_id": pid,
                "role": roles[i] if i < len(roles) else rng.choice(["participant", "participant", "observer"]),
                "status": state, "sector": sector, "country": country, "affiliation": "",
                "serving_official": sector in ("government", "military") and rng.random() < 0.5,
                "consent_to_list": rng.random() < 0.8, "personal_token": None,
                "created_at": aware(start - dt.timedelta(days=60)), "version": 1,
            })
            participation_id += 1
        step(1)
    out.flush(participation_t)

    # Recommendations, drawn over the workshops held by `until` (some workshops agree none).
    eligible = [m for m in meta if m[5] != "cancelled" and m[4] <= until]
    per_workshop: dict[int, int] = {}
    if eligible and recommendations:
        productivity = [rng.choice([0, 1, 2, 3, 3, 4, 6]) or 0.05 for _ in eligible]
        for m in rng.choices(range(len(eligible)), weights=productivity, k=recommendations):
            per_workshop[m] = per_workshop.get(m, 0) + 1
    rec_t, event_t = Recommendation.__table__, UptakeEvent.__table__
    rec_id = first_free_id(session, rec_t)
    event_id = first_free_id(session, event_t)
    target_ids = {n: [bodies[b] for b in TARGETS[n] if b in bodies] or list(bodies.values()) for n in net_names}
    all_theme_ids = [t[0] for t in themes]
    for m in sorted(per_workshop):
        wid, net, theme_ids, start, end, _status = eligible[m]
        for k in range(1, per_workshop[m] + 1):
            rec = {
                "id": rec_id, "workshop_id": wid, "agenda_item_id": None,
                "reference": f"{net}-{start.year}-{wid}-{k}"[:40],
                "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                "text": "The meeting recommends that Track-1 bodies take this forward.",
                "priority": rng.choices(["high", "medium", "low"], weights=[25, 55, 20])[0],
                "closed_as": None, "closed_on": None, "closed_reason": "",
                "created_at": aware(end + dt.timedelta(days=2)), "version": 1,
            }
            r = rng.random()
            rec_themes = [] if r < 0.03 else [theme_ids[0]] if r < 0.8 else \
                list(dict.fromkeys([theme_ids[0], rng.choice(all_theme_ids)]))
            targets = [] if rng.random() < 0.02 else \
                list(dict.fromkeys(rng.choices(target_ids[net], k=rng.choice([1, 1, 2]))))
            # The road: how far it goes, with realistic gaps, cut at `until`.
            events = []
            if rng.random() < 0.65:
                events.append(("proposed", end + dt.timedelta(days=rng.randint(0, 10)), None))
            final = rng.choices(range(5), weights=ROAD_WEIGHTS)[0]
            day = end
            skip = rng.random() < 0.08
            for rank in range(1, final + 1):
                if rank == 1 and skip and final >= 2:
                    continue
                low, high = GAP_DAYS[rank]
                day += dt.timedelta(days=rng.randint(low, high))
                if day > until:
                    break
                body = rng.choice(targets) if targets else None
                events.append((STAGES[rank], day, body))
                if rank in (1, 2) and rng.random() < 0.3:  # sent to a second body, or noted again later
                    again = day + dt.timedelta(days=rng.randint(30, 700))
                    if again <= until:
                        events.append((STAGES[rank], again, body))
            if rng.random() < 0.07:
                last = max((e[1] for e in events), default=end)
                closed_on = last + dt.timedelta(days=rng.randint(30, 500))
                if closed_on <= until:
                    rec.update(closed_as=rng.choice(CLOSURES), closed_on=closed_on,
                               closed_reason="Recorded by the synthetic data generator.")
            out.add(rec_t, rec, auto=False)
            for theme_id in rec_themes:
                out.add(recommendation_theme, {"recommendation_id": rec_id, "theme_id": theme_id}, auto=False)
            for body_id in targets:
                out.add(recommendation_target, {"recommendation_id": rec_id, "track1_body_id": body_id},
                        auto=False)
            for stage, on, body in events:
                out.add(event_t, auto=False, row={
                    "id": event_id, "recommendation_id": rec_id, "stage": stage, "occurred_on": on,
                    "track1_body_id": body, "evidence_kind": EVIDENCE[stage],
                    "title": f"{STAGE_TITLES[stage]} the {'workshop' if body is None else 'Track-1 body'}",
                    "excerpt": "", "attribution": None, "confirmed": True, "recorded_by_id": None,
                    "recorded_at": aware(on + dt.timedelta(days=rng.randint(0, 20))), "version": 1,
                })
                event_id += 1
            rec_id += 1
            step(1)
            if out.full(rec_t, recommendation_theme, recommendation_target, event_t):
                # Parents first: the recommendations, then the rows that refer to them.
                out.flush(rec_t, recommendation_theme, recommendation_target, event_t)
    out.flush(rec_t, recommendation_theme, recommendation_target, event_t)
    out.flush()
    return dict(out.counts)


def run(*, workshops: int, recommendations: int, seed: int, until: dt.date = DEFAULT_UNTIL,
        progress: Callable[[int], None] | None = None, first_year: int = FIRST_YEAR) -> dict[str, int]:
    """Generate in one unit of work with one audit entry; then refresh the
    planner's statistics so the report's queries get good plans at once."""
    note = (f"generate-data --workshops {workshops} --recommendations {recommendations} --seed {seed} "
            f"--until {until.isoformat()} --first-year {first_year}")
    with unit_of_work(system="generate-data", note=note) as session:
        counts = generate(session, workshops=workshops, recommendations=recommendations, seed=seed,
                          until=until, progress=progress, first_year=first_year)
        reset_sequences(session)
        # The bulk inserts bypass the session's on-write maintenance: derive the facts at once.
        progress_facts.rebuild(session.connection())
        attendance_facts.rebuild(session.connection())
        session.add(AuditEntry(
            user_id=None, actor="system: generate-data", action="create", object_type="SyntheticData",
            object_id=None, object_label=f"Synthetic data, seed {seed}",
            changes={table: [None, n] for table, n in sorted(counts.items())}, note=note,
        ))
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # After a bulk load, as PostgreSQL's manual advises: VACUUM sets the visibility map, so
        # the report's index-only scans (ix_uptake_event_occurred_on, the facts' carry index)
        # read no table pages — what autovacuum gives a live database in its own time. Outside
        # a transaction, which VACUUM needs.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return counts


@click.command("generate-data")
@click.option("--workshops", type=click.IntRange(1, 1_000_000), default=200, show_default=True,
              help="How many workshops (from --first-year to 2026).")
@click.option("--recommendations", type=click.IntRange(0, 10_000_000), default=None,
              help="How many recommendations (default: ten per workshop).")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same data.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=DEFAULT_UNTIL.isoformat(),
              show_default=True, help="The synthetic 'today': nothing is attended, recorded or closed after it.")
@click.option("--first-year", type=click.IntRange(1900, LAST_YEAR - 3), default=FIRST_YEAR, show_default=True,
              help="The year the history starts; an earlier year spreads the workshops thinner.")
@with_appcontext
def generate_data(workshops: int, recommendations: int | None, seed: int, until: dt.datetime,
                  first_year: int) -> None:
    """Fill the database with realistic random data, in bulk, for the reports and their benchmark."""
    if recommendations is None:
        recommendations = workshops * 10
    started = dt.datetime.now()
    with click.progressbar(length=workshops + recommendations, label="Generating",
                           show_pos=True, show_eta=True) as bar:
        try:
            counts = run(workshops=workshops, recommendations=recommendations, seed=seed, until=until.date(),
                         progress=bar.update, first_year=first_year)
        except SyntheticDataExists as exc:
            raise click.ClickException(str(exc)) from exc
    seconds = (dt.datetime.now() - started).total_seconds()
    click.echo(f"Wrote {sum(counts.values()):,} rows in {seconds:.1f} s: "
               + ", ".join(f"{n:,} {table}" for table, n in sorted(counts.items())) + ".")
