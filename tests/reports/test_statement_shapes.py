"""The report's statements are built once per shape — the period's length
and which filters are set — from bound parameters, and run with each
report's own values (reports/scope.py: Bound, built, values; kept while used). A statement
built for one report must give another of the same shape that report's
answers, never the first one's; and Bound must refuse what only a real
value can do, so that a value computed in Python cannot slip into a
statement shared by every report."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.demo.synthetic import run
from workshops.extensions import db
from workshops.models import Network, Series
from workshops.reports import scope
from workshops.reports.assembly import build_report
from workshops.reports.filters import Filters

UNTIL = dt.date(2026, 10, 31)  # the generator's "today"


def _cases() -> list[Filters]:
    network = db.session.scalar(db.select(Network.id).order_by(Network.id))
    series = db.session.scalar(db.select(Series.id).order_by(Series.id))
    return [
        Filters(year=2024, as_of=UNTIL), Filters(year=2019, as_of=UNTIL), Filters(year=2026, as_of=UNTIL),
        Filters(year=2021, as_of=dt.date(2021, 6, 30)), Filters(year=2024, as_of=dt.date(2025, 2, 1)),
        Filters(year=2024, as_of=UNTIL, first_year=2021), Filters(year=2020, as_of=UNTIL, first_year=2017),
        Filters(year=2024, as_of=UNTIL, network_id=network), Filters(year=2018, as_of=UNTIL, network_id=network),
        Filters(year=2023, as_of=UNTIL, series_id=series), Filters(year=2016, as_of=UNTIL, series_id=series),
    ]


def _fresh(f: Filters) -> dict:
    """The report as if it were the first of its shape in this process."""
    scope._made.cache_clear()
    return build_report(f, generated_on=UNTIL).as_dict()


def test_a_statement_built_for_one_report_gives_every_other_of_its_shape_its_own_answers(app):
    run(workshops=40, recommendations=400, seed=5, first_year=2012, until=UNTIL)
    cases = _cases()
    fresh = [_fresh(f) for f in cases]
    scope._made.cache_clear()
    reused = [build_report(f, generated_on=UNTIL).as_dict() for f in cases]  # one cache, every shape reused
    again = [build_report(f, generated_on=UNTIL).as_dict() for f in reversed(cases)][::-1]
    assert reused == fresh
    assert again == fresh
    # The cases differ, so a statement answering with another report's values would show.
    assert len({repr(r["funnel"]) + repr(r["activity"]) + repr(r["carry_over"]) for r in fresh}) == len(cases)
    assert sum(r["funnel"]["total"] for r in fresh) > 100


def test_statements_are_built_once_per_shape_not_per_report(app):
    run(workshops=20, recommendations=100, seed=2, first_year=2018, until=UNTIL)
    scope._made.cache_clear()
    build_report(Filters(year=2024, as_of=UNTIL))
    one_shape = scope._made.cache_info().currsize
    assert one_shape >= 5  # every figure's statement
    for year in range(2015, 2027):
        build_report(Filters(year=year, as_of=dt.date(year, 7, 1)))
    assert scope._made.cache_info().currsize == one_shape  # other years and report dates: the same statements
    build_report(Filters(year=2024, as_of=UNTIL, first_year=2022))
    build_report(Filters(year=2025, as_of=UNTIL, first_year=2023))
    assert scope._made.cache_info().currsize == 2 * one_shape  # a three-year period is another shape, built once
    assert scope.shape(Filters(year=2024, as_of=UNTIL, series_id=3)) != scope.shape(Filters(year=2024, as_of=UNTIL))
    assert scope.shape(Filters(year=2024, as_of=UNTIL), engine="postgresql") != scope.shape(Filters(year=2024, as_of=UNTIL), engine="sqlite")


def test_bound_refuses_what_only_a_real_value_can_do():
    bound = scope.Bound(scope.shape(Filters(year=2024, as_of=UNTIL, series_id=7), engine="sqlite"))
    with pytest.raises(TypeError):
        min(bound.until, bound.previous_until)  # a comparison in Python: Filters.both_days is the parameter
    with pytest.raises(AttributeError):
        bound.start.year  # noqa: B018  (a date's parts: Filters.first_year is the parameter)
    with pytest.raises(AttributeError):
        bound.network  # noqa: B018  (names are for the page, not for a statement)
    with pytest.raises(KeyError):
        bound.stale_cutoff(bound.as_of)  # no stale cutoff is kept for the report date
    assert bound.network_id is None and bound.series_id is not None  # a filter not set stays None: shape()


def test_values_give_every_parameter_its_days_own_cutoff():
    f = Filters(year=2024, as_of=dt.date(2024, 8, 1), first_year=2023)
    values = scope.values(f)
    assert values["until"] == dt.date(2024, 8, 1) and values["previous_until"] == dt.date(2022, 12, 31)
    assert values["both_days"] == dt.date(2022, 12, 31)
    for day in ("until", "previous_until", "both_days"):
        assert values[f"{day}_stale_cutoff"] == f.stale_cutoff(values[day])
    assert values["counted_from"] == dt.date(f.stale_cutoff(f.both_days).year, 1, 1)
    assert values["previous_first_year"] == 2021 and values["window_start"] == dt.date(2020, 1, 1)
    assert "series_id" not in values  # not set: not a parameter of this shape


def test_the_statements_kept_are_bounded_and_an_evicted_shape_is_built_again(app):
    run(workshops=20, recommendations=100, seed=4, first_year=2000, until=UNTIL)
    scope._made.cache_clear()
    first = build_report(Filters(year=2024, as_of=UNTIL), generated_on=UNTIL).as_dict()
    for years in range(2, 26):  # 24 more shapes, seven statements each: more than are kept
        build_report(Filters(year=2024, as_of=UNTIL, first_year=2024 - years + 1))
    assert scope._made.cache_info().currsize == scope.STATEMENTS_KEPT
    assert build_report(Filters(year=2024, as_of=UNTIL), generated_on=UNTIL).as_dict() == first


def test_the_form_of_a_statement_chosen_for_the_other_engine_gives_the_same_answers(app, monkeypatch):
    """Where a figure's statement takes a different form per engine (participation, uptake
    events: the faster on each), both forms are portable SQL: run here, each must answer
    exactly as the form this engine uses does."""
    run(workshops=40, recommendations=400, seed=9, first_year=2012, until=UNTIL)
    cases = _cases()
    scope._made.cache_clear()
    own = [build_report(f, generated_on=UNTIL).as_dict() for f in cases]
    here = db.session.get_bind().dialect.name
    other = "postgresql" if here == "sqlite" else "sqlite"
    real_shape = scope.shape
    monkeypatch.setattr(scope, "shape", lambda f, engine=None: real_shape(f, engine=other))
    scope._made.cache_clear()
    try:
        theirs = [build_report(f, generated_on=UNTIL).as_dict() for f in cases]
    finally:
        scope._made.cache_clear()
    assert theirs == own
    assert sum(r["participation"]["attendees"] + r["uptake_events"]["previous_total"] for r in own) > 100
