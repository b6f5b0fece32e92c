"""Memoranda are not workshops held (issue 13): the annual report counts
outputs apart, by kind, and a recommendation of an output alone counts in
the recommendation figures in the year of the output's date, its days
counted from that date. Every expected number below is worked out by hand
from the records the fixture makes."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Output
from workshops.reports.filters import resolve_filters
from workshops.reports.queries import build_report
from workshops.reports.rows import recommendation_columns, recommendation_rows

D = dt.date
AS_OF = D(2025, 3, 1)


def _output(network, **kw):
    with unit_of_work(system="test"):
        output = Output(network=network, **kw)
        db.session.add(output)
    return output


@pytest.fixture
def scene(make):
    cscap = make.network(acronym="CSCAP", slug="cscap")
    nadi = make.network(acronym="NADI", slug="nadi")
    theme = make.theme(name="Maritime security", slug="maritime")
    # 2024: one workshop held with one recommendation (no event).
    workshop = make.workshop(series=make.series(network=cscap), start_date=D(2024, 3, 4), end_date=D(2024, 3, 5))
    make.recommendation(workshop=workshop, title="From the meeting")
    # 2024: a memorandum known to the day, with two recommendations of its own.
    memo = _output(cscap, kind="memorandum", title="Memorandum No. 40", date=D(2024, 6, 10),
                   date_precision="day")
    taken = make.recommendation(workshop=None, output=memo, title="Hotline", themes=[theme])
    make.uptake_event(recommendation=taken, stage="transmitted", occurred_on=D(2024, 6, 20))
    make.uptake_event(recommendation=taken, stage="acknowledged", occurred_on=D(2024, 7, 10))
    make.recommendation(workshop=None, output=memo, title="Code of conduct")
    # 2023: a chair's statement known to the month, no recommendation; 2025: a brief after the report date.
    _output(cscap, kind="chairs_statement", title="Chair's statement", date=D(2023, 5, 1), date_precision="month")
    _output(cscap, kind="policy_brief", title="Later brief", date=D(2025, 6, 1), date_precision="day")
    return {"cscap": cscap, "nadi": nadi, "theme": theme}


def report(year=2024, **args):
    args["as_of"] = AS_OF.isoformat()
    return build_report(resolve_filters(year, args, today=D(2030, 1, 1)))


def test_outputs_are_counted_apart_from_workshops_by_kind(scene):
    r = report()
    assert r.activity["workshops_held"] == 1  # the memorandum is not a workshop held
    assert r.outputs == {"total": 1, "previous_total": 1,
                         "by_kind": [{"kind": "memorandum", "label": "Memorandum", "count": 1}]}
    assert report(2025).outputs["total"] == 0  # the brief of June 2025 is after the report date
    headline = {row["key"]: (row["value"], row["previous"]) for row in r.headline}
    assert headline["outputs_issued"] == (1, 1)


def test_recommendations_of_an_output_alone_count_in_the_outputs_year(scene):
    r = report()
    funnel = r.funnel
    assert funnel["total"] == 3  # one from the workshop, two from the memorandum
    assert funnel["fed_into_track1"] == 1 and funnel["taken_up"] == 1
    # 30 days from the memorandum's date (10 June) to the acknowledgement (10 July).
    assert funnel["median_days_to_acknowledgement"] == 30.0 and funnel["median_measured_over"] == 1
    assert r.uptake_events["total"] == 2 and r.uptake_events["recommendations_moved"] == 1
    assert report(2023).funnel["total"] == 0


def test_the_filters_apply_to_outputs_and_their_recommendations(scene):
    other = report(network="NADI")
    assert other.outputs["total"] == 0 and other.funnel["total"] == 0 and other.uptake_events["total"] == 0
    own = report(network="CSCAP")
    assert own.outputs["total"] == 1 and own.funnel["total"] == 3
    themed = report(theme="maritime")
    assert themed.outputs["total"] == 0  # outputs have no theme of their own
    assert themed.funnel["total"] == 1  # the tagged recommendation of the memorandum


def test_the_csv_rows_carry_the_output(scene):
    f = resolve_filters(2024, {"as_of": AS_OF.isoformat()}, today=D(2030, 1, 1))
    header = recommendation_columns(f)
    rows = [dict(zip(header, row, strict=True)) for row in recommendation_rows(f)]
    assert [r["Title"] for r in rows] == ["From the meeting", "Hotline", "Code of conduct"]
    hotline = rows[1]
    assert (hotline["Workshop"], hotline["Output"], hotline["Network"]) == ("", "Memorandum No. 40", "CSCAP")
    assert hotline["Workshop start"] == "2024-06-10" and hotline["Days to acknowledgement"] == 30
