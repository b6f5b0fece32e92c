"""Who may change what: admins everything, organisers only within their
networks (a workshop's network is its series'), viewers nothing. Every
state-changing route refuses with 403 and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import AgendaItem, MemberInstitute, Network, Series, SeriesStatusChange, Workshop


@pytest.fixture
def world(make):
    """One network with everything in it, and a second network."""
    network = make.network(acronym="NADI")
    institute = make.institute(networks=[network])
    series = make.series(network=network, status_history=[("active", dt.date(2010, 1, 1), "")])
    workshop = make.workshop(series=series, status="draft", start_date=dt.date(2025, 6, 3),
                             end_date=dt.date(2025, 6, 4))
    item = make.agenda_item(workshop)
    empty = make.workshop(series=series, status="published")
    other = make.network(acronym="CSCAP")
    other_series = make.series(network=other)
    return {"network": network, "institute": institute, "series": series, "workshop": workshop, "item": item,
            "empty": empty, "other": other, "other_series": other_series}


class Seen:
    """A record as the form saw it: its id, and its version read now."""

    def __init__(self, obj):
        self.model, self.id = type(obj), obj.id

    @property
    def version(self):
        return db.session.scalar(select(self.model.version).where(self.model.id == self.id))


def routes(w):
    """(url, form data) of every state-changing route, each with data that
    would be accepted from someone with the right."""
    n, i, s, ws, it, e = (Seen(w[k]) for k in ("network", "institute", "series", "workshop", "item", "empty"))
    workshop_data = {"title": "T", "series": s.id, "host": 0, "start_date": "2025-06-03", "end_date": "2025-06-04",
                     "timezone": "Asia/Jakarta", "format": "online", "visibility": "public", "country": ""}
    item_data = {"title": "X", "kind": "panel", "day": "2025-06-03", "start": "11:00", "end": "12:00",
                 "status": "scheduled"}
    return [
        ("/networks/new", {"acronym": "NEW", "name": "New network"}),
        (f"/networks/{n.id}/edit", {"acronym": "NADI", "name": "Renamed", "version": n.version}),
        (f"/networks/{n.id}/institutes/new", {"name": "New institute", "country": "SG", "networks": [n.id]}),
        (f"/institutes/{i.id}/edit", {"name": "Renamed", "country": "SG", "networks": [n.id], "version": i.version}),
        ("/series/new", {"network": n.id, "name": "New series", "kind": "study_group"}),
        (f"/series/{s.id}/edit", {"network": n.id, "name": "Renamed", "kind": "study_group", "version": s.version}),
        (f"/series/{s.id}/status", {"status": "dormant", "effective_on": "2020-01-01"}),
        ("/workshops/new", workshop_data),
        (f"/workshops/{ws.id}/edit", {**workshop_data, "title": "Renamed", "version": ws.version}),
        (f"/workshops/{ws.id}/publish", {"version": ws.version}),
        (f"/workshops/{e.id}/unpublish", {"version": e.version}),
        (f"/workshops/{ws.id}/cancel", {"version": ws.version}),
        (f"/workshops/{ws.id}/reinstate", {"version": ws.version}),
        (f"/workshops/{e.id}/delete", {"version": e.version}),
        (f"/workshops/{ws.id}/clone", {"start_date": "2026-06-03", "title": "Next"}),
        (f"/workshops/{ws.id}/agenda/new", item_data),
        (f"/workshops/{ws.id}/agenda/{it.id}/edit", {**item_data, "version": it.version}),
        (f"/workshops/{ws.id}/agenda/{it.id}/move", {"day": "2025-06-04", "start": "09:00", "version": it.version}),
        (f"/workshops/{ws.id}/agenda/{it.id}/status", {"status": "cancelled", "version": it.version}),
        (f"/workshops/{ws.id}/agenda/{it.id}/delete", {"version": it.version}),
    ]


def snapshot():
    db.session.expire_all()
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m))
              for m in (AuditEntry, Network, MemberInstitute, Series, SeriesStatusChange, Workshop, AgendaItem)}
    states = db.session.execute(select(Workshop.title, Workshop.status, Workshop.version).order_by(Workshop.id)).all()
    items = db.session.execute(select(AgendaItem.starts_at, AgendaItem.status, AgendaItem.version)).all()
    names = db.session.scalars(select(Network.name).order_by(Network.id)).all()
    return counts, states, items, names


def test_viewers_may_change_nothing(client, auth, world):
    auth.login(role="viewer")
    before = snapshot()
    for url, data in routes(world):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, data=data).status_code == 403, url
    assert snapshot() == before


def test_organisers_may_change_nothing_in_another_network(client, auth, world):
    auth.login(role="organiser", networks=[world["other"]])
    before = snapshot()
    for url, data in routes(world):
        assert client.post(url, data=data).status_code == 403, url
    assert snapshot() == before


def test_organisers_may_not_create_or_edit_networks_even_their_own(client, auth, world):
    auth.login(role="organiser", networks=[world["network"]])
    before = snapshot()
    network = world["network"]
    for url, data in routes(world)[:2]:
        assert client.post(url, data=data).status_code == 403, url
    assert client.get(f"/networks/{network.id}/edit").status_code == 403
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    before = snapshot()
    for url, data in routes(world):
        response = client.post(url, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in ("/networks", "/series", "/workshops", f"/workshops/{world['workshop'].id}/agenda"):
        assert "/login" in client.get(url).headers["Location"]
    assert snapshot() == before


def test_the_organiser_of_the_network_may_do_all_of_it(client, auth, world):
    """The same requests succeed for the network's organiser: the refusals
    above come from the rule, not from bad data."""
    auth.login(role="organiser", networks=[world["network"]])
    for n in range(2, len(routes(world))):
        url, data = routes(world)[n]
        response = client.post(url, data=data)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:3000])


def test_an_organiser_cannot_move_a_series_or_workshop_into_another_network(client, auth, world):
    auth.login(role="organiser", networks=[world["network"]])
    series, workshop = world["series"], world["workshop"]
    before = snapshot()

    moved_series = client.post(f"/series/{series.id}/edit", data={
        "network": world["other"].id, "name": series.name, "kind": "study_group", "version": series.version})
    moved_workshop = client.post(f"/workshops/{workshop.id}/edit", data={
        "title": workshop.title, "series": world["other_series"].id, "start_date": "2025-06-03",
        "end_date": "2025-06-04", "timezone": "Asia/Jakarta", "format": "online", "visibility": "public",
        "version": workshop.version})

    assert (moved_series.status_code, moved_workshop.status_code) == (403, 403)
    assert snapshot() == before
