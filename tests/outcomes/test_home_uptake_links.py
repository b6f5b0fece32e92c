"""The home page: each "latest sign of uptake" links to its recommendation,
at the event (issue 15, item 4)."""

from __future__ import annotations

from ..people.conftest import text_of


def test_each_latest_sign_of_uptake_links_to_its_recommendation(client, make, auth):
    rec = make.recommendation(title="Establish a regional HADR coordination cell")
    event = make.uptake_event(recommendation=rec, title="Cited in the ADMM-Plus statement")
    auth.login(role="viewer")
    page = text_of(client.get("/"))
    link = f'<a href="/recommendations/{rec.id}#event-{event.id}">Establish a regional HADR coordination cell</a>'
    assert link in page
    assert client.get(f"/recommendations/{rec.id}").status_code == 200
