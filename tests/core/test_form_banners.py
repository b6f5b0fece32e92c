"""The red conflict banner appears only after a save was refused because
someone else saved first; never on an empty form or on a form sent back for
a field error (templates/_conflict.html)."""

from __future__ import annotations

import pytest

BANNER = "Someone else changed this record"


@pytest.fixture
def places(make):
    network = make.network()
    workshop = make.workshop(series=make.series(network=network))
    recommendation = make.recommendation(workshop=workshop)
    return {"network": network.id, "workshop": workshop.id, "recommendation": recommendation.id}


NEW_FORMS = (
    "/workshops/new",
    "/workshops/{workshop}/agenda/new",
    "/workshops/{workshop}/recommendations/new",
    "/recommendations/{recommendation}/events/new",
    "/series/new",
    "/track1-bodies/new",
    "/networks/new",
    "/networks/{network}/institutes/new",
    "/people/new",
)


@pytest.mark.parametrize("path", NEW_FORMS)
def test_an_empty_new_form_shows_no_conflict_banner(client, auth, places, path):
    auth.login(role="admin")
    response = client.get(path.format(**places))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<form" in html
    assert BANNER not in html


@pytest.mark.parametrize("path", NEW_FORMS)
def test_a_new_form_sent_back_with_errors_shows_them_but_no_conflict_banner(client, auth, places, path):
    auth.login(role="admin")
    response = client.post(path.format(**places), data={})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html
    assert BANNER not in html


def test_the_banner_still_shows_when_someone_else_saved_first(client, auth, make):
    network = make.network(acronym="OLDNET")
    auth.login(role="admin")
    stale = network.version
    data = {"acronym": "NEWNET", "name": network.name, "slug": network.slug, "version": stale}
    assert client.post(f"/networks/{network.id}/edit", data=data).status_code == 302
    response = client.post(f"/networks/{network.id}/edit", data={**data, "acronym": "MINE"})
    assert response.status_code == 409
    assert BANNER in response.get_data(as_text=True)
