"""The Track-1 bodies registry: list, detail, create and edit, without
cycles in the parent chain."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import form_errors
from workshops.extensions import db
from workshops.models import Track1Body

from .helpers import audit_entries, count, reload


def _body(**overrides) -> dict:
    data = {
        "name": "China–Vietnam 3+3 strategic dialogue",
        "acronym": "CN-VN 3+3",
        "kind": "bilateral_dialogue",
        "level": "vice_ministerial",
        "parent_id": "",
        "established": "December 2024; ministerial level agreed April 2025",
        "description": "Diplomacy, defence and public security.",
        "member_countries": ["CN", "VN"],
    }
    data.update(overrides)
    return data


def test_an_organiser_adds_a_body_with_its_member_countries(client, auth):
    user = auth.login(role="organiser")
    form = client.get("/track1-bodies/new").get_data(as_text=True)
    assert "Viet" in form and 'name="member_countries"' in form

    response = client.post("/track1-bodies/new", data=_body())

    body = db.session.scalar(select(Track1Body))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/track1-bodies/{body.id}")
    assert (body.kind, body.level, body.acronym) == ("bilateral_dialogue", "vice_ministerial", "CN-VN 3+3")
    assert body.member_countries == ["CN", "VN"]
    entry = audit_entries("Track1Body", "create")[0]
    assert entry.user_id == user.id and entry.note == "Member countries added: CN, VN"
    page = client.get(f"/track1-bodies/{body.id}").get_data(as_text=True)
    assert "China" in page and "Vietnam" in page and "Vice-ministerial" in page


def test_a_viewer_may_not_add_or_edit_bodies(client, auth, make):
    body = make.track1_body(name="East Asia Summit", kind="summit")
    auth.login(role="viewer")
    assert client.get("/track1-bodies/new").status_code == 403
    assert client.post("/track1-bodies/new", data=_body()).status_code == 403
    assert client.post(f"/track1-bodies/{body.id}/edit", data=_body(version=str(body.version))).status_code == 403
    assert count(Track1Body) == 1 and reload(body).name == "East Asia Summit"
    assert "Add a Track-1 body" not in client.get("/track1-bodies").get_data(as_text=True)


def test_name_and_kind_are_required_and_names_are_unique(client, auth, make):
    make.track1_body(name="ASEAN Regional Forum", kind="regional_forum")
    auth.login(role="admin")
    response = client.post("/track1-bodies/new", data=_body(name="", kind="club"))
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Give the body its full name." in errors and "Pick one from the list." in errors

    response = client.post("/track1-bodies/new", data=_body(name="ASEAN Regional Forum"))
    assert response.status_code == 422
    assert "A Track-1 body with this name exists already." in form_errors(response.get_data(as_text=True))
    assert count(Track1Body) == 1


def test_unknown_countries_and_overlong_text_are_refused(client, auth):
    auth.login(role="admin")
    response = client.post("/track1-bodies/new", data=_body(member_countries=["CN", "XX"], acronym="A" * 41))
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Pick only from the list." in errors and any("40" in e for e in errors)
    assert count(Track1Body) == 0


def test_a_body_cannot_sit_below_itself_or_one_of_its_descendants(client, auth, make):
    arf = make.track1_body(name="ASEAN Regional Forum", kind="regional_forum")
    som = make.track1_body(name="ARF Senior Officials' Meeting", kind="working_group", parent_id=arf.id)
    ism = make.track1_body(name="ARF ISM on Maritime Security", kind="working_group", parent_id=som.id)
    auth.login(role="admin")

    for parent in (ism, som):  # a grandchild, a child
        response = client.post(f"/track1-bodies/{arf.id}/edit",
                               data=_body(name=arf.name, kind="regional_forum", parent_id=str(parent.id),
                                          version=str(arf.version)))
        assert response.status_code == 422
        assert "This body sits below the one you are editing; it cannot also be its parent." in form_errors(
            response.get_data(as_text=True))
    response = client.post(f"/track1-bodies/{arf.id}/edit",
                           data=_body(name=arf.name, kind="regional_forum", parent_id=str(arf.id),
                                      version=str(arf.version)))
    assert response.status_code == 422  # itself is not even offered
    assert reload(arf).parent_id is None

    # Moving the inter-sessional meeting straight under the forum is fine.
    response = client.post(f"/track1-bodies/{ism.id}/edit",
                           data=_body(name=ism.name, kind="working_group", parent_id=str(arf.id),
                                      version=str(ism.version)))
    assert response.status_code == 302 and reload(ism).parent_id == arf.id


def test_the_operation_refuses_a_body_as_its_own_parent(app, auth, make):
    """The JSON API calls the operation directly: the same rule holds there."""
    import pytest

    from workshops.audit.operations import Invalid
    from workshops.outcomes import operations as ops

    user = auth.login(role="admin")
    body = make.track1_body(name="East Asia Summit", kind="summit")
    with pytest.raises(Invalid) as refused:
        ops.update_track1_body(user, body, {"name": body.name, "kind": "summit", "parent_id": body.id})
    assert refused.value.errors == {"parent_id": "A body cannot be its own parent."}


def test_changing_only_member_countries_is_versioned_and_explained(client, auth, make):
    from workshops.models import Track1BodyMember

    body = make.track1_body(name="China–Indonesia 2+2", kind="bilateral_dialogue",
                            members=[Track1BodyMember(country="CN"), Track1BodyMember(country="ID")])
    auth.login(role="admin")
    seen = str(body.version)
    response = client.post(f"/track1-bodies/{body.id}/edit", data=_body(
        name=body.name, acronym="", kind="bilateral_dialogue", level="", established="", description="",
        member_countries=["CN", "ID", "MY"], version=seen))
    assert response.status_code == 302
    assert reload(body).member_countries == ["CN", "ID", "MY"]
    assert any(e.note == "Member countries added: MY" for e in audit_entries("Track1Body", "update"))

    # A second editor working from the page they loaded before is told, and nothing is saved.
    response = client.post(f"/track1-bodies/{body.id}/edit", data=_body(
        name="Renamed over the top", kind="bilateral_dialogue", member_countries=["CN"], version=seen))
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    body = reload(body)
    assert body.name == "China–Indonesia 2+2" and body.member_countries == ["CN", "ID", "MY"]


def test_the_list_filters_by_kind_and_level_and_counts_links(client, auth, make, world):
    dialogue = make.track1_body(name="US–Indonesia 2+2", kind="bilateral_dialogue", level="senior_officials")
    make.track1_body(name="China–Russia consultations", kind="bilateral_dialogue", level="ministerial")
    rec = make.recommendation(workshop=world.workshop, targets=[dialogue])
    make.uptake_event(recommendation=rec, stage="transmitted", track1_body_id=dialogue.id)
    auth.login(role="viewer")

    html = client.get("/track1-bodies?kind=bilateral_dialogue&level=senior_officials").get_data(as_text=True)
    assert "US–Indonesia 2+2" in html and "China–Russia" not in html and "ASEAN Regional Forum" not in html
    assert '<td data-label="Recommendations addressed">1</td>' in html
    assert '<td data-label="Uptake events">1</td>' in html
    everything = client.get("/track1-bodies").get_data(as_text=True)
    assert "China–Russia" in everything and "ASEAN Regional Forum" in everything


def test_the_detail_page_shows_parent_children_members_recommendations_and_events(client, auth, make, world):
    parent = make.track1_body(name="ASEAN Defence Ministers' Meeting-Plus", kind="ministerial_meeting")
    child = make.track1_body(name="ADMM-Plus EWG on HADR", kind="working_group", parent_id=parent.id)
    rec = make.recommendation(workshop=world.workshop, title="Joint HADR exercise", targets=[parent])
    make.uptake_event(recommendation=rec, stage="implemented", track1_body_id=parent.id,
                      title="ADMM-Plus HADR exercise held", occurred_on=dt.date(2024, 11, 5))
    auth.login(role="viewer")
    page = client.get(f"/track1-bodies/{parent.id}").get_data(as_text=True)
    assert "ADMM-Plus EWG on HADR" in page and "Joint HADR exercise" in page
    assert "ADMM-Plus HADR exercise held" in page and "2024-11-05" in page
    child_page = client.get(f"/track1-bodies/{child.id}").get_data(as_text=True)
    assert f'href="/track1-bodies/{parent.id}"' in child_page
    assert client.get("/track1-bodies/999999").status_code == 404


def test_a_busy_body_shows_its_latest_links_and_counts_them_all(client, auth, make, world, monkeypatch):
    from workshops.outcomes import queries

    monkeypatch.setattr(queries, "DETAIL_LIMIT", 1)
    older = make.recommendation(workshop=world.workshop, title="Older one", targets=[world.arf])
    newer = make.recommendation(workshop=make.workshop(series=world.workshop.series,
                                                       start_date=dt.date(2025, 5, 1)),
                                title="Newer one", targets=[world.arf])
    for rec, day in ((older, dt.date(2024, 6, 1)), (newer, dt.date(2025, 6, 1))):
        make.uptake_event(recommendation=rec, track1_body_id=world.arf.id, occurred_on=day, title=f"Event {day}")
    auth.login(role="viewer")
    page = client.get(f"/track1-bodies/{world.arf.id}").get_data(as_text=True)
    assert "Recommendations addressed to it (2)" in page and "Newer one" in page and "Older one" not in page
    assert f'href="/recommendations?target={world.arf.id}"' in page
    assert "Uptake events at this body (2)" in page and "Event 2025-06-01" in page
    assert "Event 2024-06-01" not in page
