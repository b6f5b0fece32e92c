"""Recording, editing and deleting a workshop's recommendations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import form_errors
from workshops.extensions import db
from workshops.models import Recommendation

from .helpers import audit_entries, count, reload


def _form(world, **overrides) -> dict:
    data = {
        "title": "Joint HADR exercise",
        "reference": "NADI-2024-1",
        "text": "The meeting recommends a joint disaster relief exercise under the ADMM.",
        "theme_ids": [str(world.theme.id)],
        "target_ids": [str(world.admm.id), str(world.arf.id)],
        "priority": "high",
        "agenda_item_id": str(world.item.id),
    }
    data.update(overrides)
    return data


def test_an_organiser_records_a_recommendation_of_their_workshop(client, auth, world):
    user = auth.login(role="organiser", networks=[world.network])
    page = client.get(f"/workshops/{world.workshop.id}/recommendations/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Panel on disaster response" in html and "ASEAN Regional Forum" in html

    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new", data=_form(world))

    rec = db.session.scalar(select(Recommendation))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/recommendations/{rec.id}")
    assert rec.title == "Joint HADR exercise" and rec.priority == "high" and rec.reference == "NADI-2024-1"
    assert [t.name for t in rec.themes] == ["HADR"]
    assert sorted(t.acronym for t in rec.targets) == ["ADMM", "ARF"]
    assert rec.agenda_item_id == world.item.id
    (entry,) = audit_entries("Recommendation", "create")
    assert entry.user_id == user.id and entry.changes["title"] == [None, "Joint HADR exercise"]
    assert sorted(entry.changes["targets"][1]) == ["ADMM", "ARF"]

    detail = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Joint HADR exercise" in detail and "Proposed" in detail and "Panel on disaster response" in detail


def test_the_workshop_page_lists_its_recommendations_with_their_stages(client, auth, make, world):
    auth.login(role="viewer")
    rec = make.recommendation(workshop=world.workshop, title="Hotline among coast guards")
    make.uptake_event(recommendation=rec, stage="acknowledged")
    make.recommendation(workshop=world.other_workshop, title="Not this workshop")
    html = client.get(f"/workshops/{world.workshop.id}/recommendations").get_data(as_text=True)
    assert "Hotline among coast guards" in html and "stage-acknowledged" in html
    assert "Not this workshop" not in html
    assert "Record a recommendation" not in html  # a viewer reads only


def test_missing_title_and_text_are_refused_at_the_fields_and_input_is_kept(client, auth, world):
    auth.login(role="admin")
    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new",
                           data=_form(world, title="   ", text="", reference="KEEP-ME"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give the recommendation a short title." in form_errors(html)
    assert "Write the text of the recommendation." in form_errors(html)
    assert 'value="KEEP-ME"' in html
    assert count(Recommendation) == 0


def test_an_overlong_title_is_refused_with_its_length(client, auth, world):
    auth.login(role="admin")
    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new", data=_form(world, title="x" * 301))
    assert response.status_code == 422
    assert any("300" in e for e in form_errors(response.get_data(as_text=True)))
    assert count(Recommendation) == 0


def test_an_agenda_item_of_another_workshop_is_refused(client, auth, make, world):
    auth.login(role="admin")
    foreign = make.agenda_item(workshop=world.other_workshop, title="Elsewhere")
    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new",
                           data=_form(world, agenda_item_id=str(foreign.id)))
    assert response.status_code == 422
    assert "Pick one from the list." in form_errors(response.get_data(as_text=True))
    assert count(Recommendation) == 0


def test_tampered_theme_priority_and_target_values_get_plain_messages(client, auth, world):
    auth.login(role="admin")
    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new",
                           data=_form(world, theme_ids=["999999", "abc"], priority="urgent",
                                      target_ids=["-1"]))
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert errors.count("Pick only from the list.") == 2
    assert "Pick one from the list." in errors  # the priority
    assert count(Recommendation) == 0


def test_the_operation_refuses_an_agenda_item_and_themes_that_do_not_fit(app, auth, make, world):
    """The same rules hold for the JSON API, which calls the operation directly."""
    import pytest

    from workshops.audit.operations import Invalid
    from workshops.outcomes import operations as ops

    user = auth.login(role="admin")
    foreign = make.agenda_item(workshop=world.other_workshop, title="Elsewhere")
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        from flask_login import login_user

        login_user(user)
        ops.create_recommendation(user, world.workshop, {
            "title": "T", "text": "X", "agenda_item_id": foreign.id, "theme_ids": [123456],
            "priority": "urgent"})
    assert set(refused.value.errors) == {"agenda_item_id", "theme_ids", "priority"}
    assert count(Recommendation) == 0


def test_strange_characters_are_kept_harmless_and_control_characters_dropped(client, auth, world):
    auth.login(role="admin")
    title = "\u202eRTL <script>alert(1)</script> \x00\x07title"
    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new", data=_form(world, title=title))
    assert response.status_code == 302
    rec = db.session.scalar(select(Recommendation))
    assert rec.title == "\u202eRTL <script>alert(1)</script> title"
    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_cancelled_workshop_takes_no_recommendation(client, auth, make, world):
    auth.login(role="admin")
    cancelled = make.workshop(series=world.workshop.series, status="cancelled")
    response = client.post(f"/workshops/{cancelled.id}/recommendations/new", data=_form(world, agenda_item_id=""))
    assert response.status_code == 422
    assert "was cancelled" in response.get_data(as_text=True)
    assert count(Recommendation) == 0


def test_an_editor_changes_a_recommendation_and_the_history_shows_it(client, auth, make, world):
    auth.login(role="organiser", networks=[world.network])
    rec = make.recommendation(workshop=world.workshop, title="Old title", themes=[world.theme])
    form = client.get(f"/recommendations/{rec.id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in form

    response = client.post(f"/recommendations/{rec.id}/edit", data=_form(
        world, title="New title", theme_ids=[str(world.theme2.id)], version=str(rec.version)))

    assert response.status_code == 302
    rec = reload(rec)
    assert rec.title == "New title" and [t.name for t in rec.themes] == ["Maritime security"]
    (entry,) = audit_entries("Recommendation", "update")
    assert entry.changes["title"] == ["Old title", "New title"]
    assert entry.changes["themes"] == [["HADR"], ["Maritime security"]]
    detail = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "<del>Old title</del>" in detail


def test_an_edit_from_an_outdated_version_shows_what_changed_and_saves_nothing(client, auth, make, world):
    auth.login(role="admin")
    rec = make.recommendation(workshop=world.workshop, title="First")
    seen_version = rec.version
    # Someone else changes only the targets meanwhile: that too must count.
    client.post(f"/recommendations/{rec.id}/edit", data=_form(
        world, title="First", target_ids=[str(world.arf.id)], version=str(seen_version)))
    assert reload(rec).version == seen_version + 1

    response = client.post(f"/recommendations/{rec.id}/edit", data=_form(
        world, title="Mine, based on the old version", version=str(seen_version)))

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else changed this record" in html and "targets" in html
    assert 'value="Mine, based on the old version"' in html  # the user's text is kept
    assert reload(rec).title == "First"


def test_deleting_needs_confirmation_and_leaves_a_trace(client, auth, make, world):
    auth.login(role="admin")
    rec = make.recommendation(workshop=world.workshop, title="A duplicate entry")
    page = client.get(f"/recommendations/{rec.id}/delete")
    assert page.status_code == 200 and "Delete the recommendation" in page.get_data(as_text=True)
    assert count(Recommendation) == 1  # asking is not deleting

    response = client.post(f"/recommendations/{rec.id}/delete")
    assert response.status_code == 302
    assert count(Recommendation) == 0
    (entry,) = audit_entries("Recommendation", "delete")
    assert entry.object_label == "A duplicate entry"


def test_a_recommendation_with_uptake_events_cannot_be_deleted(client, auth, make, world):
    auth.login(role="admin")
    rec = make.recommendation(workshop=world.workshop)
    make.uptake_event(recommendation=rec, stage="transmitted")
    page = client.get(f"/recommendations/{rec.id}/delete").get_data(as_text=True)
    assert "has 1 uptake event" in page and "Delete the recommendation</button>" not in page
    response = client.post(f"/recommendations/{rec.id}/delete")
    assert response.status_code == 409
    assert count(Recommendation) == 1


def test_unknown_records_are_not_found(client, auth, world):
    auth.login(role="admin")
    assert client.get("/recommendations/999999").status_code == 404
    assert client.get("/workshops/999999/recommendations").status_code == 404
    assert client.post("/workshops/999999/recommendations/new", data={}).status_code == 404
    assert client.get("/recommendations/999999/edit").status_code == 404


def test_pages_need_a_login(client, world):
    for path in ("/recommendations", f"/workshops/{world.workshop.id}/recommendations", "/follow-up",
                 "/track1-bodies", "/search?q=x", "/audit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_dates_of_closure_default_to_today_on_the_form(client, auth, make, world):
    auth.login(role="admin")
    rec = make.recommendation(workshop=world.workshop)
    html = client.get(f"/recommendations/{rec.id}/close").get_data(as_text=True)
    assert f'value="{dt.date.today().isoformat()}"' in html


def test_an_overlong_reference_is_refused(client, auth, world):
    auth.login(role="admin")
    response = client.post(f"/workshops/{world.workshop.id}/recommendations/new",
                           data=_form(world, reference="R" * 41))
    assert response.status_code == 422
    assert any("40" in e for e in form_errors(response.get_data(as_text=True)))
    assert count(Recommendation) == 0
