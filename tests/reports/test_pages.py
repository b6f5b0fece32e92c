"""The report as a person meets it: the list of years, the page with its
filters, its charts and glossary, and every kind of bad input."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from workshops.reports.definitions import DEFINITIONS

from .conftest import AS_OF

PAGE = f"/reports/2025?as_of={AS_OF.isoformat()}"


def headline_cells(page: str) -> dict:
    """{figure: (this year's data-value, last year's data-value)} from the headline table."""
    rows = re.findall(r'<tr data-figure="(\w+)">.*?data-value="([^"]*)".*?data-value="([^"]*)"', page, re.S)
    return {key: (value, previous) for key, value, previous in rows}


def as_cell(value) -> str:
    return "" if value is None else str(value)


def test_reports_need_a_login(client, world):
    for url in ("/reports/", PAGE, "/reports/2025.json", "/reports/2025.csv", "/reports/2025.xlsx",
                "/reports/2025.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_the_index_lists_the_years_with_data(client, auth, world):
    auth.login(role="viewer")
    page = client.get("/reports/").get_data(as_text=True)
    # Years with a workshop, a recommendation or an uptake event (2022, 2023: events only).
    for year in (2021, 2022, 2023, 2024, 2025, 2026):
        assert f'href="/reports/{year}"' in page
    assert 'href="/reports/2020"' not in page
    # 2025: two workshops held (the cancelled one is not), none planned, five recommendations.
    assert index_row(page, 2025)[:3] == ("2", "0", "5")


def index_row(page: str, year: int) -> tuple[str, ...]:
    """(held, planned, recommendations, uptake events) of a year on /reports/."""
    row = re.search(rf'Report {year}</a></th>(.*?)</tr>', page, re.S)
    return tuple(re.findall(r'data-value="(\d+)"', row.group(1)))


def test_a_viewer_reads_the_report_with_its_figures_charts_and_glossary(client, auth, world):
    auth.login(role="viewer")
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Outcome report 2025" in page
    assert "All networks · figures as of 1 March 2026" in page
    cells = headline_cells(page)
    assert cells["workshops_held"] == ("2", "1")
    assert cells["recommendations_made"] == ("5", "2")
    assert cells["median_days"] == ("30.0", "51.0")
    # Four charts, each an image with a title and a description, each with its data table beside it.
    for chart in ("chart-funnel", "chart-themes", "chart-uptake", "chart-sectors"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page and f'<desc id="{chart}-desc">' in page
    # And a small chart per series with recommendations in its window (substance.py): s1, s2, s3.
    assert page.count('role="img"') == 4 + 3
    # The glossary: every definition, with an anchor the figures link to.
    for key, (name, text) in DEFINITIONS.items():
        assert f'<dt id="def-{key}">{escape(name)}</dt>' in page
        assert str(escape(text)) in page
    assert 'href="#def-median_days"' in page
    # Downloads carry the same filters.
    assert f'href="/reports/2025.pdf?as_of={AS_OF.isoformat()}"' in page


def test_the_page_is_safe_under_a_strict_content_security_policy(client, auth, world):
    auth.login(role="viewer")
    page = client.get(PAGE).get_data(as_text=True)
    assert " style=" not in page and "<style" not in page
    assert "<script" not in page


def test_json_carries_the_same_figures_as_the_page(client, auth, world):
    auth.login(role="viewer")
    page = client.get(PAGE).get_data(as_text=True)
    data = client.get(f"/reports/2025.json?as_of={AS_OF.isoformat()}").get_json()
    cells = headline_cells(page)
    assert set(cells) == {row["key"] for row in data["headline"]}
    for row in data["headline"]:
        assert cells[row["key"]] == (as_cell(row["value"]), as_cell(row["previous"])), row["key"]
    stages = dict(re.findall(r'<tr data-stage="(\w+)">.*?data-value="(\d+)"', page, re.S))
    assert stages == {s["stage"]: str(s["count"]) for s in data["funnel"]["stages"]}
    assert data["filters"] == {"year": 2025, "first_year": 2025, "last_year": 2025, "period": "2025", "years": 1,
                               "report_date": "2026-03-01", "network": None, "series": None,
                               "theme": None, "funder": None, "funder_name": None}
    assert data["definitions"]["stale"]["definition"] == DEFINITIONS["stale"][1]


def test_filters_apply_to_the_page_and_every_download(client, auth, world):
    auth.login(role="viewer")
    query = f"network=NADI&theme=hadr&as_of={AS_OF.isoformat()}"
    page = client.get(f"/reports/2025?{query}").get_data(as_text=True)
    assert "NADI · theme “HADR”" in page
    assert '<option value="NADI" selected>' in page
    assert headline_cells(page)["recommendations_made"] == ("2", "2")  # R1, R2 this year; R0, R0b
    data = client.get(f"/reports/2025.json?{query}").get_json()
    assert data["filters"]["network"] == "NADI" and data["filters"]["theme"] == "hadr"
    assert data["funnel"]["total"] == 2
    csv_text = client.get(f"/reports/2025.csv?{query}").get_data(as_text=True)
    assert [line.split(",")[0] for line in csv_text.splitlines()[1:]] == ["R1", "R2"]


@pytest.mark.parametrize("year", ["abc", "20255", "0999", "2025.doc", "٢٠٢٥", "1899"])
def test_a_year_that_is_not_a_year_is_a_clear_404(client, auth, world, year):
    auth.login(role="viewer")
    response = client.get(f"/reports/{year}")
    assert response.status_code == 404
    assert "is not a year a report can be made for" in response.get_data(as_text=True)


def test_an_export_for_a_year_out_of_range_is_a_clear_404(client, auth, world):
    auth.login(role="viewer")
    response = client.get("/reports/99999.json")
    assert response.status_code == 404
    assert "is not a year" in response.get_data(as_text=True)


@pytest.mark.parametrize("query, field, message", [
    ("network=NOPE", "network", "There is no network “NOPE”"),
    ("series=no-such-series", "series", "There is no series “no-such-series”"),
    ("theme=%3Cscript%3Ealert(1)%3C/script%3E", "theme", "There is no theme “&lt;script&gt;alert(1)&lt;/script&gt;”"),
    ("as_of=yesterday", "as_of", "is not a date"),
    ("as_of=2024-12-31", "as_of", "must be on or after 1 January 2025"),
    ("network=%E2%80%AE%00%07" + "x" * 5000, "network", "There is no network"),
])
def test_unknown_filters_give_a_message_next_to_the_field_not_an_error(client, auth, world, query, field,
                                                                         message):
    auth.login(role="viewer")
    response = client.get(f"/reports/2025?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error" class="field-error">' in page
    assert message in page
    if field != "as_of":  # what was typed stays in the form, marked as not found
        assert "(not found)</option>" in page
    assert "<script>alert" not in page
    assert 'data-figure=' not in page  # no figures computed on a wrong filter


def test_unknown_filters_on_downloads_say_what_is_wrong(client, auth, world):
    auth.login(role="viewer")
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(f"/reports/2025.{fmt}?theme=nope")
        assert response.status_code == 400, fmt
        assert "There is no theme “nope”" in response.get_data(as_text=True)


@pytest.mark.parametrize(("query", "field", "words"), [
    ("as_of=2025-13-45", "as_of", "is not a date"),
    ("as_of=2024-12-31", "as_of", "on or after 1 January 2025"),
    ("theme=nope", "theme", "There is no theme “nope”"),
    ("network=XYZ", "network", "There is no network “XYZ”"),
])
def test_the_json_download_refuses_a_bad_filter_as_problem_details_naming_it(client, auth, world, query, field,
                                                                              words):
    auth.login(role="viewer")
    response = client.get(f"/reports/2025.json?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400 and list(problem["errors"]) == [field]
    assert words in problem["errors"][field]


def test_the_json_download_of_a_year_out_of_range_is_a_problem_not_a_page(client, auth, world):
    auth.login(role="viewer")
    response = client.get("/reports/2999.json")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert "1900 to 2200" in response.get_json()["detail"]


def test_a_year_without_data_says_so(client, auth, world):
    auth.login(role="viewer")
    response = client.get("/reports/2030")
    assert response.status_code == 200
    assert "Nothing is recorded for 2030" in response.get_data(as_text=True)
    data = client.get("/reports/2030.json").get_json()
    assert data["empty"] is True and data["activity"]["workshops_held"] == 0


def test_a_filter_combination_with_no_rows_is_an_empty_report(client, auth, world):
    auth.login(role="viewer")
    # The CSCAP maritime series is not NADI's: nothing matches both.
    page = client.get(f"/reports/2025?network=NADI&series=cscap-maritime&as_of={AS_OF.isoformat()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "with these filters" in text
    # And it says why: the series is another network's.
    assert "The series “CSCAP maritime study group” belongs to CSCAP, not NADI" in text
    own = client.get(f"/reports/2025?network=CSCAP&series=cscap-maritime&as_of={AS_OF.isoformat()}")
    assert "belongs to CSCAP, not" not in own.get_data(as_text=True)  # its own network: nothing to explain


def test_no_participant_is_named_on_the_page_or_in_the_json(client, auth, world):
    auth.login(role="viewer")
    page = client.get(PAGE).get_data(as_text=True)
    data = client.get(f"/reports/2025.json?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    for name in world.names:
        for part in name.split():
            assert part not in page and part not in data, part
