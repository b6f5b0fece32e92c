"""The registries through the API (workshops/api/views_registries.py):
themes, networks, member institutes, series and Track-1 bodies are created
and changed with the same operations, rules, rights, version checks and
audit trail as their web forms."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import MemberInstitute, Network, Series, Theme, Track1Body

from ..conftest import checksum

KEY = "0b7c6d5e-4f3a-4b2c-9d8e-7f6a5b4c3d2e"


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(object_type: str, object_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id).order_by(AuditEntry.id)))


def _refused(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    if field is not None:
        assert field in body["errors"], body
    return body


# ------------------------------------------------------------------ themes


def test_an_admin_creates_reads_and_renames_a_theme(api):
    caller = api.as_role("admin")
    response = caller.post("/themes", json={"name": "Maritime security", "non_traditional": False})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body == {"id": body["id"], "slug": "maritime-security", "name": "Maritime security",
                    "non_traditional": False, "version": 1}
    assert response.headers["Location"].endswith(f"/api/v1/themes/{body['id']}")
    assert caller.get(f"/themes/{body['id']}").get_json() == body
    assert [e.action for e in _audit("Theme", body["id"])] == ["create"]

    renamed = caller.patch(f"/themes/{body['id']}", json={"version": 1, "name": "Maritime and ocean security"})
    assert renamed.status_code == 200
    assert renamed.get_json() == {**body, "name": "Maritime and ocean security", "version": 2}  # slug and mark stay
    entry = _audit("Theme", body["id"])[-1]
    assert entry.action == "update" and entry.user_id == caller.user.id


def test_a_stale_theme_patch_answers_409_and_changes_nothing(api, make):
    theme = make.theme(name="HADR")
    caller = api.as_role("admin")
    assert caller.patch(f"/themes/{theme.id}", json={"version": 1, "name": "Disaster relief"}).status_code == 200
    before = checksum()

    stale = caller.patch(f"/themes/{theme.id}", json={"version": 1, "name": "Humanitarian relief"})

    assert _refused(stale, 409)["current_version"] == 2
    assert checksum() == before
    db.session.expire_all()
    assert (db.session.get(Theme, theme.id).name, db.session.get(Theme, theme.id).version) == ("Disaster relief", 2)
    _refused(caller.patch(f"/themes/{theme.id}", json={"name": "Humanitarian relief"}), 422, "version")


def test_theme_names_follow_the_rules_of_the_themes_page(api, make):
    make.theme(name="HADR")
    caller = api.as_role("admin")
    before = checksum()
    assert _refused(caller.post("/themes", json={"name": "hadr"}), 422, "name")["errors"]["name"].startswith(
        "A theme with this name exists already")
    _refused(caller.post("/themes", json={"name": "  "}), 422, "name")
    _refused(caller.post("/themes", json={"name": "x" * 101}), 422, "name")
    _refused(caller.post("/themes", json={"name": "Cyber", "non_traditional": "yes"}), 422, "non_traditional")
    assert checksum() == before


@pytest.mark.parametrize("role", ["organiser", "viewer"])
def test_only_admins_write_themes(api, make, role):
    theme = make.theme(name="HADR")
    caller = api.as_role(role)
    before = checksum()
    _refused(caller.post("/themes", json={"name": "Cyber"}), 403)
    _refused(caller.patch(f"/themes/{theme.id}", json={"version": 1, "name": "Cyber"}), 403)
    assert checksum() == before
    assert api.anonymous.get(f"/themes/{theme.id}").status_code == 200
    _refused(api.as_role("admin").patch("/themes/999999", json={"version": 1, "name": "Cyber"}), 404)


def test_a_theme_post_with_an_idempotency_key_saves_once(api):
    caller = api.as_role("admin")
    first = caller.post("/themes", json={"name": "Cyber"}, headers={"Idempotency-Key": KEY})
    retry = caller.post("/themes", json={"name": "Cyber"}, headers={"Idempotency-Key": KEY})
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json() and _count(Theme) == 1


# ---------------------------------------------------------------- networks


def test_an_admin_creates_and_changes_a_network(api):
    caller = api.as_role("admin")
    response = caller.post("/networks", json={"acronym": "CSCAP", "name": "Council for Security Cooperation "
                                              "in the Asia Pacific", "founded_year": 1993,
                                              "website": "https://www.cscap.org"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["slug"], body["founded_year"], body["institutes"], body["version"]) == ("cscap", 1993, 0, 1)
    assert response.headers["Location"].endswith(f"/api/v1/networks/{body['id']}")
    changed = caller.patch(f"/networks/{body['id']}", json={"version": 1, "description": "Track-2 forum."})
    assert changed.status_code == 200
    assert changed.get_json()["description"] == "Track-2 forum." and changed.get_json()["acronym"] == "CSCAP"
    assert [e.action for e in _audit("Network", body["id"])] == ["create", "update"]

    stale = caller.patch(f"/networks/{body['id']}", json={"version": 1, "name": "Other"})
    assert _refused(stale, 409)["current_version"] == 2
    assert db.session.get(Network, body["id"]).name.startswith("Council")


def test_network_rules_and_rights(api, make):
    nadi = make.network(acronym="NADI")
    admin = api.as_role("admin")
    organiser = api.as_role("organiser", networks=[nadi])
    before = checksum()
    _refused(admin.post("/networks", json={"acronym": "nadi", "name": "Another"}), 422, "acronym")
    _refused(admin.post("/networks", json={"acronym": "X", "name": "X", "website": "www.x.org"}), 422, "website")
    _refused(admin.post("/networks", json={"acronym": "X", "name": "X", "slug": "Not a slug"}), 422, "slug")
    _refused(admin.post("/networks", json={"acronym": "X"}), 422, "name")
    _refused(organiser.post("/networks", json={"acronym": "X", "name": "X"}), 403)
    _refused(organiser.patch(f"/networks/{nadi.id}", json={"version": nadi.version, "name": "X"}), 403)
    assert checksum() == before


# ------------------------------------------------------- member institutes

RSIS = {"name": "S. Rajaratnam School of International Studies", "acronym": "RSIS", "country": "Singapore",
        "city": "Singapore", "website": "https://www.rsis.edu.sg"}


def test_an_organiser_adds_an_institute_to_their_network_naming_its_country(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.post("/institutes", json={**RSIS, "network_ids": [world.network.id]})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["country"], body["city"], body["version"]) == ("SG", "Singapore", 1)
    assert body["networks"] == [{"id": world.network.id, "acronym": "NADI", "name": world.network.name}]
    assert caller.get(f"/institutes/{body['id']}").get_json() == body
    assert response.headers["Location"].endswith(f"/api/v1/institutes/{body['id']}")

    changed = caller.patch(f"/institutes/{body['id']}", json={"version": 1, "country": "Viet Nam", "city": "Hanoi"})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert (changed.get_json()["country"], changed.get_json()["city"]) == ("VN", "Hanoi")
    assert [e.action for e in _audit("MemberInstitute", body["id"])] == ["create", "update"]
    _refused(caller.patch(f"/institutes/{body['id']}", json={"version": 1, "city": "Hue"}), 409)


def test_institute_rules_name_the_api_fields(api, world, make):
    make.institute(networks=[world.network], name="Indonesia Defense University")
    caller = api.as_role("organiser", networks=[world.network])
    viewer = api.as_role("viewer")
    before = checksum()
    _refused(caller.post("/institutes", json={**RSIS, "network_ids": []}), 422, "network_ids")
    _refused(caller.post("/institutes", json={**RSIS, "country": "Atlantis", "network_ids": [world.network.id]}),
             422, "country")
    _refused(caller.post("/institutes", json={**RSIS, "name": "indonesia defense university",
                                              "network_ids": [world.network.id]}), 422, "name")
    _refused(caller.post("/institutes", json={**RSIS, "network_ids": [world.other_network.id]}), 403)
    _refused(viewer.post("/institutes", json={**RSIS, "network_ids": [world.network.id]}), 403)
    assert checksum() == before


def test_an_organiser_changes_only_their_own_memberships(api, world, make):
    institute = make.institute(networks=[world.network, world.other_network], name="ISIS Malaysia", country="MY")
    caller = api.as_role("organiser", networks=[world.network])
    outsider = api.as_role("organiser", networks=[make.network(acronym="ARF")])
    before = checksum()
    refused = caller.patch(f"/institutes/{institute.id}", json={"version": institute.version,
                                                                "network_ids": [world.network.id]})
    assert _refused(refused, 422, "network_ids")["errors"]["network_ids"] == (
        "You can only add or remove networks you organise.")
    _refused(outsider.patch(f"/institutes/{institute.id}", json={"version": institute.version, "city": "X"}), 403)
    assert checksum() == before


# ------------------------------------------------------------------ series


def test_an_organiser_creates_and_changes_a_series_in_their_network(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    response = caller.post("/series", json={"network_id": world.network.id, "name": "NADI Maritime Workshop",
                                            "kind": "workshop_series", "active_since": "2010-04-01"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["slug"] == "nadi-nadi-maritime-workshop"
    assert body["status"] == "active" and body["network"]["id"] == world.network.id
    assert response.headers["Location"].endswith(f"/api/v1/series/{body['id']}")
    changed = caller.patch(f"/series/{body['id']}", json={"version": body["version"], "kind": "study_group"})
    assert changed.status_code == 200 and changed.get_json()["kind"] == "study_group"
    assert changed.get_json()["name"] == "NADI Maritime Workshop"
    assert [e.action for e in _audit("Series", body["id"])][-1] == "update"
    _refused(caller.patch(f"/series/{body['id']}", json={"version": body["version"], "name": "X"}), 409)


def test_series_rules_and_rights(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    admin = api.as_role("admin")
    outsider = api.as_role("organiser", networks=[world.other_network])
    before = checksum()
    _refused(caller.post("/series", json={"network_id": world.network.id, "name": ""}), 422, "name")
    _refused(caller.post("/series", json={"network_id": world.other_network.id, "name": "X"}), 403)
    _refused(caller.patch(f"/series/{world.series.id}", json={"version": world.series.version,
                                                               "network_id": world.other_network.id}),
             422, "network_id")
    _refused(admin.post("/series", json={"network_id": 999999, "name": "X"}), 422, "network_id")
    _refused(outsider.patch(
        f"/series/{world.series.id}", json={"version": world.series.version, "name": "X"}), 403)
    assert checksum() == before
    assert _count(Series) == 2


# ---------------------------------------------------------- Track-1 bodies


def test_an_organiser_adds_a_track1_body_under_a_parent_and_changes_it(api, make):
    asean = make.track1_body(name="ASEAN", acronym="ASEAN")
    caller = api.as_role("organiser", networks=[make.network()])
    response = caller.post("/track1-bodies", json={
        "name": "ASEAN Defence Ministers' Meeting", "acronym": "ADMM", "kind": "ministerial_meeting",
        "level": "ministerial", "parent_id": asean.id, "member_countries": ["sg", "ID"]})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["parent"]["id"] == asean.id and body["member_countries"] == ["ID", "SG"]
    assert response.headers["Location"].endswith(f"/api/v1/track1-bodies/{body['id']}")
    changed = caller.patch(f"/track1-bodies/{body['id']}", json={"version": body["version"], "parent_id": None,
                                                                 "established": "2006"})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["parent"] is None and changed.get_json()["member_countries"] == ["ID", "SG"]
    assert _audit("Track1Body", body["id"])[0].action == "create"
    _refused(caller.patch(f"/track1-bodies/{body['id']}", json={"version": body["version"], "acronym": "X"}), 409)


def test_track1_body_rules_and_rights(api, make):
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    child = make.track1_body(name="ARF ISM on Maritime Security", parent=arf)
    caller = api.as_role("admin")
    viewer = api.as_role("viewer")
    before = checksum()
    _refused(caller.post("/track1-bodies", json={"name": "ASEAN Regional Forum", "kind": "regional_forum"}),
             422, "name")
    _refused(caller.post("/track1-bodies", json={"name": "X", "kind": "regional_forum", "parent_id": 999999}),
             422, "parent_id")
    _refused(caller.patch(f"/track1-bodies/{arf.id}", json={"version": arf.version, "parent_id": child.id}),
             422, "parent_id")
    _refused(caller.post("/track1-bodies", json={"name": "X", "kind": "regional_forum",
                                                 "member_countries": ["XX"]}), 422, "member_countries")
    _refused(viewer.post("/track1-bodies", json={"name": "X", "kind": "regional_forum"}), 403)
    _refused(viewer.patch(f"/track1-bodies/{arf.id}", json={"version": arf.version, "name": "X"}), 403)
    assert checksum() == before
    assert _count(Track1Body) == 2 and _count(MemberInstitute) == 0


def test_the_new_operations_are_in_the_openapi_document(api):
    paths = api.anonymous.get("/openapi.json").get_json()["paths"]
    for path, method in [("/api/v1/themes", "post"), ("/api/v1/themes/{theme_id}", "patch"),
                         ("/api/v1/themes/{theme_id}", "get"), ("/api/v1/networks", "post"),
                         ("/api/v1/networks/{network_id}", "patch"), ("/api/v1/institutes", "post"),
                         ("/api/v1/institutes/{institute_id}", "patch"), ("/api/v1/institutes/{institute_id}", "get"),
                         ("/api/v1/series", "post"), ("/api/v1/series/{series_id}", "patch"),
                         ("/api/v1/track1-bodies", "post"), ("/api/v1/track1-bodies/{body_id}", "patch")]:
        assert method in paths[path], (path, method)
    assert "409" in paths["/api/v1/networks/{network_id}"]["patch"]["responses"]
    assert "409" in paths["/api/v1/themes/{theme_id}"]["patch"]["responses"]
