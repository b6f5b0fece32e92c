"""The pages' one edit round (workshops/core/pages.py) as an organiser
meets it on the recommendation form: after a conflict the form carries the
version now saved, so saving again, having read what changed, goes through."""

from __future__ import annotations

import pytest

from workshops.core.pages import guarded

from .helpers import reload
from .test_recommendations import _form


def test_after_a_conflict_saving_again_goes_through(client, auth, make, world):
    auth.login(role="admin")
    rec = make.recommendation(workshop=world.workshop, title="First")
    seen = rec.version
    client.post(f"/recommendations/{rec.id}/edit", data=_form(world, title="Theirs", version=str(seen)))

    refused = client.post(f"/recommendations/{rec.id}/edit", data=_form(world, title="Mine", version=str(seen)))
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert f'name="version" type="hidden" value="{seen + 1}"' in html
    assert reload(rec).title == "Theirs"

    again = client.post(f"/recommendations/{rec.id}/edit", data=_form(world, title="Mine", version=str(seen + 1)))
    assert again.status_code == 302
    assert reload(rec).title == "Mine"


def test_a_page_cannot_be_declared_without_its_access_rule():
    with pytest.raises(TypeError):
        guarded(lambda workshop_id: None)
