"""Every list page and API list is Flask-SQLAlchemy's db.paginate behind
core/pagination.py: a ?page= that is not a plain page number below a million
is page 1 (db.paginate's own int() would take '+2', ' 2', '1_0' and numbers
whose offset overflows the database), ?per_page= in an address never changes
a page's size, a page past the end is empty rather than 404, and the API
counts at least one page."""

from __future__ import annotations

import pytest

TITLES = [f"Workshop {letter}" for letter in "ABCDE"]


@pytest.fixture
def five_workshops(make, auth, app):
    series = make.series()
    for title in TITLES:
        make.workshop(series=series, title=title)
    auth.login(role="viewer")
    app.config["PAGE_SIZE"] = 2


def shown(client, query: str) -> tuple[list[str], str]:
    response = client.get("/workshops?sort=title" + query)
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    return [t for t in TITLES if t in html], html


@pytest.mark.parametrize("page", ["+2", "%202", "2%20", "1_0", "0", "-1", "abc", "1" + "0" * 30, "1000000",
                                  "2.0", ""])
def test_a_page_number_that_is_not_plain_is_the_first_page(client, five_workshops, page):
    titles, html = shown(client, f"&page={page}")

    assert titles == TITLES[:2]
    assert "5 workshops · page 1 of 3" in html


def test_the_address_cannot_change_how_many_a_page_shows(client, five_workshops):
    titles, _ = shown(client, "&per_page=1")
    assert titles == TITLES[:2]
    titles, _ = shown(client, "&per_page=100&page=3")
    assert titles == TITLES[4:]


def test_a_page_past_the_end_is_empty_and_leads_back(client, five_workshops):
    titles, html = shown(client, "&page=999999")

    assert titles == []
    assert 'rel="prev"' in html and 'rel="next"' not in html

