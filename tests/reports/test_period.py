"""The grant cycle: a report for a period of years (/reports/2024-2025), its
figures worked out by hand from the world of conftest.py, its addresses and
downloads, and every kind of bad period."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.reports.assembly import build_report
from workshops.reports.filters import BadPeriod, Filters, NotAYear, parse_period, resolve_filters

from .conftest import AS_OF

D = dt.date


def test_a_period_keeps_the_meaning_of_every_date_and_a_year_is_a_period_of_one():
    f = Filters(year=2025, as_of=D(2030, 1, 1), first_year=2020)
    assert (f.years, f.period, f.period_label) == (6, "2020-2025", "2020–2025")
    assert (f.start, f.end) == (D(2020, 1, 1), D(2026, 1, 1))
    assert (f.previous_start, f.previous_until, f.until) == (D(2014, 1, 1), D(2019, 12, 31), D(2025, 12, 31))
    assert f.previous_period_label == "2014–2019"
    assert f.as_dict()["period"] == "2020-2025" and f.as_dict()["first_year"] == 2020
    assert f.describe() == "6 years · All networks"  # after the title, which names the period
    one = Filters(year=2025, as_of=D(2025, 6, 1))
    assert (one.first_year, one.years, one.period, one.previous_period_label) == (2025, 1, "2025", "2024")
    assert (one.start, one.end, one.previous_start, one.until) == (D(2025, 1, 1), D(2026, 1, 1), D(2024, 1, 1),
                                                                     D(2025, 6, 1))
    assert "years" not in one.describe()


@pytest.mark.parametrize("text, period", [("2025", (2025, 2025)), ("2020-2025", (2020, 2025)),
                                          ("1900-1929", (1900, 1929)), ("2025-2025", (2025, 2025))])
def test_periods_are_read(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text, words", [("2025-2020", "runs backwards"), ("1990-2025", "spans 36 years"),
                                         ("1890-1900", "outside 1900–2200"), ("2199-2201", "outside")])
def test_a_period_that_cannot_be_reported_says_why(text, words):
    with pytest.raises(BadPeriod, match=words):
        parse_period(text)


@pytest.mark.parametrize("text", ["2020-", "-2025", "2020-25", "2020--2025", "20x0-2025", "2020-2025-2030"])
def test_text_that_is_no_period_is_not_a_year(text):
    with pytest.raises(NotAYear):
        parse_period(text)


def test_the_figures_of_a_two_year_period(world):
    """2024-2025 as of 1 March 2026, against 2022-2023. Held: w0 (2024), w1, w2
    (2025); w3 was cancelled; nothing in 2022-2023. Attendees: Amara (w0, w1),
    Benedikt (w1, w2), Chiara (w2) — no one returning (nobody attended before
    2024). Recommendations: R0, R0b, R1, R2, R3, R4, R5 = 7; fed into Track-1
    by the report date: R0, R1, R3, R4 (15 Jan 2026) and R5 (acknowledged
    without a transmission) = 5; taken up: R0, R1, R4, R5 = 4; adopted: R1 =
    1; R4 is implemented only after the report date. Uptake events dated in
    2024-2025: R0 ×2, R1 ×2, R3, R6 (1 Feb 2025) = 6; in 2022-2023: R6 (2022)
    and R7 (2023) = 2."""
    report = build_report(resolve_filters(2025, {"as_of": AS_OF.isoformat()}, AS_OF, first_year=2024))
    assert report.activity["workshops_held"] == 3 and report.activity["previous_workshops_held"] == 0
    p = report.participation
    assert (p["attendees"], p["returning"], p["previous"]["attendees"]) == (3, 0, 0)
    fu = report.funnel
    assert (fu["total"], fu["fed_into_track1"], fu["taken_up"]) == (7, 5, 4)
    assert {s["stage"]: s["count"] for s in fu["stages"]}["adopted"] == 1
    assert {s["stage"]: s["count"] for s in fu["stages"]}["implemented"] == 0
    assert report.uptake_events["total"] == 6 and report.uptake_events["previous_total"] == 2
    assert report.as_dict()["filters"]["period"] == "2024-2025"


def test_the_page_and_every_download_of_a_period(client, auth, world):
    auth.login(role="viewer")
    page = client.get(f"/reports/2024-2025?as_of={AS_OF.isoformat()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Outcome report 2024–2025" in html and "2022–2023" in html
    assert 'href="/reports/2024-2025.json?as_of=2026-03-01"' in html
    assert 'href="/reports/2022-2023?as_of=2026-03-01"' in html  # the previous period of the same length
    data = client.get(f"/reports/2024-2025.json?as_of={AS_OF.isoformat()}").get_json()
    assert data["filters"]["first_year"] == 2024 and data["funnel"]["total"] == 7
    csv = client.get(f"/reports/2024-2025.csv?as_of={AS_OF.isoformat()}")
    assert csv.status_code == 200
    assert "outcome-report-2024-2025-as-of-2026-03-01.csv" in csv.headers["Content-Disposition"]
    assert [line.split(",")[0] for line in csv.get_data(as_text=True).splitlines()[1:]] == \
        ["R0", "R0b", "R1", "R2", "R3", "R4", "R5"]
    xlsx = client.get("/reports/2024-2025.xlsx")
    assert xlsx.status_code == 200 and "outcome-report-2024-2025.xlsx" in xlsx.headers["Content-Disposition"]
    # The single-year addresses stay as they were.
    assert client.get("/reports/2025.json").get_json()["filters"]["period"] == "2025"


@pytest.mark.parametrize("period, status, words", [
    ("2025-2020", 400, "runs backwards"), ("1990-2025", 400, "spans 36 years"),
    ("1850-1860", 400, "outside 1900–2200"), ("2020-20x5", 404, "is not a year"),
])
def test_a_bad_period_is_a_clear_message_never_a_500(client, auth, world, period, status, words):
    auth.login(role="viewer")
    for suffix in ("", ".csv", ".xlsx", ".pdf"):
        response = client.get(f"/reports/{period}{suffix}")
        assert response.status_code == status, suffix
        assert words in response.get_data(as_text=True), suffix
    response = client.get(f"/reports/{period}.json")
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["period"]
    assert words in response.get_json()["errors"]["period"] or status == 404


def test_a_report_date_before_the_period_is_refused_naming_the_field(client, auth, world):
    auth.login(role="viewer")
    response = client.get("/reports/2024-2025.json?as_of=2023-12-31")
    assert response.status_code == 400
    assert "on or after 1 January 2024" in response.get_json()["errors"]["as_of"]


def test_a_periods_uptake_events_are_by_year_and_a_years_by_month(make):
    """A month of several years means nothing: a period shows its uptake events year by year."""
    workshop = make.workshop(start_date=dt.date(2021, 3, 1), end_date=dt.date(2021, 3, 2))
    rec = make.recommendation(workshop=workshop)
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2021, 5, 1))
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=dt.date(2023, 5, 9))
    as_of = dt.date(2026, 1, 1)
    period = build_report(Filters(year=2023, first_year=2021, as_of=as_of)).uptake_events
    assert period["step"] == "year" and period["by_month"] == []
    assert [(r["year"], r["total"]) for r in period["by_year"]] == [(2021, 1), (2022, 0), (2023, 1)]
    assert period["by_year"][2]["counts"]["acknowledged"] == 1
    year = build_report(Filters(year=2023, as_of=as_of)).uptake_events
    assert year["step"] == "month" and year["by_year"] == []
    assert [r["total"] for r in year["by_month"]] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
