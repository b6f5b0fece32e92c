"""Reading through the API: public agendas for anyone, everything else for
token holders; contact details and participant lists only for those who
manage them; lists paginated and filtered as on the web pages."""

from __future__ import annotations

import datetime as dt

import pytest

# ------------------------------------------------------------ workshops


def test_anyone_reads_a_public_workshop_with_its_agenda(api, make, world):
    chair = make.participation(workshop=world.workshop, person=make.person(full_name="Ann Lee", honorific="Dr"),
                               affiliation="RSIS")
    make.agenda_item(workshop=world.workshop, title="Opening", start="09:00", end="09:30",
                     people=[(chair, "chair")], room="Hall A")
    make.agenda_item(workshop=world.workshop, title="Panel on HADR", day=1, start="10:00", end="11:30")

    response = api.anonymous.get(f"/workshops/{world.workshop.id}/agenda")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    agenda = response.get_json()
    assert agenda["timezone"] == "Asia/Jakarta"
    assert agenda["workshop"]["title"] == "HADR Workshop Jakarta"
    first, second = agenda["items"]
    assert (first["title"], first["day"], first["start"], first["end"]) == ("Opening", "2025-06-03", "09:00", "09:30")
    assert first["starts_at"] == "2025-06-03T02:00:00Z"  # Jakarta is UTC+7
    assert first["people"] == [{"role": "chair", "participation_id": chair.id, "name": "Dr Ann Lee",
                                "affiliation": "RSIS", "to_be_confirmed": False}]
    assert second["day"] == "2025-06-04"
    assert "email" not in str(agenda)

    detail = api.anonymous.get(f"/workshops/{world.workshop.id}").get_json()
    assert [i["title"] for i in detail["agenda"]] == ["Opening", "Panel on HADR"]
    assert detail["network"]["acronym"] == "NADI" and detail["series"]["name"] == "NADI Workshop on HADR"


def test_without_a_token_private_and_draft_workshops_do_not_exist(api, world):
    for workshop in (world.private_workshop, world.draft_workshop):
        for path in (f"/workshops/{workshop.id}", f"/workshops/{workshop.id}/agenda"):
            response = api.anonymous.get(path)
            assert response.status_code == 404
            assert response.mimetype == "application/problem+json"
    listed = api.anonymous.get("/workshops").get_json()
    assert {w["title"] for w in listed["items"]} == {"HADR Workshop Jakarta", "CSCAP Study Group"}


@pytest.mark.parametrize("role", ["viewer", "organiser", "admin"])
def test_token_holders_read_every_workshop(api, world, role):
    caller = api.as_role(role)
    assert caller.get(f"/workshops/{world.private_workshop.id}").status_code == 200
    assert caller.get(f"/workshops/{world.draft_workshop.id}/agenda").status_code == 200
    assert caller.get("/workshops").get_json()["total"] == 4


def test_workshops_are_filtered_as_on_the_web_page(api, make, world):
    theme = make.theme(name="Maritime security")
    make.workshop(series=world.series, title="Maritime 2024", start_date=dt.date(2024, 3, 1), themes=[theme],
                  country="SG", format="hybrid")
    caller = api.as_role("viewer")

    def titles(query):
        response = caller.get("/workshops?" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(w["title"] for w in response.get_json()["items"])

    assert titles(f"network={world.other_network.id}") == ["CSCAP Study Group"]
    assert titles("year=2024") == ["Maritime 2024"]
    assert titles(f"theme={theme.id}") == ["Maritime 2024"]
    assert titles("country=sg") == ["Maritime 2024"]
    assert titles("format=hybrid&status=published") == ["Maritime 2024"]
    assert titles(f"series={world.series.id}&status=draft") == ["Draft Meeting"]
    empty = caller.get("/workshops?network=")
    assert empty.status_code == 400
    assert empty.get_json()["errors"] == {"network": "Give a value, or leave the parameter out."}


def test_lists_are_paginated_with_a_total_and_a_next_link(api, make, world):
    for n in range(5):
        make.workshop(series=world.series, title=f"Extra {n}", start_date=dt.date(2020, 1, n + 1))
    caller = api.as_role("viewer")
    first = caller.get(f"/workshops?per_page=4&series={world.series.id}").get_json()
    assert (first["total"], first["page"], first["per_page"], first["pages"]) == (8, 1, 4, 2)
    assert len(first["items"]) == 4 and first["prev"] is None
    assert first["next"].startswith("http://localhost/api/v1/workshops?")
    assert "page=2" in first["next"] and f"series={world.series.id}" in first["next"]
    second = caller.client.get(first["next"], headers=caller._headers()).get_json()
    assert len(second["items"]) == 4 and second["next"] is None and "page=1" in second["prev"]
    assert {w["id"] for w in first["items"]}.isdisjoint({w["id"] for w in second["items"]})
    beyond = caller.get("/workshops?page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 9


# ------------------------------------------------------- networks, series


def test_networks_and_series_need_a_token(api, world):
    for path in ("/networks", f"/networks/{world.network.id}", "/series", f"/series/{world.series.id}",
                 "/people", "/recommendations", "/track1-bodies", "/institutes", "/reports/2025"):
        response = api.anonymous.get(path)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["status"] == 401


def test_networks_with_their_counts(api, world):
    caller = api.as_role("viewer")
    networks = caller.get("/networks").get_json()
    assert [n["acronym"] for n in networks["items"]] == ["CSCAP", "NADI"]
    nadi = caller.get(f"/networks/{world.network.id}").get_json()
    assert (nadi["series"], nadi["workshops"]) == (1, 3)
    assert caller.get("/networks/999999").status_code == 404


def test_series_with_their_lifecycle(api, make, world):
    revived = make.series(network=world.other_network, name="Study Group on the Korean Peninsula",
                          status_history=[("active", dt.date(2010, 1, 1), ""), ("dormant", dt.date(2015, 1, 1), ""),
                                          ("revived", dt.date(2023, 5, 1), "Back after the pandemic")])
    caller = api.as_role("viewer")
    body = caller.get(f"/series/{revived.id}").get_json()
    assert body["status"] == "revived"
    assert [s["status"] for s in body["status_history"]] == ["active", "dormant", "revived"]
    assert body["network"]["acronym"] == "CSCAP"
    listed = caller.get(f"/series?network={world.other_network.id}&status=revived").get_json()
    assert [s["name"] for s in listed["items"]] == ["Study Group on the Korean Peninsula"]


def test_themes_are_public_and_institutes_need_a_token(api, make, world):
    make.theme(name="Cyber security")
    make.institute(name="S. Rajaratnam School of International Studies", acronym="RSIS", networks=[world.network])
    make.institute(name="Pacific Forum", networks=[world.other_network])
    assert [t["name"] for t in api.anonymous.get("/themes").get_json()["items"]] == ["Cyber security"]
    caller = api.as_role("viewer")
    found = caller.get(f"/institutes?network={world.network.id}").get_json()["items"]
    assert [i["acronym"] for i in found] == ["RSIS"]


# -------------------------------------------------- people, participants


def test_people_names_and_contacts_only_for_admins_and_the_organisers_of_their_workshops(api, make, world):
    person = make.person(full_name="Rear Adm. Tan", email="tan@example.org", phone="+65 1234", country="SG")
    make.participation(workshop=world.workshop, person=person)
    viewer = api.as_role("viewer")
    for path in (f"/people/{person.id}", "/people"):
        refused = viewer.get(path)
        assert refused.status_code == 403 and refused.mimetype == "application/problem+json", path
        assert "Rear Adm. Tan" not in refused.get_data(as_text=True) and "tan@" not in refused.get_data(as_text=True)
    away = api.as_role("organiser", networks=[world.other_network])
    assert away.get(f"/people/{person.id}").status_code == 403
    assert "Rear Adm. Tan" not in away.get("/people?per_page=100").get_data(as_text=True)
    for role in ("organiser", "admin"):
        caller = api.as_role(role, networks=[world.network] if role == "organiser" else [])
        seen = caller.get(f"/people/{person.id}").get_json()
        assert (seen["full_name"], seen["email"], seen["phone"]) == ("Rear Adm. Tan", "tan@example.org", "+65 1234")
        assert seen["workshops"] == 1


def test_people_are_filtered_as_on_the_people_page(api, make, world):
    make.participation(workshop=world.workshop, person=make.person(full_name="Siti Rahman", country="MY"))
    make.person(full_name="Kenji Sato", country="JP", sector="government")
    caller = api.as_role("organiser", networks=[world.network])

    def names(query):
        return [p["full_name"] for p in caller.get("/people?" + query).get_json()["items"]]

    assert names("q=siti") == ["Siti Rahman"]
    assert names("country=JP") == ["Kenji Sato"]
    assert names("sector=government") == ["Kenji Sato"]
    assert names(f"network={world.network.id}") == ["Siti Rahman"]
    assert caller.get("/people/424242").status_code == 404


def test_participants_only_for_the_workshops_organisers_and_admins(api, make, world):
    make.participation(workshop=world.workshop, person=make.person(full_name="Ann Lee", email="ann@example.org"),
                       role="speaker", consent_to_list=True)
    make.participation(workshop=world.workshop, person=make.person(full_name="Bo Chen"), status="declined")
    path = f"/workshops/{world.workshop.id}/participants"
    assert api.anonymous.get(path).status_code == 401
    assert api.as_role("viewer").get(path).status_code == 403
    assert api.as_role("organiser", networks=[world.other_network]).get(path).status_code == 403
    for caller in (api.as_role("organiser", networks=[world.network]), api.as_role("admin")):
        body = caller.get(path).get_json()
        assert [p["person"]["name"] for p in body["items"]] == ["Ann Lee", "Bo Chen"]
        assert body["items"][0]["email"] == "ann@example.org" and body["items"][0]["role"] == "speaker"
        assert [p["person"]["name"] for p in caller.get(path + "?status=declined").get_json()["items"]] == ["Bo Chen"]


# ------------------------------------------------------- recommendations


def test_recommendations_with_their_events_and_derived_stage(api, make, world):
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    theme = make.theme(name="HADR")
    rec = make.recommendation(workshop=world.workshop, title="Standing HADR coordination cell", themes=[theme],
                              targets=[arf], reference="NADI-2025-1")
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2025, 7, 1), track1_body=arf)
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=dt.date(2025, 8, 1),
                      title="ARF chairman's statement")
    make.recommendation(workshop=world.other_workshop, title="Cyber norms dialogue")
    caller = api.as_role("viewer")

    body = caller.get(f"/recommendations/{rec.id}").get_json()
    assert body["stage"] == "acknowledged"
    assert [e["stage"] for e in body["events"]] == ["transmitted", "acknowledged"]
    assert body["events"][0]["track1_body"]["acronym"] == "ARF"
    assert body["targets"] == [{"id": arf.id, "name": "ASEAN Regional Forum", "acronym": "ARF"}]
    assert body["workshop"]["id"] == world.workshop.id and body["network"]["acronym"] == "NADI"
    assert body["last_event_on"] == "2025-08-01"

    def titles(query):
        response = caller.get("/recommendations?" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["title"] for r in response.get_json()["items"]]

    assert titles("stage=acknowledged") == ["Standing HADR coordination cell"]
    assert titles("stage=proposed") == ["Cyber norms dialogue"]
    assert titles(f"target={arf.id}") == ["Standing HADR coordination cell"]
    assert titles(f"network={world.other_network.id}") == ["Cyber norms dialogue"]
    assert titles(f"theme={theme.id}&year=2025") == ["Standing HADR coordination cell"]
    assert titles("q=cyber") == ["Cyber norms dialogue"]
    assert titles(f"workshop={world.workshop.id}") == ["Standing HADR coordination cell"]
    assert caller.get("/recommendations/999").status_code == 404


def test_track1_bodies(api, make):
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF", level="ministerial")
    som = make.track1_body(name="ARF Senior Officials' Meeting", kind="working_group", parent=arf,
                           level="senior_officials")
    caller = api.as_role("viewer")
    body = caller.get(f"/track1-bodies/{som.id}").get_json()
    assert body["parent"]["acronym"] == "ARF" and body["level"] == "senior_officials"
    listed = caller.get("/track1-bodies?kind=working_group").get_json()
    assert [b["name"] for b in listed["items"]] == ["ARF Senior Officials' Meeting"]
    assert caller.get("/track1-bodies/31337").status_code == 404


# ----------------------------------------------------------------- reports


def test_the_annual_report_figures(api, make, world):
    make.participation(workshop=world.workshop)
    make.recommendation(workshop=world.workshop)
    caller = api.as_role("viewer")
    response = caller.get(f"/reports/2025?network={world.network.acronym}")
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["filters"]["year"] == 2025 and report["filters"]["network"] == "NADI"
    assert report["activity"]["workshops_held"] >= 1
    assert "funnel" in report and "definitions" in report
    bad = caller.get("/reports/2025?network=NOPE")
    assert bad.status_code == 400 and "network" in bad.get_json()["errors"]
    assert caller.get("/reports/1066").status_code == 404


def test_the_report_for_a_period_of_years(api, world):
    caller = api.as_role("viewer")
    report = caller.get("/reports/2025?first_year=2020").get_json()
    assert report["filters"]["period"] == "2020-2025" and report["filters"]["years"] == 6
    for first, words in (("2026", "runs backwards"), ("1990", "spans 36 years")):
        bad = caller.get(f"/reports/2025?first_year={first}")
        assert bad.status_code == 400 and words in bad.get_json()["errors"]["first_year"]
    assert caller.get("/reports/2025?first_year=1800").status_code == 400


def test_a_token_says_whom_it_acts_for(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    me = caller.get("/me").get_json()
    assert (me["id"], me["role"], me["email"]) == (caller.user.id, "organiser", caller.user.email)
    assert me["networks"] == [{"id": world.network.id, "acronym": "NADI", "name": world.network.name}]
    assert api.anonymous.get("/me").status_code == 401


def test_an_institute_finds_its_public_workshop_by_its_web_address(api, world):
    found = api.anonymous.get(f"/workshops?slug={world.workshop.slug}").get_json()
    assert [w["id"] for w in found["items"]] == [world.workshop.id]
    hidden = api.anonymous.get(f"/workshops?slug={world.private_workshop.slug}").get_json()
    assert hidden["items"] == [] and hidden["total"] == 0
