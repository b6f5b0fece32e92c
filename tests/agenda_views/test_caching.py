"""Agendas and feeds carry an ETag worked out by one small query before
anything is rendered: a client that has the current version gets 304 for
almost nothing, and any change to what the agenda shows changes the ETag.
The agenda costs a fixed number of SQL statements however long it is."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import AgendaItemPerson

from .conftest import change

FEEDS = ["", "/agenda.ics", "/schedule.xml", "/schedule.json"]


def etag_of(client, url, **kw) -> str:
    response = client.get(url, **kw)
    assert response.status_code == 200
    assert response.headers["ETag"]
    return response.headers["ETag"]


@pytest.mark.parametrize("suffix", [*FEEDS, "/agenda.pdf", "item"])
def test_a_client_with_the_current_version_gets_304(client, programme, suffix, count_statements):
    p = programme(visibility="public", per_day=2, people=2)
    url = p.url(f"/items/{p.items[0].uid}.ics" if suffix == "item" else suffix)
    etag = etag_of(client, url)

    with count_statements() as statements:
        response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    # One statement decides access and the ETag (a session's file: one more to find the item).
    assert len(statements) == (2 if suffix == "item" else 1)


def test_a_personal_link_gets_304_too(client, programme):
    p = programme(visibility="participants", per_day=2, people=2)
    url = p.personal_url(p.participations[0], "/agenda.ics")
    etag = etag_of(client, url)

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def _add_discussant(item, participation):
    with unit_of_work(system="test"):
        item.people.append(AgendaItemPerson(participation=participation, role="discussant", position=5))


CHANGES = {
    "an item is edited": lambda p: change(p.items[0], title="Renamed session"),
    "an item is cancelled": lambda p: change(p.items[1], status="cancelled"),
    "an item is removed": lambda p: _remove(p.items[1]),
    "a discussant is added": lambda p: _add_discussant(p.items[0], p.participations[2]),
    "a role changes": lambda p: change(p.items[0].people[0], role="discussant"),
    "a person is renamed": lambda p: change(p.participations[0].person, full_name="New Name"),
    "consent is withdrawn": lambda p: change(p.participations[2], consent_to_list=False),
    "the workshop is edited": lambda p: change(p.workshop, venue="Another hotel"),
    "the series is renamed": lambda p: change(p.workshop.series, name="Renamed series"),
}


def _remove(item):
    with unit_of_work(system="test"):
        db.session.delete(item)


@pytest.mark.parametrize("what", list(CHANGES))
def test_any_change_to_what_the_agenda_shows_changes_the_etag(client, programme, what):
    p = programme(visibility="participants", per_day=3, people=3)
    url = p.secret_url()
    before = etag_of(client, url)
    feed_before = etag_of(client, url + "/agenda.ics")

    CHANGES[what](p)

    response = client.get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before
    assert etag_of(client, url + "/agenda.ics") != feed_before


def test_changes_to_another_workshop_leave_this_etag_alone(client, programme):
    p = programme(visibility="participants", per_day=2, people=3)
    other = programme(visibility="participants", per_day=2, people=3)
    before = etag_of(client, p.secret_url())

    change(other.items[0], title="Elsewhere")
    change(other.items[0].people[0], role="discussant")
    change(other.participations[0], consent_to_list=False)
    change(other.participations[0].person, full_name="Someone Else")

    assert etag_of(client, p.secret_url()) == before


def test_the_etag_differs_by_zone_and_by_link(client, programme):
    p = programme(visibility="public", per_day=1, people=2)

    etags = {
        etag_of(client, p.url()),
        etag_of(client, p.url() + "?tz=Europe/London"),
        etag_of(client, p.secret_url()),
        etag_of(client, p.personal_url(p.participations[0])),
        etag_of(client, p.personal_url(p.participations[1])),
    }

    assert len(etags) == 5


def test_a_repeat_visit_is_served_from_the_render_cache_until_the_data_changes(client, programme,
                                                                                count_statements):
    p = programme(visibility="public", per_day=3, people=3)
    with count_statements() as first:
        page = client.get(p.url()).data
    with count_statements() as again:
        repeat = client.get(p.url()).data

    assert repeat == page
    assert len(again) < len(first)

    change(p.items[0], title="A fresher title")

    assert b"A fresher title" in client.get(p.url()).data


def test_an_organisers_page_is_never_served_to_anyone_else(client, auth, programme):
    p = programme(visibility="public", per_day=1, people=3)
    auth.login(role="organiser", networks=[p.workshop.series.network])
    assert b"Share links" in client.get(p.url()).data
    assert b'id="participants-heading"' in client.get(p.url()).data
    auth.logout()

    body = client.get(p.url()).data

    assert b"Share links" not in body
    assert b'id="participants-heading"' not in body


def test_public_agendas_may_be_kept_by_caches_but_link_pages_may_not(client, programme):
    p = programme(visibility="public", per_day=1, people=2)

    public = client.get(p.url())
    personal = client.get(p.personal_url(p.participations[0]))

    assert "public" in public.headers["Cache-Control"] and "no-cache" in public.headers["Cache-Control"]
    assert "public" not in personal.headers["Cache-Control"]
    assert personal.headers["Referrer-Policy"] == "no-referrer"


# --- A fixed number of SQL statements -------------------------------------------------


@pytest.fixture
def statements_for(client, count_statements):
    """statements_for(url): how many SQL statements a GET of the page sends."""

    def count(url) -> int:
        with count_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(statements)

    return count


@pytest.fixture
def big_and_small(programme):
    big = programme(days=3, per_day=15, people=80, visibility="public", start_date=dt.date(2025, 6, 3))
    small = programme(days=1, per_day=2, people=3, visibility="public", start_date=dt.date(2025, 7, 1))
    assert len(big.items) == 45 and len(big.participations) == 80
    return big, small


def test_the_agenda_costs_the_same_statements_for_45_items_as_for_2(client, auth, big_and_small, statements_for):
    big, small = big_and_small
    visitors = {
        "anonymous": lambda p: p.url(),
        "secret link": lambda p: p.secret_url(),
        "personal link": lambda p: p.personal_url(p.participations[1]),
    }
    counts = {who: (statements_for(url(big)), statements_for(url(small)))
              for who, url in visitors.items()}
    # Holding the user keeps it in the (test-shared) session, so loading the
    # user and their networks is not counted against one page or the other.
    organiser = auth.login(role="organiser", networks=[big.workshop.series.network, small.workshop.series.network])
    client.get("/agenda/")
    counts["organiser"] = (statements_for(big.url()), statements_for(small.url()))
    assert organiser.networks

    for who, (big_count, small_count) in counts.items():
        assert big_count == small_count, who
        assert big_count <= 10, who


def test_the_feeds_cost_the_same_statements_whatever_their_size(big_and_small, statements_for):
    big, small = big_and_small

    for suffix in ("/agenda.ics", "/schedule.xml", "/schedule.json"):
        assert statements_for(big.url(suffix)) == statements_for(small.url(suffix)), suffix


def test_the_pdf_agenda_is_a_pdf(client, programme):
    p = programme(visibility="public", per_day=4, people=5)

    response = client.get(p.secret_url("/agenda.pdf") + "?tz=Europe/London")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f'filename="{p.slug}-agenda.pdf"' in response.headers["Content-Disposition"]
