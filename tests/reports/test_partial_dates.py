"""Dates known only to the month or the year, or roughly, in the report
(core/partial_dates.py, outcomes/days.py): such a workshop counts in its
year, and the median days to acknowledgement uses only pairs known to the
day and says how many it left out. Worked out by hand below.

    wa  4–5 March 2025 (day)          wb  June 2025 (month)
    wc  c. 2025 (year, approximate)   all in series s of network N

    recommendation  first event at "acknowledged" or beyond          days from 5 March
    Ra   wa         15 March 2025 (day)                               10  counted
    Rb   wa         4 April 2025 (day)                                30  counted
    Rh   wa         1 April 2025: "April 2025" (month) AND a day      27  counted (a day-known
                    event on 1 April: the first day is known)
    Rc   wa         May 2025 (month)                                  —   left out
    Rd   wa         c. 6 March 2025 (day, approximate)                —   left out
    Rg   wa         June 2025 (month), then 5 August 2025 (day)        —   left out: its first
                                                                          acknowledging day is a month
    Re   wb         10 July 2025 (day), but the workshop is a month   —   left out
    Rf   wa         transmitted only                                  —   not taken up

    median of 10, 27, 30 = 27 over 3 recommendations; 4 left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from workshops.extensions import db
from workshops.reports.queries import build_report, resolve_filters

D = dt.date
AS_OF = D(2026, 3, 1)


@pytest.fixture
def partial(make):
    with make.batch():
        network = make.network(acronym="PDN", slug="pdn", name="Partial Dates Network")
        series = make.series(network=network, slug="pd-series", name="PD series")

        def workshop(slug, start, precision="day", approximate=False, end=None):
            return make.workshop(series=series, slug=slug, title=f"Workshop {slug}", start_date=start,
                                 end_date=end or start, date_precision=precision, approximate=approximate,
                                 city=None, country=None)

        wa = workshop("wa", D(2025, 3, 4), end=D(2025, 3, 5))
        wb = workshop("wb", D(2025, 6, 1), "month")
        workshop("wc", D(2025, 1, 1), "year", approximate=True)

        def rec(w, ref, *events):
            r = make.recommendation(workshop=w, reference=ref, title=f"Recommendation {ref}")
            for stage, day, precision, approximate in events:
                make.uptake_event(r, stage=stage, occurred_on=day, date_precision=precision,
                                  approximate=approximate)
            return r

        rec(wa, "Ra", ("acknowledged", D(2025, 3, 15), "day", False))
        rec(wa, "Rb", ("transmitted", D(2025, 3, 10), "day", False), ("acknowledged", D(2025, 4, 4), "day", False))
        rec(wa, "Rh", ("acknowledged", D(2025, 4, 1), "month", False), ("adopted", D(2025, 4, 1), "day", False))
        rec(wa, "Rc", ("acknowledged", D(2025, 5, 1), "month", False))
        rec(wa, "Rd", ("acknowledged", D(2025, 3, 6), "day", True))
        rec(wa, "Rg", ("acknowledged", D(2025, 6, 1), "month", False), ("adopted", D(2025, 8, 5), "day", False))
        rec(wb, "Re", ("acknowledged", D(2025, 7, 10), "day", False))
        rec(wa, "Rf", ("transmitted", D(2025, 3, 20), "day", False))
    db.session.expire_all()


def _report(year=2025, **args):
    return build_report(resolve_filters(year, {"as_of": AS_OF.isoformat(), "network": "pdn", **args},
                                        today=D(2030, 1, 1)))


def test_month_and_year_precision_workshops_count_in_their_year(partial):
    report = _report()
    assert report.activity["workshops_held"] == 3  # wa, wb (June 2025) and wc (c. 2025)
    assert report.funnel["total"] == 8
    assert _report(2024).activity["workshops_held"] == 0


def test_the_median_uses_only_pairs_known_to_the_day_and_says_how_many_it_left_out(partial):
    funnel = _report().funnel
    assert funnel["taken_up"] == 7
    assert funnel["median_days_to_acknowledgement"] == 27.0
    assert funnel["median_measured_over"] == 3
    assert funnel["median_left_out"] == 4


def test_the_page_and_the_json_say_how_many_were_left_out(partial, client, auth):
    auth.login(role="viewer")
    page = client.get(f"/reports/2025?network=pdn&as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert "(over 3 recommendations); 4 recommendations left out, their dates not known to the day" in page
    assert "Only pairs known to the day count" in page
    data = client.get(f"/reports/2025.json?network=pdn&as_of={AS_OF.isoformat()}").get_json()
    assert (data["funnel"]["median_measured_over"], data["funnel"]["median_left_out"]) == (3, 4)
    assert "Only pairs known to the day count" in data["definitions"]["median_days"]["definition"]


def test_the_csv_says_the_precision_and_counts_days_only_when_known(partial, client, auth):
    auth.login(role="viewer")
    response = client.get(f"/reports/2025.csv?network=pdn&as_of={AS_OF.isoformat()}")
    assert response.status_code == 200
    rows = {r["Reference"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))}
    days = {ref: rows[ref]["Days to acknowledgement"] for ref in rows}
    assert days == {"Ra": "10", "Rb": "30", "Rh": "27", "Rc": "", "Rd": "", "Rg": "", "Re": "", "Rf": ""}
    assert (rows["Re"]["Workshop date precision"], rows["Re"]["Workshop date approximate"]) == ("month", "no")
    assert (rows["Ra"]["Workshop date precision"], rows["Ra"]["Workshop date approximate"]) == ("day", "no")
