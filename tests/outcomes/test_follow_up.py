"""The follow-up list: open recommendations not yet adopted with no event
for twelve months (from the workshop's end when none), quietest first."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import Recommendation
from workshops.outcomes.progress import is_stale, stale_condition

from .helpers import days_ago


@pytest.fixture
def road(make, world):
    """Ten recommendations whose staleness today is worked out by hand.
    `world.network` is "mine" (NADI), `world.other_network` the other one."""
    mine = world.workshop.series
    other = make.series(network=world.other_network)

    def workshop(series, ended_days_ago):
        return make.workshop(series=series, start_date=days_ago(ended_days_ago + 1),
                             end_date=days_ago(ended_days_ago))

    old_mine, old_other = workshop(mine, 900), workshop(other, 800)
    recs = {}

    def rec(key, w, events=(), **kw):
        recs[key] = make.recommendation(workshop=w, title=f"Recommendation {key}", **kw)
        for stage, ago in events:
            make.uptake_event(recommendation=recs[key], stage=stage, occurred_on=days_ago(ago))

    rec("C", old_other, [("transmitted", 500)])                      # stale, quiet 500 days
    rec("A", workshop(mine, 400))                                    # stale, 400 days since the workshop
    rec("D", old_mine, [("transmitted", 450), ("acknowledged", 366)])  # stale, 366 days
    rec("H", workshop(other, 365))                                   # stale: exactly twelve months
    rec("H2", workshop(mine, 364))                                   # one day short of stale
    rec("B", workshop(mine, 100))                                    # recent workshop
    rec("E", old_mine, [("adopted", 800)])                           # adopted: never stale
    rec("I", old_mine, [("implemented", 850)])                       # implemented: never stale
    rec("F", old_mine, closed_as="withdrawn", closed_on=days_ago(700), closed_reason="Dropped.")
    rec("G", old_mine, [("transmitted", 700), ("acknowledged", 30)])  # moved a month ago
    return recs


def _titles(html: str) -> list[str]:
    return re.findall(r">Recommendation (\w+)</a>", html)


def test_the_follow_up_list_holds_the_stale_ones_quietest_first(client, auth, road):
    auth.login(role="admin")
    html = client.get("/follow-up").get_data(as_text=True)
    assert _titles(html) == ["C", "A", "D", "H"]
    assert "500 days" in html and "400 days" in html and "366 days" in html and "365 days" in html
    assert f'href="/recommendations/{road["C"].id}/events/new"' in html


def test_sql_and_python_agree_on_who_is_stale(app, road):
    from workshops.outcomes.operations import today

    stale_ids = set(db.session.scalars(select(Recommendation.id).where(stale_condition(today()))))
    assert stale_ids == {road[k].id for k in ("C", "A", "D", "H")}
    db.session.expire_all()
    for key, rec in road.items():
        assert is_stale(db.session.get(Recommendation, rec.id), today()) == (rec.id in stale_ids), key


def test_an_organiser_sees_their_networks_first_and_can_keep_to_them(client, auth, world, road):
    auth.login(role="organiser", networks=[world.network])
    html = client.get("/follow-up").get_data(as_text=True)
    assert _titles(html) == ["A", "D", "C", "H"]
    assert "2 of them in your networks." in html
    assert _titles(client.get("/follow-up?network=mine").get_data(as_text=True)) == ["A", "D"]
    other = client.get(f"/follow-up?network={world.other_network.id}").get_data(as_text=True)
    assert _titles(other) == ["C", "H"]
    # The quick link to add an event is offered only where they may add one.
    assert f'href="/recommendations/{road["A"].id}/events/new"' in html
    assert f'href="/recommendations/{road["C"].id}/events/new"' not in html


def test_the_navigation_counts_what_waits_for_each_editor(client, auth, world, road):
    auth.login(role="organiser", networks=[world.network])
    nav = client.get("/recommendations").get_data(as_text=True)
    assert '<span class="badge">2<span class="visually-hidden"> waiting</span></span>' in nav
    auth.logout()
    auth.login(role="admin")
    nav = client.get("/recommendations").get_data(as_text=True)
    assert '<span class="badge">4<span class="visually-hidden"> waiting</span></span>' in nav
    auth.logout()
    auth.login(role="viewer")
    nav = client.get("/recommendations").get_data(as_text=True)
    assert 'class="badge"' not in nav and ">Follow-up<" not in nav


def test_the_recommendations_list_offers_the_same_stale_filter(client, auth, road):
    auth.login(role="viewer")
    html = client.get("/recommendations?status=stale&sort=quiet").get_data(as_text=True)
    assert _titles(html) == ["C", "A", "D", "H"]
    closed = _titles(client.get("/recommendations?status=closed").get_data(as_text=True))
    assert closed == ["F"]


def test_an_unknown_network_filter_is_ignored_with_a_note(client, auth, road):
    auth.login(role="admin")
    response = client.get("/follow-up?network=%00%3Cscript%3E")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "this filter was ignored" in html and _titles(html) == ["C", "A", "D", "H"]
