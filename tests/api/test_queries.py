"""A page of the API costs a fixed number of queries, however many items
it holds (no query per row)."""

from __future__ import annotations

import datetime as dt

from workshops.extensions import db


def _fill(make, series, n: int):
    theme = make.theme()
    body = make.track1_body()
    host = make.institute()
    for i in range(n):
        workshop = make.workshop(series=series, themes=[theme], host=host, start_date=dt.date(2024, 1, 1 + i))
        speaker = make.participation(workshop=workshop)
        make.agenda_item(workshop=workshop, people=[(speaker, "speaker")])
        rec = make.recommendation(workshop=workshop, themes=[theme], targets=[body])
        make.uptake_event(recommendation=rec, track1_body=body, recorded_by=make.user(role="organiser"))


def test_list_pages_cost_the_same_for_two_items_as_for_six(api, make, count_statements):
    caller = api.as_role("admin")
    caller.get("/me")  # the token's first use is recorded once; not part of what is measured
    small, large = make.series(), make.series()
    _fill(make, small, 2)
    _fill(make, large, 6)
    for path in ("/workshops?series={s}", "/recommendations?series={s}", "/people?network={n}",
                 "/series?network={n}", "/track1-bodies", "/networks"):
        costs = []
        for series in (small, large):
            db.session.expire_all()
            with count_statements() as statements:
                response = caller.get(path.format(s=series.id, n=series.network_id))
            assert response.status_code == 200, path
            costs.append(len(statements))
        assert costs[0] == costs[1], (path, costs)


def test_people_an_organiser_may_read_cost_the_same_for_two_as_for_six(api, make, count_statements):
    """The person-level rule is a condition in the query (people/access.py
    people_seen), not a check per person."""
    small, large = make.series(), make.series()
    _fill(make, small, 2)
    _fill(make, large, 6)
    caller = api.as_role("organiser", networks=[small.network, large.network])
    caller.get("/me")
    costs = []
    for series in (small, large):
        db.session.expire_all()
        with count_statements() as statements:
            response = caller.get(f"/people?network={series.network_id}")
        assert response.status_code == 200 and len(response.get_json()["items"]) in (2, 6)
        costs.append(len(statements))
    assert costs[0] == costs[1], costs


def test_a_workshop_and_its_participants_cost_the_same_whatever_their_size(api, make, count_statements):
    caller = api.as_role("admin")
    caller.get("/me")
    workshops = []
    for n in (1, 5):
        workshop = make.workshop()
        people = [make.participation(workshop=workshop) for _ in range(n)]
        for p in people:
            make.agenda_item(workshop=workshop, people=[(p, "chair"), (people[0], "speaker")] if p is not people[0]
                             else [(p, "chair")])
        workshops.append(workshop)
    for path in ("/workshops/{id}", "/workshops/{id}/agenda", "/workshops/{id}/participants"):
        costs = []
        for workshop in workshops:
            db.session.expire_all()
            with count_statements() as statements:
                assert caller.get(path.format(id=workshop.id)).status_code == 200
            costs.append(len(statements))
        assert costs[0] == costs[1], (path, costs)
