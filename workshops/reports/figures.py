"""The report's figures about workshops, people, uptake events and series:
one SQL statement each, built once per shape (scope.built), Python only
arranging the few rows that come back. What the recommendations became (funnel,
carry-over, stale) is in recommendations.py.

docs/report-definitions.md says in words what each figure counts.
"""

from __future__ import annotations

import calendar
import datetime as dt

from sqlalchemy import Integer, Select, and_, bindparam, case, distinct, exists, func, or_, select, union_all

from ..extensions import db
from ..outcomes.models import Recommendation, RecommendationProgress, UptakeEvent
from ..outcomes.progress import counted
from ..outputs.models import Output
from ..people.models import FirstAttendance, Participation
from ..programme.models import (
    Network,
    Series,
    SeriesStatusChange,
    Theme,
    Workshop,
    workshop_network,
    workshop_theme,
)
from ..vocab import (
    FORMAT_LABELS,
    SECTOR_LABELS,
    SECTORS,
    SERIES_KIND_LABELS,
    SERIES_STATUS_LABELS,
    STAGE_LABELS,
    STAGES,
)
from . import people_shares
from .filters import Filters
from .scope import (
    Bound,
    count_if,
    facts_conditions,
    held,
    planned,
    run,
    share,
    union,
    workshop_conditions,
    year_of,
)

MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


def years_with_data(as_of: dt.date) -> list[dict]:
    """Years that have a workshop (held or planned), an output or an uptake event, with
    the figures their report shows as of `as_of`: workshops held and planned,
    recommendations made at the workshops held, uptake events up to `as_of`
    of recommendations of held workshops. One grouped statement each."""
    year = func.extract("year", Workshop.start_date)
    workshops = select(year.label("year"), count_if(held(as_of)).label("held"),
                       count_if(planned(as_of)).label("planned")) \
        .where(Workshop.status != "cancelled").group_by(year)
    recs = select(year.label("year"), func.count(Recommendation.id).label("recommendations")) \
        .join(Workshop, Workshop.id == Recommendation.workshop_id) \
        .where(held(as_of)).group_by(year)
    event_year = func.extract("year", UptakeEvent.occurred_on)
    events = select(event_year.label("year"), func.count(UptakeEvent.id).label("events")) \
        .join(Recommendation, Recommendation.id == UptakeEvent.recommendation_id) \
        .join(Workshop, Workshop.id == Recommendation.workshop_id) \
        .where(held(as_of), UptakeEvent.occurred_on <= as_of, counted()).group_by(event_year)
    # Outputs issued, and what recommendations of an output alone add (reports/outputs.py).
    output_year = func.extract("year", Output.date)
    outputs = select(output_year.label("year"), func.count(Output.id).label("outputs")) \
        .where(Output.date <= as_of).group_by(output_year)
    alone = and_(Recommendation.workshop_id.is_(None), Output.date <= as_of)
    output_recs = select(output_year.label("year"), func.count(Recommendation.id).label("recommendations")) \
        .join(Output, Output.id == Recommendation.output_id).where(alone).group_by(output_year)
    output_events = select(event_year.label("year"), func.count(UptakeEvent.id).label("events")) \
        .join(Recommendation, Recommendation.id == UptakeEvent.recommendation_id) \
        .join(Output, Output.id == Recommendation.output_id) \
        .where(alone, UptakeEvent.occurred_on <= as_of, counted()).group_by(event_year)
    table: dict[int, dict] = {}
    for query in (workshops, recs, events, outputs, output_recs, output_events):
        for row in db.session.execute(query):
            entry = table.setdefault(int(row.year), {"year": int(row.year), "held": 0, "planned": 0,
                                                    "recommendations": 0, "events": 0, "outputs": 0})
            for key, value in row._mapping.items():
                if key != "year":
                    entry[key] += value or 0
    return [table[y] for y in sorted(table, reverse=True)]


def _activity_parts(f: Bound) -> dict[str, Select]:
    both = workshop_conditions(f, f.previous_start, f.end, theme=True, held_only=False)
    year = year_of(f, Workshop.start_date)
    this_year = workshop_conditions(f, f.start, f.end, theme=True)
    # A co-organised workshop counts under each of its networks (programme.models.organising_networks):
    # the lead network of each of this year's workshops and each co-organiser, both read from
    # this year's workshops (ix_workshop_start_date), not from every workshop's.
    organised = union_all(
        select(Workshop.network_id.label("network_id")).where(*this_year),
        select(workshop_network.c.network_id)
        .join(Workshop, Workshop.id == workshop_network.c.workshop_id).where(*this_year),
    ).subquery("organising_network")
    return {  # ONE statement: a few small grouped queries over the two years' workshops
        "totals": select(year.label("year"), count_if(held(f.as_of)).label("held"),
                         count_if(planned(f.as_of)).label("planned")).where(*both).group_by(year),
        "network": select(Network.acronym.label("label"), func.count().label("count"))
        .select_from(organised).join(Network, Network.id == organised.c.network_id).group_by(Network.acronym),
        "theme": select(Theme.name.label("label"), func.count(Workshop.id).label("count"))
        .select_from(Workshop)
        .outerjoin(workshop_theme, workshop_theme.c.workshop_id == Workshop.id)
        .outerjoin(Theme, Theme.id == workshop_theme.c.theme_id)
        .where(*this_year).group_by(Theme.name),
        "format": select(Workshop.format.label("label"), func.count(Workshop.id).label("count"))
        .where(*this_year).group_by(Workshop.format),
    }


def activity(f: Filters) -> dict:
    """Workshops held, this year and last, the year's workshops planned after
    the report date, and this year's held ones by network, theme and format."""
    rows = union(_activity_parts, f)
    totals = {row["year"]: row for row in rows["totals"]}
    formats = {row["label"]: row["count"] for row in rows["format"]}

    def most_first(part: str) -> list[dict]:  # most workshops first, then by name; "No theme" last of a tie
        return sorted(rows[part], key=lambda r: (-r["count"], r["label"] is None, r["label"] or ""))

    def count(y: int, kind: str) -> int:
        return int(totals.get(y, {}).get(kind) or 0)

    return {
        "workshops_held": count(f.year, "held"),
        "workshops_planned": count(f.year, "planned"),
        "previous_workshops_held": count(f.year - 1, "held"),
        "by_network": [{"label": r["label"], "count": r["count"]} for r in most_first("network")],
        "by_theme": [{"label": r["label"] or "No theme", "count": r["count"]} for r in most_first("theme")],
        "by_format": [{"format": k, "label": FORMAT_LABELS[k], "count": formats[k]}
                      for k in FORMAT_LABELS if k in formats],
    }


def _participation_parts(f: Bound) -> dict[str, Select]:
    year = year_of(f, Workshop.start_date)
    # The two years' workshops by ix_workshop_start_date, their attended rows by
    # ix_participation_workshop_status_person, read once (a CTE that each part reads:
    # both engines materialise it). PostgreSQL may scan participation whole instead and
    # hash-join it (its cheaper plan when the two years hold a fifth of all rows), and
    # hashes first_attendance whole for returning (one row per person and network).
    attended = (
        select(Participation.person_id, Participation.country, Participation.serving_official,
               Participation.sector, Participation.gender, Participation.role, Participation.id,
               Workshop.start_date, year.label("year"))
        .join(Workshop, Workshop.id == Participation.workshop_id)
        .where(Participation.status == "attended",
               *workshop_conditions(f, f.previous_start, f.end, theme=True))
        .cte("attended")
    )
    a = attended.c
    this, last = a.year == f.year, a.year == f.year - 1
    serving = a.serving_official.is_(True)
    if f.engine == "sqlite":
        # Each attendee once, with the years they came and whether they served then: one
        # grouping by person instead of a DISTINCT per figure (SQLite builds a temporary
        # B-tree for each), and whether they came before the two years asked once per person
        # rather than once per participation. A five-year report's statement: 75 to 56 ms at
        # 10,000 workshops. PostgreSQL took longer so (43 to 51 ms): it keeps the DISTINCTs.
        person = (
            select(a.person_id,
                   func.max(case((this, 1), else_=0)).label("this"),
                   func.max(case((last, 1), else_=0)).label("last"),
                   func.max(case((and_(this, serving), 1), else_=0)).label("serving_this"),
                   func.max(case((and_(last, serving), 1), else_=0)).label("serving_last"))
            .group_by(a.person_id)
            .subquery("attendee")
        )
        pc = person.c
        # Returning this year = seen before last year, or last year; last year = seen before it.
        before = attended_before(f, f.previous_start, pc.person_id)
        counts = {
            "people": select(
                func.sum(pc.this).label("attendees"), func.sum(pc.last).label("attendees_last"),
                func.sum(pc.serving_this).label("serving"), func.sum(pc.serving_last).label("serving_last"),
                count_if(and_(pc.this == 1, or_(pc.last == 1, before))).label("returners"),
                count_if(and_(pc.last == 1, before)).label("returners_last"),
            ),
            "countries": select(a.year, func.count(distinct(a.country)).label("countries")).group_by(a.year),
        }
    else:
        returning = or_(attended_before(f, f.previous_start, a.person_id),
                        and_(this, a.person_id.in_(select(a.person_id).where(last))))
        counts = {"totals": select(
            a.year,
            func.count(distinct(a.person_id)).label("attendees"),
            func.count(distinct(a.country)).label("countries"),
            func.count(distinct(case((serving, a.person_id)))).label("serving"),
            func.count(distinct(case((returning, a.person_id)))).label("returners"),
        ).group_by(a.year)}

    def latest(*extra):
        # Each person's last attended participation of the year (of the rows `extra` keeps):
        # the sector mix and the gender shares count a person once, as it says.
        return select(
            a.sector, a.gender,
            func.row_number().over(partition_by=a.person_id, order_by=(a.start_date.desc(), a.id.desc()))
            .label("n"),
        ).where(a.year == f.year, *extra).subquery()

    everyone, on_stage = latest(), latest(a.role.in_(people_shares.ON_STAGE))
    return {
        **counts,
        "attendees": select(everyone.c.sector.label("label_sector"), everyone.c.gender.label("label_gender"),
                            func.count().label("n"))
        .where(everyone.c.n == 1).group_by(everyone.c.sector, everyone.c.gender),
        "on_stage": select(on_stage.c.gender.label("label_gender"), func.count().label("n"))
        .where(on_stage.c.n == 1).group_by(on_stage.c.gender),
    }


def participation(f: Filters) -> tuple[dict, dict]:
    """Who took part, in ONE statement over the attended participations of
    this year and last: distinct attendees, countries, returning people and
    serving officials (both years); this year's sector mix; and the gender
    shares among this year's attendees and among its speakers and chairs
    (people_shares.py folds those). Returns (participation, people)."""
    rows = union(_participation_parts, f)
    if "totals" in rows:  # counted by year (PostgreSQL)
        by_year = {row["year"]: row for row in rows["totals"]}
    else:  # counted by person (SQLite)
        counted = rows["people"][0]
        countries = {row["year"]: row["countries"] for row in rows["countries"]}
        by_year = {
            y: {"attendees": counted[f"attendees{suffix}"] or 0, "serving": counted[f"serving{suffix}"] or 0,
                "returners": counted[f"returners{suffix}"] or 0, "countries": countries.get(y, 0)}
            for y, suffix in ((f.year, ""), (f.year - 1, "_last"))
        }
    sectors: dict[str, int] = {}
    for row in rows["attendees"]:
        sectors[row["label_sector"]] = sectors.get(row["label_sector"], 0) + row["n"]

    def figures(y: int) -> dict:
        row = by_year.get(y, {})
        attendees = row.get("attendees", 0)
        return {
            "attendees": attendees,
            "countries": row.get("countries", 0),
            "returning": row.get("returners", 0),
            "returning_share": share(row.get("returners", 0), attendees),
            "serving_officials": row.get("serving", 0),
            "serving_officials_share": share(row.get("serving", 0), attendees),
        }

    this = figures(f.year)
    found = {
        **this,
        "previous": figures(f.year - 1),
        "sector_mix": [
            {"sector": s, "label": SECTOR_LABELS[s], "count": sectors.get(s, 0),
             "share": share(sectors.get(s, 0), this["attendees"])}
            for s in SECTORS
        ],
    }
    people = people_shares.shares({
        "attendees": [(row["label_gender"], row["n"]) for row in rows["attendees"]],
        "speakers_chairs": [(row["label_gender"], row["n"]) for row in rows["on_stage"]],
    })
    return found, people


def attended_before(f: Filters, day: dt.date, person_id):
    """SQL on rows with a `person_id` column: the person attended a workshop
    within the filters that began before `day`. From the first attendance
    per person and network (people/attendance_facts.py, maintained on
    write): one index probe per attendee of the year, no earlier year's
    participation read. The facts are kept per network only, so with a
    series, theme or funder filter the earlier participations are read
    after all — from that filter's own earlier workshops (an IN list found
    by its index), which both engines hash rather than walking
    participations person by person."""
    if f.series_id is None and f.theme_id is None and f.funder_id is None:
        first = FirstAttendance.__table__.alias("first_seen")
        network = [] if f.network_id is None else [first.c.network_id == f.network_id]
        return exists().where(first.c.person_id == person_id, first.c.first_on < day, *network)
    earlier_workshops = select(Workshop.id).where(*workshop_conditions(f, None, day, theme=True))
    return person_id.in_(select(Participation.person_id).where(
        Participation.status == "attended", Participation.workshop_id.in_(earlier_workshops)))


def _uptake_event_parts(f: Bound) -> dict[str, Select]:
    # Driven from the events dated in the period (ix_uptake_event_occurred_on, a range of
    # its rows), each joined to its recommendation's progress facts for the scope and the
    # origin day (scope.facts_conditions). "Earlier" = made before the period: its origin
    # (the workshop's first day, or the output's date for a recommendation of an output
    # alone) before f.start. This period's counted events are read once by the grid and the
    # recommendations moved; its unconfirmed ones and the previous period's counted ones are
    # only counted.
    # A recommendation's last change is on or after its last counted event (the progress
    # facts' last_change_on), so a counted event dated from `start` on belongs to a
    # recommendation changed since `start`. Saying so changes no answer, and lets PostgreSQL
    # read only those facts, by ix_recommendation_progress_last_change_on, where it would
    # otherwise hash the whole table for the join (its cheaper plan by its costs: 24 to 14 ms
    # at 100,000 recommendations); SQLite probes each event's facts by key either way.
    facts = RecommendationProgress.__table__.c

    def dated(start, *columns, counted_only: bool = True):
        return (select(*columns).select_from(UptakeEvent)
                .join(RecommendationProgress, RecommendationProgress.recommendation_id == UptakeEvent.recommendation_id)
                .where(UptakeEvent.occurred_on >= start, UptakeEvent.occurred_on < f.end,
                       UptakeEvent.occurred_on <= f.as_of, *facts_conditions(f, None, f.end),
                       *([counted(), facts.last_change_on >= start] if counted_only else [~counted()])))

    events = dated(
        f.start,
        # A year's events by month; a period's by year (a month of several years means nothing).
        func.extract("month" if f.years == 1 else "year", UptakeEvent.occurred_on).label("month"),
        UptakeEvent.stage, UptakeEvent.recommendation_id,
        case((facts.origin_start < f.start, 1), else_=0).label("earlier"),
    ).cte("events")
    e = events.c
    return {
        "grid": select(e.month, e.stage.label("label_stage"), func.count().label("n"),
                       func.sum(e.earlier).label("earlier")).group_by(e.month, e.stage),
        "moved": select(func.count(distinct(e.recommendation_id)).label("n")),
        "unconfirmed": dated(f.start, func.count().label("n"), counted_only=False),
        "previous": dated(f.previous_start, func.count().label("n")).where(UptakeEvent.occurred_on < f.start),
    }


def uptake_events(f: Filters) -> dict:
    """Uptake events dated in the year, whatever year their recommendation
    came from: this year's and last year's totals and this year's by month
    and stage, in one statement. Only confirmed events count; the year's
    unconfirmed ones are counted apart (`unconfirmed`)."""
    rows = union(_uptake_event_parts, f)
    grid = {(int(r["month"]), r["label_stage"]): r["n"] for r in rows["grid"]}
    if f.years == 1:
        steps = [(m, MONTHS[m - 1]) for m in range(1, 13)]
    else:
        steps = [(y, str(y)) for y in range(f.first_year, f.year + 1)]
    timeline = [{("month" if f.years == 1 else "year"): k, "label": label,
                 "counts": {s: grid.get((k, s), 0) for s in STAGES},
                 "total": sum(grid.get((k, s), 0) for s in STAGES)} for k, label in steps]
    return {
        "total": sum(grid.values()),
        "previous_total": rows["previous"][0]["n"],
        "recommendations_moved": rows["moved"][0]["n"],
        "unconfirmed": rows["unconfirmed"][0]["n"],
        "from_earlier_years": sum(r["earlier"] or 0 for r in rows["grid"]),
        "by_stage": [{"stage": s, "label": STAGE_LABELS[s],
                      "count": sum(grid.get((k, s), 0) for k, _ in steps)} for s in STAGES],
        "step": "month" if f.years == 1 else "year",  # what by_month (a year) or by_year (a period) holds
        "by_month": timeline if f.years == 1 else [],
        "by_year": [] if f.years == 1 else timeline,
    }


def _series_statement(f: Bound):
    status = (
        select(SeriesStatusChange.status)
        .where(SeriesStatusChange.series_id == Series.id, SeriesStatusChange.effective_on <= f.until)
        .order_by(SeriesStatusChange.effective_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    met = (
        select(
            Workshop.series_id,
            func.sum(case((Workshop.start_date >= f.start, 1), else_=0)).label("workshops"),
            func.count(distinct(func.extract("year", Workshop.start_date))).label("years_met"),
        )
        .where(*workshop_conditions(f, f.window_start, f.end, theme=True))
        .group_by(Workshop.series_id)
        .subquery("met")
    )
    # The series that met in the window, and those whose recommendations count (`produced`): their
    # ids written into the statement as numbers when it runs (literal_execute), as hundreds of
    # placeholders were rendered and parsed again (by SQLAlchemy and psycopg) on every report.
    is_produced = Series.id.in_(bindparam("produced", expanding=True, literal_execute=True, type_=Integer))
    return (
        select(Series.id, Series.name, Series.kind, Network.acronym, status.label("status"),
               met.c.workshops, met.c.years_met)
        .join(Network, Network.id == Series.network_id)
        .outerjoin(met, met.c.series_id == Series.id)
        .where(or_(met.c.series_id.is_not(None), is_produced))
    )


def series_table(f: Filters, produced: dict[int, dict]) -> list[dict]:
    """Substance or symbolism: per series, how regularly it met over five
    years (one grouped statement) beside what its recommendations became
    (`produced`, from outcomes())."""
    window_start = f.window_start
    rows = run(_series_statement, f, produced=[sid for sid in produced if sid is not None]).all()
    table = []
    for row in rows:
        made = produced.get(row.id, {})
        entry = {
            "series": row.name, "network": row.acronym, "kind": SERIES_KIND_LABELS.get(row.kind, row.kind),
            "status": SERIES_STATUS_LABELS.get(row.status, "") if row.status else "",
            "workshops": row.workshops or 0, "years_met": row.years_met or 0,
            "window": f.year - window_start.year + 1,  # filters.SERIES_WINDOW, or the period when longer
            "recommendations": made.get("recommendations") or 0,
            "recommendations_window": made.get("recommendations_window") or 0,
            "taken_up_window": made.get("taken_up_window") or 0,
        }
        entry["taken_up_share"] = share(entry["taken_up_window"], entry["recommendations_window"])
        table.append(entry)
    return sorted(table, key=lambda e: (e["network"], -e["workshops"], -e["years_met"], e["series"]))
