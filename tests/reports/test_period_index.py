"""Reports over several years can be found from /reports/: links to the last
3 and 5 years and a form for any period, which goes on to the period's own
address (/reports/<first>-<last>) and is refused there with the reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest


def test_the_index_says_reports_cover_periods_and_names_every_filter(client, auth, world):
    auth.login(role="viewer")
    page = client.get("/reports/").get_data(as_text=True)
    assert "One report per calendar year" not in page
    assert "period of up to 30 years" in page
    assert "network, series, theme or funder" in page


def test_the_index_links_the_last_3_and_5_years_and_the_links_open_those_reports(client, auth, world):
    auth.login(role="viewer")
    this_year = dt.date.today().year
    page = client.get("/reports/").get_data(as_text=True)
    for years in (3, 5):
        first = this_year - years + 1
        assert f'href="/reports/{first}-{this_year}"' in page
        report = client.get(f"/reports/{first}-{this_year}")
        assert report.status_code == 200
        assert f"Outcome report {first}–{this_year}" in report.get_data(as_text=True)


def test_the_period_form_has_a_first_and_a_last_year_and_opens_the_period_report(client, auth, world):
    auth.login(role="viewer")
    page = client.get("/reports/").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/reports/"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no period form on /reports/"
    for name in ("first", "last"):
        select = re.search(rf'<select id="period-{name}" name="{name}">(.*?)</select>', form.group(1), re.S)
        assert select and '<option value="2025"' in select.group(1)
        assert re.search(rf'<label for="period-{name}">', form.group(1))
    response = client.get("/reports/?first=2022&last=2025")
    assert response.status_code == 302 and response.headers["Location"] == "/reports/2022-2025"
    report = client.get("/reports/?first=2022&last=2025", follow_redirects=True)
    assert report.status_code == 200 and "Outcome report 2022–2025" in report.get_data(as_text=True)


@pytest.mark.parametrize("query, location", [
    ("first=2025&last=2025", "/reports/2025"),
    ("first=2024", "/reports/2024"),
    ("last=2023", "/reports/2023"),
    ("first=+2021+&last=2022", "/reports/2021-2022"),
])
def test_one_year_or_a_spaced_year_goes_to_the_address_of_its_report(client, auth, world, query, location):
    auth.login(role="viewer")
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 302 and response.headers["Location"] == location


@pytest.mark.parametrize("query, reason", [
    ("first=2025&last=2020", "runs backwards"),
    ("first=1990&last=2025", "at most 30 years"),
    ("first=1800&last=2025", "outside 1900–2200"),
    ("first=twenty&last=2025", "Choose the first and the last year"),
    ("first=2020-2021&last=2025", "Choose the first and the last year"),
])
def test_a_bad_period_from_the_form_is_a_400_with_the_reason(client, auth, world, query, reason):
    auth.login(role="viewer")
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)


def test_the_period_form_needs_a_login(client, world):
    response = client.get("/reports/?first=2022&last=2025")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
