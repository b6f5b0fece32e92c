"""Recording the road into Track-1: uptake events and the derived stage."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import form_errors
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent
from workshops.outcomes.operations import reference_problem, url_problem
from workshops.outcomes.progress import stage_rank_of

from .helpers import audit_entries, count, reload


def _event(world, **overrides) -> dict:
    data = {
        "occurred_on": "2024-08-01",
        "stage": "acknowledged",
        "track1_body_id": str(world.arf.id),
        "evidence_kind": "statement",
        "title": "ARF Chairman's Statement, paragraph 41",
        "references-0-url": "https://asean.org/arf/chairmans-statement-2024",
        "excerpt": "The Meeting welcomed the proposal for a hotline.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def rec(make, world):
    return make.recommendation(workshop=world.workshop, title="Hotline among coast guards", targets=[world.arf])


def test_an_organiser_records_an_uptake_event_and_the_stage_follows(client, auth, world, rec):
    user = auth.login(role="organiser", networks=[world.network])
    form = client.get(f"/recommendations/{rec.id}/events/new").get_data(as_text=True)
    assert f'<option selected value="{world.arf.id}">' in form or f'value="{world.arf.id}" selected' in form

    before = dt.datetime.now(dt.UTC)
    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world))

    assert response.status_code == 302 and response.headers["Location"].endswith("#timeline")
    event = db.session.scalar(select(UptakeEvent))
    assert event.stage == "acknowledged" and event.occurred_on == dt.date(2024, 8, 1)
    assert event.track1_body_id == world.arf.id and event.evidence_kind == "statement"
    assert event.recorded_by_id == user.id and event.recorded_at >= before - dt.timedelta(seconds=1)
    assert reload(rec).stage == "acknowledged"
    (entry,) = audit_entries("UptakeEvent", "create")
    assert entry.user_id == user.id and entry.changes["stage"] == [None, "acknowledged"]

    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "ARF Chairman&#39;s Statement, paragraph 41" in page
    assert 'href="https://asean.org/arf/chairmans-statement-2024"' in page
    assert f"Recorded by {user.name}" in page
    assert "The Meeting welcomed the proposal for a hotline." in page


def test_an_event_before_the_workshop_began_is_refused_at_the_date(client, auth, world, rec):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, occurred_on="2024-03-03"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any("before the workshop began (04 March 2024)" in e for e in form_errors(html))
    assert 'value="2024-03-03"' in html
    assert count(UptakeEvent) == 0


def test_a_date_before_the_workshop_and_a_bad_link_are_both_shown_in_one_round(client, auth, world, rec):
    """The form refuses the link itself; the date rule is the operation's. Both
    messages come back from the one submit, each at its field, and nothing is saved."""
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(
        world, occurred_on="2024-03-03", **{"references-0-url": "javascript:alert(1)"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = form_errors(html)
    assert any("before the workshop began (04 March 2024)" in e for e in errors), errors
    assert any("Only http:// and https:// links are accepted" in e for e in errors), errors
    assert 'id="occurred_on-error"' in html
    assert count(UptakeEvent) == 0 and reload(rec).stage != "acknowledged"


def test_adding_a_source_row_shows_no_errors_yet(client, auth, world, rec):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new",
                           data=_event(world, occurred_on="2024-03-03", add_reference="Add another source"))
    assert response.status_code == 200 and form_errors(response.get_data(as_text=True)) == []
    assert count(UptakeEvent) == 0


def test_editing_an_event_shows_the_date_and_the_link_problems_together(client, auth, world, rec, make):
    auth.login(role="admin")
    client.post(f"/recommendations/{rec.id}/events/new", data=_event(world))
    event = db.session.scalar(select(UptakeEvent))
    response = client.post(f"/recommendations/{rec.id}/events/{event.id}/edit", data=_event(
        world, occurred_on="2024-03-03", version=str(event.version), **{"references-0-url": "javascript:x"}))
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert any("before the workshop began" in e for e in errors) and any("Only http://" in e for e in errors)
    assert reload(event).occurred_on == dt.date(2024, 8, 1)


def test_the_first_day_of_the_workshop_and_today_are_accepted(client, auth, world, rec):
    auth.login(role="admin")
    for day in ("2024-03-04", dt.date.today().isoformat()):
        response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, occurred_on=day))
        assert response.status_code == 302, day
    assert count(UptakeEvent) == 2


def test_a_future_date_is_refused_with_a_clear_message(client, auth, world, rec):
    auth.login(role="admin")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, occurred_on=tomorrow))
    assert response.status_code == 422
    (error,) = form_errors(response.get_data(as_text=True))
    assert "This date is in the future" in error and "record an event once it has happened" in error
    assert count(UptakeEvent) == 0


@pytest.mark.parametrize("value, message", [
    ("", "Enter the date of the event."),
    ("1 August 2024", "Enter the date as YYYY-MM-DD"),
    ("2024-02-30", "Enter the date as YYYY-MM-DD"),
])
def test_a_missing_or_unreadable_date_is_refused(client, auth, world, rec, value, message):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new", data=_event(world, occurred_on=value))
    assert response.status_code == 422
    assert any(message in e for e in form_errors(response.get_data(as_text=True)))
    assert count(UptakeEvent) == 0


@pytest.mark.parametrize("reference", [
    "https://asean.org/wp-content/uploads/2024/07/ARF-31-Chairmans-Statement.pdf",
    "http://www.mofa.go.jp/press/release.html",
    "ARF/SOM/2025/3",
    "Chairman's Statement of the 31st ARF, para. 41",
    "",
])
def test_links_and_document_symbols_are_accepted(reference):
    assert reference_problem(reference) is None


@pytest.mark.parametrize("reference", [
    "https://not a link",
    "https://",
    "http:/asean.org",
    "https://localhost",
    "www.asean.org/statement",
    "javascript:alert(1)",
    "ftp://files.example.org/a.pdf",
])
def test_something_that_is_not_quite_a_link_is_refused(reference):
    assert reference_problem(reference) is not None


def test_a_source_s_web_address_must_be_one_and_a_symbol_goes_in_the_label():
    assert url_problem("https://asean.org/statement") is None
    assert "goes in the label" in url_problem("ARF/SOM/2025/3")


def test_a_broken_link_is_refused_at_the_field(client, auth, world, rec):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new",
                           data=_event(world, **{"references-0-url": "https://asean org/statement"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any("does not look like a web address" in e for e in form_errors(html))
    assert 'id="references-0-url-error"' in html  # at its own row
    assert count(UptakeEvent) == 0


def test_title_stage_and_evidence_kind_are_required(client, auth, world, rec):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new",
                           data=_event(world, title=" ", stage="rumoured", evidence_kind="gossip",
                                       track1_body_id="999999"))
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Give the event a title, such as the document&#39;s name." in errors
    assert errors.count("Pick one from the list.") == 3
    assert count(UptakeEvent) == 0


def test_editing_an_event_moves_the_stage_and_keeps_who_first_recorded_it(client, auth, make, world, rec):
    event = make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 4, 1))
    recorder = event.recorded_by_id
    editor = auth.login(role="organiser", networks=[world.network])
    response = client.post(f"/recommendations/{rec.id}/events/{event.id}/edit",
                           data=_event(world, stage="adopted", version=str(event.version)))
    assert response.status_code == 302
    event = reload(event)
    assert event.stage == "adopted" and event.recorded_by_id == recorder
    assert reload(rec).stage == "adopted"
    (entry,) = audit_entries("UptakeEvent", "update")
    assert entry.user_id == editor.id and entry.changes["stage"] == ["transmitted", "adopted"]


def test_an_outdated_event_edit_is_refused_and_shows_the_change(client, auth, make, world, rec):
    event = make.uptake_event(recommendation=rec, stage="transmitted", title="First title")
    auth.login(role="admin")
    old = str(event.version)
    assert client.post(f"/recommendations/{rec.id}/events/{event.id}/edit",
                       data=_event(world, title="Second title", version=old)).status_code == 302
    response = client.post(f"/recommendations/{rec.id}/events/{event.id}/edit",
                           data=_event(world, title="Third title", version=old))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else changed this record" in html and "Second title" in html
    assert reload(event).title == "Second title"


def test_deleting_an_event_asks_first_and_the_stage_falls_back(client, auth, make, world, rec):
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 4, 1))
    adopted = make.uptake_event(recommendation=rec, stage="adopted", occurred_on=dt.date(2024, 9, 1))
    auth.login(role="admin")
    page = client.get(f"/recommendations/{rec.id}/events/{adopted.id}/delete")
    assert page.status_code == 200 and "Delete the event" in page.get_data(as_text=True)
    assert count(UptakeEvent) == 2

    assert client.post(f"/recommendations/{rec.id}/events/{adopted.id}/delete").status_code == 302
    assert count(UptakeEvent) == 1
    assert reload(rec).stage == "transmitted"
    (entry,) = audit_entries("UptakeEvent", "delete")
    assert f"recommendation #{rec.id}" in entry.note


def test_an_event_is_reached_only_through_its_own_recommendation(client, auth, make, world, rec):
    other = make.recommendation(workshop=world.workshop)
    event = make.uptake_event(recommendation=rec)
    auth.login(role="admin")
    assert client.get(f"/recommendations/{other.id}/events/{event.id}/edit").status_code == 404
    assert client.post(f"/recommendations/{other.id}/events/{event.id}/delete").status_code == 404
    assert count(UptakeEvent) == 1


# --------------------------------------------------------------------------- the derived stage


def _sql_stage(rec) -> str:
    rank = db.session.scalar(select(stage_rank_of(Recommendation.id)).where(Recommendation.id == rec.id))
    return ["proposed", "transmitted", "acknowledged", "adopted", "implemented"][rank]


def test_without_events_a_recommendation_is_proposed(make, world):
    rec = make.recommendation(workshop=world.workshop)
    assert reload(rec).stage == "proposed" == _sql_stage(rec)


def test_the_stage_is_the_furthest_reached_whatever_the_order_of_dates(make, world):
    """An acknowledgement dated before a later, lesser event still counts:
    the road is measured by how far it went, not by the latest step."""
    rec = make.recommendation(workshop=world.workshop)
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=dt.date(2024, 6, 1))
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 9, 1))
    make.uptake_event(recommendation=rec, stage="proposed", occurred_on=dt.date(2024, 3, 6))
    assert reload(rec).stage == "acknowledged" == _sql_stage(rec)


def test_closing_does_not_erase_the_road_travelled(make, world):
    rec = make.recommendation(workshop=world.workshop, closed_as="declined", closed_on=dt.date(2025, 1, 1),
                              closed_reason="The ARF declined.")
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 6, 1))
    assert reload(rec).stage == "transmitted" == _sql_stage(rec)


def test_the_list_filters_and_sorts_by_the_derived_stage(client, auth, make, world):
    auth.login(role="viewer")
    make.recommendation(workshop=world.workshop, title="Nothing yet")
    mixed = make.recommendation(workshop=world.workshop, title="Went far")
    make.uptake_event(recommendation=mixed, stage="adopted", occurred_on=dt.date(2024, 5, 1))
    make.uptake_event(recommendation=mixed, stage="transmitted", occurred_on=dt.date(2024, 9, 1))
    sent = make.recommendation(workshop=world.workshop, title="Only sent")
    make.uptake_event(recommendation=sent, stage="transmitted", occurred_on=dt.date(2024, 5, 1))

    adopted = client.get("/recommendations?stage=adopted").get_data(as_text=True)
    assert "Went far" in adopted and "Only sent" not in adopted and "Nothing yet" not in adopted
    proposed = client.get("/recommendations?stage=proposed").get_data(as_text=True)
    assert "Nothing yet" in proposed and "Went far" not in proposed

    html = client.get("/recommendations?sort=stage_desc").get_data(as_text=True)
    assert html.index("Went far") < html.index("Only sent") < html.index("Nothing yet")


def test_overlong_reference_and_excerpt_are_refused_with_their_limits(client, auth, world, rec):
    auth.login(role="admin")
    response = client.post(f"/recommendations/{rec.id}/events/new",
                           data=_event(world, **{"references-1-label": "ARF/" + "9" * 600}, excerpt="x" * 5001))
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert any("500" in e for e in errors) and any("5000" in e for e in errors)
    assert count(UptakeEvent) == 0
