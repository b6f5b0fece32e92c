"""A recommendation's progress facts (outcomes/progress_facts.py) are
derived data maintained on write, one row per recommendation: after seeded
random sequences of writes made through the operations — uptake events
added, edited, confirmed or set apart, deleted; recommendations closed,
reopened, created from an output alone, deleted; workshops moved (days,
precision, approximate), cancelled, reinstated, moved to another series;
outputs redated or moved to another series — the maintained facts, every
column, equal both the facts rebuilt (`flask rebuild-progress`) and what
the Python rules say of the loaded objects: outcomes/progress.py of the
counted events (rank 0 and no days without one), outcomes/origin.py of the
origin (the workshop's, else the output's). Events not yet confirmed count
for nothing, and confirming or unconfirming one is such a write. The
carry-over counts kept beside them (models.CarryOverCount) add up, key by
key, to what the facts say, with one row per key once merged — also with
several PostgreSQL writers at once."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import Date, func, select, update

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent
from workshops.outcomes import operations as ops
from workshops.outcomes import progress, progress_facts
from workshops.outcomes.days import day_known
from workshops.outcomes.models import CarryOverCount, RecommendationProgress
from workshops.outputs import operations as ops_outputs
from workshops.outputs.models import Output
from workshops.programme import operations as programme_ops
from workshops.programme.models import Workshop
from workshops.vocab import ATTRIBUTIONS, CLOSURES, DATE_PRECISIONS, STAGE_RANK, STAGES

FACT_STAGES = STAGES[1:]  # transmitted … implemented: one "<stage>_on" column each
EVENT_COLUMNS = ("rank", *[f"{s}_on" for s in FACT_STAGES], "last_event_on")
ORIGIN_COLUMNS = ("workshop_id", "output_id", "series_id", "origin_start", "origin_end", "origin_year",
                  "origin_precision", "origin_approximate", "origin_cancelled", "closed_as", "closed_on",
                  "last_change_on")
# What the report's substance figure and median read instead of the events.
REPORT_COLUMNS = (*[f"attributed_{a}_on" for a in ATTRIBUTIONS], "acknowledged_day_known")
COLUMNS = ("recommendation_id", *EVENT_COLUMNS, *ORIGIN_COLUMNS, *REPORT_COLUMNS)
N_EVENT = len(EVENT_COLUMNS)


def _col(row: tuple, name: str):
    """A column of a row of _facts() or _python_facts() (the id is the key, not in the row)."""
    return row[COLUMNS.index(name) - 1]


def test_the_expectation_covers_every_column_of_the_table():
    assert set(COLUMNS) == {c.name for c in RecommendationProgress.__table__.columns}


DATE_COLUMNS = {c.name for c in RecommendationProgress.__table__.columns if isinstance(c.type, Date)}


def _value(column: str, value):
    return dt.date.fromisoformat(value) if column in DATE_COLUMNS and isinstance(value, str) else value


def _facts() -> dict[int, tuple]:
    """Every row of the table, keyed by recommendation, in COLUMNS' order after the id."""
    table = RecommendationProgress.__table__
    rows = db.session.execute(select(*[table.c[c] for c in COLUMNS])).all()
    return {row[0]: tuple(_value(c, v) for c, v in zip(COLUMNS[1:], row[1:], strict=True)) for row in rows}


def _events_part(facts: dict[int, tuple]) -> dict[int, tuple]:
    return {rid: row[:N_EVENT] for rid, row in facts.items()}


def _python_facts(ids=None) -> dict[int, tuple]:
    """What the Python rules say of the loaded objects, every recommendation
    (of these ids) a row: its counted events' rank, first days and last day
    (rank 0 and None without one), and its origin (outcomes/origin.py): its
    workshop's days, series, precision and cancellation, or, from an output
    alone, its output's (never cancelled); and its closure."""
    db.session.expire_all()
    query = select(Recommendation)
    if ids is not None:
        query = query.where(Recommendation.id.in_(ids))
    expected = {}
    for rec in db.session.scalars(query):
        counted = [e for e in rec.events if e.confirmed]  # written out here, not read from progress.py
        firsts = [min((e.occurred_on for e in counted if STAGE_RANK[e.stage] >= STAGE_RANK[s]), default=None)
                  for s in FACT_STAGES]
        if rec.workshop is not None:
            w = rec.workshop
            origin = (w.series_id, w.start_date, w.end_date, w.start_date.year, w.date_precision or "day",
                      bool(w.approximate), w.status == "cancelled")
        else:
            o = rec.output
            origin = (o.series_id, o.date, o.date, o.date.year, o.date_precision or "day", bool(o.approximate),
                      False)
        last_on = progress.last_event_on(counted)
        # The last day anything moved: the origin's last day, the last counted event, the closure.
        last_change = max(d for d in (origin[2], last_on, rec.closed_on) if d is not None)
        # The first day of a counted event attributed at least this strongly (ATTRIBUTIONS: strongest first).
        attributed = [min((e.occurred_on for e in counted
                           if e.attribution and ATTRIBUTIONS.index(e.attribution) <= ATTRIBUTIONS.index(a)),
                          default=None) for a in ATTRIBUTIONS]
        acknowledged_on = firsts[FACT_STAGES.index("acknowledged")]
        # Any event (confirmed or not) at acknowledged or beyond on that day, known to the day.
        ack_known = acknowledged_on is not None and any(
            e.occurred_on == acknowledged_on and STAGE_RANK[e.stage] >= STAGE_RANK["acknowledged"]
            and day_known(e.date_precision, e.approximate) for e in rec.events)
        expected[rec.id] = (progress.rank_of(counted), *firsts, last_on,
                            rec.workshop_id, rec.output_id, *origin, rec.closed_as, rec.closed_on, last_change,
                            *attributed, ack_known)
    return expected


def _carry_counts() -> dict[tuple, int]:
    """The carry-over counts as kept: each key's sum (keys summing to 0 left out)."""
    c = CarryOverCount.__table__.c
    rows = db.session.execute(select(c.last_change_year, c.origin_year, c.rank, c.n)).all()
    sums: dict[tuple, int] = {}
    for y, o, r, n in rows:
        sums[(y, o, r)] = sums.get((y, o, r), 0) + n
    return {key: n for key, n in sums.items() if n}


def _carry_expected(facts: dict[int, tuple]) -> dict[tuple, int]:
    """The counts the facts call for, written out here: never closed, origin not cancelled, not
    implemented; by year of last change, year of origin and rank."""
    expected: dict[tuple, int] = {}
    for row in facts.values():
        if (_col(row, "closed_as") is None and not _col(row, "origin_cancelled")
                and _col(row, "rank") < STAGE_RANK["implemented"]):
            key = (_col(row, "last_change_on").year, _col(row, "origin_year"), _col(row, "rank"))
            expected[key] = expected.get(key, 0) + 1
    return expected


def _carry_rows() -> int:
    return db.session.execute(select(func.count()).select_from(CarryOverCount.__table__)).scalar_one()


def _check(*context) -> None:
    """Maintained facts = rebuilt = the Python rules; the counts = what the facts call for, one
    row per key (merged), and what a rebuild makes of them."""
    facts = _facts()
    assert facts == _rebuilt() == _python_facts(), context
    expected = _carry_expected(facts)
    assert _carry_counts() == expected, context
    assert _carry_rows() == len(expected), context


def _rebuilt() -> dict[int, tuple]:
    """The facts rebuilt from the events, in a transaction rolled back after."""
    maintained = _facts()
    progress_facts.rebuild(db.session.connection())
    rebuilt = _facts()
    db.session.rollback()
    assert _facts() == maintained
    return rebuilt


def _workshop_data(workshop, **changes) -> dict:
    """What the workshop form sends for this workshop as it is, with `changes`."""
    return {"title": workshop.title, "slug": workshop.slug, "timezone": workshop.timezone,
            "start_date": workshop.start_date, "end_date": workshop.end_date,
            "date_precision": workshop.date_precision, "approximate": workshop.approximate,
            "format": workshop.format, "country": workshop.country, "city": workshop.city,
            "venue": workshop.venue, "visibility": workshop.visibility, "chatham_house": workshop.chatham_house,
            "objectives": workshop.objectives, "rules": workshop.rules,
            "themes": [t.id for t in workshop.themes], **changes}


def _output_data(output, **changes) -> dict:
    """What the output form sends for this output as it is, with `changes`."""
    return {"kind": output.kind, "title": output.title, "date": output.date,
            "date_precision": output.date_precision, "approximate": output.approximate,
            "network": output.network_id, "series_id": output.series_id, "issuing_body": output.issuing_body,
            "url": output.url, "summary": output.summary, "document_id": output.document_id,
            "workshop_ids": [w.id for w in output.workshops], **changes}


def _first_of(day: dt.date, precision: str) -> dt.date:
    return {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1)}[precision]


EVENT_MOVES = {"add": 5, "edit": 3, "flip": 3, "delete": 2}
RECOMMENDATION_MOVES = {"close": 2, "reopen": 2, "create": 2, "remove": 2}
ORIGIN_MOVES = {"move workshop": 3, "cancel": 1, "reinstate": 2, "reseries workshop": 2, "redate output": 3,
                "reseries output": 2}
MOVES = {**EVENT_MOVES, **RECOMMENDATION_MOVES, **ORIGIN_MOVES}


@pytest.mark.parametrize("seed", [3, 17, 2026])
def test_maintained_facts_equal_rebuilt_ones_after_random_writes(make, seed):
    rng = random.Random(seed)
    admin = make.user("admin")
    network = make.network()
    all_series = [make.series(network=network) for _ in range(2)]
    workshops = []
    for _ in range(3):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365))
        workshops.append(make.workshop(series=rng.choice(all_series), start_date=start,
                                       end_date=start + dt.timedelta(days=2)))
    outputs = [ops_outputs.create_output(admin, {"kind": "memorandum", "title": f"Memorandum {n}",
                                                 "date": dt.date(2021 + n, 5, 17), "network": network.id,
                                                 "series_id": all_series[n].id})
               for n in range(2)]

    def new_rec_data(output=None):
        return {"title": "Recommendation", "text": "The meeting recommends.",
                "output_id": output.id if output is not None else None}

    recs = []
    for workshop in workshops:
        recs += [ops.create_recommendation(admin, workshop, new_rec_data()) for _ in range(2)]
        # From the workshop and an output: the workshop's origin all the same.
        recs.append(ops.create_recommendation(admin, workshop, new_rec_data(rng.choice(outputs))))
    for output in outputs:  # from an output alone
        recs.append(ops.create_recommendation(admin, None, new_rec_data(output)))
    ids = [r.id for r in recs]
    workshop_ids = [w.id for w in workshops]
    output_ids = [o.id for o in outputs]
    _check(seed, "start")

    def a_day(rec):
        start = rec.origin_start
        return start + dt.timedelta(days=rng.randrange(0, (dt.date.today() - start).days + 1))

    def event_data(rec):
        return {"occurred_on": a_day(rec), "stage": rng.choice(STAGES), "evidence_kind": "document",
                "title": "Evidence", "track1_body_id": None, "confirmed": rng.random() < 0.7,
                "attribution": rng.choice([None, None, *ATTRIBUTIONS]), "approximate": rng.random() < 0.25}

    def flipped(event):
        # Its day, unless its origin has since moved after it (the operation refuses such a day).
        day = event.occurred_on if event.occurred_on >= event.recommendation.origin_start \
            else a_day(event.recommendation)
        return {"occurred_on": day, "stage": event.stage, "evidence_kind": "document",
                "title": "Evidence", "track1_body_id": None, "confirmed": not event.confirmed}

    done = set()
    for step in range(120):
        rec = db.session.get(Recommendation, rng.choice(ids))
        events = list(rec.events)
        move = rng.choices(list(MOVES), weights=list(MOVES.values()))[0]
        if move == "add" or (move in ("edit", "flip", "delete") and not events):
            ops.add_uptake_event(admin, rec, event_data(rec))
            move = "add"
        elif move == "edit":
            ops.update_uptake_event(admin, rng.choice(events), event_data(rec))
        elif move == "flip":  # confirm one not yet confirmed, or set one apart
            ops.update_uptake_event(admin, (event := rng.choice(events)), flipped(event))
        elif move == "delete":
            ops.delete_uptake_event(admin, rng.choice(events))
        elif move == "close" and rec.is_open:
            ops.close_recommendation(admin, rec, {"closed_as": rng.choice(CLOSURES), "closed_reason": "Test.",
                                                  "closed_on": a_day(rec)})
        elif move == "reopen" and not rec.is_open:
            ops.reopen_recommendation(admin, rec, "Test.")
        elif move == "create":
            output = db.session.get(Output, rng.choice(output_ids))
            ids.append(ops.create_recommendation(admin, None, new_rec_data(output)).id)
        elif move == "remove" and (bare := [i for i in ids if not db.session.get(Recommendation, i).events]):
            ops.delete_recommendation(admin, db.session.get(Recommendation, (gone := rng.choice(bare))))
            ids.remove(gone)
        elif move == "move workshop":  # its days, or only its first day, how well they are known, or whether
            workshop = db.session.get(Workshop, rng.choice(workshop_ids))  # approximately: each alone too
            changes = {}
            how = rng.choice(["days", "start", "precision", "approximate"])
            if how == "start" and workshop.date_precision == "day":
                changes["start_date"] = workshop.end_date - dt.timedelta(days=rng.randrange(0, 4))
            elif how == "precision":  # one its first day fits, the days as they are when it can
                known = [p for p in DATE_PRECISIONS if _first_of(workshop.start_date, p) == workshop.start_date]
                changes.update(date_precision=rng.choice(known), end_date=workshop.start_date)
            elif how == "approximate":
                changes["approximate"] = not workshop.approximate
            else:
                precision = rng.choice(DATE_PRECISIONS)
                start = _first_of(dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365)), precision)
                end = start + dt.timedelta(days=rng.randrange(0, 4)) if precision == "day" else start
                changes.update(start_date=start, end_date=end, date_precision=precision)
            programme_ops.update_workshop(admin, workshop, _workshop_data(workshop, **changes), None)
        elif move == "cancel" and (live := [i for i in workshop_ids
                                            if db.session.get(Workshop, i).status != "cancelled"]):
            programme_ops.set_workshop_status(admin, db.session.get(Workshop, rng.choice(live)), "cancelled", None)
        elif move == "reinstate" and (cancelled := [i for i in workshop_ids
                                                    if db.session.get(Workshop, i).status == "cancelled"]):
            programme_ops.set_workshop_status(admin, db.session.get(Workshop, rng.choice(cancelled)), "draft", None)
        elif move == "reseries workshop":  # another series of its network, or none (a one-off meeting)
            workshop = db.session.get(Workshop, rng.choice(workshop_ids))
            series = rng.choice([s for s in [*all_series, None] if s is not workshop.series])
            programme_ops.update_workshop(admin, workshop, _workshop_data(
                workshop, series=series.id if series is not None else None), None)
        elif move == "redate output":  # its date, or only how well it is known, or whether approximately
            output = db.session.get(Output, rng.choice(output_ids))
            how = rng.choice(["date", "precision", "approximate"])
            if how == "precision":
                known = [p for p in DATE_PRECISIONS if _first_of(output.date, p) == output.date]
                changes = {"date_precision": rng.choice(known)}
            elif how == "approximate":
                changes = {"approximate": not output.approximate}
            else:
                precision = rng.choice(DATE_PRECISIONS)
                day = _first_of(dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365)), precision)
                changes = {"date": day, "date_precision": precision}
            ops_outputs.update_output(admin, output, _output_data(output, **changes))
        elif move == "reseries output":
            output = db.session.get(Output, rng.choice(output_ids))
            series = rng.choice([s for s in [*all_series, None] if s is not output.series])
            ops_outputs.update_output(admin, output, _output_data(
                output, series_id=series.id if series is not None else None))
        else:
            continue
        done.add(move)
        if step % 3 == 2:
            _check(seed, step, move)
    _check(seed)
    assert set(MOVES) <= done, set(MOVES) - done
    assert any(not e.confirmed for i in ids for e in db.session.get(Recommendation, i).events)
    facts = _facts().values()
    assert {_col(row, "rank") == 0 for row in facts} == {True, False}
    assert {_col(row, "acknowledged_day_known") for row in facts} == {True, False}
    assert any(_col(row, "attributed_thematic_on") for row in facts)
    assert _carry_counts()


def test_a_failed_write_leaves_the_facts_as_they_were(make):
    """The facts are written in the write's transaction: a refused write rolls them back too."""
    admin = make.user("admin")
    rec = make.recommendation()
    ops.add_uptake_event(admin, rec, {"occurred_on": rec.workshop.end_date, "stage": "adopted",
                                      "evidence_kind": "document", "title": "Adopted", "track1_body_id": None})
    before = _facts()
    assert _col(before[rec.id], "rank") == STAGE_RANK["adopted"]
    with pytest.raises(ops.Invalid):
        ops.add_uptake_event(admin, rec, {"occurred_on": "not a date", "stage": "implemented",
                                          "evidence_kind": "document", "title": "X", "track1_body_id": None})
    assert _facts() == before


def test_events_written_outside_the_operations_are_maintained_too(make):
    """The factories, the demo loader: any flush of a recommendation or an event refreshes its
    recommendation's facts (a row from the start, rank 0 without events); deleting the
    recommendation removes them."""
    rec = make.recommendation()
    end = rec.workshop.end_date
    assert _events_part(_facts()) == {rec.id: (0, None, None, None, None, None)}
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=end)
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=end + dt.timedelta(days=9))
    assert _facts()[rec.id][:N_EVENT] == (2, end, end, None, None, end + dt.timedelta(days=9))
    with unit_of_work(system="test"):
        db.session.delete(db.session.get(UptakeEvent, rec.events[0].id))
    assert _facts()[rec.id][:N_EVENT] == (1, end + dt.timedelta(days=9), None, None, None,
                                          end + dt.timedelta(days=9))
    assert _facts() == _python_facts()
    with unit_of_work(system="test"):
        db.session.delete(db.session.get(Recommendation, rec.id))
    assert _facts() == {}


def test_the_rebuild_command_derives_the_facts_from_the_events(app, make):
    rec = make.recommendation()
    make.uptake_event(recommendation=rec, stage="implemented", occurred_on=rec.workshop.end_date)
    bare = make.recommendation(workshop=rec.workshop)
    table = RecommendationProgress.__table__
    db.session.execute(table.delete())
    db.session.commit()
    assert _facts() == {}
    result = app.test_cli_runner().invoke(args=["rebuild-progress"])
    assert result.exit_code == 0, result.output
    assert "2 recommendations" in result.output
    end = rec.workshop.end_date
    assert _events_part(_facts()) == {rec.id: (4, end, end, end, end, end), bare.id: (0, None, None, None, None, None)}
    assert _facts() == _python_facts()


def test_the_migration_backfills_the_facts_of_existing_events(app):
    """Migration 0007 derives the facts of the events already recorded, and 0020 every
    recommendation's row with its origin, in SQL both engines run."""
    from flask_migrate import downgrade, upgrade

    from workshops.demo import load

    load()
    # Below 0009 every event counts: going down forgets which were not yet confirmed (they count again),
    # and the attributions; below 0008 every event is dated to the day.
    db.session.execute(update(UptakeEvent).values(confirmed=True, attribution=None, date_precision="day",
                                                  approximate=False))
    db.session.commit()
    # Going below 0010 removes the recommendations of an output alone (they have no workshop to keep).
    ids = list(db.session.scalars(select(Recommendation.id).where(Recommendation.workshop_id.is_not(None))))
    expected = _python_facts(ids)
    assert len(expected) >= 10
    assert {_col(row, "rank") == 0 for row in expected.values()} == {True, False}
    db.session.remove()
    downgrade(revision="0006")
    upgrade()
    assert _facts() == expected
    assert _carry_counts() == _carry_expected(expected) != {}


def test_migration_0021_fills_the_attribution_days_acknowledgement_precision_and_carry_counts(app):
    """Going down to 0020 and up again derives the new columns and the counts from the events
    and facts already recorded, in SQL both engines run."""
    from flask_migrate import downgrade, upgrade

    from workshops.demo import load

    load()
    expected = _python_facts()
    assert any(_col(row, "attributed_explicit_on") for row in expected.values())
    assert {_col(row, "acknowledged_day_known") for row in expected.values()} == {True, False}
    db.session.remove()
    downgrade(revision="0020")
    upgrade()
    assert _facts() == expected
    assert _carry_counts() == _carry_expected(expected) != {}
    assert _carry_rows() == len(_carry_expected(expected))


def test_migration_0020_gives_every_recommendation_its_row_and_origin(app, make):
    """Going down to 0019 keeps only the rows of recommendations with a counted event, without
    their origin; 0020 gives every recommendation its row again, with its workshop's or its
    output's origin and its closure."""
    from flask_migrate import downgrade, upgrade

    from workshops.demo import load

    load()
    admin = make.user("admin")
    network = make.network()
    series = make.series(network=network)
    workshop = make.workshop(series=series, start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 1, 1),
                             date_precision="year", approximate=True)
    with_event = ops.create_recommendation(admin, workshop, {"title": "R", "text": "T."})
    ops.add_uptake_event(admin, with_event, {"occurred_on": dt.date(2024, 2, 2), "stage": "adopted",
                                             "evidence_kind": "document", "title": "E", "track1_body_id": None})
    ops.close_recommendation(admin, with_event, {"closed_as": CLOSURES[0], "closed_reason": "Test.",
                                                 "closed_on": dt.date(2024, 3, 3)})
    ops.create_recommendation(admin, workshop, {"title": "R", "text": "T."})
    programme_ops.set_workshop_status(admin, workshop, "cancelled", None)
    output = ops_outputs.create_output(admin, {"kind": "memorandum", "title": "M", "date": dt.date(2022, 6, 1),
                                               "date_precision": "month", "network": network.id,
                                               "series_id": series.id})
    ops.create_recommendation(admin, None, {"title": "R", "text": "T.", "output_id": output.id})
    expected = _python_facts()
    rows = list(expected.values())
    assert {_col(r, "last_event_on") is None for r in rows} == {True, False}  # with and without counted events
    assert any(_col(r, "workshop_id") is None for r in rows)  # from an output alone
    assert any(_col(r, "origin_cancelled") for r in rows)
    assert any(_col(r, "closed_as") for r in rows)
    assert {_col(r, "origin_precision") for r in rows} >= {"day", "month", "year"}
    with_events = {rid for rid, r in expected.items() if _col(r, "last_event_on") is not None}
    db.session.remove()
    downgrade(revision="0019")
    kept = set(db.session.scalars(select(RecommendationProgress.recommendation_id)))
    assert kept == with_events
    db.session.remove()
    upgrade()
    assert _facts() == expected


def test_the_generator_fills_the_facts_of_its_bulk_inserted_events(app):
    from workshops.demo.synthetic import run

    run(workshops=6, recommendations=60, seed=5)
    ids = list(db.session.scalars(select(Recommendation.id)))
    expected = _python_facts(ids)
    assert len(expected) >= 20
    assert _facts() == expected


def _while_a_workshop_is_redated(app, workshop_id: int, write) -> list:
    """Two transactions at once (PostgreSQL, READ COMMITTED): one moves the workshop to 4–5
    January 2021 and has flushed (its refresh holds the workshop's recommendations and has
    rewritten their facts), not committed; then `write(session, waiting)` runs in another,
    setting `waiting` just before the flush that has to wait for the first. The errors of both."""
    import threading

    redated, waiting = threading.Event(), threading.Event()
    errors = []

    def redate():
        try:
            with app.app_context(), unit_of_work(system="test") as session:
                w = session.get(Workshop, workshop_id)
                w.start_date, w.end_date = dt.date(2021, 1, 4), dt.date(2021, 1, 5)
                session.flush()  # holds its rows until commit
                redated.set()
                waiting.wait(timeout=10)
                threading.Event().wait(0.5)  # the other is now blocked on them (or about to be)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
            redated.set()

    def other():
        try:
            redated.wait(timeout=10)
            with app.app_context(), unit_of_work(system="test") as session:
                write(session, waiting)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
            waiting.set()

    threads = [threading.Thread(target=redate), threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_a_recommendation_created_while_its_workshop_is_redated_gets_the_new_dates(app, make):
    """One transaction redates a workshop and has flushed, not committed; the other creates a
    recommendation on it. The second waits for the first (progress_facts.refresh takes FOR SHARE
    on a recommendation's new origin), so the new recommendation's facts carry the new dates, not
    the ones last committed. SQLite writes one transaction at a time, so the race cannot happen
    there."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL; SQLite runs one write transaction at a time")
    workshop = make.workshop(start_date=dt.date(2024, 5, 6), end_date=dt.date(2024, 5, 7))
    wid = workshop.id
    db.session.remove()
    created = []

    def create(session, waiting):
        rec = Recommendation(workshop_id=wid, title="Made during the redating", text="Text.")
        session.add(rec)
        waiting.set()
        session.flush()  # waits for the redating to commit
        created.append(rec.id)

    assert _while_a_workshop_is_redated(app, wid, create) == [] and len(created) == 1
    db.session.remove()
    facts = _facts()[created[0]]
    assert (_col(facts, "origin_start"), _col(facts, "origin_end")) == (dt.date(2021, 1, 4), dt.date(2021, 1, 5))
    assert _facts() == _rebuilt() == _python_facts()


def test_several_writers_at_once_keep_the_carry_over_counts(app, make):
    """Six transactions at once (PostgreSQL, READ COMMITTED), each adding an event to its own
    recommendation of one workshop, so all move between the same carry-over keys; each has
    flushed — written its signed rows and merged what it could — before any commits. None
    waits for another or deadlocks (the merge skips rows another holds), and the counts then
    add up to what the facts say; the next write to a key merges its rows back into one."""
    import threading

    if db.engine.dialect.name != "postgresql":
        pytest.skip("writers at once need PostgreSQL; SQLite runs one write transaction at a time")
    workshop = make.workshop(start_date=dt.date(2019, 3, 4), end_date=dt.date(2019, 3, 5))
    recs = [make.recommendation(workshop=workshop) for _ in range(7)]
    ids = [r.id for r in recs]
    db.session.remove()
    writers = 6
    flushed = threading.Barrier(writers, timeout=20)
    errors = []

    def write(rid: int, n: int):
        try:
            with app.app_context(), unit_of_work(system="test") as session:
                session.add(UptakeEvent(recommendation_id=rid, stage=STAGES[1 + n % 3],
                                        occurred_on=dt.date(2019, 6, 1) + dt.timedelta(days=n),
                                        evidence_kind="document", title="At once", excerpt=""))
                session.flush()
                flushed.wait()  # every writer holds its rows until all have flushed
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(rid, n)) for n, rid in enumerate(ids[:writers])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.remove()
    facts = _facts()
    assert _carry_counts() == _carry_expected(facts)
    assert facts == _rebuilt() == _python_facts()
    # All six reached the barrier holding their rows: none waited for another (a wait would
    # have broken the barrier). Their rows could not all be merged meanwhile.
    rows_at_once = _carry_rows()
    assert rows_at_once > len(_carry_expected(facts))
    # The next write to a key merges its rows into one (the other keys wait for theirs).
    make.uptake_event(recommendation=db.session.get(Recommendation, ids[-1]), stage="transmitted",
                      occurred_on=dt.date(2019, 6, 1))
    facts = _facts()
    assert facts == _rebuilt() == _python_facts()
    assert _carry_counts() == _carry_expected(facts)
    c = CarryOverCount.__table__.c
    key = (2019, 2019, STAGE_RANK["transmitted"])
    assert db.session.execute(select(func.count()).where(
        c.last_change_year == key[0], c.origin_year == key[1], c.rank == key[2])).scalar_one() == 1
    assert _carry_rows() < rows_at_once


def test_a_recommendation_deleted_while_its_workshop_is_redated_leaves_the_counts_right(app, make):
    """One transaction redates a workshop and has flushed (its refresh moved a recommendation's
    facts to new carry-over keys); the other deletes that recommendation. The deletion waits for
    the redating (it locks the recommendation before reading what it counted), so it takes out
    the keys the redating wrote, not the ones last committed: the counts stay equal to the facts
    and neither write fails. Found in review; without the lock the counts kept -1 under the old
    key and the deleted row under the new one."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL; SQLite runs one write transaction at a time")
    workshop = make.workshop(start_date=dt.date(2019, 3, 4), end_date=dt.date(2019, 3, 5))
    rec = make.recommendation(workshop=workshop)
    make.recommendation(workshop=workshop)
    wid, rid = workshop.id, rec.id
    db.session.remove()

    def remove(session, waiting):
        session.delete(session.get(Recommendation, rid))
        waiting.set()
        session.flush()  # waits for the redating to commit

    assert _while_a_workshop_is_redated(app, wid, remove) == []
    db.session.remove()
    assert rid not in _facts()
    assert _carry_counts() == _carry_expected(_facts()) == {(2021, 2021, 0): 1}
